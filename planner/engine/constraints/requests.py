"""Objective level 4: the weight of unmet requests (want a shift, or want a day or shift off)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    terms = []
    for i, req in enumerate(inst.scenario.requests):
        if not (inst.start <= req.date <= inst.end) or req.weight == 0:
            continue
        # "any" counts presence duties too: a day off means going home (docs/scenario-format.md).
        cells = (
            [*v.works(req.staff, req.date), *v.presence(req.staff, req.date)]
            if req.shift == "any"
            else v.on_shift(req.staff, req.date, req.shift)
        )
        # A day shift and a night's presence may share a date, so "on that day" is their maximum.
        worked = model.new_bool_var(f"on_request_day(staff={req.staff},date={req.date},n={i})")
        model.add_max_equality(worked, cells or [0])
        unmet = model.new_bool_var(f"unmet_request(staff={req.staff},date={req.date},n={i})")
        # Exact, so every solution's value equals the scorer's.
        model.add(unmet == (1 - worked if req.want == "on" else worked))
        terms.append(req.weight * unmet)
    return terms
