"""Hard rules of presence duties (Shift kind presence; 附件八 附件1 1.1, the manager's night stay).

- presence_overlap: a presence duty and a working shift of the same person never overlap in
  time (being on a night shift is being on the premises, but not twice in one roster).
- presence_cap: at most rules.max_presence_per_month presence duties per calendar month.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    dates = set(inst.dates)
    for person in inst.staff:
        for date in inst.dates:
            for shift in inst.presence_shifts:
                duty = v.on_shift(person.id, date, shift.id)
                if not duty:
                    continue
                for d, w in inst.overlapping_work(date, shift.id):
                    if d in dates:
                        for var in v.on_shift(person.id, d, w):
                            model.add_at_most_one([*duty, var])
        cap = inst.presence_cap(person.id)
        for month in inst.months:
            if cap is not None:
                cells = [var for d in month.dates for var in v.presence(person.id, d)]
                if len(cells) > cap:
                    model.add(sum(cells) <= cap)
    return []
