"""`roster user add|passwd|disable|list|sync` and `roster audit`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.cli.helpers import one_line_error
from tests.planner.store.conftest import TINY

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
CONTRACT = str(ROOT / "scenarios" / "contract-2026.yaml")
GOOD = "Ld8#qW3!zR6@tY1$uP4x"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


def test_a_weak_password_exits_2_naming_the_failed_rule(db: str) -> None:
    line = one_line_error(
        runner.invoke(
            app, ["user", "add", "--role", "engineer", "S04", "--password", "Abc!12345", "--db", db]
        )
    )
    assert "长度不少于18位" in line and "附件六" in line
    listed = runner.invoke(app, ["user", "list", "--db", db])
    assert "S04" not in listed.output


def test_a_conforming_password_is_accepted_and_listed(db: str) -> None:
    result = runner.invoke(
        app,
        ["user", "add", "--role", "engineer", "S04", "--password", GOOD, "--scenario", CONTRACT, "--db", db],
    )
    assert result.exit_code == 0, result.output
    assert "已创建账户 S04" in result.output
    listed = runner.invoke(app, ["user", "list", "--db", db])
    assert (
        listed.exit_code == 0
        and "S04" in listed.output
        and "工程师" in listed.output
        and "正常" in listed.output
    )


@pytest.fixture
def team_file(tmp_path: Path) -> Path:
    """The tiny scenario with P4's phone number and last day recorded."""
    path = tmp_path / "tiny.yaml"
    path.write_text(
        TINY.replace(
            "{id: P4, name: 赵四, role: b}",
            "{id: P4, name: 赵四, role: b, phone: 138-0013-8000, end_date: 2026-12-10}",
        ),
        encoding="utf-8",
    )
    return path


def test_the_persons_own_phone_number_is_refused(db: str, team_file: Path) -> None:
    args = ["user", "add", "--role", "engineer", "P4", "--scenario", str(team_file), "--db", db]
    line = one_line_error(runner.invoke(app, [*args, "--password", "Xy#q13800138000!Qw"]))
    assert "电话号码" in line
    line = one_line_error(
        runner.invoke(app, [*args, "--password", "Xy#qW8!zR6@tY1$138000"])
    )  # its last 6 digits
    assert "电话号码" in line


def test_unknown_staff_and_roles_are_one_line(db: str) -> None:
    line = one_line_error(
        runner.invoke(
            app,
            [
                "user",
                "add",
                "--role",
                "engineer",
                "S99",
                "--password",
                GOOD,
                "--scenario",
                CONTRACT,
                "--db",
                db,
            ],
        )
    )
    assert "S99" in line
    line = one_line_error(
        runner.invoke(app, ["user", "add", "--role", "boss", "x1", "--password", GOOD, "--db", db])
    )
    assert "--role boss" in line


def test_disable_reset_and_the_audit_trail(db: str) -> None:
    assert (
        runner.invoke(
            app, ["user", "add", "--role", "manager", "boss", "--password", GOOD, "--db", db]
        ).exit_code
        == 0
    )
    reset = runner.invoke(app, ["user", "passwd", "boss", "--password", "Vb7%nM2^kQ9&jH5*gF3e", "--db", db])
    assert reset.exit_code == 0, reset.output
    disabled = runner.invoke(app, ["user", "disable", "boss", "--reason", "离职", "--db", db])
    assert disabled.exit_code == 0 and "已停用" in disabled.output
    listed = runner.invoke(app, ["user", "list", "--db", db])
    assert "已停用" in listed.output
    audit = runner.invoke(app, ["audit", "--db", db])
    assert audit.exit_code == 0
    for action in ("account_add", "password_reset", "account_disable"):
        assert action in audit.output
    only = runner.invoke(app, ["audit", "--action", "account_disable", "--db", db])
    assert "account_add" not in only.output and "account_disable" in only.output
    assert "1 条" in only.output


def test_sync_disables_people_who_left(db: str, team_file: Path) -> None:
    for staff in ("P4", "P5"):
        assert (
            runner.invoke(
                app, ["user", "add", "--role", "engineer", staff, "--password", GOOD, "--db", db]
            ).exit_code
            == 0
        )
    before = runner.invoke(
        app, ["user", "sync", "--scenario", str(team_file), "--today", "2026-12-10", "--db", db]
    )
    assert before.exit_code == 0 and "停用 0 个账户" in before.output, before.output
    after = runner.invoke(
        app, ["user", "sync", "--scenario", str(team_file), "--today", "2026-12-11", "--db", db]
    )
    assert after.exit_code == 0 and "已停用 P4" in after.output and "停用 1 个账户" in after.output, (
        after.output
    )
