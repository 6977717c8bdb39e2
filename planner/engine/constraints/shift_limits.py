"""Hard rule 14: per-person limits over the horizon: at most `max_shifts[s]` shifts of type s,
and paid minutes between `min_total_minutes` and `max_total_minutes`."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    for person in inst.staff:
        rules = person.effective_rules
        for shift_id, limit in (rules.max_shifts or {}).items():
            cells = [var for d in inst.dates for var in v.on_shift(person.id, d, shift_id)]
            if len(cells) > limit:
                model.add(sum(cells) <= limit)
        if rules.min_total_minutes is None and rules.max_total_minutes is None:
            continue
        minutes = sum(
            inst.paid_minutes[s.id] * var
            for d in inst.dates
            for s in inst.work_shifts
            for var in v.on_shift(person.id, d, s.id)
        )
        if rules.min_total_minutes is not None:
            model.add(minutes >= rules.min_total_minutes)
        if rules.max_total_minutes is not None:
            model.add(minutes <= rules.max_total_minutes)
    return []
