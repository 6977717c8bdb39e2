"""Hard rule 6 (fixed): a pinned shift is worked (in any of the person's skills); `off` is a day off."""

from __future__ import annotations

from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import cover, day, feasibility, instance, minimise, person, scenario, var


def pin(staff: str, n: int, shift: str) -> dict:
    return {"staff": staff, "date": day(n).isoformat(), "shift": shift}


def test_trivial_pins_hold_and_cost_nothing():
    """P1 pinned to D on day 1 and off on day 2; P2 covers day 2. Nothing short, both pins hold."""
    data = scenario(
        [person("P1"), person("P2")], [cover("a", "D")], fixed=[pin("P1", 1, "D"), pin("P1", 2, "off")]
    )
    rm = RosterModel(instance(data, days=2), only={"fixed", "coverage"})
    out = minimise(rm, "coverage")
    assert out.proven and out.value == 0
    assert out.solver.value(var(rm, "P1", day(1), "D")) == 1
    assert sum(out.solver.value(v) for v in rm.v.works("P1", day(2))) == 0


def test_infeasible_pinned_shift_forbidden_by_one_fix():
    """Pinned D on day 1 plus one fix saying P1 does not work D that day: infeasible."""
    rm = RosterModel(instance(scenario([person("P1")], fixed=[pin("P1", 1, "D")])), only={"fixed"})
    assert feasibility(rm) == "OPTIMAL"
    rm.model.add(var(rm, "P1", day(1), "D") == 0)
    assert feasibility(rm) == "INFEASIBLE"


def test_infeasible_pinned_day_off_with_one_fix():
    """Pinned off on day 1 plus one fix putting P1 on N that day: infeasible."""
    rm = RosterModel(instance(scenario([person("P1")], fixed=[pin("P1", 1, "off")])), only={"fixed"})
    rm.model.add(var(rm, "P1", day(1), "N") == 1)
    assert feasibility(rm) == "INFEASIBLE"


def test_infeasible_pin_on_a_shift_that_does_not_exist_that_day():
    """A workday-only shift W pinned on Saturday 12-05: no fix needed, the pin alone is infeasible."""
    data = scenario([person("P1")], fixed=[pin("P1", 5, "W")])
    data["shifts"] = [
        *data["shifts"],
        {"id": "W", "name": "早班", "start": "06:00", "end": "14:00", "paid_hours": 8, "days": "workday"},
    ]
    assert feasibility(RosterModel(instance(data, days=5), only={"fixed"})) == "INFEASIBLE"
    ok = {**data, "fixed": [pin("P1", 4, "W")]}  # Friday
    assert feasibility(RosterModel(instance(ok, days=5), only={"fixed"})) == "OPTIMAL"


def test_infeasible_two_pins_closer_than_the_rest():
    """Pins N on day 1 and D on day 2 leave 0 h of rest: infeasible with no fix at all."""
    data = scenario([person("P1")], fixed=[pin("P1", 1, "N"), pin("P1", 2, "D")])
    # rest too: it is the rule the two pins break together.
    assert feasibility(RosterModel(instance(data, days=2), only={"fixed", "rest"})) == "INFEASIBLE"


def test_pins_outside_the_horizon_are_ignored():
    """A pin on day 5 with a 2-day horizon binds nothing (an otherwise infeasible pair stays feasible)."""
    data = scenario([person("P1")], fixed=[pin("P1", 2, "N"), pin("P1", 3, "D")])
    # rest too: it is what would make the pair infeasible if the day-3 pin were binding.
    assert feasibility(RosterModel(instance(data, days=2), only={"fixed", "rest"})) == "OPTIMAL"


def test_feasible_pinned_night_costs_two_day_shifts():
    """One person, D required on 2 days: free 0 short; pinned off day 1: 1; pinned N day 1: 2."""
    for fixed, short in (([], 0), ([pin("P1", 1, "off")], 1), ([pin("P1", 1, "N")], 2)):
        data = scenario([person("P1")], [cover("a", "D")], fixed=fixed)
        # A pinned N costs day 1's D through one_shift_per_day and day 2's D through rest.
        rm = RosterModel(instance(data, days=2), only={"fixed", "one_shift_per_day", "rest", "coverage"})
        out = minimise(rm, "coverage")
        assert out.proven and out.value == short, fixed


def test_feasible_pinned_shift_may_cover_any_skill():
    """P1 (a, skill b) pinned to D while only b needs D: the pin covers b, nothing short."""
    data = scenario([person("P1", "a", ["b"])], [cover("b", "D")], fixed=[pin("P1", 1, "D")])
    out = minimise(RosterModel(instance(data), only={"fixed", "coverage"}), "coverage")
    assert out.proven and out.value == 0


def test_the_fixed_family_alone_is_what_forbids_it():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, refuses a shift on a day pinned off."""
    inst = instance(scenario([person("P1")], fixed=[{"staff": "P1", "date": day(1), "shift": "off"}]), days=1)
    # Alone it forbids the pattern; the bare variables, and every other family together, allow it.
    cases = (({"fixed"}, "INFEASIBLE"), (set(), "OPTIMAL"), (FAMILIES - {"fixed"}, "OPTIMAL"))
    for only, expected in cases:
        rm = RosterModel(inst, only=only)
        for staff, date, shift in [("P1", day(1), "D")]:
            rm.model.add(var(rm, staff, date, shift) == 1)
        assert feasibility(rm) == expected, sorted(only)
