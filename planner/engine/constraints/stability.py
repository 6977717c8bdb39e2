"""Re-planning: hold the past, and count changes against a published (reference) roster.

Dates before `freeze_before` are fixed to the reference exactly. From then on, every cell that
differs from the reference costs 1 (the objective level placed just below coverage), so a
re-plan after a sick day moves as few people as the coverage allows.
"""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from models.roster import Roster
from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(
    model: cp_model.CpModel, v: RosterVars, inst: Instance, reference: Roster, freeze_before: dt.date | None
) -> list:
    published = {(a.staff_id, a.date, a.shift, a.role) for a in reference.assignments}
    terms = []
    for cell, var in v.x.items():
        date = cell[1]
        if freeze_before is not None and date < freeze_before:
            model.add(var == int(cell in published))
        else:
            terms.append(1 - var if cell in published else var)
    # A published assignment with no variable (the person may not work it any more) is a
    # change that nothing can undo: count it as a constant so the level equals the scorer's.
    missing = sum(
        1
        for key in published
        if key not in v.x
        and (freeze_before is None or key[1] >= freeze_before)
        and inst.start <= key[1] <= inst.end
    )
    if freeze_before is not None:
        for key in published:
            if key not in v.x and key[1] < freeze_before and inst.start <= key[1] <= inst.end:
                raise ValueError(f"frozen assignment {key} cannot be kept: that shift no longer exists")
    if missing:
        terms.append(missing)
    return terms
