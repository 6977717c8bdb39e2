"""Hard rule 4 (rest): at least `min_rest_hours` from the end of a shift to the next start.

With D 08-16 and N 16-08 and the default 12 h: N on day d ends d+1 08:00, so D on d+1 gets 0 h
and N on d+1 gets 8 h; D on d then D or N on d+1 gets 16 h or 24 h.
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


def test_trivial_day_shifts_every_day_leave_16_hours():
    """One person, D required on 3 days: D→D rests 16 h, so nothing is short."""
    inst = instance(scenario([person("P1")], [cover("a", "D")]), days=3)
    out = minimise(RosterModel(inst, only={"rest", "coverage"}), "coverage")
    assert out.proven and out.value == 0


@pytest.mark.parametrize(
    ("rest", "first", "second", "expected"),
    [
        (12, ("N", 1), ("D", 2), "INFEASIBLE"),  # 0 h
        (12, ("N", 1), ("N", 2), "INFEASIBLE"),  # 8 h
        (12, ("D", 1), ("N", 2), "OPTIMAL"),  # 24 h
        (12, ("D", 1), ("D", 2), "OPTIMAL"),  # 16 h
        (12, ("N", 1), ("D", 3), "OPTIMAL"),  # 24 h
        (8, ("N", 1), ("N", 2), "OPTIMAL"),  # exactly 8 h is enough
        (8, ("N", 1), ("D", 2), "INFEASIBLE"),
        (0, ("N", 1), ("D", 2), "OPTIMAL"),  # back to back, allowed by a 0 h rule
        (16, ("D", 1), ("D", 2), "OPTIMAL"),  # exactly 16 h
        (17, ("D", 1), ("D", 2), "INFEASIBLE"),
        (40, ("N", 1), ("N", 3), "INFEASIBLE"),  # 32 h, two days apart
        (40, ("D", 1), ("N", 3), "OPTIMAL"),  # 48 h
    ],
)
@pytest.mark.parametrize("plain", [False, True], ids=["clique", "pairwise"])
def test_infeasible_two_fixes_closer_than_the_rest(rest, first, second, expected, plain):
    """Two fixed shifts of one person (per-person `min_rest_hours`): infeasible exactly when too close.

    Both encodings (the clique model and the benchmark's plain pairwise one) must agree.
    """
    data = scenario([person("P1", rules={"min_rest_hours": rest})])
    rm = RosterModel(instance(data, days=3), plain=plain, only={"rest"})
    for shift, n in (first, second):
        rm.model.add(var(rm, "P1", day(n), shift) == 1)
    assert feasibility(rm) == expected


@pytest.mark.parametrize(("past_shift", "expected"), [("N", "INFEASIBLE"), ("D", "OPTIMAL")])
@pytest.mark.parametrize("plain", [False, True], ids=["clique", "pairwise"])
def test_infeasible_history_night_forbids_the_first_morning(past_shift, expected, plain):
    """History: a night on the eve of the horizon leaves 0 h before D on day 1; a day shift leaves 16 h."""
    inst = instance(scenario([person("P1")]), days=2, history=[assignment(day(0), past_shift, "P1")])
    rm = RosterModel(inst, plain=plain, only={"rest"})
    rm.model.add(var(rm, "P1", day(1), "D") == 1)
    assert feasibility(rm) == expected


@pytest.mark.parametrize(("days", "short"), [(2, 1), (3, 1), (4, 2), (5, 2)])
def test_feasible_one_person_nights_every_other_day(days, short):
    """One person, N required daily: N→N rests only 8 h, so at most every other night: floor(n/2) short."""
    data = scenario([person("P1")], [cover("a", "N")])
    out = minimise(RosterModel(instance(data, days=days), only={"rest", "coverage"}), "coverage")
    assert out.proven and out.value == short


def test_feasible_shorter_rest_lets_nights_run():
    """With `min_rest_hours: 8` for that person, N→N is allowed: 5 nights in a row, nothing short."""
    data = scenario([person("P1", rules={"min_rest_hours": 8})], [cover("a", "N")])
    out = minimise(RosterModel(instance(data, days=5), only={"rest", "coverage"}), "coverage")
    assert out.proven and out.value == 0


@pytest.mark.parametrize("days", [1, 3, 6])
def test_feasible_one_person_day_and_night_required(days):
    """One person, D and N required daily (n ≤ 6 days): one shift a day at best, so exactly n short."""
    data = scenario([person("P1")], [cover("a", "D"), cover("a", "N")])
    # one_shift_per_day too: rest never compares two shifts of one date, and without it D and N
    # (16:00 end, 16:00 start) could both be worked on day 1.
    rm = RosterModel(instance(data, days=days), only={"rest", "one_shift_per_day", "coverage"})
    out = minimise(rm, "coverage")
    assert out.proven and out.value == days


def test_feasible_history_night_costs_the_first_day():
    """History N on the eve: one person, D required for 3 days, day 1 is lost (short 1, not 0)."""
    data = scenario([person("P1")], [cover("a", "D")])
    with_night = instance(data, days=3, history=[assignment(day(0), "N", "P1")])
    with_day = instance(data, days=3, history=[assignment(day(0), "D", "P1")])
    only = {"rest", "coverage"}
    assert minimise(RosterModel(with_night, only=only), "coverage").value == 1
    assert minimise(RosterModel(with_day, only=only), "coverage").value == 0


def test_the_rest_family_alone_is_what_forbids_it():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, refuses a day shift the morning a night ends."""
    inst = instance(scenario([person("P1")]), days=2)
    # Alone it forbids the pattern; the bare variables, and every other family together, allow it.
    cases = (({"rest"}, "INFEASIBLE"), (set(), "OPTIMAL"), (FAMILIES - {"rest"}, "OPTIMAL"))
    for only, expected in cases:
        rm = RosterModel(inst, only=only)
        for staff, date, shift in [("P1", day(1), "N"), ("P1", day(2), "D")]:
            rm.model.add(var(rm, staff, date, shift) == 1)
        assert feasibility(rm) == expected, sorted(only)
