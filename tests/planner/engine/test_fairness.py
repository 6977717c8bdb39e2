"""Objective level 5 (fairness): per role, the spread (max − min) of nights, off-day shifts and holiday
shifts over the role's primary people, each count prorated by horizon days / employed days."""

from __future__ import annotations

from planner.check.score import fairness_spreads
from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import (
    NATIONAL_DAY,
    cover,
    day,
    feasibility,
    instance,
    minimise,
    person,
    scenario,
    var,
)

ABOVE = ("coverage", "overtime", "substitutes", "requests")


def test_trivial_unpenalized_two_nights_two_people():
    """N required on 2 workdays, two people: one night each (N→N is too little rest anyway), 0."""
    data = scenario([person("P1"), person("P2")], [cover("a", "N")])
    out = minimise(
        RosterModel(instance(data, days=2), only={"fairness", "coverage"}), "fairness", above=ABOVE
    )
    assert out.proven and out.value == 0


def test_feasible_penalized_three_nights_two_people():
    """N required on 3 workdays: split 2 / 1, nights spread 1, no off-days: 1.0."""
    data = scenario([person("P1"), person("P2")], [cover("a", "N")])
    # rest too: no N→N forces the 2 / 1 split of three nights (else 2 + 2, over-covering, is even).
    rm = RosterModel(instance(data, days=3), only={"fairness", "coverage", "rest"})
    out = minimise(rm, "fairness", above=ABOVE)
    assert out.proven and out.value == 1


def test_feasible_holidays_with_overtime_held():
    """National Day 10-01..03 (statutory holidays), D required daily, two people.

    With overtime held (cap floor(36 × 3 / 31) = 3 h, no standard time), nobody works an extra
    shift: split 2 / 1, so off-day spread 1 and holiday spread 1: 2.0. Holding coverage only, extra
    shifts may even the counts out (both work 2 D): 0.
    """
    data = scenario([person("P1"), person("P2")], [cover("a", "D")])
    inst = instance(data, days=3, start=NATIONAL_DAY)
    assert [inst.kind(d) for d in inst.dates] == ["holiday"] * 3
    only = {"fairness", "coverage", "overtime"}  # overtime: the level the test holds
    rm = RosterModel(inst, only=only)
    out = minimise(rm, "fairness", above=ABOVE)
    assert out.proven and out.value == 2
    spreads = fairness_spreads(inst, rm.v.extract(out.solver).assignments)
    assert {k: v for (_, k), v in spreads.items()} == {
        "nights": 0,
        "offday_shifts": 1000,
        "holiday_shifts": 1000,
    }
    loose_rm = RosterModel(instance(data, days=3, start=NATIONAL_DAY), only=only)
    loose = minimise(loose_rm, "fairness", above=("coverage",))
    assert loose.proven and loose.value == 0


def test_feasible_prorated_counts_even_out():
    """4 days, N daily; P2 starts on day 3 (weight 4/2 = 2). P1 can do 2 nights, P2 1: short 1.

    Raw nights 2 and 1, prorated 2 × 1 = 1 × 2: spread 0 (unprorated it would be 1).
    """
    data = scenario([person("P1"), person("P2", start_date="2026-12-03")], [cover("a", "N")])
    inst = instance(data, days=4)
    assert inst.fairness_weight("P2") == 2000
    # rest (no N→N) and availability (P2's start date) are what cap the nights at 2 and 1.
    rm = RosterModel(inst, only={"fairness", "coverage", "rest", "availability"})
    out = minimise(rm, "fairness", above=ABOVE)
    assert out.proven and out.value == 0
    roster = rm.v.extract(out.solver)
    nights = {p: sum(a.staff_id == p and a.shift == "N" for a in roster.assignments) for p in ("P1", "P2")}
    assert nights == {"P1": 2, "P2": 1}


def test_feasible_prorated_spread_with_a_late_starter():
    """3 days, N daily; P2 starts on day 3 (weight 3). Coverage 1 at best (no N→N for P1).

    Options at coverage 1: P1 days 1+3 alone (2 vs 0: 2.0); P1 one night, P2 day 3 (1 vs 3: 2.0);
    P1 days 1+3 and P2 also day 3, over-covering (2 vs 3: 1.0). Best: 1.0.
    """
    data = scenario([person("P1"), person("P2", start_date="2026-12-03")], [cover("a", "N")])
    # rest (no N→N) and availability (P2's start date) are what leave coverage 1 and these options.
    rm = RosterModel(instance(data, days=3), only={"fairness", "coverage", "rest", "availability"})
    out = minimise(rm, "fairness", above=("coverage",))
    assert out.proven and out.value == 1


def test_infeasible_held_at_zero_with_three_nights():
    """Coverage held at 0 on three nights for two people and fairness held at 0: infeasible."""
    data = scenario([person("P1"), person("P2")], [cover("a", "N")])
    # rest too: no N→N forces the 2 / 1 split of three nights (else 2 + 2, over-covering, is even).
    rm = RosterModel(instance(data, days=3), only={"fairness", "coverage", "rest"})
    rm.model.add(rm.objective("coverage") == 0)
    assert feasibility(rm) == "OPTIMAL"
    rm.model.add(rm.objective("fairness") == 0)
    assert feasibility(rm) == "INFEASIBLE"


def test_only_primary_people_of_a_role_are_compared():
    """A lone a person with a b skill: no spread terms for a (one person) nor for b (no primary)."""
    data = scenario([person("P1", "a", ["b"])], [cover("b", "N")])
    assert RosterModel(instance(data, days=3), only={"fairness"}).objective("fairness") is None


def test_the_fairness_family_alone_is_what_counts_an_uneven_split():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, counts one night for P1 and none for P2."""
    inst = instance(scenario([person("P1"), person("P2")]))
    rm = RosterModel(inst, only={"fairness"})
    rm.model.add(var(rm, "P1", day(1), "N") == 1)
    rm.v.fix_off("P2", day(1))
    assert minimise(rm, "fairness").value == 1
    for only in (set(), FAMILIES - {"fairness"}):
        assert RosterModel(inst, only=only).objective("fairness") is None, sorted(only)
