"""Objective level 2 and hard rule 8 (overtime): hours beyond the legal monthly cap (劳动法 41).

Per person and month (the part in the horizon): excess = max(0, paid − standard − cap), where
standard = 8 h × workdays employed and not absent, cap = floor(36 h × days in horizon / days in month).
Week 12-01..12-07: 5 workdays (standard 40 h), cap floor(36 × 7 / 31) = 8 h, so 48 h are free.
"""

from __future__ import annotations

import pytest

from planner.check.score import score
from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import (
    SAT,
    cover,
    day,
    feasibility,
    instance,
    level_value,
    minimise,
    person,
    scenario,
    var,
)

LEVELS_ABOVE = ("coverage",)


def test_trivial_unpenalized_standard_week():
    """D on the 5 workdays only: 40 h, all standard time, no excess."""
    data = scenario([person("P1")], [cover("a", "D", days="workday")])
    out = minimise(
        RosterModel(instance(data, days=7), only={"overtime", "coverage"}), "overtime", above=LEVELS_ABOVE
    )
    assert out.proven and out.value == 0


def test_feasible_penalized_nights_beyond_the_cap():
    """N required daily for the week, one person: 4 nights (days 1, 3, 5, 7) = 64 h; 64 − 40 − 8 = 16 h."""
    # rest too: no N→N is what limits the week to 4 nights.
    rm = RosterModel(
        instance(scenario([person("P1")], [cover("a", "N")]), days=7), only={"overtime", "coverage", "rest"}
    )
    out = minimise(rm, "overtime", above=LEVELS_ABOVE)
    assert out.proven and out.value == 16
    assert level_value(rm, "coverage", out.solver) == 3


def test_feasible_absence_lowers_standard_time():
    """Absent Mon 12-07: standard 32 h. Nights possible on 3 of days 1-6 = 48 h; 48 − 32 − 8 = 8 h."""
    data = scenario(
        [person("P1")],
        [cover("a", "N")],
        absences=[{"staff": "P1", "start": day(7), "end": day(7), "kind": "annual"}],
    )
    # rest (no N→N) and availability (no night on the absent day) limit the nights to 3.
    rm = RosterModel(instance(data, days=7), only={"overtime", "coverage", "rest", "availability"})
    out = minimise(rm, "overtime", above=LEVELS_ABOVE)
    assert out.proven and out.value == 8
    assert level_value(rm, "coverage", out.solver) == 4


def test_feasible_each_month_on_its_own():
    """Horizon Sun 11-29 .. Wed 12-02, N pinned on 11-29.

    November part: 2 days, 1 workday (Mon 11-30), cap floor(36 × 2 / 30) = 2 h: 16 − 8 − 2 = 6 h.
    December part: no shift, 0 h. Pooling the months would hide the excess (16 < 24 standard h).
    """
    start = day(-1)
    data = scenario([person("P1")], fixed=[{"staff": "P1", "date": start.isoformat(), "shift": "N"}])
    inst = instance(data, days=4, start=start)
    assert [m.key for m in inst.months] == ["2026-11", "2026-12"]
    rm = RosterModel(inst, only={"overtime", "fixed"})  # fixed: the pinned night
    out = minimise(rm, "overtime")
    assert out.proven and out.value == 6
    assert out.value * 60 == score(inst, rm.v.extract(out.solver)).overtime_minutes


def test_infeasible_soft_cap_bound_is_proven():
    """The 16 h of the nights week is a bound: holding coverage, 15 h or less is infeasible."""
    # rest too: it makes 3 the coverage optimum held here, as in the nights week above.
    rm = RosterModel(
        instance(scenario([person("P1")], [cover("a", "N")]), days=7), only={"overtime", "coverage", "rest"}
    )
    minimise(rm, "coverage")
    rm.model.add(rm.objective("coverage") <= 3)
    rm.model.add(rm.objective("overtime") <= 15 * 60)
    assert feasibility(rm) == "INFEASIBLE"


@pytest.mark.parametrize(
    ("cap", "shift", "expected"),
    [("hard", "N", "INFEASIBLE"), ("hard", "D", "INFEASIBLE"), ("soft", "N", "OPTIMAL")],
)
def test_infeasible_hard_cap_one_fix(cap, shift, expected):
    """Horizon Sat 12-05 alone: standard 0, cap floor(36 / 31) = 1 h. A hard cap allows no shift at all."""
    data = scenario([person("P1", rules={"overtime_cap": cap})])
    rm = RosterModel(instance(data, start=SAT), only={"overtime"})
    rm.model.add(var(rm, "P1", SAT, shift) == 1)
    assert feasibility(rm) == expected


def test_feasible_soft_cap_one_fix_exact_excess():
    """Same Saturday with a soft cap: one N is 16 − 0 − 1 = 15 h over, one D 8 − 1 = 7 h."""
    for shift, hours in (("N", 15), ("D", 7)):
        rm = RosterModel(instance(scenario([person("P1")]), start=SAT), only={"overtime"})
        rm.model.add(var(rm, "P1", SAT, shift) == 1)
        out = minimise(rm, "overtime")
        assert out.proven and out.value == hours, shift


def test_feasible_hard_cap_costs_coverage_instead():
    """Hard cap on the nights week: at most 48 h = 3 nights, so 4 nights short; level 2 has no terms."""
    data = scenario([person("P1", rules={"overtime_cap": "hard"})], [cover("a", "N")])
    rm = RosterModel(instance(data, days=7), only={"overtime", "coverage"})
    assert rm.objective("overtime") is None
    out = minimise(rm, "coverage")
    assert out.proven and out.value == 4


def test_feasible_hard_and_soft_people_side_by_side():
    """P1 hard, P2 soft, N required daily for the week: 7 nights need 112 h.

    P1 takes 3 nights (48 h), P2 the other 4 (64 h, 16 h over): coverage 0, overtime 16 h.
    """
    data = scenario([person("P1", rules={"overtime_cap": "hard"}), person("P2")], [cover("a", "N")])
    out = minimise(
        RosterModel(instance(data, days=7), only={"overtime", "coverage"}), "overtime", above=LEVELS_ABOVE
    )
    assert out.proven and out.value == 16


def test_the_overtime_family_alone_is_what_caps_the_hours():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, refuses a shift beyond a hard cap, and counts
    the hours beyond a soft one."""
    hard = instance(scenario([person("P1", rules={"overtime_cap": "hard"})]), start=SAT)
    cases = (({"overtime"}, "INFEASIBLE"), (set(), "OPTIMAL"), (FAMILIES - {"overtime"}, "OPTIMAL"))
    for only, expected in cases:
        rm = RosterModel(hard, only=only)
        rm.model.add(var(rm, "P1", SAT, "D") == 1)
        assert feasibility(rm) == expected, sorted(only)
    soft = instance(scenario([person("P1")]), start=SAT)
    rm = RosterModel(soft, only={"overtime"})
    rm.model.add(var(rm, "P1", SAT, "N") == 1)
    assert minimise(rm, "overtime").value == 15
    assert RosterModel(soft, only=FAMILIES - {"overtime"}).objective("overtime") is None
