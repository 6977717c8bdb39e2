"""Shift designs: the staffing planner's other half (issue 11, `roster designs`).

A design replaces the scenario's shifts: each old shift hands its coverage and surges to one or
more new shifts (`replaces`). Each design is compared under every working-time system that makes
it lawful (models.scenario.WorkingTime): a 16 h night only under the comprehensive system, which
needs the labour authority's approval; 8 h shifts under standard hours too. For each design and
system: the proven minimum headcount per role (planner.whatif.staffing), the shortfall with
today's team, and, from a solve of levels 1-2 with today's team, overtime and premium hours.

Fixed entries and requests on a replaced shift have no equivalent in the new design and are left
out of the comparison (the count is reported).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from models.loader import ScenarioError, check_changed, read_yaml
from models.scenario import Frozen, Id, Scenario, Shift, WorkingTime
from planner.check.score import person_months
from planner.engine.probes import ProbeOptions
from planner.engine.solve import solve
from planner.engine.tasks import Engine, run_calls
from planner.problem.instance import Instance
from planner.problem.labels import PERIOD_ZH, WORKING_TIME_ZH
from planner.problem.results import SolveOptions
from planner.whatif.staffing import OvertimeCap, analyse_staffing, counts_to, with_overtime_cap, with_rules

# The three-shift design the product ships; `roster designs` always compares it.
SHIPPED_DESIGNS = (Path(__file__).resolve().parents[2] / "scenarios" / "designs" / "three-shift-8h.yaml",)


class DesignFile(Frozen):
    """scenarios/designs/*.yaml: `design: 1`, a name, the new shifts and what each old one becomes."""

    design: Literal[1]
    name: str
    shifts: tuple[Shift, ...]
    replaces: dict[Id, tuple[Id, ...]]


@dataclass(frozen=True)
class Design:
    name: str
    source: str  # the design file, or the scenario's own file
    file: DesignFile | None  # None: the scenario's own shifts


def own_design(scenario: Scenario) -> Design:
    return Design(
        f"本场景（{'、'.join(s.name for s in scenario.shifts)}）",
        scenario.sources[-1] if scenario.sources else "",
        None,
    )


def read_design(path: str | Path) -> Design:
    data = read_yaml(Path(path))
    try:
        file = DesignFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ScenarioError(path, key, None, None, first["msg"]) from None
    known = {s.id for s in file.shifts}
    for old, new in file.replaces.items():
        unknown = [s for s in new if s not in known]
        if unknown or not new:
            raise ScenarioError(
                path, f"replaces.{old}", None, None, f"must list shifts of this design ({', '.join(known)})"
            )
    return Design(file.name, str(path), file)


def apply_design(scenario: Scenario, design: Design) -> tuple[Scenario, int]:
    """The scenario with the design's shifts, and how many fixed entries and requests were left out."""
    if design.file is None:
        return scenario, 0
    # A design is about working shifts: a presence duty it does not mention (the manager's night
    # stay) stays as it is, with its coverage.
    kept = tuple(s for s in scenario.shifts if not s.works and s.id not in design.file.replaces)
    replaces = {**design.file.replaces, **{s.id: (s.id,) for s in kept}}
    missing = [s.id for s in scenario.shifts if s.id not in replaces]
    if missing:
        raise ScenarioError(
            design.source, "replaces", None, None, f"says nothing of the scenario's shift {missing[0]}"
        )
    coverage = tuple(
        c.model_copy(update={"shift": new}) for c in scenario.coverage for new in replaces[c.shift]
    )
    surges = tuple(
        g.model_copy(
            update={
                "add": tuple(a.model_copy(update={"shift": new}) for a in g.add for new in replaces[a.shift])
            }
        )
        for g in scenario.surges
    )
    fixed = tuple(f for f in scenario.fixed if f.shift == "off")
    requests = tuple(r for r in scenario.requests if r.shift == "any")
    dropped = len(scenario.fixed) - len(fixed) + len(scenario.requests) - len(requests)
    changed = scenario.model_copy(
        update={
            "shifts": (
                *design.file.shifts,
                *(s for s in kept if s.id not in {d.id for d in design.file.shifts}),
            ),
            "coverage": coverage,
            "surges": surges,
            "fixed": fixed,
            "requests": requests,
        }
    )
    return check_changed(changed, design.source), dropped


def lawful_systems(scenario: Scenario) -> list[WorkingTime]:
    """The working-time systems under which every shift of the scenario may be worked."""
    longest = max(s.paid for s in scenario.shifts)
    rules = scenario.rules
    out = []
    if longest <= rules.standard_hours_per_day + rules.max_overtime_hours_per_day:
        out.append(WorkingTime(system="standard"))
    own = rules.working_time
    comprehensive = (
        own
        if own.system == "comprehensive"
        else WorkingTime(system="comprehensive", period="month", max_hours_per_day=longest)
    )
    if comprehensive.max_hours_per_day is None or longest <= comprehensive.max_hours_per_day:
        out.append(comprehensive)
    return out


def with_working_time(scenario: Scenario, wt: WorkingTime) -> Scenario:
    """Everyone under `wt` (a person's own system, e.g. flexible for the manager, is replaced:
    the comparison is of systems, for the whole team)."""
    return with_rules(scenario, working_time=wt)


def system_label(wt: WorkingTime) -> str:
    text = WORKING_TIME_ZH[wt.system]
    if wt.system == "comprehensive":
        text += f"（{PERIOD_ZH[wt.period]}）"
    return text + ("，须审批" if wt.needs_approval and not wt.approval else "")


@dataclass
class DesignRow:
    design: str
    working_time: str  # standard, comprehensive/month, ...
    working_time_zh: str
    role: str
    role_name: str
    current: int
    minimum: int | None
    shortfall_now: int | None
    proven: bool
    overtime_hours: float | None  # today's team, levels 1-2 solved: hours beyond standard
    premium_hours: float | None  # of which on rest days (200%) and statutory holidays (300%)
    dropped: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape of `roster designs --format json`."""
        return {
            "design": self.design,
            "working_time": self.working_time,
            "role": self.role,
            "current": self.current,
            "minimum": self.minimum,
            "shortfall_now": self.shortfall_now,
            "proven": self.proven,
            "overtime_hours": self.overtime_hours,
            "premium_hours": self.premium_hours,
        }


def compare_designs(
    scenario: Scenario,
    start,
    end,
    designs: list[Design],
    overtime_cap: OvertimeCap = "hard",
    options: ProbeOptions | None = None,
    stop: threading.Event | None = None,
    progress: Callable[[str], None] | None = None,
    engine: Engine | None = None,
) -> list[DesignRow]:
    """Every design under every working-time system that makes it lawful: one task each (on
    `engine`, or in turn here)."""
    options = options or ProbeOptions()
    cases: list[tuple[Design, int, WorkingTime, Scenario]] = []
    for design in designs:
        designed, dropped = apply_design(scenario, design)
        cases.extend(
            (design, dropped, wt, with_working_time(designed, wt)) for wt in lawful_systems(designed)
        )
    answers = run_calls(
        _design_case,
        [
            (f"{d.name} · {system_label(wt)}", lawful, start, end, overtime_cap, options)
            for d, _, wt, lawful in cases
        ],
        engine,
        options.workers,
        here=(stop, progress),
        on_progress=counts_to(progress, "班次设计"),
    )
    rows: list[DesignRow] = []
    for (design, dropped, wt, _), (roles, hours) in zip(cases, answers, strict=True):
        key = wt.system + (f"/{wt.period}" if wt.system == "comprehensive" else "")
        for r in roles:
            overtime, premium = hours.get(r.role, (None, None))
            rows.append(
                DesignRow(
                    design.name, key, system_label(wt), r.role, r.name, r.current, r.minimum,
                    r.shortfall_now, r.proven, overtime, premium, dropped,
                )
            )  # fmt: skip
    return rows


def _design_case(
    label: str,
    lawful: Scenario,
    start,
    end,
    overtime_cap: OvertimeCap,
    options: ProbeOptions,
    stop: threading.Event | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[list, dict[str, tuple[float, float]]]:
    """One design under one working-time system: minimum headcounts and today's hours."""
    if progress:
        progress(label)
    inst = Instance(lawful, start, end)
    report = analyse_staffing(inst, overtime_cap, options, cross_training=False, stop=stop)
    hours = _hours_by_role(Instance(with_overtime_cap(lawful, overtime_cap), start, end), options, stop)
    return report.roles, hours


def _hours_by_role(
    inst: Instance, options: ProbeOptions, stop: threading.Event | None
) -> dict[str, tuple[float, float]]:
    """Overtime and premium hours per primary role in a levels 1-2 roster of today's team
    (checked by the validator inside solve)."""
    result = solve(
        inst,
        SolveOptions(time_limit=options.time_limit, workers=options.workers, last_level="overtime"),
        stop=stop,
    )
    months = person_months(inst, list(result.roster.assignments))
    role_of = {p.id: p.role for p in inst.staff}
    out: dict[str, tuple[float, float]] = {}
    for m in months:
        overtime, premium = out.get(role_of[m.staff_id], (0.0, 0.0))
        out[role_of[m.staff_id]] = (
            overtime + m.overtime_minutes / 60,
            premium + (m.restday_minutes + m.holiday_minutes) / 60,
        )
    return out
