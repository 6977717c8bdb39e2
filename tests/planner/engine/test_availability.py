"""Hard rules 2 and 3 (availability): only while employed and not absent; only one's skills."""

from __future__ import annotations

import pytest

from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import cover, day, feasibility, instance, minimise, person, scenario, var


def test_trivial_an_absent_person_is_never_assigned():
    """P2 is absent the whole horizon; P1 covers D every day and P2 has no shift."""
    data = scenario(
        [person("P1"), person("P2")],
        [cover("a", "D")],
        absences=[{"staff": "P2", "start": day(1), "end": day(3), "kind": "sick"}],
    )
    rm = RosterModel(instance(data, days=3), only={"availability", "coverage"})
    out = minimise(rm, "coverage")
    assert out.proven and out.value == 0
    assert sum(out.solver.value(v) for d in range(1, 4) for v in rm.v.works("P2", day(d))) == 0


@pytest.mark.parametrize(
    ("extra", "entries", "good_day"),
    [
        ({}, {"absences": [{"staff": "P1", "start": day(2), "end": day(2), "kind": "annual"}]}, 1),
        ({"start_date": day(3)}, {}, 3),
        ({"end_date": day(1)}, {}, 1),
    ],
    ids=["absent", "before-start-date", "after-end-date"],
)
def test_infeasible_one_fix_on_an_unavailable_day(extra, entries, good_day):
    """One fixed cell on 12-02, when P1 is not available, is infeasible; on an available day it is fine."""
    data = scenario([person("P1", **extra), person("P2")], **entries)
    assert_infeasible_only_on(data, "P1", 2, good_day=good_day)


def test_infeasible_around_a_staff_change():
    """A change: P1 works up to last_day 12-02, the replacement R1 from 12-03, not before."""
    data = scenario(
        [person("P1")],
        changes=[
            {
                "staff": "P1",
                "notice_date": day(1),
                "last_day": day(2),
                "replacement": person("R1", start_date=day(3)),
            }
        ],
    )
    assert_infeasible_only_on(data, "P1", 3, good_day=2)
    assert_infeasible_only_on(data, "R1", 2, good_day=3)


def assert_infeasible_only_on(data, staff_id: str, bad_day: int, good_day: int) -> None:
    for n, expected in ((good_day, "OPTIMAL"), (bad_day, "INFEASIBLE")):
        rm = RosterModel(instance(data, days=4), only={"availability"})
        rm.model.add(var(rm, staff_id, day(n), "D") == 1)
        assert feasibility(rm) == expected, (staff_id, n)


def test_skills_are_structural_no_variable_outside_them():
    """P1 (a only) has no cell for b; P2 (b, skill a) has cells for both."""
    # No family at all: skills are in the variables themselves, not in a rule.
    rm = RosterModel(instance(scenario([person("P1", "a"), person("P2", "b", ["a"])])), only=set())
    assert rm.v.assigned("P1", day(1), "D", "b") is None
    assert rm.v.assigned("P2", day(1), "D", "a") is not None
    assert rm.v.assigned("P2", day(1), "N", "b") is not None


def test_feasible_employment_and_absence_leave_exact_gaps():
    """D needs 2 for 3 days. P1 ends 12-02, P2 is absent 12-02: short 0 + 1 + 1 = 2."""
    data = scenario(
        [person("P1", end_date=day(2)), person("P2")],
        [cover("a", "D", min=2)],
        absences=[{"staff": "P2", "start": day(2), "end": day(2), "kind": "training"}],
    )
    out = minimise(RosterModel(instance(data, days=3), only={"availability", "coverage"}), "coverage")
    assert out.proven and out.value == 2


def test_feasible_only_skilled_people_cover_a_role():
    """b needs D for 3 days; its only holder P2 is absent 12-02, and P1 lacks the skill: short 1."""
    data = scenario(
        [person("P1", "a"), person("P2", "b")],
        [cover("b", "D")],
        absences=[{"staff": "P2", "start": day(2), "end": day(2), "kind": "personal"}],
    )
    out = minimise(RosterModel(instance(data, days=3), only={"availability", "coverage"}), "coverage")
    assert out.proven and out.value == 1


def test_the_availability_family_alone_is_what_forbids_it():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, refuses a shift on a sick day."""
    sick = [{"staff": "P1", "start": day(1), "end": day(1), "kind": "sick"}]
    inst = instance(scenario([person("P1")], absences=sick), days=1)
    # Alone it forbids the pattern; the bare variables, and every other family together, allow it.
    cases = (({"availability"}, "INFEASIBLE"), (set(), "OPTIMAL"), (FAMILIES - {"availability"}, "OPTIMAL"))
    for only, expected in cases:
        rm = RosterModel(inst, only=only)
        for staff, date, shift in [("P1", day(1), "D")]:
            rm.model.add(var(rm, staff, date, shift) == 1)
        assert feasibility(rm) == expected, sorted(only)
