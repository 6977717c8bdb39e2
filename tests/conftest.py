"""Shared fixtures: the contract scenario, paths, and writing small YAML files into tmp_path."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from models.loader import load_scenario
from models.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """Streamlit's AppTest installs the app script as sys.modules["__main__"] and leaves it
    there; a later test that starts processes with "spawn" would then run that script in every
    child (a from_function script fails there with NameError: __args). Put the real one back."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


@pytest.fixture(autouse=True)
def _store_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's own roster store (and its accounts): $ROSTER_DB points into
    the test's own folder unless the test sets it itself."""
    monkeypatch.setenv("ROSTER_DB", str(tmp_path / "default-store.db"))


@pytest.fixture(scope="session")
def scenarios_dir() -> Path:
    return ROOT / "scenarios"


@pytest.fixture(scope="session")
def contract() -> Scenario:
    """The signed contract, scenarios/contract-2026.yaml, loaded once (it is frozen)."""
    return load_scenario(ROOT / "scenarios" / "contract-2026.yaml")


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """`write_yaml(text, name="scenario.yaml")`: dedent `text`, write it to tmp_path/name, return the path."""

    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
