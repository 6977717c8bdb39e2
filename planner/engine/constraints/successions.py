"""Hard rule 13: forbidden successions. A shift listed in another's `not_followed_by` is never
worked by the same person on the day after it; the history roster's last day counts."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    pairs = [(s.id, nxt) for s in inst.shifts for nxt in s.not_followed_by]
    if not pairs:
        return []
    one = dt.timedelta(days=1)
    before = {(a.staff_id, a.shift) for a in inst.history if a.date == inst.start - one}
    for person in inst.staff:
        for first, then in pairs:
            if (person.id, first) in before:
                for var in v.on_shift(person.id, inst.start, then):
                    model.add(var == 0)
            for d in inst.dates[:-1]:
                today, tomorrow = v.on_shift(person.id, d, first), v.on_shift(person.id, d + one, then)
                if today and tomorrow:
                    model.add(sum(today) + sum(tomorrow) <= 1)
    return []
