"""Hard rule 5 (consecutive_days): no more than `max_consecutive_days` dates in a row with a shift.

The default 6 is 劳动法 38 (one rest day in any 7). History before the horizon counts.
"""

from __future__ import annotations

import pytest

from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import (
    assignment,
    cover,
    day,
    feasibility,
    instance,
    minimise,
    person,
    scenario,
    var,
)


def test_trivial_six_days_in_a_row_are_allowed():
    """One person, D required on 6 days: all covered."""
    inst = instance(scenario([person("P1")], [cover("a", "D")]), days=6)
    out = minimise(RosterModel(inst, only={"consecutive_days", "coverage"}), "coverage")
    assert out.proven and out.value == 0


@pytest.mark.parametrize(
    ("limit", "run", "expected"),
    [(6, 6, "OPTIMAL"), (6, 7, "INFEASIBLE"), (2, 2, "OPTIMAL"), (2, 3, "INFEASIBLE")],
)
def test_infeasible_a_fixed_run_one_day_too_long(limit, run, expected):
    """Fix D on `run` consecutive days (per-person `max_consecutive_days`): infeasible iff run > limit."""
    data = scenario([person("P1", rules={"max_consecutive_days": limit})])
    rm = RosterModel(instance(data, days=8), only={"consecutive_days"})
    for n in range(2, 2 + run):
        rm.model.add(var(rm, "P1", day(n), "D") == 1)
    assert feasibility(rm) == expected


def test_infeasible_a_non_consecutive_pattern_is_fine():
    """Limit 2: days 1, 2, 4, 5 (a gap on day 3) is fine; adding day 3 is not."""
    data = scenario([person("P1", rules={"max_consecutive_days": 2})])
    for days, expected in (((1, 2, 4, 5), "OPTIMAL"), ((1, 2, 3), "INFEASIBLE")):
        rm = RosterModel(instance(data, days=5), only={"consecutive_days"})
        for n in days:
            rm.model.add(var(rm, "P1", day(n), "D") == 1)
        assert feasibility(rm) == expected, days


@pytest.mark.parametrize(("history_days", "expected"), [(6, "INFEASIBLE"), (5, "OPTIMAL")])
def test_infeasible_history_run_reaches_into_the_horizon(history_days, expected):
    """History: D on the last 6 days before the horizon forbids day 1 (one fix); 5 days do not."""
    history = [assignment(day(1 - k), "D", "P1") for k in range(1, history_days + 1)]
    rm = RosterModel(instance(scenario([person("P1")]), days=3, history=history), only={"consecutive_days"})
    rm.model.add(var(rm, "P1", day(1), "D") == 1)
    assert feasibility(rm) == expected


def test_infeasible_history_with_a_gap_counts_only_the_run():
    """History D on days -5..-1 with day 0 off: the run is broken, so days 1..6 may all be worked."""
    history = [assignment(day(n), "D", "P1") for n in range(-5, 0)]
    rm = RosterModel(instance(scenario([person("P1")]), days=6, history=history), only={"consecutive_days"})
    for n in range(1, 7):
        rm.model.add(var(rm, "P1", day(n), "D") == 1)
    assert feasibility(rm) == "OPTIMAL"


@pytest.mark.parametrize(("limit", "days", "short"), [(6, 7, 1), (6, 14, 2), (2, 7, 2), (3, 8, 2)])
def test_feasible_one_person_every_day(limit, days, short):
    """One person, D required daily: at most `limit` of every limit+1 days, so the rest is short.

    7 days at limit 2 works at most 5 (WW-WW-W); 8 days at limit 3 at most 6 (WWW-WWW-).
    """
    data = scenario([person("P1", rules={"max_consecutive_days": limit})], [cover("a", "D")])
    out = minimise(RosterModel(instance(data, days=days), only={"consecutive_days", "coverage"}), "coverage")
    assert out.proven and out.value == short


def test_feasible_history_run_costs_the_first_day():
    """Limit 3, D on the 3 days before the horizon, D required on 4 days: day 1 is short, 2-4 are not."""
    history = [assignment(day(n), "D", "P1") for n in (-2, -1, 0)]
    data = scenario([person("P1", rules={"max_consecutive_days": 3})], [cover("a", "D")])
    rm = RosterModel(instance(data, days=4, history=history), only={"consecutive_days", "coverage"})
    out = minimise(rm, "coverage")
    assert out.proven and out.value == 1


def test_the_consecutive_days_family_alone_is_what_forbids_it():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, refuses seven day shifts in a row (at most 6)."""
    inst = instance(scenario([person("P1")]), days=7)
    # Alone it forbids the pattern; the bare variables, and every other family together, allow it.
    cases = (
        ({"consecutive_days"}, "INFEASIBLE"),
        (set(), "OPTIMAL"),
        (FAMILIES - {"consecutive_days"}, "OPTIMAL"),
    )
    for only, expected in cases:
        rm = RosterModel(inst, only=only)
        for staff, date, shift in [("P1", day(n), "D") for n in range(1, 8)]:
            rm.model.add(var(rm, staff, date, shift) == 1)
        assert feasibility(rm) == expected, sorted(only)
