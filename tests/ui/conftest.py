"""Helpers for the web app's AppTest tests: a scratch copy of the tiny scenario, solving, polling."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "ui" / "app.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch copy of tests/ui/fixtures/tiny.yaml (the staff page writes to it)."""
    monkeypatch.setenv("ROSTER_PLANNER_HOME", str(tmp_path / "home"))
    path = tmp_path / "tiny.yaml"
    shutil.copy(FIXTURES / "tiny.yaml", path)
    return path


def new_app(scenario: Path | str, month: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state["scenario_path"] = str(scenario)
    if month:
        at.session_state["month"] = month
    return at


def state(at: AppTest, key: str):
    return at.session_state[key] if key in at.session_state else None


def wait_for(at: AppTest, key: str, done, timeout: float = 60.0) -> None:
    """Rerun the app (as the page's polling fragment would) until `done(at)` holds."""
    deadline = time.monotonic() + timeout
    while not done(at):
        assert not at.exception, [e.value for e in at.exception]
        if time.monotonic() > deadline:
            raise AssertionError(f"{key} did not finish in {timeout} s")
        time.sleep(0.2)
        at.run()


def solve(at: AppTest, limit: int = 2):
    """Click 求解 with a small time limit and poll until the new roster is in the session."""
    before = state(at, "roster_run")
    at.number_input(key="time_limit").set_value(limit)
    at.button(key="solve").click().run()
    assert not at.exception, [e.value for e in at.exception]

    def finished(a: AppTest) -> bool:
        run = state(a, "roster_run")
        return state(a, "solve_job") is None and (run is not before or state(a, "solve_error") is not None)

    wait_for(at, "the solve", finished)
    assert not at.exception, [e.value for e in at.exception]
    return state(at, "roster_run")
