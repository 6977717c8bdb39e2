"""Hard rule 6: `fixed` entries hold (a pinned shift, or `off` for a pinned day off)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    for pin in inst.scenario.fixed:
        if not (inst.start <= pin.date <= inst.end):
            continue
        if pin.shift == "off":
            v.fix_off(pin.staff, pin.date)
        else:
            # Works exactly this shift, in any of the person's skills. No cell (the shift does
            # not exist that day) makes the model infeasible, as it should.
            model.add(sum(v.on_shift(pin.staff, pin.date, pin.shift)) == 1)
    return []
