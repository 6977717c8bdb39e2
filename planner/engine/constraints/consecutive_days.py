"""Hard rule 5: no more than `max_consecutive_days` consecutive dates with a shift.

The default 6 is 劳动法 38: at least one rest day in any 7. Every window of max+1 dates holds at
most max working dates; windows that reach back before the horizon count the history roster.
"""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    for person in inst.staff:
        limit = person.effective_rules.max_consecutive_days
        worked_before = {a.date for a in inst.history if a.staff_id == person.id}
        # Windows of limit+1 dates, from the one ending on the first horizon date to the last.
        for offset in range(-limit, len(inst.dates) - limit):
            window = [inst.start + dt.timedelta(days=offset + j) for j in range(limit + 1)]
            past = sum(1 for d in window if d < inst.start and d in worked_before)
            inside = [d for d in window if inst.start <= d <= inst.end]
            cells = [var for d in inside for var in v.works(person.id, d)]
            if cells and past + len(inside) > limit:
                model.add(sum(cells) <= limit - past)
    return []
