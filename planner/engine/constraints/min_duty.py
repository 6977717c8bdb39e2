"""Hard rule min_duty: "驻场所有工程师均需参加值班" (tender 2.2.3(1)). Each person takes at least
rules.min_duty_shifts_per_month working shifts at night (a shift crossing midnight) or on a rest
day or holiday per calendar month, prorated to the days they are available.

Staffing probes leave this rule out: they ask how many people cover the slots, and a person the
probe sets aside would otherwise still be owed their duty.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    for person in inst.staff:
        for month in inst.months:
            wanted = inst.min_duty_shifts(person.id, month)
            if not wanted:
                continue
            cells = [
                var
                for d in month.dates
                for shift in inst.work_shifts
                if inst.is_duty(d, shift.id)
                for var in v.on_shift(person.id, d, shift.id)
            ]
            model.add(sum(cells) >= wanted)
    return []
