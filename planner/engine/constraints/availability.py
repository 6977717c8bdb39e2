"""Hard rules 2 and 3: work only while employed and not absent; cover only one's skills.

Skills are structural: variables exist only for roles among the person's skills. Employment
(start_date/end_date, a change's last_day) and absences fix the person's cells to 0.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    for person in inst.staff:
        for date in inst.dates:
            if not inst.available(person.id, date):
                v.fix_off(person.id, date)
    return []
