"""Objective level 2 and hard rule 8: overtime beyond the legal monthly cap (劳动法 41).

Per person and hours period (a calendar month, or the comprehensive system's quarter or year;
Instance.hour_periods), the part inside the horizon, in minutes:
overtime = max(0, paid − standard); excess = max(0, overtime − cap) = max(0, paid − standard − cap)
because the cap is never negative. With `overtime_cap: hard` the excess must be 0.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def paid_minutes_expr(v: RosterVars, inst: Instance, staff_id: str, dates) -> cp_model.LinearExpr:
    return sum(
        inst.paid_minutes[shift.id] * var
        for date in dates
        for shift in inst.shifts
        for var in v.on_shift(staff_id, date, shift.id)
    )


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    terms = []
    for person in inst.staff:
        if not inst.counts_overtime(person.id):  # flexible working time: no overtime count
            continue
        hard = person.effective_rules.overtime_cap == "hard"
        for period in inst.hour_periods(person.id):
            paid = paid_minutes_expr(v, inst, person.id, period.dates)
            if isinstance(paid, int):  # no cells at all this period
                continue
            allowed = inst.standard_minutes(person.id, period) + inst.overtime_cap_minutes(person.id, period)
            if hard:
                model.add(paid <= allowed)
                continue
            name = f"staff={person.id},period={period.key}"
            most = max(inst.paid_minutes.values()) * len(period.dates)
            worked = model.new_int_var(0, most, f"paid_minutes({name})")
            model.add(worked == paid)
            excess = model.new_int_var(0, max(0, most - allowed), f"overtime_excess({name})")
            # Exact max(0, paid − standard − cap), so every solution's value equals the scorer's.
            model.add_max_equality(excess, [worked - allowed, 0])
            terms.append(excess)
    return terms
