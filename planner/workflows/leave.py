"""`roster leave`: every person's paid annual leave placed over the horizon at the least coverage
cost, written as a what-if file of absences that monthly solves extend (职工带薪年休假条例 第三条,
第五条: the employer arranges the leave within the year; untaken days cost 300%)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from calendars import date_runs
from models.loader import load_scenario
from models.scenario import Scenario
from planner.engine.leave import LeavePlan, leave_blackout, place_leave
from planner.engine.solve import minimise_level
from planner.files.atomic import atomic_write_text, ensure_folder
from planner.files.scenario_file import extends_text, flow_seq
from planner.problem.instance import Instance
from planner.problem.leave import annual_days, owed_days
from planner.problem.results import LevelResult, SolveOptions


@dataclass
class LeaveOutput:
    scenario: Scenario
    plan: LeavePlan
    without_leave: LevelResult  # level 1 of the same horizon with no leave placed (for the cost)
    already_taken: dict[str, int]  # annual-leave workdays the scenario already gives
    scenario_file: Path
    table_file: Path


def plan_leave(
    file: str | os.PathLike,
    start: dt.date,
    end: dt.date,
    out: Path,
    options: SolveOptions,
    surges_blackout: bool = True,
) -> LeaveOutput:
    scenario = load_scenario(file)
    inst = Instance(scenario, start, end)
    owed, taken = owed_days(inst)
    blackout = leave_blackout(inst) if surges_blackout else set()
    wishes = {(r.staff, r.date) for r in scenario.requests if r.want == "leave"}
    plan = place_leave(inst, owed, blackout, wishes, options)
    without = minimise_level(inst, "coverage", options)
    ensure_folder(out)
    path = out / "annual-leave.yaml"
    main = Path(scenario.sources[-1]).resolve()
    entries = [
        {"staff": pid, "start": a, "end": b, "kind": "annual"}
        for pid, days in plan.days.items()
        for a, b in date_runs(days)
    ]
    text = extends_text(
        [
            f"Paid annual leave {start}..{end}, placed by `roster leave` at the least coverage cost",
            "(职工带薪年休假条例 第三条: 5/10/15 days by cumulative service; prorated by days employed).",
            f"Coverage shortfall with this leave: {plan.coverage} "
            f"({plan.coverage_status}, bound {plan.coverage_bound:g}).",
        ],
        f"{scenario.name}（年休假安排 {start} 至 {end}）",
        os.path.relpath(main, path.parent.resolve()),
        {"absences": flow_seq(entries)},
    )
    atomic_write_text(path, text)
    load_scenario(path)  # the file a monthly solve will extend loads and passes every check
    table = out / "annual-leave.csv"
    atomic_write_text(table, _table_csv(scenario, inst, plan, taken))
    return LeaveOutput(scenario, plan, without, taken, path, table)


def _table_csv(scenario: Scenario, inst: Instance, plan: LeavePlan, taken: dict[str, int]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["staff_id", "name", "annual_days", "already_given", "placed", "dates"])
    for p in inst.staff:
        days = plan.days.get(p.id, [])
        runs = " ".join(
            a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}" for a, b in date_runs(days)
        )
        writer.writerow([p.id, p.name, annual_days(p, inst.start), taken.get(p.id, 0), len(days), runs])
    return buf.getvalue()
