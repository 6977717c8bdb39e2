"""Helpers for the web app's AppTest tests: a scratch copy of the tiny scenario, solving, polling."""

from __future__ import annotations

import datetime as dt
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


# A password that meets 附件六 (18+ characters, upper, lower, digit, special, no runs).
PASSWORD = "Ld8#qW3!zR6@tY1$uP4x"


def account(username: str = "manager", role: str = "manager", staff_id: str | None = None):
    """The account in the store the app will open ($ROSTER_DB), created on first use."""
    from planner.workflows import records, team

    store = records.open_store()
    found = next((a for a in team.list_accounts(store) if a.username == username), None)
    return found or team.add_account(store, username, role, PASSWORD, by="tests", staff_id=staff_id)


def log_in(
    at: AppTest, username: str = "manager", role: str = "manager", staff_id: str | None = None
) -> AppTest:
    """Start the app already logged in (as the login form would leave the session)."""
    from ui.auth import K_AUTH, Session

    a = account(username, role, staff_id)
    now = dt.datetime.now(dt.UTC)
    at.session_state[K_AUTH] = Session(a.id, a.username, a.role, a.staff_id, now, now)
    return at


def new_app(scenario: Path | str, month: str | None = None, login: bool = True) -> AppTest:
    """The app on `scenario`, logged in as the service manager unless `login` is False."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state["scenario_path"] = str(scenario)
    if month:
        at.session_state["month"] = month
    return log_in(at) if login else at


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


START = dt.date(2026, 12, 1)
PHONE = "13912345678"
SICK_REASON = "发烧住院"


def publish_tiny(store, folder: Path) -> Path:
    """tests/ui/fixtures/tiny.yaml, with S04's phone number, published for its three days
    (S02 and S04 on day shifts, S03 the first night), and S07's sick day on the 3rd recorded
    with its reason. Returns the scenario file."""
    from models.loader import load_scenario
    from models.roster import Assignment, Roster
    from planner.store import service
    from planner.store.snapshot import snapshot_of

    path = folder / "tiny-team.yaml"
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("years: 4}", f"years: 4, phone: '{PHONE}'}}"), encoding="utf-8")
    scenario = load_scenario(path)
    rows = [Assignment(date=START, shift="N", staff_id="S03", role="video")]
    for i in range(3):
        d = START + dt.timedelta(days=i)
        rows += [
            Assignment(date=d, shift="D", staff_id="S02", role="video"),
            Assignment(date=d, shift="D", staff_id="S04", role="video"),
            Assignment(date=d, shift="D", staff_id="S06", role="image"),
            Assignment(date=d, shift="N", staff_id="S07", role="image"),
        ]
    roster = Roster(start=START, end=START + dt.timedelta(days=2), assignments=tuple(rows))
    service.publish_version(
        store,
        roster=roster,
        snapshot=snapshot_of(scenario),
        scenario_name=scenario.name,
        summary={},
        author="tests",
    )
    third = START + dt.timedelta(days=2)
    service.add_record(store, service.NewRecord("sick", "S07", third, third, "tests", SICK_REASON))
    return path
