"""The store's tables (SQLAlchemy 2.x declarative models).

Append-only by design: a published roster, a scenario snapshot and a recorded change are each a
new row, and no service function ever updates or deletes one (only `restore --force` empties the
store as a whole). What is current is derived from the rows (see planner.store, "Supersession").

Portable types only (Integer, String, Text, Date, DateTime, Boolean), so the same models serve
SQLite and PostgreSQL. The Alembic migrations in planner/store/migrations create exactly these
tables; a test compares the two.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so migrations on every backend name them the same way.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

VERSION_STATUSES = ("draft", "published")
RECORD_KINDS = ("sick", "leave", "swap", "extra", "cancel")
# Records that take a person off every shift of their dates, whichever version is in force.
ABSENCE_RECORD_KINDS = ("sick", "leave")
ACCOUNT_ROLES = ("manager", "engineer", "reviewer")
REQUEST_KINDS = ("leave", "preference", "swap")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class StoreMeta(Base):
    """One row (id 1), created by the first migration. Writers lock it (SELECT ... FOR UPDATE) so
    that on PostgreSQL, too, write transactions run one at a time; SQLite gets the same effect
    from BEGIN IMMEDIATE."""

    __tablename__ = "store_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ScenarioSnapshot(Base):
    """The scenario files a roster was planned from, exactly as they were (content + digest)."""

    __tablename__ = "scenario_snapshots"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # SHA-256 over the sorted (path, file SHA-256) lines: the same files give the same snapshot.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    main_path: Mapped[str] = mapped_column(String(1000))  # relative to the snapshot root
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SnapshotFile(Base):
    """One file of a snapshot: the main scenario, its `extends` bases, calendar overrides."""

    __tablename__ = "snapshot_files"
    __table_args__ = (UniqueConstraint("snapshot_id", "path"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("scenario_snapshots.id"), index=True)
    path: Mapped[str] = mapped_column(String(1000))  # relative, '/'-separated
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)


class RosterVersion(Base):
    """A stored roster: a draft, or a published roster that is in force for its dates until a
    later publication covers them."""

    __tablename__ = "roster_versions"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published')", name="status"),
        CheckConstraint("end_date >= start_date", name="date_order"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("scenario_snapshots.id"), index=True)
    origin: Mapped[str] = mapped_column(String(32))  # "solve" or "replan"
    source: Mapped[str | None] = mapped_column(String(1000), nullable=True)  # the solve folder
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("roster_versions.id"), nullable=True)
    forced: Mapped[bool] = mapped_column(Boolean)  # published with hard violations (--force)
    assignment_count: Mapped[int] = mapped_column(Integer)
    # SHA-256 of the sorted "date,shift,staff_id,role" lines: checks the assignments are intact.
    content_sha256: Mapped[str] = mapped_column(String(64))
    # The solve's own digest of roster.csv (summary.json "roster_sha256"), when there is one.
    roster_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    summary: Mapped[str] = mapped_column(Text)  # the solve's summary.json


class StoredAssignment(Base):
    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_version_date", "version_id", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("roster_versions.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    shift: Mapped[str] = mapped_column(String(100))
    staff_id: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(100))


class Record(Base):
    """Something that happened to a published roster: who, when, why.

    `reason` is personal data (a sick note, PIPL): it stays in this local store, is shown only
    on request, and is never sent anywhere.
    """

    # The table keeps its first name: existing stores and their backups (keyed by table) use it.
    __tablename__ = "changes"
    __table_args__ = (
        CheckConstraint("kind IN ('sick', 'leave', 'swap', 'extra', 'cancel')", name="kind"),
        CheckConstraint("end_date >= start_date", name="date_order"),
        Index("ix_changes_dates", "start_date", "end_date"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The published version in force on start_date when the change was recorded.
    version_id: Mapped[int] = mapped_column(ForeignKey("roster_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[str] = mapped_column(String(100))
    other_staff_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # swap partner
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    shift: Mapped[str | None] = mapped_column(String(100), nullable=True)  # extra; cancel (optional)
    role: Mapped[str | None] = mapped_column(String(100), nullable=True)  # extra
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)


class Account(Base):
    """A login of the team server (issue 15): who may see and do what.

    The one table whose rows change (password, failed logins, lock, disabling): an account is
    a credential, not a record. Every change to it is also an `audit_events` row, so its history
    is kept there. Accounts are never deleted, only disabled (附件六 三: removed from use when the
    person leaves, kept so that the audit trail still names them).
    """

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("role IN ('manager', 'engineer', 'reviewer')", name="role"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # an engineer's own row
    password_hash: Mapped[str] = mapped_column(String(500))
    password_set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    must_change: Mapped[bool] = mapped_column(Boolean)  # set by an administrator: change at next login
    failed_logins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


class PasswordHistory(Base):
    """Every password hash an account has had, so that the last ones are not used again."""

    __tablename__ = "password_history"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(500))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who did what, when: logins, publications, approvals, scenario changes, exports.

    Append-only: nothing in the program updates or deletes a row; the app has no way to edit it.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))  # a username, or "cli:<login name>"
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(500), nullable=True)
    detail: Mapped[str] = mapped_column(Text)


class TeamRequest(Base):
    """An engineer's request: leave, a shift preference, or a swap with a named colleague.

    The request itself never changes; what happened to it (accepted, approved, refused, ...) is a
    `request_events` row each, and its state is the last of them. `reason` is personal data.
    """

    __tablename__ = "team_requests"
    __table_args__ = (
        CheckConstraint("kind IN ('leave', 'preference', 'swap')", name="kind"),
        CheckConstraint("end_date >= start_date", name="date_order"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[str] = mapped_column(String(100))  # who asks
    other_staff_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # swap partner
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    shift: Mapped[str | None] = mapped_column(String(100), nullable=True)  # preference
    wish: Mapped[str | None] = mapped_column(String(8), nullable=True)  # preference: "on" or "off"
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))  # username
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RequestEvent(Base):
    """One step of a request: accepted or declined by the partner, approved or refused by the
    manager, withdrawn by the requester; an approval names the record it created."""

    __tablename__ = "request_events"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("team_requests.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))  # username
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text)
    # The record an approval created (`changes.id`). No foreign key: `restore --force` replaces
    # the roster tables and must not be blocked by, or erase, the team's history.
    record_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


# The team server's tables (issue 15). Not in a roster backup: accounts and the audit trail are
# not replaced by `restore --force`, which must never erase who did what.
TEAM_TABLES = (Account, PasswordHistory, AuditEvent, TeamRequest, RequestEvent)

# Tables in dependency order (backup writes them, restore inserts them, in this order).
DATA_TABLES = (ScenarioSnapshot, SnapshotFile, RosterVersion, StoredAssignment, Record)
