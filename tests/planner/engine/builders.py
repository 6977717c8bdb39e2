"""Tiny scenarios built in code, and a few helpers to solve the CP-SAT model directly.

Every scenario here has day shift D 08:00-16:00 (8 paid hours) and night shift N 16:00-08:00
(16 paid hours), as in the contract, and the PRC default rules unless a test says otherwise:
12 h rest, at most 6 consecutive days, a soft overtime cap of 36 h a month, 8 standard hours.

Calendar facts the tests rely on (2026, State Council notice of 2025-11-04):
- 2026-12-01 is a Tuesday: 12-01..12-04 and 12-07 are workdays, Sat 12-05 and Sun 12-06 rest days.
- 2026-10-01..10-03 are statutory holidays (国庆), 10-04 a Sunday, 10-05..10-07 adjusted days off.
- December has 31 days, so a horizon of n December days caps overtime at floor(36 × n / 31) h.

Consequences of D/N with 12 h rest, worked once here so tests can cite them:
- After N on day d (ends d+1 08:00), nothing may start on d+1: D starts 0 h later, N 8 h later.
- D on day d (ends 16:00) may be followed by D (16 h) or N (24 h) on d+1.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

from models.loader import load_scenario
from models.roster import Assignment, Roster
from models.scenario import Scenario
from planner.engine.model import RosterModel
from planner.problem.instance import Instance
from planner.rules import divisor

D = dt.date
DEC1 = D(2026, 12, 1)  # Tuesday, a workday
SAT = D(2026, 12, 5)  # rest day
NATIONAL_DAY = D(2026, 10, 1)  # statutory holiday

SHIFTS: list[dict[str, Any]] = [
    {"id": "D", "name": "白班", "start": "08:00", "end": "16:00", "paid_hours": 8},
    {"id": "N", "name": "夜班", "start": "16:00", "end": "08:00", "paid_hours": 16},
]
ROLE_NAMES = {"a": "视频会议", "b": "视频图像", "c": "中控及音视频", "d": "服务台"}


def day(n: int, start: dt.date = DEC1) -> dt.date:
    """The n-th date of a horizon, counting from 1."""
    return start + dt.timedelta(days=n - 1)


def person(staff_id: str, role: str = "a", skills: Sequence[str] = (), **extra: Any) -> dict[str, Any]:
    """A staff entry; `extra` takes any other staff key (start_date, end_date, rules, ...)."""
    entry: dict[str, Any] = {"id": staff_id, "name": f"员工{staff_id}", "role": role}
    if skills:
        entry["skills"] = list(skills)
    for key, value in extra.items():
        entry[key] = value.isoformat() if isinstance(value, dt.date) else value
    return entry


def cover(role: str, shift: str, min: int = 1, days: Any = "all", max: int | None = None) -> dict[str, Any]:  # noqa: A002
    entry: dict[str, Any] = {"role": role, "shift": shift, "days": days, "min": min}
    if max is not None:
        entry["max"] = max
    return entry


COMPREHENSIVE = {"system": "comprehensive", "period": "month", "max_hours_per_day": 16}


def scenario(
    staff: Iterable[dict[str, Any]],
    coverage: Iterable[dict[str, Any]] = (),
    roles: Sequence[str] | None = None,
    weights: dict[str, int] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A scenario as plain data. Roles default to every role someone has as a role or skill."""
    staff = list(staff)
    if roles is None:
        seen: dict[str, None] = {}
        for p in staff:
            for r in (p["role"], *p.get("skills", ())):
                seen[r] = None
        roles = list(seen)
    weights = weights or {}
    data: dict[str, Any] = {
        "version": 1,
        "name": "engine test",
        "roles": [{"id": r, "name": ROLE_NAMES.get(r, r), "weight": weights.get(r, 1)} for r in roles],
        "shifts": SHIFTS,
        "staff": staff,
        "coverage": list(coverage),
    }
    # The 16 h night needs the comprehensive-hours system, as in the contract (劳动法 39, 41);
    # a test's own `rules` are added to it key by key.
    data["rules"] = {"working_time": dict(COMPREHENSIVE)}
    data.update({k: v for k, v in extra.items() if k != "rules"})
    data["rules"].update(extra.get("rules", {}))
    return data


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {value!r}")


def load(data: dict[str, Any]) -> Scenario:
    """Load the data through the real loader (JSON is valid YAML 1.2), from a throwaway file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(json.dumps(data, ensure_ascii=False, default=_json_default), encoding="utf-8")
        return load_scenario(path)


def assignment(date: dt.date, shift: str, staff_id: str, role: str = "a") -> Assignment:
    return Assignment(date=date, shift=shift, staff_id=staff_id, role=role)


def instance(
    data: dict[str, Any], days: int = 1, start: dt.date = DEC1, history: Iterable[Assignment] = ()
) -> Instance:
    """An instance over `days` dates from `start`, with an optional history roster before it."""
    end = start + dt.timedelta(days=days - 1)
    rows = tuple(history)
    dates = [a.date for a in rows]
    past = Roster(start=min(dates), end=max(dates), assignments=rows) if rows else None
    return Instance(load(data), start, end, past)


# -- solving the model directly ---------------------------------------------------------------
def new_solver(seconds: float = 5.0) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    return solver


def var(rm: RosterModel, staff_id: str, date: dt.date, shift: str, role: str = "a") -> cp_model.IntVar:
    """The assignment variable of a cell, which must exist."""
    v = rm.v.assigned(staff_id, date, shift, role)
    assert v is not None, f"no variable for {(staff_id, date, shift, role)}"
    return v


def feasibility(rm: RosterModel) -> str:
    """Status of the hard rules (and any fixes the test added), with no objective."""
    rm.model.clear_objective()
    solver = new_solver()
    return solver.status_name(solver.solve(rm.model))


@dataclass(frozen=True)
class Outcome:
    status: str
    value: float | None  # in the level's unit (hours for overtime, spread for fairness)
    bound: float | None
    solver: cp_model.CpSolver

    @property
    def proven(self) -> bool:
        return self.status == "OPTIMAL" and self.value == self.bound


def minimise(rm: RosterModel, level: str, above: Sequence[str] = ()) -> Outcome:
    """Minimise one level's terms, after minimising and holding each level in `above` in turn.

    Holding the levels above is what the staged solve does; here it is done independently of
    planner.engine.solve, straight on the model, so a family's value can be checked on its own.
    """
    solver = new_solver()
    for name in (*above, level):
        expr = rm.objective(name)
        if expr is None:
            if name == level:
                return Outcome("SKIPPED", 0, 0, solver)
            continue
        rm.model.minimize(expr)
        status = solver.status_name(solver.solve(rm.model))
        if status not in ("OPTIMAL", "FEASIBLE"):
            return Outcome(status, None, None, solver)
        value, bound = round(solver.objective_value), round(solver.best_objective_bound)
        if name != level:
            assert status == "OPTIMAL", f"level {name} not proven on a tiny instance"
            rm.model.add(expr <= value)
            continue
        scale = divisor(level)
        return Outcome(status, value / scale, bound / scale, solver)
    raise AssertionError("unreachable")


def level_value(rm: RosterModel, level: str, solver: cp_model.CpSolver) -> float:
    """A level's value in the solver's current solution, in the level's unit."""
    expr = rm.objective(level)
    return 0 if expr is None else solver.value(expr) / divisor(level)
