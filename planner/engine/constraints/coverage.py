"""Objective level 1 and hard rule 7: coverage shortfall, and `max` as an upper bound.

shortfall(date, shift, role) = max(0, required − people covering it), weighted by the slot's
under-weight (the role's weight unless the coverage entry sets one); with an over-weight, every
person beyond `required` costs that much too. Each shortfall is its own named variable so that it
can be read back as a gap.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    terms = []
    for slot in inst.slots:
        covering = v.covering(slot.date, slot.shift, slot.role)
        if slot.max is not None and covering:
            model.add(sum(covering) <= slot.max)
        if slot.required == 0 and not slot.over_weight:
            continue
        name = f"role={slot.role},shift={slot.shift},date={slot.date}"
        covered = model.new_int_var(0, len(covering), f"covered({name})")
        model.add(covered == sum(covering))
        if slot.required:
            short = model.new_int_var(0, slot.required, f"shortfall({name})")
            # Exact max(0, required − covered), so every solution's value equals the scorer's.
            model.add_max_equality(short, [slot.required - covered, 0])
            terms.append(slot.under_weight * short)
        if slot.over_weight and len(covering) > slot.required:
            over = model.new_int_var(0, len(covering) - slot.required, f"overcover({name})")
            model.add_max_equality(over, [covered - slot.required, 0])
            terms.append(slot.over_weight * over)
    return terms
