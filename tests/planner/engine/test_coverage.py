"""Objective level 1 and hard rule 7 (coverage): Σ shortfall × role weight, and `max` as a bound.

required = the largest matching `min` plus active surges; shortfall = max(0, required − covered).
"""

from __future__ import annotations

import pytest

from planner.check.score import score
from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import (
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


def test_trivial_unpenalized_two_people_cover_every_day():
    """Two people, D required on 3 days: value 0, proven."""
    out = minimise(
        RosterModel(
            instance(scenario([person("P1"), person("P2")], [cover("a", "D")]), days=3), only={"coverage"}
        ),
        "coverage",
    )
    assert out.status == "OPTIMAL" and out.value == out.bound == 0


def test_infeasible_max_broken_by_two_fixes():
    """`max: 1` on D: two people fixed on D the same day is infeasible; one is fine."""
    data = scenario([person("P1"), person("P2")], [cover("a", "D", min=0, max=1)])
    rm = RosterModel(instance(data), only={"coverage"})
    rm.model.add(var(rm, "P1", day(1), "D") == 1)
    assert feasibility(rm) == "OPTIMAL"
    rm.model.add(var(rm, "P2", day(1), "D") == 1)
    assert feasibility(rm) == "INFEASIBLE"


def test_infeasible_max_zero_counts_substitutes_too():
    """`max: 0` on b's D: one fix putting P1 (a, skill b) there is infeasible."""
    data = scenario([person("P1", "a", ["b"])], [cover("b", "D", min=0, max=0)])
    rm = RosterModel(instance(data), only={"coverage"})
    rm.model.add(var(rm, "P1", day(1), "D", "b") == 1)
    assert feasibility(rm) == "INFEASIBLE"


def test_infeasible_proven_bound_cannot_be_beaten():
    """One person, D and N required for 3 days: the optimum 3 is a bound; asking for 2 is infeasible."""
    inst = instance(scenario([person("P1")], [cover("a", "D"), cover("a", "N")]), days=3)
    # one_shift_per_day too: it is what makes 3 (one shift a day) the optimum.
    rm = RosterModel(inst, only={"coverage", "one_shift_per_day"})
    rm.model.add(rm.objective("coverage") <= 2)
    assert feasibility(rm) == "INFEASIBLE"


def test_feasible_penalized_by_role_weight():
    """a needs 2 on D (weight 3), b needs 1 (weight 1); one a person, one b person: short 1 × 3."""
    data = scenario(
        [person("P1", "a"), person("P2", "b")],
        [cover("a", "D", min=2), cover("b", "D")],
        weights={"a": 3, "b": 1},
    )
    out = minimise(RosterModel(instance(data), only={"coverage"}), "coverage")
    assert out.proven and out.value == 3


def test_feasible_weight_decides_which_role_a_multi_skilled_person_covers():
    """P1 has a (weight 1) and b (weight 4); both need D, P1 is alone: covering b leaves 1, not 4."""
    data = scenario([person("P1", "a", ["b"])], [cover("a", "D"), cover("b", "D")], weights={"a": 1, "b": 4})
    # one_shift_per_day too: without it one person could cover both roles (or shifts) at once.
    rm = RosterModel(instance(data), only={"coverage", "one_shift_per_day"})
    out = minimise(rm, "coverage")
    assert out.proven and out.value == 1
    assert out.solver.value(var(rm, "P1", day(1), "D", "b")) == 1


def test_feasible_largest_matching_min_not_the_sum():
    """`min 1` on all days, `min 2` on workdays: Fri 12-04 needs 2, Sat 12-05 needs 1. One person: 1 short."""
    data = scenario(
        [person("P1")], [cover("a", "D", min=1, days="all"), cover("a", "D", min=2, days="workday")]
    )
    inst = instance(data, days=2, start=day(4))
    assert [s.required for s in inst.slots] == [2, 1]
    out = minimise(RosterModel(inst, only={"coverage"}), "coverage")
    assert out.proven and out.value == 1


def test_feasible_surge_adds_to_the_minimum():
    """A surge adds 1 on D on day 2 only: one person, D min 1 for 3 days, short exactly 1."""
    surge = {"name": "汛期", "start": day(2), "end": day(2), "add": [{"role": "a", "shift": "D", "count": 1}]}
    data = scenario([person("P1")], [cover("a", "D")], surges=[surge])
    out = minimise(RosterModel(instance(data, days=3), only={"coverage"}), "coverage")
    assert out.proven and out.value == 1


@pytest.mark.parametrize("who", [(), ("P1", "P2", "P3")], ids=["nobody", "everybody"])
def test_shortfall_is_exact_away_from_the_optimum(who):
    """Pin D for a set of people: the level's value equals the scorer's, never negative for over-cover.

    Nobody working: Σ required × weight = 3 days × (1 × 2 + 1 × 1) = 9. Everybody on D: a is
    covered (over-covered if P1 takes a too) and b's nights stay short: 3 × 1 = 3.
    """
    data = scenario(
        [person("P1", "a", ["b"]), person("P2", "a"), person("P3", "b")],
        [cover("a", "D"), cover("b", "N")],
        weights={"a": 2, "b": 1},
    )
    inst = instance(data, days=3)
    # one_shift_per_day too: it keeps the people pinned to D off the b nights.
    rm = RosterModel(inst, only={"coverage", "one_shift_per_day"})
    for n in range(1, 4):
        for p in ("P1", "P2", "P3"):
            if p in who:
                rm.model.add(sum(rm.v.on_shift(p, day(n), "D")) == 1)
            else:
                rm.v.fix_off(p, day(n))
    out = minimise(rm, "coverage")
    assert out.proven
    roster = rm.v.extract(out.solver)
    assert out.value == level_value(rm, "coverage", out.solver) == score(inst, roster).coverage
    assert out.value == (9 if not who else 3)


def test_the_coverage_family_alone_is_what_bounds_and_counts_the_slots():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, refuses a second person on a `max: 1` shift, and
    counts the slot left empty."""
    inst = instance(scenario([person("P1"), person("P2")], [cover("a", "D", max=1)]))
    cases = (({"coverage"}, "INFEASIBLE"), (set(), "OPTIMAL"), (FAMILIES - {"coverage"}, "OPTIMAL"))
    for only, expected in cases:
        rm = RosterModel(inst, only=only)
        for staff in ("P1", "P2"):
            rm.model.add(var(rm, staff, day(1), "D") == 1)
        assert feasibility(rm) == expected, sorted(only)
    rm = RosterModel(inst, only={"coverage"})
    for staff in ("P1", "P2"):
        rm.v.fix_off(staff, day(1))
    assert minimise(rm, "coverage").value == 1
    assert RosterModel(inst, only=FAMILIES - {"coverage"}).objective("coverage") is None
