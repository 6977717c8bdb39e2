"""Hard rule: no shift longer than the person's daily limit under their working-time system.

Under the standard system a day is at most 8 h plus 3 h of overtime (劳动法 36, 41), so a 16 h
night cannot be worked at all; under the comprehensive system the limit is the approval's
`max_hours_per_day`; the flexible system has none (models.scenario.WorkingTime).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    for person in inst.staff:
        too_long = [s.id for s in inst.shifts if not inst.within_daily_limit(person.id, s.id)]
        for date in inst.dates:
            for shift in too_long:
                for var in v.on_shift(person.id, date, shift):
                    model.add(var == 0)
    return []
