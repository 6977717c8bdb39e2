"""The actual roster: what is in force (published versions plus the records of what happened since), with the
scenario it was worked under, for `roster actual`, `roster report` from the store, and
`roster solve --history-from-store`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from calendars import daterange
from models.errors import InputError
from models.roster import Roster
from models.scenario import Absence, Scenario
from planner.check.validate import ValidationReport, validate
from planner.files.atomic import atomic_write_text, check_folder
from planner.files.roster_csv import write_roster_csv
from planner.files.scenario_file import extends_text, flow_seq
from planner.problem.instance import Instance
from planner.store.db import Store
from planner.store.service import (
    ActualRoster,
    actual_roster,
    display_scenario,
    history_roster,
    sick_days,
    version_scenario,
    version_snapshot,
)
from planner.store.snapshot import Snapshot


def with_absences(comment: list[str], name: str, base_main: str, absences: list[Absence]) -> str:
    """A scenario file that `extends` a snapshot's main file and adds absences (no reasons: PIPL)."""
    entries = [{"staff": a.staff, "start": a.start, "end": a.end, "kind": a.kind} for a in absences]
    return extends_text(comment, name, PurePosixPath(base_main).name, {"absences": flow_seq(entries)})


def actual_scenario(store: Store, actual: ActualRoster, start: dt.date, end: dt.date) -> Snapshot | None:
    """The scenario the actual roster of start..end was worked under: the latest version in force,
    extended by the sick days recorded since (they lower standard hours, so overtime depends on them).
    None when nothing is published over the range."""
    if not actual.versions:
        return None
    latest = max(actual.versions, key=lambda v: v.id)
    snapshot = version_snapshot(store, latest.id)
    known = version_scenario(store, latest.id).absences
    sick = recorded_sick_absences(store, start, end)

    # A sick day already in the version's scenario (a re-plan around it) is not added twice.
    def already_known(a: Absence) -> bool:
        return all(any(k.staff == a.staff and k.covers(d) for k in known) for d in daterange(a.start, a.end))

    new = [a for a in sick if not already_known(a)]
    path = PurePosixPath(snapshot.main_path).parent / f"actual-{start.isoformat()}-{end.isoformat()}.yaml"
    text = with_absences(
        [
            f"The actual roster of {start}..{end}, written by `roster actual`: the scenario of",
            f"published version #{latest.id}, plus the sick days recorded since.",
        ],
        f"{latest.scenario_name}（实际排班 {start} 至 {end}）",
        snapshot.main_path,
        new,
    )
    return snapshot.with_file(str(path), text, main=True)


def recorded_sick_absences(store: Store, start: dt.date, end: dt.date) -> list[Absence]:
    """The sick days recorded in the store over start..end, as scenario absences (no reasons)."""
    return [
        # An approved leave request (issue 15) is annual leave to the labour rules.
        Absence(
            staff=c.staff_id,
            start=max(c.start, start),
            end=min(c.end, end),
            kind="sick" if c.kind == "sick" else "annual",
        )
        for c in sick_days(store, start, end)
    ]


def actual_with_scenario(store: Store, start: dt.date, end: dt.date) -> tuple[ActualRoster, Scenario | None]:
    """The actual roster and a scenario naming everyone in it (for CSV and reports)."""
    actual = actual_roster(store, start, end)
    return actual, display_scenario(store, [v.id for v in actual.versions])


@dataclass
class ActualOutput:
    actual: ActualRoster
    report: ValidationReport  # the independent validator's check of the actual roster
    roster_file: Path | None  # None: not written (it breaks hard rules, and that was not allowed)
    validation_file: Path | None = None  # validation.json: the check, beside roster.csv
    scenario_file: Path | None = None  # the scenario it was worked under, with the recorded sick days
    days_by_version: dict[int, list[dt.date]] = field(default_factory=dict)


def write_actual(
    store: Store, start: dt.date, end: dt.date, out: Path, allow_violations: bool = False
) -> ActualOutput:
    """`roster actual`: the actual roster as out/roster.csv, its check as out/validation.json and
    its scenario in out/scenario/.

    Like every roster that leaves the planner, it is re-checked by the validator first (with the
    recorded sick days as absences and the actual roster before `start` as history). A recorded
    extra shift or swap can break a hard rule (a 0 h rest); such a roster is written only when
    `allow_violations`, and validation.json then says it is not valid."""
    check_folder(out)
    inputs = report_inputs(store, start, end)
    actual = inputs.actual
    report = validate(Instance(inputs.scenario, start, end, inputs.history), inputs.roster)
    if report.hard_violations and not allow_violations:
        return ActualOutput(actual, report, None)
    path = out / "roster.csv"
    write_roster_csv(path, actual.roster, inputs.scenario)
    check = out / "validation.json"
    atomic_write_text(
        check, json.dumps(_validation_record(report, allow_violations), ensure_ascii=False, indent=2) + "\n"
    )
    by_version: dict[int, list[dt.date]] = defaultdict(list)
    for d, vid in sorted(actual.version_by_date.items()):
        by_version[vid].append(d)
    snapshot = actual_scenario(store, actual, start, end)
    scenario_file = snapshot.write_to_atomically(out / "scenario") if snapshot is not None else None
    return ActualOutput(actual, report, path, check, scenario_file, dict(by_version))


def _validation_record(report: ValidationReport, allowed: bool) -> dict[str, Any]:
    """What validation.json says about the roster.csv beside it."""
    return {
        "ok": report.ok,
        "written_despite_violations": allowed and not report.ok,
        "hard_violations": [
            {
                "rule": v.rule,
                "staff_id": v.staff_id,
                "date": v.date.isoformat() if v.date else None,
                "message": v.message,
            }
            for v in report.hard_violations
        ],
        "scores": report.scores.level_values(),
    }


@dataclass
class ReportInputs:
    scenario: Scenario  # names everyone in the roster; the recorded sick days are absences
    roster: Roster
    history: Roster | None  # the actual roster before the period
    actual: ActualRoster


def report_inputs(store: Store, start: dt.date, end: dt.date) -> ReportInputs:
    """`roster report` without files: the store's actual roster of the period, a scenario that
    names everyone in it (with the recorded sick days as absences, for standard hours), and the
    actual roster before the period as history."""
    actual, scenario = actual_with_scenario(store, start, end)
    if scenario is None:
        raise InputError(f"{start} 至 {end}: 存储中没有已发布的排班 (nothing published) in {store.location}")
    sick = tuple(a for a in recorded_sick_absences(store, start, end) if a.staff in scenario.staff_by_id)
    scenario = scenario.model_copy(update={"absences": scenario.absences + sick})
    return ReportInputs(scenario, actual.roster, history_roster(store, scenario, start), actual)


def history_from_store(store: Store, scenario: Scenario, start: dt.date) -> Roster | None:
    """`roster solve --history-from-store`: the actual roster of the weeks before `start`."""
    return history_roster(store, scenario, start)
