"""Property tests of the whole solve on small random scenarios (hypothesis, fixed derandomized seed).

Every roster the solver returns must pass the independent validator, and the independent scorer
must give exactly the level values the solver reports. An InfeasibleError is only acceptable when
a fixed entry forces someone to work: without one, the empty roster satisfies every hard rule.
When a solve is proven, solving with decomposition switched the other way gives the same values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.check.score import score
from planner.check.validate import validate
from planner.engine.solve import InfeasibleError, solve
from planner.problem.results import SolveOptions
from tests.planner.engine.builders import D, assignment, cover, instance, person, scenario

ROLES = ("a", "b", "c")
SHIFTS = ("D", "N")
# Starts chosen for their calendars: an ordinary week, a month boundary with a weekend, and
# National Day (statutory holidays 10-01..03, adjusted days off, a month boundary on 09-30).
STARTS = (D(2026, 12, 1), D(2026, 11, 27), D(2026, 9, 29))


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    n_roles = draw(st.integers(1, 3))
    roles = ROLES[:n_roles]
    n_people = draw(st.integers(max(2, n_roles), 4))
    days = draw(st.integers(3, 7))
    start = draw(st.sampled_from(STARTS))
    dates = [start + dt.timedelta(days=i) for i in range(days)]

    staff = []
    for i in range(n_people):
        pid = f"P{i + 1}"
        # Every role is someone's primary role (the loader refuses a role nobody can fill).
        primary = roles[i] if i < n_roles else draw(st.sampled_from(roles))
        others = [r for r in roles if r != primary]
        skills = draw(st.lists(st.sampled_from(others), unique=True, max_size=len(others))) if others else []
        rules: dict[str, Any] = {}
        if draw(st.booleans()):
            rules["min_rest_hours"] = draw(st.sampled_from([0, 8, 12, 16]))
        if draw(st.booleans()):
            rules["max_consecutive_days"] = draw(st.integers(1, 6))
        if draw(st.booleans()):
            rules["overtime_cap"] = "hard"
        extra: dict[str, Any] = {"rules": rules} if rules else {}
        if draw(st.integers(0, 5)) == 0:
            extra["start_date"] = draw(st.sampled_from(dates))
        staff.append(person(pid, primary, skills, **extra))
    ids = [p["id"] for p in staff]

    coverage = []
    for role in roles:
        for shift in SHIFTS:
            low = draw(st.integers(0, 2))
            if low or draw(st.booleans()):
                top = draw(st.one_of(st.none(), st.integers(low, low + 1)))
                coverage.append(
                    cover(role, shift, low, draw(st.sampled_from(["all", "workday", "offday"])), top)
                )

    absences = []
    for _ in range(draw(st.integers(0, 2))):
        first = draw(st.integers(0, days - 1))
        last = draw(st.integers(first, days - 1))
        absences.append({"staff": draw(st.sampled_from(ids)), "start": dates[first], "end": dates[last]})

    def absent(pid: str, date: dt.date) -> bool:
        return any(a["staff"] == pid and a["start"] <= date <= a["end"] for a in absences)

    requests = [
        {
            "staff": draw(st.sampled_from(ids)),
            "date": draw(st.sampled_from(dates)),
            "shift": draw(st.sampled_from(["any", *SHIFTS])),
            "want": draw(st.sampled_from(["on", "off"])),
            "weight": draw(st.integers(0, 3)),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]

    fixed, pinned = [], set()
    for _ in range(draw(st.integers(0, 3))):
        pid, date = draw(st.sampled_from(ids)), draw(st.sampled_from(dates))
        shift = draw(st.sampled_from(["off", *SHIFTS]))
        by_id = {p["id"]: p for p in staff}
        employed = "start_date" not in by_id[pid] or date.isoformat() >= by_id[pid]["start_date"]
        # The loader refuses two pins on one day and a working pin when the person is not there.
        if (pid, date) in pinned or (shift != "off" and (absent(pid, date) or not employed)):
            continue
        pinned.add((pid, date))
        fixed.append({"staff": pid, "date": date, "shift": shift})

    history = [
        assignment(start - dt.timedelta(days=k), draw(st.sampled_from(SHIFTS)), pid, by_role)
        for pid, by_role in ((p["id"], p["role"]) for p in staff)
        for k in range(1, 7)
        if draw(st.integers(0, 3)) == 0
    ]
    data = scenario(staff, coverage, roles=list(roles), absences=absences, requests=requests, fixed=fixed)
    return {"data": data, "days": days, "start": start, "history": history, "decompose": draw(st.booleans())}


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=cases())
def test_every_returned_roster_is_valid_and_scored_alike(case):
    inst = instance(case["data"], days=case["days"], start=case["start"], history=case["history"])
    options = SolveOptions(time_limit=2, workers=1, seed=0, decompose=case["decompose"])
    try:
        result = solve(inst, options)
    except InfeasibleError:
        event("infeasible")
        # Only a pin that forces work can make the hard rules infeasible.
        assert any(f.shift != "off" for f in inst.scenario.fixed)
        return
    event("proven" if result.proven else "not proven")
    report = validate(inst, result.roster)
    assert report.ok, [v.message for v in report.violations]
    scored = score(inst, result.roster).level_values()
    for lv in result.levels:
        if lv.value is not None:
            assert result.level(lv.name).value == pytest.approx(scored[lv.name]), lv.name
        if lv.status == "OPTIMAL":
            assert lv.value == lv.bound, lv.name
    for pin in inst.scenario.fixed:
        worked = {
            a.shift for a in result.roster.assignments if a.staff_id == pin.staff and a.date == pin.date
        }
        assert worked == (set() if pin.shift == "off" else {pin.shift})
    if result.proven:
        # Decomposition is exact: solved the other way, proven levels have the same values.
        other = solve(inst, SolveOptions(time_limit=2, workers=1, seed=0, decompose=not case["decompose"]))
        if other.proven:
            assert {lv.name: lv.value for lv in other.levels} == {lv.name: lv.value for lv in result.levels}
