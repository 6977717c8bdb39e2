"""Hard rule 16: at most `max_weekends` worked weekends over the horizon. A weekend (Saturday and
Sunday; the part inside the horizon when cut) counts once when either day has a working shift."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    for person in inst.staff:
        limit = person.effective_rules.max_weekends
        if limit is None or limit >= len(inst.weekends):
            continue
        flags = []
        for i, days in enumerate(inst.weekends):
            days_worked = [x for d in days if not isinstance(x := v.worked(person.id, d), int)]
            if not days_worked:
                continue
            flag = model.new_bool_var(f"weekend[{person.id},{i}]")
            model.add_max_equality(flag, days_worked)
            flags.append(flag)
        if len(flags) > limit:
            model.add(sum(flags) <= limit)
    return []
