"""Hard rule 15: every block of consecutive working days lasts at least `min_consecutive_days`,
and every block of days off at least `min_consecutive_days_off`.

A block of k < min days from date i is forbidden by one clause: the day before it is of the other
kind, the k days are of this kind, the day after is of the other kind. A block touching the
horizon's first or last date is exempt (`min_consecutive_border_exempt`, the Curtois & Qu reading):
the horizon's edge then is not a boundary. Without the exemption the edge ends a block.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.engine.variables import RosterVars
from planner.problem.instance import Instance


def add(model: cp_model.CpModel, v: RosterVars, inst: Instance) -> list:
    n = len(inst.dates)
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
    return []


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
