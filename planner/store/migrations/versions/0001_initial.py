"""The first store schema: snapshots, roster versions, assignments, recorded changes.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    meta = op.create_table(
        "store_meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_store_meta"),
    )
    # The row writers lock (planner.store.schema.StoreMeta).
    op.bulk_insert(meta, [{"id": 1, "created_at": dt.datetime.now(dt.UTC)}])
    op.create_table(
        "scenario_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("main_path", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scenario_snapshots"),
        sa.UniqueConstraint("digest", name="uq_scenario_snapshots_digest"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "snapshot_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["scenario_snapshots.id"],
            name="fk_snapshot_files_snapshot_id_scenario_snapshots",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_snapshot_files"),
        sa.UniqueConstraint("snapshot_id", "path", name="uq_snapshot_files_snapshot_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_snapshot_files_snapshot_id", "snapshot_files", ["snapshot_id"])
    op.create_table(
        "roster_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=True),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.Column("assignment_count", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("roster_sha256", sa.String(length=64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'published')", name="ck_roster_versions_status"),
        sa.CheckConstraint("end_date >= start_date", name="ck_roster_versions_date_order"),
        sa.ForeignKeyConstraint(
            ["based_on_id"], ["roster_versions.id"], name="fk_roster_versions_based_on_id_roster_versions"
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["scenario_snapshots.id"],
            name="fk_roster_versions_snapshot_id_scenario_snapshots",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_roster_versions"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_roster_versions_snapshot_id", "roster_versions", ["snapshot_id"])
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(length=100), nullable=False),
        sa.Column("staff_id", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["roster_versions.id"], name="fk_assignments_version_id_roster_versions"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assignments"),
    )
    op.create_index("ix_assignments_version_date", "assignments", ["version_id", "date"])
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.String(length=100), nullable=False),
        sa.Column("other_staff_id", sa.String(length=100), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(length=100), nullable=True),
        sa.Column("role", sa.String(length=100), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('sick', 'swap', 'extra', 'cancel')", name="ck_changes_kind"),
        sa.CheckConstraint("end_date >= start_date", name="ck_changes_date_order"),
        sa.ForeignKeyConstraint(
            ["version_id"], ["roster_versions.id"], name="fk_changes_version_id_roster_versions"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_changes"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_changes_dates", "changes", ["start_date", "end_date"])
    op.create_index("ix_changes_version_id", "changes", ["version_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_changes_version_id", "changes"),
        ("ix_changes_dates", "changes"),
        ("ix_assignments_version_date", "assignments"),
        ("ix_roster_versions_snapshot_id", "roster_versions"),
        ("ix_snapshot_files_snapshot_id", "snapshot_files"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "changes",
        "assignments",
        "roster_versions",
        "snapshot_files",
        "scenario_snapshots",
        "store_meta",
    ):
        op.drop_table(table)
