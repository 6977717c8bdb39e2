"""Objective level 3: assignments covering a role other than the person's primary one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    primary = {p.id: p.role for p in inst.staff}
    return [var for (staff_id, _d, _s, role), var in v.x.items() if role != primary[staff_id]]
