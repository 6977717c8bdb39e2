"""Shared fixtures: the contract scenario, paths, and writing small YAML files into tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from models.loader import load_scenario
from models.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]


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
