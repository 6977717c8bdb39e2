"""The re-plan level, stability (planner/engine/constraints/stability.py), built alone.

Each test builds only the families it needs (`only=`), as the CP-SAT Primer's rule tests do.
Two people, two days, one day shift each date: the reference has P1 on D both days.
"""

from __future__ import annotations

import pytest

from models.roster import Roster
from planner.engine.model import RosterModel
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

DATA = scenario([person("P1"), person("P2")], [cover("a", "D")])
PUBLISHED = Roster(
    start=day(1), end=day(2), assignments=(assignment(day(1), "D", "P1"), assignment(day(2), "D", "P1"))
)


def model(freeze_before=None, data=DATA, only=("stability",)) -> RosterModel:
    inst = instance(data, days=2)
    return RosterModel(inst, reference=PUBLISHED, freeze_before=freeze_before, only=set(only))


def test_keeping_the_published_roster_costs_nothing():
    out = minimise(model(), "stability")
    assert out.proven and out.value == 0


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


def test_a_frozen_cell_that_cannot_be_kept_is_refused():
    with pytest.raises(ValueError, match="cannot be kept"):
        RosterModel(instance(DATA, days=2), reference=GONE, freeze_before=day(2), only={"stability"})


def test_without_the_family_there_is_no_stability_level():
    rm = model(only=("coverage",))
    assert rm.objective("stability") is None
    assert "stability" in rm.levels


def test_only_refuses_an_unknown_family():
    with pytest.raises(ValueError, match="unknown constraint families"):
        RosterModel(instance(DATA), only={"nonsense"})
