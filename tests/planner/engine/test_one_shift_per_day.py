"""Hard rule 1 (one_shift_per_day): at most one shift per person per date, in one role."""

from __future__ import annotations

import pytest

from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import cover, day, feasibility, instance, minimise, person, scenario, var


def test_trivial_two_people_cover_day_and_night_one_shift_each():
    """Two people, one day, D and N required: both covered, and nobody works twice."""
    inst = instance(scenario([person("P1"), person("P2")], [cover("a", "D"), cover("a", "N")]))
    rm = RosterModel(inst, only={"one_shift_per_day", "coverage"})
    out = minimise(rm, "coverage")
    assert out.proven and out.value == 0
    for p in ("P1", "P2"):
        assert sum(out.solver.value(v) for v in rm.v.works(p, day(1))) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [(("D", "a"), ("N", "a")), (("D", "a"), ("D", "b")), (("N", "a"), ("D", "b"))],
    ids=["day-and-night", "one-shift-two-roles", "night-and-day-other-role"],
)
def test_infeasible_two_cells_on_one_date(first, second):
    """Fixing two cells of one person on one date breaks the rule; either cell alone is fine."""
    data = scenario([person("P1", "a", ["b"])])
    for cells, expected in (((first,), "OPTIMAL"), ((second,), "OPTIMAL"), ((first, second), "INFEASIBLE")):
        rm = RosterModel(instance(data), only={"one_shift_per_day"})
        for shift, role in cells:
            rm.model.add(var(rm, "P1", day(1), shift, role) == 1)
        assert feasibility(rm) == expected, cells


def test_feasible_one_person_cannot_fill_two_roles_on_one_shift():
    """One person with skills a (weight 3) and b (weight 1), D needs both: b stays short, cost 1."""
    data = scenario([person("P1", "a", ["b"])], [cover("a", "D"), cover("b", "D")], weights={"a": 3, "b": 1})
    out = minimise(RosterModel(instance(data), only={"one_shift_per_day", "coverage"}), "coverage")
    assert out.proven and out.value == 1


def test_feasible_one_person_cannot_work_day_and_night():
    """One person, D and N required on one day: exactly one slot stays short."""
    data = scenario([person("P1")], [cover("a", "D"), cover("a", "N")])
    out = minimise(RosterModel(instance(data), only={"one_shift_per_day", "coverage"}), "coverage")
    assert out.proven and out.value == 1


def test_the_one_shift_per_day_family_alone_is_what_forbids_it():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, refuses a day shift and a night shift on one date."""
    inst = instance(scenario([person("P1")]), days=1)
    # Alone it forbids the pattern; the bare variables, and every other family together, allow it.
    # Except overtime: its paid-minutes variable is bounded by the longest shift × the month's
    # days in the horizon (one shift a day), so on this 1-day horizon D + N = 24 h > 16 h breaks it too.
    others = FAMILIES - {"one_shift_per_day", "overtime"}
    cases = (({"one_shift_per_day"}, "INFEASIBLE"), (set(), "OPTIMAL"), (others, "OPTIMAL"))
    for only, expected in cases:
        rm = RosterModel(inst, only=only)
        for staff, date, shift in [("P1", day(1), "D"), ("P1", day(1), "N")]:
            rm.model.add(var(rm, staff, date, shift) == 1)
        assert feasibility(rm) == expected, sorted(only)
