"""The team server (issue 15): accounts, password history, the audit trail, requests; and the
record kind "leave" (an approved leave request).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite cannot alter a CHECK constraint: batch mode copies the table (render_as_batch).
    with op.batch_alter_table("changes", recreate="always") as batch:
        batch.drop_constraint("ck_changes_kind", type_="check")
        batch.create_check_constraint("kind", "kind IN ('sick', 'leave', 'swap', 'extra', 'cancel')")
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.String(length=100), nullable=True),
        sa.Column("password_hash", sa.String(length=500), nullable=False),
        sa.Column("password_set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("must_change", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint("role IN ('manager', 'engineer', 'reviewer')", name="ck_accounts_role"),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("username", name="uq_accounts_username"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "password_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=500), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_password_history_account_id_accounts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_password_history"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_password_history_account_id", "password_history", ["account_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_table(
        "team_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.String(length=100), nullable=False),
        sa.Column("other_staff_id", sa.String(length=100), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(length=100), nullable=True),
        sa.Column("wish", sa.String(length=8), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('leave', 'preference', 'swap')", name="ck_team_requests_kind"),
        sa.CheckConstraint("end_date >= start_date", name="ck_team_requests_date_order"),
        sa.PrimaryKeyConstraint("id", name="pk_team_requests"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "request_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"], ["team_requests.id"], name="fk_request_events_request_id_team_requests"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_request_events"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_request_events_request_id", "request_events", ["request_id"])


def downgrade() -> None:
    for table in ("request_events", "team_requests", "audit_events", "password_history", "accounts"):
        op.drop_table(table)
    with op.batch_alter_table("changes", recreate="always") as batch:
        batch.drop_constraint("ck_changes_kind", type_="check")
        batch.create_check_constraint("kind", "kind IN ('sick', 'swap', 'extra', 'cancel')")
