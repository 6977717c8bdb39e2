"""Objective level 5 (fairness): per role, the spread (max − min) of nights, off-day shifts and holiday
shifts over the role's primary people, each count prorated by horizon days / employed days."""

from __future__ import annotations

from planner.check.score import fairness_spreads
from planner.engine.model import RosterModel
from tests.planner.engine.builders import (
    NATIONAL_DAY,
    cover,
    feasibility,
    instance,
    minimise,
    person,
    scenario,
)

ABOVE = ("coverage", "overtime", "substitutes", "requests")


def test_trivial_unpenalized_two_nights_two_people():
    """N required on 2 workdays, two people: one night each (N→N is too little rest anyway), 0."""
    data = scenario([person("P1"), person("P2")], [cover("a", "N")])
    out = minimise(RosterModel(instance(data, days=2)), "fairness", above=ABOVE)
    assert out.proven and out.value == 0


def test_feasible_penalized_three_nights_two_people():
    """N required on 3 workdays: split 2 / 1, nights spread 1, no off-days: 1.0."""
    data = scenario([person("P1"), person("P2")], [cover("a", "N")])
    out = minimise(RosterModel(instance(data, days=3)), "fairness", above=ABOVE)
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
    rm = RosterModel(inst)
    out = minimise(rm, "fairness", above=ABOVE)
    assert out.proven and out.value == 2
    spreads = fairness_spreads(inst, rm.v.extract(out.solver).assignments)
    assert {k: v for (_, k), v in spreads.items()} == {
        "nights": 0,
        "offday_shifts": 1000,
        "holiday_shifts": 1000,
    }
    loose = minimise(RosterModel(instance(data, days=3, start=NATIONAL_DAY)), "fairness", above=("coverage",))
    assert loose.proven and loose.value == 0


def test_feasible_prorated_counts_even_out():
    """4 days, N daily; P2 starts on day 3 (weight 4/2 = 2). P1 can do 2 nights, P2 1: short 1.

    Raw nights 2 and 1, prorated 2 × 1 = 1 × 2: spread 0 (unprorated it would be 1).
    """
    data = scenario([person("P1"), person("P2", start_date="2026-12-03")], [cover("a", "N")])
    inst = instance(data, days=4)
    assert inst.fairness_weight("P2") == 2000
    rm = RosterModel(inst)
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
    out = minimise(RosterModel(instance(data, days=3)), "fairness", above=("coverage",))
    assert out.proven and out.value == 1


def test_infeasible_held_at_zero_with_three_nights():
    """Coverage held at 0 on three nights for two people and fairness held at 0: infeasible."""
    data = scenario([person("P1"), person("P2")], [cover("a", "N")])
    rm = RosterModel(instance(data, days=3))
    rm.model.add(rm.objective("coverage") == 0)
    assert feasibility(rm) == "OPTIMAL"
    rm.model.add(rm.objective("fairness") == 0)
    assert feasibility(rm) == "INFEASIBLE"


def test_only_primary_people_of_a_role_are_compared():
    """A lone a person with a b skill: no spread terms for a (one person) nor for b (no primary)."""
    data = scenario([person("P1", "a", ["b"])], [cover("b", "N")])
    assert RosterModel(instance(data, days=3)).objective("fairness") is None
