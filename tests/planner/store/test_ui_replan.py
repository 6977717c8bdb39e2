"""The app's re-plan button (ui/views/roster.py calls planner.workflows.replan.replan) through AppTest."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from models.loader import load_scenario
from planner.engine.solve import solve
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions
from planner.store import service
from planner.store.db import Store
from tests.planner.store.conftest import store_roster
from tests.ui.conftest import FIXTURES, new_app

pytestmark = [pytest.mark.ui, pytest.mark.slow]
D = dt.date


def test_replan_button_replans_and_publishes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_PLANNER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ROSTER_DB", str(tmp_path / "store.db"))
    scenario_file = tmp_path / "tiny.yaml"
    shutil.copy(FIXTURES / "tiny.yaml", scenario_file)
    scenario = load_scenario(scenario_file)
    store = Store(None)
    first, last = D(2026, 12, 1), D(2026, 12, 3)
    solved = solve(Instance(scenario, first, last), SolveOptions(time_limit=3, workers=1))
    store_roster(store, scenario, solved.roster, author="t")
    sick = next(a.staff_id for a in solved.roster.assignments if a.date == D(2026, 12, 2))

    at = new_app(scenario_file, "2026-12").run()
    assert not at.exception
    assert "replan_result" not in at.session_state
    at.date_input(key="replan_from").set_value(D(2026, 12, 2))
    at.selectbox(key="replan_staff").set_value(sick)
    at.date_input(key="replan_span").set_value((D(2026, 12, 2), D(2026, 12, 2)))
    at.number_input(key="replan_limit").set_value(3)
    at.checkbox(key="replan_publish").check()
    at.button(key="replan_go").click().run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    done = at.session_state["replan_result"]
    assert "error" not in done, done
    assert done["base"] == 1 and done["published"] == 2
    assert done["changed"] >= 1 and done["people"] >= 1
    assert any(n["工号"] == sick and n["新安排"] == "休息（病假）" for n in done["notices"])
    actual = service.actual_roster(store, first, last)
    assert set(actual.version_by_date.values()) == {2}
    assert not [a for a in actual.roster.assignments if a.staff_id == sick and a.date == D(2026, 12, 2)]
    store.close()


def test_publish_button_stores_the_solved_month(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ui.conftest import solve as solve_in_app

    monkeypatch.setenv("ROSTER_PLANNER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ROSTER_DB", str(tmp_path / "store.db"))
    scenario_file = tmp_path / "tiny.yaml"
    shutil.copy(FIXTURES / "tiny.yaml", scenario_file)
    at = new_app(scenario_file, "2026-12").run()
    run = solve_in_app(at)
    looked = Store(None)  # looking at the page publishes nothing (the store holds the login only)
    assert service.versions(looked) == []
    looked.close()
    at.button(key="publish_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    kind, message = at.session_state["publish_result"]
    assert kind == "success", message
    store = Store(None)
    try:
        (version,) = service.versions(store)
        assert version.status == "published"
        assert (version.start, version.end) == (run.roster.start, run.roster.end)
        stored = service.version_roster(store, version.id)
        assert set(stored.assignments) == set(run.roster.assignments)
        assert f"#{version.id}" in message
    finally:
        store.close()
