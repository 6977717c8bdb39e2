"""Hard rule 1: at most one shift per person per date (in one role)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    for person in inst.staff:
        for date in inst.dates:
            cells = v.works(person.id, date)
            if len(cells) > 1:
                model.add_at_most_one(cells)
    return []
