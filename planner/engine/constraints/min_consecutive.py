"""Hard rule 15: every block of consecutive working days lasts at least `min_consecutive_days`,
and every block of days off at least `min_consecutive_days_off`.

A block of k < min days from date i is forbidden by one clause: the day before it is of the other
kind, the k days are of this kind, the day after is of the other kind. A block touching the
horizon's first or last date is exempt (`min_consecutive_border_exempt`, the Curtois & Qu reading):
the horizon's edge then is not a boundary. Without the exemption the edge ends a block.

The same person's days are also one automaton over (kind of block, its length so far, whether it
is the first block), which holds these rules together with `max_consecutive_days`. The clauses
alone are exact; the automaton is redundant, but its encoding gives the LP the shape of a whole
work/off sequence (a flow through the automaton's states), which the clauses do not: on the
Curtois & Qu instances it is what raises the lower bound. Hard rule 5 keeps its own family (with
the history before the horizon), so the automaton is built only for people without history.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance, automaton: bool = True) -> list:
    n = len(inst.dates)
    with_history = {a.staff_id for a in inst.history}
    for person in inst.staff:
        rules = person.effective_rules
        if (rules.min_consecutive_days or 1) < 2 and (rules.min_consecutive_days_off or 1) < 2:
            continue
        worked = [v.worked(person.id, d) for d in inst.dates]
        for minimum, on in ((rules.min_consecutive_days, True), (rules.min_consecutive_days_off, False)):
            if not minimum or minimum < 2:
                continue
            # kind[j] is true when date j is of the block's kind (worked, or off).
            kind = worked if on else [_negate(x) for x in worked]
            for k in range(1, minimum):
                for i in range(n - k + 1):
                    left, right = i - 1, i + k
                    if (left < 0 or right >= n) and rules.min_consecutive_border_exempt:
                        continue
                    if left < 0 and right >= n:
                        continue  # the whole horizon is one block: nothing ends it
                    # Forbid: [other at left] + k of this kind + [other at right].
                    clause = [_negate(kind[j]) for j in range(i, i + k)]
                    clause += [kind[j] for j in (left, right) if 0 <= j < n]
                    _add_clause(model, clause)
        if automaton and person.id not in with_history:
            _add_sequence_automaton(model, worked, rules)
    return []


def _add_sequence_automaton(model: cp_model.CpModel, worked: list, rules) -> None:
    """States (on, length, first): `on` a working block, its length so far (capped where the
    rules stop caring), `first` while still in the horizon's first block. Label 1 = worked."""
    min_on = rules.min_consecutive_days or 1
    min_off = rules.min_consecutive_days_off or 1
    max_on = min(rules.max_consecutive_days, len(worked))
    exempt = rules.min_consecutive_border_exempt
    ids: dict[tuple[bool, int, bool], int] = {}

    def state(on: bool, length: int, first: bool) -> int:
        return ids.setdefault((on, length, first), len(ids) + 1)

    start = 0
    triples: list[tuple[int, int, int]] = []
    todo = []
    for on in (True, False):
        triples.append((start, int(on), state(on, 1, True)))
        todo.append((on, 1, True))
    seen = set(todo)
    while todo:
        on, length, first = todo.pop()
        here = ids[on, length, first]
        # The same kind again.
        if on and length + 1 <= max_on:
            nxt = (True, length + 1, first)
        elif not on:
            nxt = (False, min(length + 1, min_off), first)  # longer off blocks are all alike
        else:
            nxt = None
        # The other kind: this block ends here, so it must be long enough (or the first, exempt).
        long_enough = length >= (min_on if on else min_off) or (first and exempt)
        moves = [(int(on), nxt)] + ([(int(not on), (not on, 1, False))] if long_enough else [])
        for label, target in moves:
            if target is None:
                continue
            triples.append((here, label, state(*target)))
            if target not in seen:
                seen.add(target)
                todo.append(target)
    # The last block ends at the horizon's end: exempt, or held to its minimum.
    finals = [i for (on, length, _), i in ids.items() if exempt or length >= (min_on if on else min_off)]
    model.add_automaton(worked, start, finals, triples)


def _negate(x):
    return 1 - x if isinstance(x, int) else x.Not()


def _add_clause(model: cp_model.CpModel, literals: list) -> None:
    """At least one of `literals`; constants true satisfy it, constants false drop out."""
    if any(isinstance(x, int) and x == 1 for x in literals):
        return
    live = [x for x in literals if not isinstance(x, int)]
    if not live:
        model.add_bool_or([model.new_constant(0)])  # an impossible pattern is impossible
        return
    model.add_bool_or(live)
