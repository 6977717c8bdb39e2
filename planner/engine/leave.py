"""Placing annual leave at the least coverage cost (`roster leave`).

The roster model of the horizon (every hard rule) gets one more Boolean per person and workday:
on leave. A person on leave works nothing that day; each person takes exactly the days owed
(planner.problem.leave), only on workdays they are available, never in a blackout (surges, by
default). Two solves in strict order: the least coverage shortfall (level 1), then, holding it,
the most leave wishes (`requests` with `want: leave`) granted. Both report status and bound.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models.errors import InputError
from planner.engine.model import RosterModel
from planner.engine.solve import solve_watched, solver_parameters
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions


@dataclass
class LeavePlan:
    days: dict[str, list[dt.date]]  # person -> leave dates placed
    owed: dict[str, int]
    coverage_status: str
    coverage: int | None  # weighted shortfall with the leave placed (level 1 units)
    coverage_bound: float
    wishes_granted: int = 0
    wishes: int = 0
    impossible: dict[str, str] = field(default_factory=dict)  # person -> why fewer days were placed


class LeaveError(InputError):
    """No placement was found (the hard rules, fixed entries and absences leave no room)."""


def eligible_days(inst: Instance, staff_id: str, blackout: set[dt.date]) -> list[dt.date]:
    return [
        d
        for d in inst.dates
        if inst.kind(d) == "workday" and inst.available(staff_id, d) and d not in blackout
    ]


def leave_blackout(inst: Instance) -> set[dt.date]:
    """Dates no leave is placed on by default: the surge periods (tender 2.2.3(1) asks for
    reinforced duty then). Statutory holidays and rest days are not workdays anyway."""
    return {d for d in inst.dates if inst.day[d].surges}


def add_leave(
    rm: RosterModel, inst: Instance, owed: dict[str, int], blackout: set[dt.date]
) -> tuple[dict[tuple[str, dt.date], cp_model.IntVar], dict[str, int], dict[str, str]]:
    """One Boolean per person and eligible workday: on leave, working nothing that day; each
    person takes exactly the days owed (or every eligible day, when fewer: said in `impossible`)."""
    model = rm.model
    leave: dict[tuple[str, dt.date], cp_model.IntVar] = {}
    placed: dict[str, int] = {}
    impossible: dict[str, str] = {}
    for person in inst.staff:
        days = eligible_days(inst, person.id, blackout)
        want = owed.get(person.id, 0)
        if want > len(days):
            impossible[person.id] = f"owed {want} days, only {len(days)} eligible workdays"
            want = len(days)
        placed[person.id] = want
        for d in days:
            var = model.new_bool_var(f"leave({person.id},{d})")
            leave[person.id, d] = var
            for works in rm.v.works(person.id, d):
                model.add(works == 0).only_enforce_if(var)
        if days:
            model.add(sum(leave[person.id, d] for d in days) == want)
    return leave, placed, impossible


def place_leave(
    inst: Instance,
    owed: dict[str, int],
    blackout: set[dt.date],
    wishes: set[tuple[str, dt.date]],
    options: SolveOptions,
    stop: threading.Event | None = None,
) -> LeavePlan:
    rm = RosterModel(inst)
    model = rm.model
    leave, owed, impossible = add_leave(rm, inst, owed, blackout)
    coverage = rm.objective("coverage")
    solver = solver_parameters(options, options.time_limit * 0.8)
    if coverage is not None:
        model.minimize(coverage)
    status = solve_watched(solver, model, None, stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise LeaveError(
            f"年休假无法安排 no leave placement found ({solver.status_name(status)}): check fixed entries "
            "and absences, or allow more --time-limit"
        )
    value = round(solver.objective_value) if coverage is not None else 0
    bound = solver.best_objective_bound if coverage is not None else 0.0
    coverage_status = solver.status_name(status)
    granted_vars = [leave[k] for k in wishes if k in leave]
    granted = sum(solver.value(v) for v in granted_vars)
    if granted_vars and status == cp_model.OPTIMAL:
        # Hold level 1 at its proven value, then grant as many wishes as possible.
        if coverage is not None:
            model.add(coverage <= value)
        model.maximize(sum(granted_vars))
        second = solver_parameters(options, options.time_limit * 0.2)
        if solve_watched(second, model, None, stop) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = second
            granted = round(second.objective_value)
    days = {
        p.id: sorted(d for (pid, d), v in leave.items() if pid == p.id and solver.value(v))
        for p in inst.staff
    }
    return LeavePlan(days, owed, coverage_status, value, bound, granted, len(wishes), impossible)
