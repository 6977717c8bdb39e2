"""Hard rule 4: at least `min_rest_hours` between the end of a shift and the person's next start.

Conflicts are derived from the shift times: shift a on day d conflicts with shift b on day d+k
when b starts less than min_rest after a ends. For each (d, a, k) the conflicting shifts of day
d+k are put in one at-most-one with a: those shifts are already mutually exclusive (one shift
a day), so the constraint is a clique, which gives the LP the tight "a night forbids the next
day" bound instead of a weak pairwise one. History before the horizon fixes early cells to 0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from ortools.sat.python import cp_model

from models.scenario import Shift
from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def gap_hours(first: Shift, first_date: dt.date, second: Shift, second_date: dt.date) -> float:
    """Hours from the end of `first` to the start of `second` (negative when they overlap)."""
    return (second.start_on(second_date) - first.end_on(first_date)).total_seconds() / 3600


def conflicting_offsets(shifts: tuple[Shift, ...], min_rest: float) -> dict[tuple[str, int], list[str]]:
    """(shift a, k) -> shifts b that may not start k days after a starts."""
    longest = max((s.paid for s in shifts), default=0)
    horizon = math.ceil((longest + 24 + min_rest) / 24) + 1
    ref = dt.date(2001, 1, 1)
    table: dict[tuple[str, int], list[str]] = {}
    for a in shifts:
        for k in range(1, horizon + 1):
            later = ref + dt.timedelta(days=k)
            blocked = [b.id for b in shifts if gap_hours(a, ref, b, later) < min_rest]
            if blocked:
                table[a.id, k] = blocked
    return table


def conflicts(v: RosterVars, inst: Instance) -> Iterator[tuple[list, list]]:
    """(cells of shift a on day d, cells of the shifts b of day d+k that a forbids), per person."""
    date_set = set(inst.dates)
    for person in inst.staff:
        table = conflicting_offsets(inst.work_shifts, person.effective_rules.min_rest_hours)
        for date in inst.dates:
            for (a, k), blocked in table.items():
                later = date + dt.timedelta(days=k)
                if later not in date_set:
                    continue
                first = v.on_shift(person.id, date, a)
                second = [var for b in blocked for var in v.on_shift(person.id, later, b)]
                if first and second:
                    yield first, second


def add_pairwise(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    """The plain encoding (benchmark baseline only): one clause per conflicting pair of cells."""
    for first, second in conflicts(v, inst):
        for x in first:
            for y in second:
                model.add_bool_or([x.Not(), y.Not()])
    add_history(model, v, inst)
    return []


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    for first, second in conflicts(v, inst):
        model.add_at_most_one(first + second)
    add_history(model, v, inst)
    return []


def add_history(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> None:
    """Fix to 0 the early cells that the history roster's shifts leave too little rest for."""
    date_set = set(inst.dates)
    for person in inst.staff:
        table = conflicting_offsets(inst.work_shifts, person.effective_rules.min_rest_hours)
        # Across the horizon start: the previous roster's shifts still need their rest.
        for past in inst.history:
            if past.staff_id != person.id or past.shift not in inst.shift_by_id:
                continue
            for (a, k), blocked in table.items():
                later = past.date + dt.timedelta(days=k)
                if a == past.shift and later in date_set:
                    for b in blocked:
                        for var in v.on_shift(person.id, later, b):
                            model.add(var == 0)
