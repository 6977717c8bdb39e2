"""The store's operations: publish, record, actual, history, backup and restore.

Everything here is append-only: a publication, a snapshot, a change is a new row; nothing is
updated in place (see planner.store for how the current state follows from the rows). Each
operation is one transaction (`Store.write()`): it happens entirely or not at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
)
from sqlalchemy.orm import Session

from calendars import daterange
from models.errors import InputError
from models.reading import MIB, FileRefused, read_bounded
from models.roster import Assignment, Roster
from models.scenario import Scenario
from models.summary import check_summary, iso_only, parse_summary
from planner.files.atomic import atomic_write_text
from planner.store.accounts import log_event
from planner.store.db import Store, StoreError
from planner.store.schema import (
    ABSENCE_RECORD_KINDS,
    DATA_TABLES,
    RECORD_KINDS,
    Record,
    RosterVersion,
    ScenarioSnapshot,
    SnapshotFile,
    StoredAssignment,
)
from planner.store.snapshot import Snapshot, checked_path, load_snapshot, snapshot_digest
from planner.store.snapshot import SnapshotFile as FileContent

log = logging.getLogger(__name__)

BACKUP_FORMAT = "roster-planner-store-backup"
BACKUP_FORMAT_VERSION = 1
# Assignments are inserted in chunks (one statement each), all inside the publish transaction.
CHUNK = 200


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite keeps no time zone; every stored time is UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def content_digest(assignments: Iterable[Assignment]) -> str:
    """SHA-256 of the sorted 'date,shift,staff_id,role' lines: the identity of a roster's content."""
    lines = sorted(f"{a.date.isoformat()},{a.shift},{a.staff_id},{a.role}\n" for a in assignments)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


# -- plain views of the rows ------------------------------------------------------------------
@dataclass(frozen=True)
class VersionInfo:
    id: int
    status: str
    author: str
    created_at: dt.datetime
    start: dt.date
    end: dt.date
    snapshot_id: int
    snapshot_digest: str
    scenario_name: str
    origin: str
    source: str | None
    based_on: int | None
    forced: bool
    assignment_count: int
    content_sha256: str
    roster_sha256: str | None
    summary: dict[str, Any] = field(repr=False, compare=False)

    def covers(self, date: dt.date) -> bool:
        return self.start <= date <= self.end


@dataclass(frozen=True)
class RecordInfo:
    id: int
    version_id: int
    kind: str  # sick, swap, extra, cancel
    staff_id: str
    other_staff_id: str | None
    start: dt.date
    end: dt.date
    shift: str | None
    role: str | None
    recorded_by: str
    recorded_at: dt.datetime
    reason: str  # personal data: local only

    def dates(self) -> list[dt.date]:
        return daterange(self.start, self.end)


@dataclass(frozen=True)
class NewRecord:
    """A change to record (`roster record ...`)."""

    kind: str
    staff_id: str
    start: dt.date
    end: dt.date
    recorded_by: str
    reason: str
    other_staff_id: str | None = None
    shift: str | None = None
    role: str | None = None


@dataclass
class ActualRoster:
    """What is in force for a range: the published rosters plus the recorded changes."""

    roster: Roster
    version_by_date: dict[dt.date, int]
    versions: list[VersionInfo]  # the published versions in force on at least one date
    applied: list[RecordInfo]  # changes that act on some date of the range
    superseded: list[RecordInfo]  # changes on the range's dates that a later publication replaced

    @property
    def uncovered(self) -> list[dt.date]:
        """Dates with no published roster at all."""
        return [d for d in self.roster.dates() if d not in self.version_by_date]


@dataclass
class PublishOutcome:
    version: VersionInfo
    superseded: dict[int, list[dt.date]]  # earlier version id -> its dates this one replaces
    dropped_records: list[RecordInfo]  # changes recorded on those dates that no longer apply
    sick_removed: list[tuple[RecordInfo, Assignment]]  # assignments a recorded sick day removes


@dataclass
class RecordOutcome:
    record: RecordInfo
    before: list[Assignment]  # the affected people's assignments on the dates, before
    after: list[Assignment]  # and after


def _version_info(row: RosterVersion, snap: ScenarioSnapshot) -> VersionInfo:
    return VersionInfo(
        id=row.id,
        status=row.status,
        author=row.author,
        created_at=_aware(row.created_at),
        start=row.start_date,
        end=row.end_date,
        snapshot_id=row.snapshot_id,
        snapshot_digest=snap.digest,
        scenario_name=snap.name,
        origin=row.origin,
        source=row.source,
        based_on=row.based_on_id,
        forced=row.forced,
        assignment_count=row.assignment_count,
        content_sha256=row.content_sha256,
        roster_sha256=row.roster_sha256,
        summary=_stored_summary(row),
    )


def _stored_summary(row: RosterVersion) -> dict[str, Any]:
    """A version's summary, checked: a row changed inside the database is reported, not used."""
    try:
        data = json.loads(row.summary)
        check_summary(data, "summary")
    except (json.JSONDecodeError, RecursionError) as exc:
        raise StoreError(
            f"version #{row.id}: stored summary is not JSON ({exc}); the store is damaged"
        ) from None
    except InputError as exc:
        raise StoreError(f"version #{row.id}: stored {exc} (the store is damaged or was edited)") from None
    return data


def _verified_assignments(session: Session, infos: Sequence[VersionInfo]) -> dict[int, list[Assignment]]:
    """Every assignment of the given versions, each version checked against its stored digest.

    A row changed inside the database (an unknown person, a moved shift) makes the version's
    content differ from the digest computed when it was published; the version is then
    reported, and nothing is built on it.
    """
    wanted = {v.id: v for v in infos}
    found: dict[int, list[Assignment]] = {vid: [] for vid in wanted}
    if not wanted:
        return found
    rows = session.scalars(
        sa.select(StoredAssignment)
        .where(StoredAssignment.version_id.in_(sorted(wanted)))
        .order_by(StoredAssignment.id)
    ).all()
    for r in rows:
        found[r.version_id].append(Assignment(date=r.date, shift=r.shift, staff_id=r.staff_id, role=r.role))
    for vid, got in found.items():
        info = wanted[vid]
        if len(got) != info.assignment_count or content_digest(got) != info.content_sha256:
            raise StoreError(
                f"version #{vid}: 排班内容与发布时的摘要不符，库中数据被改动 "
                "(its assignments do not match the digest stored at publication; nothing was used)"
            )
    return found


def _record_info(row: Record) -> RecordInfo:
    return RecordInfo(
        id=row.id,
        version_id=row.version_id,
        kind=row.kind,
        staff_id=row.staff_id,
        other_staff_id=row.other_staff_id,
        start=row.start_date,
        end=row.end_date,
        shift=row.shift,
        role=row.role,
        recorded_by=row.recorded_by,
        recorded_at=_aware(row.recorded_at),
        reason=row.reason,
    )


def _versions_query() -> sa.Select:
    return sa.select(RosterVersion, ScenarioSnapshot).join(
        ScenarioSnapshot, RosterVersion.snapshot_id == ScenarioSnapshot.id
    )


# -- supersession ---------------------------------------------------------------------------
def _published_overlapping(session: Session, start: dt.date, end: dt.date) -> list[VersionInfo]:
    rows = session.execute(
        _versions_query()
        .where(
            RosterVersion.status == "published",
            RosterVersion.start_date <= end,
            RosterVersion.end_date >= start,
        )
        .order_by(RosterVersion.id)
    ).all()
    return [_version_info(v, s) for v, s in rows]


def published_on(session: Session, date: dt.date) -> list[VersionInfo]:
    """The published versions whose dates include `date` (inside the caller's transaction)."""
    return _published_overlapping(session, date, date)


def _in_force(versions: Sequence[VersionInfo], start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """For each date, the published version in force: the latest publication covering it."""
    by_date: dict[dt.date, int] = {}
    for v in sorted(versions, key=lambda v: v.id):
        if v.status != "published":
            continue
        for d in daterange(max(start, v.start), min(end, v.end)):
            by_date[d] = v.id
    return by_date


def apply_records(
    assignments: Iterable[Assignment], version_by_date: dict[dt.date, int], records: Iterable[RecordInfo]
) -> tuple[list[Assignment], list[RecordInfo], list[RecordInfo]]:
    """Apply recorded changes, in the order recorded, to the published assignments.

    A sick day applies whatever version is in force (it is a fact about the person); a swap,
    extra or cancelled shift applies only while the version it was recorded on is in force.
    Returns the assignments, the changes that acted on some date, and those that were recorded
    on dates a later publication took over (superseded).
    """
    by_date: dict[dt.date, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_date[a.date].append(a)
    applied: list[RecordInfo] = []
    superseded: list[RecordInfo] = []
    for c in sorted(records, key=lambda c: c.id):
        acted = False
        for d in c.dates():
            if d not in version_by_date:
                continue
            if c.kind not in ABSENCE_RECORD_KINDS and version_by_date[d] != c.version_id:
                continue
            acted = True
            day = by_date[d]
            if c.kind in ABSENCE_RECORD_KINDS:
                by_date[d] = [a for a in day if a.staff_id != c.staff_id]
            elif c.kind == "cancel":
                by_date[d] = [a for a in day if not (a.staff_id == c.staff_id and c.shift in (None, a.shift))]
            elif c.kind == "extra":
                assert c.shift and c.role
                day.append(Assignment(date=d, shift=c.shift, staff_id=c.staff_id, role=c.role))
            elif c.kind == "swap":
                pair = {c.staff_id: c.other_staff_id, c.other_staff_id: c.staff_id}
                by_date[d] = [
                    a.model_copy(update={"staff_id": pair[a.staff_id]}) if a.staff_id in pair else a
                    for a in day
                ]
        if acted:
            applied.append(c)
        elif any(d in version_by_date for d in c.dates()):
            superseded.append(c)
    return [a for d in sorted(by_date) for a in by_date[d]], applied, superseded


def _records_overlapping(session: Session, start: dt.date, end: dt.date) -> list[RecordInfo]:
    rows = session.scalars(
        sa.select(Record).where(Record.start_date <= end, Record.end_date >= start).order_by(Record.id)
    ).all()
    return [_record_info(r) for r in rows]


def _actual(session: Session, start: dt.date, end: dt.date) -> ActualRoster:
    versions = _published_overlapping(session, start, end)
    by_date = _in_force(versions, start, end)
    used = sorted(set(by_date.values()))
    stored = _verified_assignments(session, [v for v in versions if v.id in used])
    published = [
        a
        for vid, rows in stored.items()
        for a in rows
        if start <= a.date <= end and by_date.get(a.date) == vid
    ]
    found = [c for c in _records_overlapping(session, start, end) if c.kind in RECORD_KINDS]
    assignments, applied, superseded = apply_records(published, by_date, found)
    roster = Roster(start=start, end=end, assignments=tuple(assignments)).sorted()
    return ActualRoster(roster, by_date, [v for v in versions if v.id in used], applied, superseded)


def actual_roster(store: Store, start: dt.date, end: dt.date) -> ActualRoster:
    """The actual roster of a date range: for each date the published roster in force, plus the
    changes recorded on it (planner.store, "What is in force")."""
    if end < start:
        raise InputError(f"--end {end} is before --start {start}: an impossible date range")
    with store.read() as session:
        return _actual(session, start, end)


def history_roster(store: Store, scenario: Scenario, start: dt.date, days: int = 31) -> Roster | None:
    """The actual roster of the `days` before `start`, as history for a solve (rest, consecutive
    days). Rows for people or shifts the scenario does not know are left out. None if empty."""
    first, last = start - dt.timedelta(days=days), start - dt.timedelta(days=1)
    actual = actual_roster(store, first, last)
    staff, shifts = scenario.staff_by_id, scenario.shifts_by_id
    kept = tuple(a for a in actual.roster.assignments if a.staff_id in staff and a.shift in shifts)
    dropped = len(actual.roster.assignments) - len(kept)
    if dropped:
        log.warning("history from the store: %d assignments of unknown people or shifts left out", dropped)
    if not kept:
        return None
    return Roster(start=first, end=last, assignments=kept)


# -- snapshots and versions -----------------------------------------------------------------
def _snapshot_id(session: Session, snapshot: Snapshot, name: str) -> int:
    digest = snapshot.digest
    existing = session.scalar(sa.select(ScenarioSnapshot.id).where(ScenarioSnapshot.digest == digest))
    if existing is not None:
        return existing
    row = ScenarioSnapshot(digest=digest, name=name, main_path=snapshot.main_path, created_at=_now())
    session.add(row)
    session.flush()
    session.add_all(
        SnapshotFile(snapshot_id=row.id, path=f.path, sha256=f.sha256, content=f.content)
        for f in snapshot.files
    )
    session.flush()
    return row.id


def _insert_chunk(session: Session, rows: list[dict[str, Any]]) -> None:
    session.execute(sa.insert(StoredAssignment), rows)


def _insert_assignments(session: Session, version_id: int, assignments: Sequence[Assignment]) -> None:
    rows = [
        {"version_id": version_id, "date": a.date, "shift": a.shift, "staff_id": a.staff_id, "role": a.role}
        for a in assignments
    ]
    for i in range(0, len(rows), CHUNK):
        _insert_chunk(session, rows[i : i + CHUNK])


def publish_version(
    store: Store,
    *,
    roster: Roster,
    snapshot: Snapshot,
    scenario_name: str,
    summary: dict[str, Any],
    author: str,
    status: str = "published",
    origin: str = "solve",
    source: str | None = None,
    based_on: int | None = None,
    forced: bool = False,
    roster_sha256: str | None = None,
    expect_actual: tuple[dt.date, dt.date, str] | None = None,
) -> PublishOutcome:
    """Store a roster version with its scenario snapshot and assignments, in one transaction.

    `expect_actual` = (start, end, content digest): publish only if the actual roster of those
    dates is still the one a re-plan started from (nobody published or recorded in between).
    """
    if status not in ("draft", "published"):
        raise ValueError(f"unknown status {status!r}")
    # Nothing is stored that a later command could not read back (see models.summary).
    check_summary(summary, "summary.json")
    outside = [a for a in roster.assignments if not roster.start <= a.date <= roster.end]
    if outside:
        raise InputError(
            f"{outside[0].date}: assignment outside the roster's dates {roster.start}..{roster.end}"
        )
    with store.write() as session:
        if expect_actual is not None:
            first, last, digest = expect_actual
            if content_digest(_actual(session, first, last).roster.assignments) != digest:
                raise StoreError(
                    f"{store.location}: {first} 至 {last} 的实际排班在重排期间被修改"
                    "（有人发布或登记了变动），请重新运行 (the store changed while re-planning)"
                )
        before = _in_force(
            _published_overlapping(session, roster.start, roster.end), roster.start, roster.end
        )
        changes = _records_overlapping(session, roster.start, roster.end)
        snapshot_id = _snapshot_id(session, snapshot, scenario_name)
        row = RosterVersion(
            status=status,
            author=author,
            created_at=_now(),
            start_date=roster.start,
            end_date=roster.end,
            snapshot_id=snapshot_id,
            origin=origin,
            source=source,
            based_on_id=based_on,
            forced=forced,
            assignment_count=len(roster.assignments),
            content_sha256=content_digest(roster.assignments),
            roster_sha256=roster_sha256,
            summary=json.dumps(summary, ensure_ascii=False, sort_keys=True),
        )
        session.add(row)
        session.flush()
        _insert_assignments(session, row.id, roster.assignments)
        # Every publication is in the audit trail, in its own transaction (issue 15).
        log_event(
            session,
            author,
            "publish" if status == "published" else "draft",
            f"version #{row.id}",
            f"{roster.start}..{roster.end} origin={origin}" + (" forced" if forced else ""),
        )
        snap = session.get(ScenarioSnapshot, snapshot_id)
        assert snap is not None
        info = _version_info(row, snap)
    superseded: dict[int, list[dt.date]] = defaultdict(list)
    dropped: list[RecordInfo] = []
    sick_removed: list[tuple[RecordInfo, Assignment]] = []
    if status == "published":
        for d, vid in sorted(before.items()):
            superseded[vid].append(d)
        dropped = [
            c
            for c in changes
            if c.kind not in ABSENCE_RECORD_KINDS and any(before.get(d) == c.version_id for d in c.dates())
        ]
        for c in changes:
            if c.kind in ABSENCE_RECORD_KINDS:
                sick_removed += [
                    (c, a)
                    for a in roster.assignments
                    if a.staff_id == c.staff_id and c.start <= a.date <= c.end
                ]
    return PublishOutcome(info, dict(superseded), dropped, sick_removed)


def versions(store: Store, status: str | None = None) -> list[VersionInfo]:
    with store.read() as session:
        query = _versions_query().order_by(RosterVersion.id)
        if status:
            query = query.where(RosterVersion.status == status)
        return [_version_info(v, s) for v, s in session.execute(query).all()]


def get_version(store: Store, version_id: int) -> VersionInfo:
    with store.read() as session:
        row = session.execute(_versions_query().where(RosterVersion.id == version_id)).first()
        if row is None:
            raise InputError(f"version #{version_id}: no such roster version in {store.location}")
        return _version_info(*row)


def version_roster(store: Store, version_id: int) -> Roster:
    """A version's assignments exactly as published (without recorded changes), checked
    against the digest stored when it was published."""
    info = get_version(store, version_id)
    with store.read() as session:
        assignments = tuple(_verified_assignments(session, [info])[version_id])
    return Roster(start=info.start, end=info.end, assignments=assignments)


def _snapshot(session: Session, snapshot_id: int) -> Snapshot:
    snap = session.get(ScenarioSnapshot, snapshot_id)
    if snap is None:
        raise StoreError(f"snapshot #{snapshot_id} is missing")
    files = session.scalars(sa.select(SnapshotFile).where(SnapshotFile.snapshot_id == snapshot_id)).all()
    result = Snapshot(
        tuple(sorted((FileContent(f.path, f.content) for f in files), key=lambda f: f.path)), snap.main_path
    )
    if result.digest != snap.digest:
        raise StoreError(f"snapshot #{snapshot_id}: its files do not match its digest (the store is damaged)")
    return result


def version_snapshot(store: Store, version_id: int) -> Snapshot:
    info = get_version(store, version_id)
    with store.read() as session:
        return _snapshot(session, info.snapshot_id)


def version_scenario(store: Store, version_id: int) -> Scenario:
    """The scenario a version was planned from, loaded from its snapshot."""
    return load_snapshot(version_snapshot(store, version_id))


def version_in_force(store: Store, date: dt.date) -> VersionInfo | None:
    with store.read() as session:
        versions_ = _published_overlapping(session, date, date)
    return max(versions_, key=lambda v: v.id) if versions_ else None


def display_scenario(store: Store, version_ids: Iterable[int]) -> Scenario | None:
    """One scenario that names everyone and every shift of several versions (for writing a
    roster CSV that spans them): the latest version's, plus what only earlier ones have."""
    ids = sorted(set(version_ids))
    if not ids:
        return None
    scenarios = [version_scenario(store, i) for i in ids]
    latest = scenarios[-1]
    staff = {p.id: p for s in scenarios for p in s.staff}
    shifts = {x.id: x for s in scenarios for x in s.shifts}
    roles = {r.id: r for s in scenarios for r in s.roles}
    staff.update(latest.staff_by_id)
    shifts.update(latest.shifts_by_id)
    roles.update({r.id: r for r in latest.roles})
    return latest.model_copy(
        update={
            "staff": tuple(staff.values()),
            "shifts": tuple(shifts.values()),
            "roles": tuple(roles.values()),
        }
    )


# -- records ----------------------------------------------------------------------------
def records(store: Store, start: dt.date | None = None, end: dt.date | None = None) -> list[RecordInfo]:
    with store.read() as session:
        query = sa.select(Record).order_by(Record.id)
        if start is not None:
            query = query.where(Record.end_date >= start)
        if end is not None:
            query = query.where(Record.start_date <= end)
        return [_record_info(r) for r in session.scalars(query).all()]


def sick_days(store: Store, start: dt.date, end: dt.date) -> list[RecordInfo]:
    """Recorded sick days and approved leave overlapping the range (absences when re-planning)."""
    return [c for c in records(store, start, end) if c.kind in ABSENCE_RECORD_KINDS]


def _check_record(new: NewRecord, versions_: dict[int, Scenario], actual: ActualRoster) -> NewRecord:
    """Refuse a change that names unknown ids or cannot act on the roster in force.

    Returns the change with its defaults filled in (an extra shift's role: the primary role).
    """
    ids = ", ".join(f"#{v}" for v in sorted(versions_))
    for vid, scenario in versions_.items():
        for option, staff_id in (("--staff", new.staff_id), ("--with", new.other_staff_id)):
            if staff_id is not None and staff_id not in scenario.staff_by_id:
                raise InputError(
                    f"{option} {staff_id}: 未知人员，不在已发布版本 #{vid} 的场景中 (unknown staff id)"
                )
        if new.shift is not None and new.shift not in scenario.shifts_by_id:
            known = ", ".join(scenario.shifts_by_id)
            raise InputError(
                f"--shift {new.shift}: 未知班次，版本 #{vid} 的班次有 {known} (unknown shift id)"
            )
    scenario = versions_[max(versions_)]
    person = scenario.staff_by_id[new.staff_id]
    days: dict[dt.date, list[Assignment]] = defaultdict(list)
    for a in actual.roster.assignments:
        days[a.date].append(a)

    def of(staff_id: str, d: dt.date) -> list[Assignment]:
        return [a for a in days[d] if a.staff_id == staff_id]

    dates = daterange(new.start, new.end)
    if new.kind == "extra":
        role = new.role or person.role
        if role not in {r.id for r in scenario.roles}:
            raise InputError(f"--role {role}: 未知岗位 (unknown role id; version {ids})")
        if role not in person.all_skills:
            raise InputError(
                f"--role {role}: {new.staff_id} 不具备该岗位技能 (skills: {', '.join(person.all_skills)})"
            )
        for d in dates:
            if of(new.staff_id, d):
                have = of(new.staff_id, d)[0]
                raise InputError(
                    f"--staff {new.staff_id} --date {d}: 当天已有 {have.shift} 班 (one shift per day); "
                    "请先取消 cancel"
                )
        return NewRecord(**{**new.__dict__, "role": role})
    if new.kind == "cancel":
        for d in dates:
            mine = [a for a in of(new.staff_id, d) if new.shift in (None, a.shift)]
            if not mine:
                what = f"{new.shift} 班" if new.shift else "班次"
                raise InputError(
                    f"--staff {new.staff_id} --date {d}: 当天没有{what}可取消 (no shift to cancel)"
                )
    if new.kind == "swap":
        other_id = new.other_staff_id
        assert other_id is not None
        if other_id == new.staff_id:
            raise InputError(f"--with {other_id}: 不能与自己换班 (swap needs two different people)")
        other = scenario.staff_by_id[other_id]
        for d in dates:
            mine, theirs = of(new.staff_id, d), of(other_id, d)
            if not mine and not theirs:
                raise InputError(
                    f"--date {d}: {new.staff_id} 和 {other_id} 当天都没有班次，无可交换 (nothing to swap)"
                )
            for a, taker in [(a, other) for a in mine] + [(a, person) for a in theirs]:
                if a.role not in taker.all_skills:
                    raise InputError(
                        f"--date {d}: {taker.id} 不具备 {a.role} 岗位技能，"
                        f"不能接替 {a.staff_id} 的 {a.shift} 班 (skill)"
                    )
    return new


def _checked_record(session: Session, new: NewRecord) -> tuple[NewRecord, int, ActualRoster]:
    """The change with its defaults, the version it is recorded on, and the actual roster of its
    dates before it; refused (InputError) when it cannot act on the roster in force."""
    if new.kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {new.kind!r}")
    if new.end < new.start:
        raise InputError(f"--until {new.end} is before --date {new.start}: an impossible date range")
    if (new.end - new.start).days > 366:
        raise InputError(
            f"--date {new.start} --until {new.end}: a change longer than a year is not supported"
        )
    published = _published_overlapping(session, new.start, new.end)
    in_force = _in_force(published, new.start, new.end)
    missing = [d for d in daterange(new.start, new.end) if d not in in_force]
    if missing:
        raise InputError(f"--date {missing[0]}: 这一天没有已发布的排班 (no published roster covers it)")
    version_ids = sorted(set(in_force.values()))
    if new.kind not in ABSENCE_RECORD_KINDS and len(version_ids) > 1:
        raise InputError(
            f"--date {new.start} --until {new.end}: 跨越多个已发布版本 "
            f"({', '.join(f'#{v}' for v in version_ids)})，"
            "请按版本分开登记 (the range spans several published versions)"
        )
    scenarios = {
        vid: load_snapshot(_snapshot(session, next(v.snapshot_id for v in published if v.id == vid)))
        for vid in version_ids
    }
    before = _actual(session, new.start, new.end)
    return _check_record(new, scenarios, before), in_force[new.start], before


def check_record(store: Store, new: NewRecord) -> NewRecord:
    """What `add_record` would record, without recording it (InputError when it cannot act)."""
    with store.read() as session:
        return _checked_record(session, new)[0]


def add_record_in(session: Session, new: NewRecord) -> RecordOutcome:
    """Record a change inside the caller's write transaction (an approval adds its own rows)."""
    checked, version_id, before = _checked_record(session, new)
    row = Record(
        version_id=version_id,
        kind=checked.kind,
        staff_id=checked.staff_id,
        other_staff_id=checked.other_staff_id,
        start_date=checked.start,
        end_date=checked.end,
        shift=checked.shift,
        role=checked.role,
        recorded_by=checked.recorded_by,
        recorded_at=_now(),
        reason=checked.reason,
    )
    session.add(row)
    session.flush()
    # The reason is personal data: the audit row names the record, not why.
    log_event(
        session, checked.recorded_by, "record", f"record #{row.id}", f"{checked.kind} {checked.staff_id}"
    )
    info = _record_info(row)
    after = _actual(session, new.start, new.end)
    people = {new.staff_id, new.other_staff_id}
    return RecordOutcome(
        info,
        [a for a in before.roster.assignments if a.staff_id in people],
        [a for a in after.roster.assignments if a.staff_id in people],
    )


def add_record(store: Store, new: NewRecord) -> RecordOutcome:
    """Record a change to the published roster in force on its dates (one new row)."""
    with store.write() as session:
        return add_record_in(session, new)


# -- backup and restore ---------------------------------------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return _aware(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_COLUMN_TYPES: list[tuple[type, Any]] = [
    (sa.DateTime, Annotated[iso_only(dt.datetime), AfterValidator(_aware)]),
    (sa.Date, iso_only(dt.date)),
    (sa.Boolean, StrictBool),  # "false" is not false
    (sa.Integer, StrictInt),  # 1.5 is not 1
    (sa.String, StrictStr),  # Text is a String
]


@functools.cache
def _row_schema(table_name: str) -> type[BaseModel]:
    """The pydantic schema of one table's rows in a backup, derived from the table itself."""
    table = next(m.__table__ for m in DATA_TABLES if m.__table__.name == table_name)
    fields: dict[str, Any] = {}
    for column in table.c:
        kind = next(t for base, t in _COLUMN_TYPES if isinstance(column.type, base))
        fields[column.name] = (kind | None, None) if column.nullable else (kind, ...)
    return create_model(f"Backup_{table_name}", __config__=ConfigDict(extra="forbid"), **fields)


def _decode_row(table_name: str, row: Any, where: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise InputError(f"{where}: not a row (expected a JSON object)")
    try:
        return _row_schema(table_name).model_validate(row).model_dump()
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        value = first.get("input")
        shown = "missing" if first["type"] == "missing" else f"{value!r}"[:80]
        raise InputError(f"{where}.{key} = {shown}: {first['msg']}") from None


def backup_data(store: Store) -> dict[str, Any]:
    """The whole store as one JSON-able document (read in one transaction, so consistent)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with store.read() as session:
        for model in DATA_TABLES:
            table = model.__table__
            rows = session.execute(sa.select(table).order_by(table.c.id)).mappings().all()
            tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    return {
        "format": BACKUP_FORMAT,
        "format_version": BACKUP_FORMAT_VERSION,
        "schema_revision": store.revision(),
        "created_at": _now().isoformat(),
        "tables": tables,
    }


def backup(store: Store, path: str | os.PathLike) -> dict[str, int]:
    """Write the whole store to one JSON file, atomically. Returns the row count per table.

    The file holds personal data (names, sick-day reasons): keep it on the machine.
    """
    data = backup_data(store)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return {name: len(rows) for name, rows in data["tables"].items()}


# A year of the contract's store (12 versions, their scenarios and summaries) is a few MiB.
MAX_BACKUP_BYTES = 256 * MIB


def _read_backup(path: Path) -> dict[str, list[dict[str, Any]]]:
    try:
        data = json.loads(read_bounded(path, MAX_BACKUP_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: backup file not found") from None
    except (FileRefused, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{path}: not a store backup (unreadable JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise InputError(
            f"{path}: format = {data.get('format') if isinstance(data, dict) else None!r}: not a store backup"
        )
    if data.get("format_version") != BACKUP_FORMAT_VERSION:
        raise InputError(f"{path}: format_version = {data.get('format_version')!r}: unsupported (expected 1)")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise InputError(f"{path}: tables: missing")
    decoded: dict[str, list[dict[str, Any]]] = {}
    for model in DATA_TABLES:
        table = model.__table__
        rows = tables.get(table.name)
        if not isinstance(rows, list):
            raise InputError(f"{path}: tables.{table.name}: missing")
        out = [
            _decode_row(table.name, row, f"{path}: tables.{table.name}[{i}]") for i, row in enumerate(rows)
        ]
        ids = [r["id"] for r in out]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise InputError(f"{path}: tables.{table.name}: id {dup} appears twice (damaged backup)")
        decoded[table.name] = out
    _verify_backup(path, decoded)
    return decoded


def _verify_backup(path: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Refuse a backup whose contents do not match their own digests (damaged or edited)."""
    files: dict[int, list[FileContent]] = defaultdict(list)
    for f in tables["snapshot_files"]:
        try:
            checked_path(f["path"])
        except InputError as exc:
            raise InputError(f"{path}: {exc} (crafted or damaged backup; nothing restored)") from None
        if FileContent(f["path"], f["content"]).sha256 != f["sha256"]:
            raise InputError(
                f"{path}: snapshot file {f['path']!r}: content does not match its sha256 (damaged backup)"
            )
        files[f["snapshot_id"]].append(FileContent(f["path"], f["content"]))
    snapshots = {s["id"] for s in tables["scenario_snapshots"]}
    for s in tables["scenario_snapshots"]:
        if snapshot_digest(files[s["id"]]) != s["digest"]:
            raise InputError(f"{path}: snapshot #{s['id']}: files do not match its digest (damaged backup)")
    by_version: dict[int, list[Assignment]] = defaultdict(list)
    for a in tables["assignments"]:
        by_version[a["version_id"]].append(
            Assignment(date=a["date"], shift=a["shift"], staff_id=a["staff_id"], role=a["role"])
        )
    versions_ = {v["id"] for v in tables["roster_versions"]}
    for v in tables["roster_versions"]:
        parse_summary(v["summary"], f"{path}: tables.roster_versions[id {v['id']}].summary")
        got = by_version.get(v["id"], [])
        if v["snapshot_id"] not in snapshots:
            raise InputError(f"{path}: version #{v['id']}: its snapshot #{v['snapshot_id']} is missing")
        if len(got) != v["assignment_count"] or content_digest(got) != v["content_sha256"]:
            raise InputError(
                f"{path}: version #{v['id']}: assignments do not match its digest (damaged backup)"
            )
    orphans = (set(by_version) | {c["version_id"] for c in tables["changes"]}) - versions_
    if orphans:
        raise InputError(f"{path}: rows refer to version #{min(orphans)}, which the backup does not contain")


def is_empty(store: Store) -> bool:
    with store.read() as session:
        return all(session.scalar(sa.select(sa.func.count()).select_from(m)) == 0 for m in DATA_TABLES)


def restore(store: Store, path: str | os.PathLike, force: bool = False) -> dict[str, int]:
    """Read a backup into the store, keeping every id, digest and time. Refuses a store that
    already holds data unless `force` (which replaces everything, in the same transaction)."""
    tables = _read_backup(Path(path))
    with store.write() as session:
        counts = {
            m.__table__.name: session.scalar(sa.select(sa.func.count()).select_from(m)) for m in DATA_TABLES
        }
        if any(counts.values()) and not force:
            held = ", ".join(f"{n} {c}" for n, c in counts.items() if c)
            raise InputError(
                f"{store.location}: 存储不为空 ({held})；如确要覆盖请加 --force (the store is not empty)"
            )
        for model in reversed(DATA_TABLES):
            session.execute(sa.delete(model))
        for model in DATA_TABLES:
            rows = tables[model.__table__.name]
            for i in range(0, len(rows), CHUNK):
                session.execute(sa.insert(model.__table__), rows[i : i + CHUNK])
        if session.get_bind().dialect.name == "postgresql":
            # Explicit ids leave PostgreSQL's sequences behind; move them past the restored ids.
            for model in DATA_TABLES:
                table = model.__table__
                top = session.scalar(sa.select(sa.func.max(table.c.id)))
                if top:
                    session.execute(
                        sa.select(sa.func.setval(sa.func.pg_get_serial_sequence(table.name, "id"), top))
                    )
    return {name: len(rows) for name, rows in tables.items()}
