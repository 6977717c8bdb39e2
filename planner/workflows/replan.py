"""Re-plan the rest of a published roster after something happens, with as few changes as possible.

`replan(store, from_date, ...)` takes the published version in force on `from_date`, and
re-solves its dates with:
- the scenario it was planned from (its snapshot), plus the new absences: every sick day
  recorded in the store for those dates, and the ones given (`--absence`);
- the actual roster (published + recorded changes) as the reference: dates before `from_date`
  are frozen to it, and a level "stability" just below coverage keeps the rest as close to it as
  coverage allows (planner.engine.constraints.stability); the other levels stay as specified;
- dates after `until` (when given) pinned to the actual roster, person by person;
- the actual roster of the weeks before the version as history (rest, consecutive days).

The result lists exactly who must be told of which change (person, date, old → new shift),
compared with the actual roster, i.e. what people currently expect to work. The new scenario is
a what-if file (`extends` the snapshot's main file, adds the absences), stored with the new
version, so a later re-plan of it keeps those absences. It holds no reasons (personal data).

This module is the one the CLI (`roster replan`) and the app's button both call.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from models.errors import InputError
from models.loader import load_scenario
from models.roster import Assignment, Roster
from models.scenario import Absence, Fixed, Scenario
from planner.check.validate import validate
from planner.engine.solve import SolveError, solve
from planner.files.atomic import atomic_write_text
from planner.files.roster_csv import roster_csv_text
from planner.problem.instance import Instance
from planner.problem.labels import ABSENCE_ZH
from planner.problem.results import Progress, Reference, SolveOptions, SolveResult
from planner.store.db import Store
from planner.store.service import (
    PublishOutcome,
    VersionInfo,
    actual_roster,
    content_digest,
    history_roster,
    publish_version,
    version_in_force,
    version_scenario,
    version_snapshot,
)
from planner.store.snapshot import Snapshot, load_snapshot
from planner.workflows.actual import recorded_sick_absences, with_absences
from planner.workflows.publish import default_author
from planner.workflows.solve_folder import roster_digest, summary_dict, write_solve_outputs

ABSENCE_KINDS = tuple(ABSENCE_ZH)
_ABSENCE = re.compile(
    r"^\s*([A-Za-z0-9_.\-]+)\s*:\s*(\d{4}-\d{2}-\d{2})(?:\s*\.\.\s*(\d{4}-\d{2}-\d{2}))?(?::(\w+))?\s*$"
)


def parse_absence(text: str, kind: str = "sick") -> Absence:
    """'S02:2026-12-10..2026-12-11' (or 'S02:2026-12-10', optionally ':annual' etc. at the end)."""
    match = _ABSENCE.match(text)
    if match is None:
        raise InputError(
            f"--absence {text!r}: write it as STAFF:YYYY-MM-DD..YYYY-MM-DD (e.g. S02:2026-12-10..2026-12-11)"
        )
    staff, first, last, given_kind = match.groups()
    kind = given_kind or kind
    if kind not in ABSENCE_KINDS:
        raise InputError(f"--absence {text!r}: kind {kind!r} is not one of {', '.join(ABSENCE_KINDS)}")
    try:
        start = dt.date.fromisoformat(first)
        end = dt.date.fromisoformat(last) if last else start
    except ValueError as exc:
        raise InputError(f"--absence {text!r}: {exc}") from None
    if end < start:
        raise InputError(f"--absence {text!r}: end {end} is before start {start}")
    return Absence(staff=staff, start=start, end=end, kind=kind)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ChangeNotice:
    """One person to tell about one date: what they expected to work, and what they work now."""

    staff_id: str
    staff_name: str
    date: dt.date
    old: tuple[Assignment, ...]
    new: tuple[Assignment, ...]
    old_text: str
    new_text: str

    @property
    def text(self) -> str:
        return f"{self.staff_id} {self.staff_name} {self.date}：{self.old_text} → {self.new_text}"


@dataclass
class ReplanResult:
    base: VersionInfo  # the published version re-planned
    from_date: dt.date
    until: dt.date
    absences: tuple[Absence, ...]  # every absence added: recorded sick days and the given ones
    reference: Roster  # the actual roster before the re-plan, over the version's dates
    instance: Instance
    solve: SolveResult
    notices: list[ChangeNotice]
    snapshot: Snapshot  # the new scenario files (the snapshot's plus the what-if)
    scenario_file: Path | None  # the what-if, written under out_dir/scenario when out_dir is given
    paths: dict[str, Path] = field(default_factory=dict)  # files written to out_dir
    published: PublishOutcome | None = None

    @property
    def roster(self) -> Roster:
        return self.solve.roster

    @property
    def shortfall(self) -> int:
        """Short person-slots of the new roster (the validator's count)."""
        return sum(s.shortfall for s in self.solve.validation.slots)

    @property
    def shortfall_before(self) -> int:
        """Short person-slots of the actual roster before the re-plan, checked the same way."""
        return sum(s.shortfall for s in validate(self.instance, self.reference).slots)

    @property
    def changed_assignments(self) -> int:
        """Assignments added or removed against the actual roster (the "stability" level)."""
        value = self.solve.level("stability").value
        return round(value) if value is not None else -1

    @property
    def people_to_tell(self) -> list[str]:
        return sorted({n.staff_id for n in self.notices})


def _describe(assignments: Iterable[Assignment], scenario: Scenario, absence: Absence | None) -> str:
    roles = {r.id: r.name for r in scenario.roles}
    parts = []
    for a in sorted(assignments, key=lambda a: (a.shift, a.role)):
        shift = scenario.shifts_by_id[a.shift]
        end = shift.end.strftime("%H:%M")
        end = f"次日{end}" if shift.crosses_midnight else end
        parts.append(f"{shift.name} {a.shift}（{shift.start:%H:%M}–{end}，{roles.get(a.role, a.role)}）")
    if parts:
        return "、".join(parts)
    return f"休息（{ABSENCE_ZH[absence.kind]}）" if absence else "休息"


def notices(reference: Roster, roster: Roster, scenario: Scenario, since: dt.date) -> list[ChangeNotice]:
    """Every (person, date) from `since` whose shifts differ between the two rosters."""
    old: dict[tuple[str, dt.date], list[Assignment]] = defaultdict(list)
    new: dict[tuple[str, dt.date], list[Assignment]] = defaultdict(list)
    for a in reference.assignments:
        if a.date >= since:
            old[a.staff_id, a.date].append(a)
    for a in roster.assignments:
        if a.date >= since:
            new[a.staff_id, a.date].append(a)
    out = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key, []), new.get(key, [])
        if {(a.shift, a.role) for a in before} == {(a.shift, a.role) for a in after}:
            continue
        staff_id, date = key
        person = scenario.staff_by_id.get(staff_id)
        absence = next((a for a in scenario.absences if a.staff == staff_id and a.covers(date)), None)
        out.append(
            ChangeNotice(
                staff_id=staff_id,
                staff_name=person.name if person else "",
                date=date,
                old=tuple(before),
                new=tuple(after),
                old_text=_describe(before, scenario, None),
                new_text=_describe(after, scenario, absence),
            )
        )
    return out


def notices_csv_text(items: list[ChangeNotice]) -> str:
    """The list of whom to tell, for a spreadsheet (Chinese headers: it is read by people)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["工号", "姓名", "日期", "原安排", "新安排"])
    for n in items:
        writer.writerow([n.staff_id, n.staff_name, n.date.isoformat(), n.old_text, n.new_text])
    return buf.getvalue()


def _pins_after(scenario: Scenario, actual: Roster, after: dt.date, end: dt.date) -> tuple[Fixed, ...]:
    """Hold each person's actual shift (or day off) on every date after `after`."""
    pinned = {(f.staff, f.date) for f in scenario.fixed}
    worked: dict[tuple[str, dt.date], str] = {}
    for a in actual.assignments:
        worked.setdefault((a.staff_id, a.date), a.shift)
    pins = []
    d = after + dt.timedelta(days=1)
    while d <= end:
        for p in scenario.staff:
            if (p.id, d) not in pinned:
                pins.append(Fixed(staff=p.id, date=d, shift=worked.get((p.id, d), "off")))
        d += dt.timedelta(days=1)
    return tuple(pins)


def replan(
    store: Store,
    from_date: dt.date,
    until: dt.date | None = None,
    absences: Iterable[Absence] = (),
    options: SolveOptions | None = None,
    out_dir: str | os.PathLike | None = None,
    publish: bool = False,
    author: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> ReplanResult:
    """Re-solve the published roster in force on `from_date`, from that date on (see module doc).

    Raises InputError for bad input (no published roster, dates outside it, unknown people) and
    planner.engine.solve.SolveError when no roster can be found. With `out_dir`, writes roster.csv,
    roster.xlsx, summary.json, notices.csv and the scenario files there. With `publish`, stores
    the result as a new published version based on the old one.
    """
    base = version_in_force(store, from_date)
    if base is None:
        raise InputError(
            f"--from {from_date}: 这一天没有已发布的排班，无法重排 (no published roster covers it)"
        )
    start, end = base.start, base.end
    until = until or end
    if not from_date <= until <= end:
        raise InputError(
            f"--until {until}: 须在 --from {from_date} 与已发布版本 #{base.id} 的结束日 {end} 之间"
        )
    given = list(absences)
    snapshot = version_snapshot(store, base.id)

    # The new scenario: the snapshot's main file, extended by the recorded sick days and the given absences.
    recorded = recorded_sick_absences(store, start, end)
    for a in given:
        if a.start < from_date or a.end > until:
            raise InputError(
                f"--absence {a.staff}:{a.start}..{a.end}: 须在 --from {from_date} 至 {until} 之内"
                "（之前的日期已冻结；更早的病假请用 roster record sick 登记）"
            )
    planned = version_scenario(store, base.id).staff_by_id
    for a in given:
        if a.staff not in planned:
            raise InputError(
                f"--absence {a.staff}:{a.start}..{a.end}: unknown staff id '{a.staff}' "
                f"(version #{base.id} plans {', '.join(planned)})"
            )
    main_dir = PurePosixPath(snapshot.main_path).parent
    whatif_path = str(main_dir / f"replan-v{base.id}-from-{from_date.isoformat()}.yaml")
    base_scenario_name = base.scenario_name
    new_snapshot = snapshot.with_file(
        whatif_path,
        with_absences(
            [
                f"Re-plan of published roster version #{base.id} ({base.start}..{base.end})"
                f" from {from_date},",
                "written by `roster replan`: the scenario it was planned from, plus these absences.",
            ],
            f"{base_scenario_name}（{from_date} 起重排）",
            snapshot.main_path,
            recorded + given,
        ),
        main=True,
    )
    scenario_file = new_snapshot.write_to(Path(out_dir) / "scenario") if out_dir is not None else None
    # From the written files when there are some: summary.json names them as the sources, so the
    # folder can be published later by another process (`roster publish OUT`).
    scenario = load_scenario(scenario_file) if scenario_file is not None else load_snapshot(new_snapshot)
    staff, shifts = scenario.staff_by_id, scenario.shifts_by_id

    # The reference: what is in force now, over the version's dates.
    actual = actual_roster(store, start, end)
    unknown = [a for a in actual.roster.assignments if a.staff_id not in staff or a.shift not in shifts]
    if unknown:
        a = unknown[0]
        raise InputError(
            f"{a.date} {a.staff_id} {a.shift}: 实际排班中的人员或班次不在版本 #{base.id} 的场景中"
        )
    reference = actual.roster
    history = history_roster(store, scenario, start)
    if from_date > start:
        kept = tuple(a for a in reference.assignments if a.date < from_date)
        frozen = Roster(start=start, end=from_date - dt.timedelta(days=1), assignments=kept)
        report = validate(Instance(scenario, frozen.start, frozen.end, history), frozen)
        if not report.ok:
            raise InputError(
                f"--from {from_date}: 要冻结的 {frozen.start} 至 {frozen.end} 的实际排班已违反硬性规则，"
                f"无法保持不变：{report.hard_violations[0].message}"
            )
    if until < end:
        scenario = scenario.model_copy(
            update={"fixed": scenario.fixed + _pins_after(scenario, reference, until, end)}
        )
    inst = Instance(scenario, start, end, history)
    held = Reference(reference, freeze_before=from_date)
    try:
        result = solve(inst, options or SolveOptions(), progress=progress, stop=stop, reference=held)
    except ValueError as exc:  # a frozen assignment the model cannot hold
        raise SolveError(str(exc)) from None
    told = notices(reference, result.roster, scenario, from_date)
    out = ReplanResult(
        base=base,
        from_date=from_date,
        until=until,
        absences=tuple(recorded + given),
        reference=reference,
        instance=inst,
        solve=result,
        notices=told,
        snapshot=new_snapshot,
        scenario_file=scenario_file,
    )
    if out_dir is not None:
        out.paths = write_solve_outputs(out_dir, result, inst)
        out.paths["notices"] = Path(out_dir) / "notices.csv"
        atomic_write_text(out.paths["notices"], notices_csv_text(told))
    if publish:
        csv_text = roster_csv_text(result.roster, scenario)
        out.published = publish_version(
            store,
            roster=result.roster,
            snapshot=new_snapshot,
            scenario_name=scenario.name,
            summary=summary_dict(result, inst),
            author=author or default_author(),
            origin="replan",
            source=str(Path(out_dir).resolve()) if out_dir is not None else None,
            based_on=base.id,
            roster_sha256=roster_digest(csv_text),
            expect_actual=(start, end, content_digest(reference.assignments)),
        )
    return out
