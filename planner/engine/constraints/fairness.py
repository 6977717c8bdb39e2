"""Objective level 5: within each role, the spread of nights, off-day shifts and holiday shifts.

Counts are prorated for partial employment by `Instance.fairness_weight` (thousandths of
horizon_days / employed_days), and the spread is max − min over the role's primary people.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def _counts(v: RosterVars, inst: Instance, staff_id: str) -> dict[str, list]:
    counted: dict[str, list] = {"nights": [], "offday_shifts": [], "holiday_shifts": []}
    for (p, date, shift, _role), var in v.x.items():
        if p != staff_id or not inst.is_work(shift):
            continue
        if inst.is_night(shift):
            counted["nights"].append(var)
        if inst.is_offday(date):
            counted["offday_shifts"].append(var)
        if inst.is_holiday(date):
            counted["holiday_shifts"].append(var)
    return counted


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    terms = []
    for role in inst.roles:
        people = [p for p in inst.staff if p.role == role.id and inst.fairness_weight(p.id) > 0]
        if len(people) < 2:
            continue
        counts = {p.id: _counts(v, inst, p.id) for p in people}
        for kind in ("nights", "offday_shifts", "holiday_shifts"):
            most = max(len(counts[p.id][kind]) for p in people)
            if most == 0:
                continue
            values = []
            for p in people:
                count = model.new_int_var(0, len(counts[p.id][kind]), f"count(staff={p.id},kind={kind})")
                model.add(count == sum(counts[p.id][kind]))
                values.append(inst.fairness_weight(p.id) * count)
            # Exact max and min (not just bounds), so the level's value always equals the
            # scorer's, even for a solution that is not optimal on this level.
            top = max(inst.fairness_weight(p.id) for p in people) * most
            hi = model.new_int_var(0, top, f"fair_max(role={role.id},kind={kind})")
            lo = model.new_int_var(0, top, f"fair_min(role={role.id},kind={kind})")
            model.add_max_equality(hi, values)
            model.add_min_equality(lo, values)
            terms.append(hi - lo)
    return terms
