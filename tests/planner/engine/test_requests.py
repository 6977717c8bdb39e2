"""Objective level 4 (requests): the weight of unmet requests (a shift or day wanted on or off)."""

from __future__ import annotations

from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import day, feasibility, instance, minimise, person, scenario, var


def req(n: int, want: str, shift: str = "any", weight: int = 1, staff: str = "P1") -> dict:
    return {"staff": staff, "date": day(n).isoformat(), "shift": shift, "want": want, "weight": weight}


def pin(n: int, shift: str, staff: str = "P1") -> dict:
    return {"staff": staff, "date": day(n).isoformat(), "shift": shift}


def test_trivial_unpenalized_compatible_requests():
    """D wanted on day 1 (D→N next day rests 24 h), N wanted on day 2, day 3 off: all met, 0."""
    data = scenario([person("P1")], requests=[req(1, "on", "D", 2), req(2, "on", "N", 3), req(3, "off")])
    out = minimise(RosterModel(instance(data, days=3), only={"requests"}), "requests")
    assert out.proven and out.value == 0


def test_feasible_penalized_requests_clashing_with_rest():
    """N wanted on day 1 (weight 2) and D on day 2 (weight 5): the rest rule drops the lighter, 2."""
    data = scenario([person("P1")], requests=[req(1, "on", "N", 2), req(2, "on", "D", 5)])
    out = minimise(
        RosterModel(instance(data, days=2), only={"requests", "rest"}), "requests"
    )  # the clash is rest's
    assert out.proven and out.value == 2


def test_feasible_penalized_request_against_a_pin():
    """Day 1 off wanted (weight 3) but D pinned: 3. Only N off wanted (weight 4): met by working D, 0."""
    for wish, unmet in ((req(1, "off", "any", 3), 3), (req(1, "off", "N", 4), 0)):
        data = scenario([person("P1")], requests=[wish], fixed=[pin(1, "D")])
        out = minimise(RosterModel(instance(data), only={"requests", "fixed"}), "requests")  # fixed: the pin
        assert out.proven and out.value == unmet, wish


def test_feasible_each_request_counts_even_if_repeated():
    """The same off request twice, against a pin: both unmet, 1 + 1 = 2."""
    data = scenario([person("P1")], requests=[req(1, "off"), req(1, "off")], fixed=[pin(1, "N")])
    out = minimise(RosterModel(instance(data), only={"requests", "fixed"}), "requests")  # fixed: the pin
    assert out.proven and out.value == 2


def test_requests_outside_the_horizon_or_of_weight_zero_add_no_terms():
    """A request on day 3 with a 2-day horizon and a weight-0 request give the level no terms."""
    data = scenario([person("P1")], requests=[req(3, "on"), req(1, "off", weight=0)], fixed=[pin(1, "D")])
    rm = RosterModel(instance(data, days=2), only={"requests"})
    assert rm.objective("requests") is None


def test_infeasible_held_at_zero_with_two_clashing_requests():
    """N on day 1 and D on day 2 both wanted, level held at 0: infeasible. Either alone is fine."""
    for wishes, expected in (
        ([req(1, "on", "N")], "OPTIMAL"),
        ([req(2, "on", "D")], "OPTIMAL"),
        ([req(1, "on", "N"), req(2, "on", "D")], "INFEASIBLE"),
    ):
        # rest too: it is what makes the two wishes clash.
        rm = RosterModel(
            instance(scenario([person("P1")], requests=wishes), days=2), only={"requests", "rest"}
        )
        rm.model.add(rm.objective("requests") == 0)
        assert feasibility(rm) == expected, wishes


def test_infeasible_one_fix_against_an_off_request_held_at_zero():
    """Day 1 off wanted, level held at 0, one fix putting P1 on D: infeasible."""
    rm = RosterModel(instance(scenario([person("P1")], requests=[req(1, "off")])), only={"requests"})
    rm.model.add(rm.objective("requests") == 0)
    assert feasibility(rm) == "OPTIMAL"
    rm.model.add(var(rm, "P1", day(1), "D") == 1)
    assert feasibility(rm) == "INFEASIBLE"


def test_the_requests_family_alone_is_what_counts_an_unmet_request():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, counts a day off wanted and not given."""
    inst = instance(scenario([person("P1")], requests=[req(1, "off")]))
    rm = RosterModel(inst, only={"requests"})
    rm.model.add(var(rm, "P1", day(1), "D") == 1)
    assert minimise(rm, "requests").value == 1
    for only in (set(), FAMILIES - {"requests"}):
        assert RosterModel(inst, only=only).objective("requests") is None, sorted(only)
