"""Which inputs conflict when the hard rules cannot all hold (issue 13).

The model is rebuilt with the three kinds of entry a user writes to constrain one person or one
slot, each behind its own literal: `fixed` pins, `absences`, and coverage `max` per slot. CP-SAT
solves under all of them as assumptions; when that is infeasible,
`sufficient_assumptions_for_infeasibility` names a set of them that conflict together, which a
short deletion pass then shrinks (each entry left is needed for the conflict, as far as the
time allows). Employment dates, skills and the labour rules stay hard: they are what the
entries conflict with.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.model import RosterModel
from planner.problem.instance import Instance


def conflicting_entries(inst: Instance, time_limit: float = 10.0) -> list[str] | None:
    """Entries (in words, with their scenario key) that cannot all hold; None if no conflict
    among them was proved within the time limit (the rules alone may be infeasible)."""
    rm = RosterModel(inst, relax=frozenset({"fixed", "availability", "coverage"}))
    model, v = rm.model, rm.v
    labels: dict[int, str] = {}  # literal index -> the entry in words
    literals: dict[int, cp_model.IntVar] = {}

    def entry(text: str) -> cp_model.IntVar:
        lit = model.new_bool_var(text)
        labels[lit.index], literals[lit.index] = text, lit
        return lit

    s = inst.scenario
    for i, pin in enumerate(s.fixed):
        if not inst.start <= pin.date <= inst.end:
            continue
        lit = entry(f"fixed[{i}]: {pin.staff} {pin.date} {pin.shift}")
        if pin.shift == "off":
            for var in (*v.works(pin.staff, pin.date), *v.presence(pin.staff, pin.date)):
                model.add(var == 0).only_enforce_if(lit)
        else:
            model.add(sum(v.on_shift(pin.staff, pin.date, pin.shift)) == 1).only_enforce_if(lit)
    for i, absence in enumerate(s.absences):
        lit = entry(f"absences[{i}]: {absence.staff} {absence.start}..{absence.end}")
        for date in inst.dates:
            if absence.covers(date):
                for var in (*v.works(absence.staff, date), *v.presence(absence.staff, date)):
                    model.add(var == 0).only_enforce_if(lit)
    # Not employed: as hard as skills (a fact, not an entry to question).
    for person in inst.staff:
        for date in inst.dates:
            if not person.employed_on(date):
                v.fix_off(person.id, date)
    for slot in inst.slots:
        covering = v.covering(slot.date, slot.shift, slot.role)
        if slot.max is not None and covering:
            lit = entry(f"coverage max {slot.max}: {slot.role} {slot.shift} {slot.date}")
            model.add(sum(covering) <= slot.max).only_enforce_if(lit)
    if not labels:
        return None
    core = _core(model, literals, list(labels), time_limit)
    if core is None:
        return None
    # Deletion: drop each entry in turn and keep it out if the rest still conflict.
    needed = list(core)
    for index in list(core):
        trial = [x for x in needed if x != index]
        if trial and _core(model, literals, trial, time_limit / max(1, len(core))) is not None:
            needed = trial
    return [labels[i] for i in sorted(needed)]


def _core(
    model: cp_model.CpModel, literals: dict[int, cp_model.IntVar], assumed: list[int], seconds: float
) -> list[int] | None:
    """Literal indices of a conflicting subset of `assumed`, or None if none was proved."""
    model.clear_assumptions()
    model.add_assumptions([literals[i] for i in assumed])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1  # core extraction needs a single worker
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return None
    return list(solver.sufficient_assumptions_for_infeasibility())
