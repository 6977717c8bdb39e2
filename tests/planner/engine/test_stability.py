"""The re-plan level, stability (planner/engine/constraints/stability.py), built alone.

Each test builds only the families it needs (`only=`), as the CP-SAT Primer's rule tests do.
Two people, two days, one day shift each date: the reference has P1 on D both days.
"""

from __future__ import annotations

import pytest

from models.roster import Roster
from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import (
    assignment,
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

DATA = scenario([person("P1"), person("P2")], [cover("a", "D")])
PUBLISHED = Roster(
    start=day(1), end=day(2), assignments=(assignment(day(1), "D", "P1"), assignment(day(2), "D", "P1"))
)


def model(freeze_before=None, data=DATA, only=("stability",)) -> RosterModel:
    inst = instance(data, days=2)
    return RosterModel(inst, reference=PUBLISHED, freeze_before=freeze_before, only=set(only))


def test_keeping_the_published_roster_costs_nothing():
    rm = model()
    out = minimise(rm, "stability")
    assert out.proven and out.value == 0
    assert rm.v.extract(out.solver).assignments == PUBLISHED.sorted().assignments
    rm = model()
    for cell, x in rm.v.x.items():  # the reference itself, cell by cell
        rm.model.add(x == int(cell in {("P1", day(1), "D", "a"), ("P1", day(2), "D", "a")}))
    out = minimise(rm, "stability")
    assert out.status == "OPTIMAL" and level_value(rm, "stability", out.solver) == 0


def test_each_added_or_removed_cell_costs_one():
    """Moving day 1 from P1 to P2 removes one published cell and adds one: stability 2."""
    rm = model()
    rm.model.add(var(rm, "P1", day(1), "D") == 0)
    rm.model.add(var(rm, "P2", day(1), "D") == 1)
    out = minimise(rm, "stability")
    assert out.proven and out.value == 2
    rm = model()
    rm.model.add(var(rm, "P1", day(2), "D") == 0)  # only removed: 1
    assert minimise(rm, "stability").value == 1


def test_dates_before_freeze_are_held_to_the_reference():
    rm = model(freeze_before=day(2))
    rm.model.add(var(rm, "P2", day(1), "D") == 1)
    assert feasibility(rm) == "INFEASIBLE"
    rm = model(freeze_before=day(2))
    rm.model.add(var(rm, "P1", day(1), "D") == 0)  # dropping a frozen published cell: refused too
    assert feasibility(rm) == "INFEASIBLE"
    rm = model(freeze_before=day(2))
    rm.model.add(var(rm, "P2", day(2), "D") == 1)  # day 2 is free to change
    assert feasibility(rm) == "OPTIMAL"


def test_an_absent_person_s_published_cell_costs_one():
    """P1 is sick on day 2 in the new scenario (availability): that published cell must change."""
    data = scenario(
        [person("P1"), person("P2")], [cover("a", "D")],
        absences=[{"staff": "P1", "start": day(2), "end": day(2), "kind": "sick"}],
    )  # fmt: skip
    out = minimise(model(data=data, only=("stability", "availability")), "stability")
    assert out.proven and out.value == 1
    assert minimise(model(data=data), "stability").value == 0  # without availability P1 may stay


GONE = Roster(start=day(1), end=day(2), assignments=(*PUBLISHED.assignments, assignment(day(1), "X", "P2")))


def test_a_published_cell_with_no_variable_counts_as_a_constant():
    """A published shift X that the scenario no longer has: a change nothing can undo, counted 1."""
    rm = RosterModel(instance(DATA, days=2), reference=GONE, only={"stability"})
    out = minimise(rm, "stability")
    assert out.proven and out.value == 1


@pytest.mark.parametrize(
    "extra",
    [
        assignment(day(2), "D", "P9"),  # a person no longer in the scenario
        assignment(day(2), "D", "P2", role="b"),  # a role the person does not have
        assignment(day(1), "X", "P2"),  # a shift the scenario no longer has
    ],
    ids=["person-gone", "role-not-a-skill", "shift-gone"],
)
def test_each_kind_of_vanished_cell_counts_one(extra):
    """No variable, so nothing can undo the change: a constant 1, in the model as in the scorer."""
    reference = Roster(start=day(1), end=day(2), assignments=(*PUBLISHED.assignments, extra))
    rm = RosterModel(instance(DATA, days=2), reference=reference, only={"stability"})
    assert rm.v.assigned(extra.staff_id, extra.date, extra.shift, extra.role) is None
    out = minimise(rm, "stability")
    assert out.proven and out.value == 1
    rm = RosterModel(instance(DATA, days=2), reference=reference, freeze_before=day(1), only={"stability"})
    assert minimise(rm, "stability").value == 1  # freezing before the first date holds nothing


def test_a_published_cell_outside_the_horizon_is_not_counted():
    """A published assignment on day 3, re-planning days 1-2 only: no cost."""
    reference = Roster(
        start=day(1), end=day(3), assignments=(*PUBLISHED.assignments, assignment(day(3), "D", "P2"))
    )
    rm = RosterModel(instance(DATA, days=2), reference=reference, only={"stability"})
    out = minimise(rm, "stability")
    assert out.proven and out.value == 0


def test_a_frozen_cell_that_cannot_be_kept_is_refused():
    with pytest.raises(ValueError, match="cannot be kept"):
        RosterModel(instance(DATA, days=2), reference=GONE, freeze_before=day(2), only={"stability"})


def test_without_the_family_there_is_no_stability_level():
    rm = model(only=("coverage",))
    assert rm.objective("stability") is None
    assert "stability" in rm.levels


def test_the_stability_family_alone_is_what_holds_the_frozen_dates():
    """Built alone (`only=`): this family, and nothing else in the model, holds day 1 to the
    reference and counts the change on day 2."""
    cases = (({"stability"}, "INFEASIBLE"), (set(), "OPTIMAL"), (FAMILIES - {"stability"}, "OPTIMAL"))
    for only, expected in cases:
        rm = model(freeze_before=day(2), only=only)
        rm.model.add(var(rm, "P2", day(1), "D") == 1)
        assert feasibility(rm) == expected, sorted(only)
    rm = model(freeze_before=day(2))
    rm.model.add(var(rm, "P1", day(2), "D") == 0)
    assert minimise(rm, "stability").value == 1
    assert model(freeze_before=day(2), only=FAMILIES - {"stability"}).objective("stability") is None


def test_only_refuses_an_unknown_family():
    with pytest.raises(ValueError, match="unknown constraint families"):
        RosterModel(instance(DATA), only={"nonsense"})
