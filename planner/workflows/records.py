"""The store's records and history, end to end: open the store, record what happened to a
published roster, list versions and records, back up and restore.

The CLI (`roster record`, `history`, `backup`, `restore`) and the app reach the store through
here and planner.workflows.actual / publish / replan only: what "in force", "active" and
"actual" mean is decided once, in planner.store, and checked once, in planner.check.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass

from models.roster import Assignment
from models.scenario import Scenario
from planner.check.validate import Violation, validate
from planner.problem.instance import Instance
from planner.store import service
from planner.store.db import Store, display_url, resolve_url
from planner.store.service import NewRecord, RecordInfo, VersionInfo

# How far around a record the actual roster is searched for hard rules it now breaks.
NEAR_DAYS = 7

__all__ = ["NewRecord", "open_store", "store_location", "record", "history", "backup", "restore"]


def open_store(db: str | None = None) -> Store:
    """The store at `db` (a SQLAlchemy URL or a SQLite file), else $ROSTER_DB, else the default."""
    return Store(db)


def store_url(db: str | None = None) -> str:
    """The store's full URL (with any password): to open it, never to show."""
    return resolve_url(db)


def store_location(db: str | None = None) -> str:
    """Where the store is, without a password, for a page that has not opened it yet."""
    return display_url(resolve_url(db))


@dataclass
class CellChange:
    """One person's shifts on one date, before and after a record."""

    staff_id: str
    date: dt.date
    before: list[Assignment]
    after: list[Assignment]


@dataclass
class RecordResult:
    record: RecordInfo
    scenario: Scenario  # the scenario of the version the record acts on (names, shifts)
    moved: list[CellChange]  # cells of the actual roster the record changed
    near_violations: list[Violation]  # hard rules the actual roster now breaks near the record


def record(store: Store, new: NewRecord) -> RecordResult:
    """Record a change to the published roster. A record is never refused for the hard rules the
    actual roster then breaks (it states what happened); they are returned, to be fixed."""
    outcome = service.add_record(store, new)
    c = outcome.record
    scenario = service.version_scenario(store, c.version_id)
    before: dict[tuple[str, dt.date], list[Assignment]] = defaultdict(list)
    after: dict[tuple[str, dt.date], list[Assignment]] = defaultdict(list)
    for a in outcome.before:
        before[a.staff_id, a.date].append(a)
    for a in outcome.after:
        after[a.staff_id, a.date].append(a)
    moved = [
        CellChange(staff_id, d, before.get((staff_id, d), []), after.get((staff_id, d), []))
        for staff_id, d in sorted(set(before) | set(after))
        if before.get((staff_id, d), []) != after.get((staff_id, d), [])
    ]
    return RecordResult(c, scenario, moved, _violations_near(store, c))


def _violations_near(store: Store, c: RecordInfo) -> list[Violation]:
    version = service.get_version(store, c.version_id)
    scenario = service.version_scenario(store, version.id)
    actual = service.actual_roster(store, version.start, version.end)
    history = service.history_roster(store, scenario, version.start)
    known = tuple(
        a
        for a in actual.roster.assignments
        if a.staff_id in scenario.staff_by_id and a.shift in scenario.shifts_by_id
    )
    report = validate(
        Instance(scenario, version.start, version.end, history),
        actual.roster.model_copy(update={"assignments": known}),
    )
    people = {c.staff_id, c.other_staff_id}
    near = dt.timedelta(days=NEAR_DAYS)
    return [
        v
        for v in report.hard_violations
        if v.staff_id in people and v.date is not None and c.start - near <= v.date <= c.end + near
    ]


@dataclass
class History:
    versions: list[VersionInfo]
    in_force_days: dict[int, int]  # published version id -> dates on which it is in force
    records: list[RecordInfo]
    active: set[int]  # ids of the records the actual roster applies (the rest were superseded)


def history(store: Store, start: dt.date | None = None, end: dt.date | None = None) -> History:
    """Roster versions and records overlapping start..end (either may be open)."""
    versions = service.versions(store)
    if start:
        versions = [v for v in versions if v.end >= start]
    if end:
        versions = [v for v in versions if v.start <= end]
    records = service.records(store, start, end)
    return History(versions, _in_force_days(store, versions), records, _active(store, records))


def _in_force_days(store: Store, versions: list[VersionInfo]) -> dict[int, int]:
    published = [v for v in versions if v.status == "published"]
    if not published:
        return {}
    first, last = min(v.start for v in published), max(v.end for v in published)
    counts: dict[int, int] = defaultdict(int)
    for vid in service.actual_roster(store, first, last).version_by_date.values():
        counts[vid] += 1
    return counts


def _active(store: Store, records: list[RecordInfo]) -> set[int]:
    if not records:
        return set()
    first, last = min(c.start for c in records), max(c.end for c in records)
    return {c.id for c in service.actual_roster(store, first, last).applied}


def backup(store: Store, path: str | os.PathLike) -> dict[str, int]:
    """The whole store to one file, atomically; returns the rows written per table."""
    return service.backup(store, path)


def restore(store: Store, path: str | os.PathLike, force: bool = False) -> dict[str, int]:
    """A backup into an empty store (or, with `force`, in place of what it holds)."""
    return service.restore(store, path, force=force)
