"""Paid annual leave: what is owed, and placing it at the least coverage cost (issue 11)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.loader import load_scenario
from models.scenario import Staff
from planner.check.validate import validate
from planner.engine.solve import solve
from planner.problem.instance import Instance
from planner.problem.leave import annual_days, entitlement
from planner.problem.results import SolveOptions
from planner.workflows.leave import plan_leave
from tests.planner.engine.builders import cover, person, scenario

D = dt.date


def _staff(**kw) -> Staff:
    return Staff(id="P", name="P", role="a", **kw)


def test_days_owed_follow_cumulative_service() -> None:
    on = D(2026, 6, 15)
    assert [annual_days(_staff(years=y), on) for y in (0.5, 1, 9.9, 10, 19, 20, 30)] == [
        0,
        5,
        5,
        10,
        10,
        15,
        15,
    ]
    assert annual_days(_staff(years=3, annual_leave_days=12), on) == 12  # stated outright wins
    assert annual_days(_staff(service_start=D(2006, 6, 1)), on) == 15  # 20 years of service by then
    assert annual_days(_staff(), on) == 0  # nothing known: nothing claimed


def test_entitlement_is_prorated_by_calendar_days_and_rounded_down() -> None:
    year = (D(2026, 6, 15), D(2027, 6, 14))
    assert entitlement(_staff(years=12), *year) == 10
    # Joining on 2026-12-15: 182 of 365 days -> 10 × 182 / 365 = 4.98 -> 4 days.
    assert entitlement(_staff(years=12, start_date=D(2026, 12, 15)), *year) == 4
    assert entitlement(_staff(years=12), D(2026, 12, 1), D(2026, 12, 31)) == 0  # 0.85 of a day


def _write(tmp_path: Path) -> Path:
    import json

    data = scenario(
        [
            person("P1", annual_leave_days=30),
            person("P2", annual_leave_days=30),
            person("P3", annual_leave_days=30),
        ],
        [cover("a", "D", days="workday")],
        surges=[{"name": "两会", "start": "2026-12-07", "end": "2026-12-08", "add": []}],
        requests=[{"staff": "P1", "date": "2026-12-10", "want": "leave", "weight": 1}],
    )
    path = tmp_path / "scenarios" / "team.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_leave_is_placed_on_workdays_outside_surges_and_solves_keep_every_rule(tmp_path: Path) -> None:
    """30 days a year over 31 days of December: 2 days each (30 × 31 / 365 = 2.55)."""
    file = _write(tmp_path)
    start, end = D(2026, 12, 1), D(2026, 12, 31)
    out = plan_leave(file, start, end, tmp_path / "leave", SolveOptions(time_limit=20, workers=1))
    plan = out.plan
    assert {p: len(d) for p, d in plan.days.items()} == {"P1": 2, "P2": 2, "P3": 2}
    inst = Instance(load_scenario(file), start, end)
    for days in plan.days.values():
        assert all(inst.kind(d) == "workday" and d not in (D(2026, 12, 7), D(2026, 12, 8)) for d in days)
    assert D(2026, 12, 10) in plan.days["P1"] and plan.wishes_granted == 1
    # 3 people, one day shift on each workday: 6 leave days leave it covered.
    assert (plan.coverage_status, plan.coverage, out.without_leave.value) == ("OPTIMAL", 0, 0)
    # A month solved with the written file keeps every rule and never rosters someone on leave.
    assert "&id" not in out.scenario_file.read_text(
        encoding="utf-8"
    )  # no YAML anchors for people to puzzle over
    with_leave = load_scenario(out.scenario_file)
    assert sum(1 for a in with_leave.absences if a.kind == "annual") >= 3  # a run per person at least
    month = Instance(with_leave, start, end)
    result = solve(month, SolveOptions(time_limit=20, workers=1))
    assert validate(month, result.roster).ok
    on_leave = {(pid, d) for pid, days in plan.days.items() for d in days}
    assert not [a for a in result.roster.assignments if (a.staff_id, a.date) in on_leave]
    assert (tmp_path / "leave" / "annual-leave.csv").read_text(encoding="utf-8").startswith("staff_id,name")


def test_staffing_with_leave_counts_the_days_owed() -> None:
    """One person on every December workday: alone without leave, 2 days short with the 2 days
    owed (30 a year × 31 / 365 = 2.55 → 2), and a second person closes it."""
    from planner.engine.probes import ProbeOptions, level1_probe
    from planner.whatif.staffing import analyse_staffing
    from tests.planner.engine.builders import instance

    data = scenario([person("P1", annual_leave_days=30)], [cover("a", "D", days="workday")])
    inst = instance(data, days=31)
    plain, leave = (
        ProbeOptions(time_limit=10, workers=1),
        ProbeOptions(time_limit=10, workers=1, with_leave=True),
    )
    assert (level1_probe(inst, plain).value, level1_probe(inst, leave).value) == (0, 2)
    (role,) = analyse_staffing(inst, "hard", leave, cross_training=False).roles
    assert (role.current, role.minimum, role.shortfall_now, role.proven) == (1, 2, 2, True)
