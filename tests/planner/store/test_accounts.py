"""Team accounts (planner.store.accounts, planner.store.passwords): 附件六's password rules,
reuse, expiry, lock-out, disabling, the first manager, and the audit rows each leaves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from models.errors import InputError
from models.loader import load_scenario
from planner.store import accounts, passwords
from planner.store.db import Store
from planner.store.schema import Account
from tests.planner.store.conftest import TINY

GOOD = "Ld8#qW3!zR6@tY1$uP4x"
OTHER = "Vb7%nM2^kQ9&jH5*gF3e"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(str(tmp_path / "store.db"))


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Ld8#qW3!zR6@tY1$", "length"),  # 16 characters
        ("ld8#qw3!zr6@ty1$up4x", "upper"),
        ("LD8#QW3!ZR6@TY1$UP4X", "lower"),
        ("Ldx#qWy!zRz@tYw$uPvx", "digit"),
        ("Ld8qW3zR6tY1uP4xAb7c", "special"),
        ("Ld8#qW3!zR6@tY1$1234", "sequence"),
        ("Ld8#qW3!zR6@tY1$dcba", "sequence"),
        ("Ld8#qW3!zR6@tY1$aaaa", "sequence"),
        ("Ld8#qW3!zR6@13800138000x", "personal"),  # the phone number below
        ("Ld8#qW3!zR6@tY1$S04x", "personal"),  # the staff id
    ],
)
def test_each_rule_of_the_policy_is_named_when_broken(password: str, rule: str) -> None:
    personal = passwords.personal_tokens("S04", "13800138000")
    assert rule in passwords.failed_rules(password, personal)
    assert passwords.failed_rules(GOOD, personal) == []


def test_a_weak_password_is_refused_with_every_rule_it_breaks(store: Store) -> None:
    with pytest.raises(passwords.PasswordRefused) as caught:
        accounts.add_account(store, "S04", "engineer", "abc123", by="t", staff_id="S04")
    assert set(caught.value.failed) == {"length", "upper", "special"}
    assert "长度不少于18位" in str(caught.value) and "附件六" in str(caught.value)
    assert accounts.list_accounts(store) == []


def test_the_last_passwords_cannot_be_used_again(store: Store) -> None:
    accounts.add_account(store, "S04", "engineer", GOOD, by="t", staff_id="S04")
    accounts.set_password(store, "S04", OTHER, by="S04", old=GOOD)
    with pytest.raises(passwords.PasswordRefused) as caught:
        accounts.set_password(store, "S04", GOOD, by="S04", old=OTHER)
    assert caught.value.failed == ["reuse"]
    with pytest.raises(InputError, match="当前口令不正确"):
        accounts.set_password(store, "S04", "Qz5&wE8*rT2(yU7)iO4p", by="S04", old=GOOD)


def test_expiry_after_30_days_and_a_reset_both_force_a_change(store: Store) -> None:
    a = accounts.add_account(store, "S04", "engineer", GOOD, by="t", staff_id="S04")
    assert a.change_needed() is None
    assert a.change_needed(a.password_set_at + dt.timedelta(days=30)) == "expired"
    reset = accounts.set_password(store, "S04", OTHER, by="cli:admin")
    assert reset.change_needed() == "reset"
    changed = accounts.set_password(store, "S04", "Qz5&wE8*rT2(yU7)iO4p", by="S04", old=OTHER)
    assert changed.change_needed() is None


def test_five_wrong_passwords_lock_the_account_and_the_lock_ends(store: Store) -> None:
    accounts.add_account(store, "S04", "engineer", GOOD, by="t", staff_id="S04")
    now = dt.datetime.now(dt.UTC)
    results = [accounts.login(store, "S04", "wrong", now) for _ in range(passwords.LOCK_AFTER)]
    assert [r.refusal for r in results] == ["wrong"] * passwords.LOCK_AFTER
    locked = accounts.login(store, "S04", GOOD, now)
    assert locked.refusal == "locked" and locked.locked_until > now
    later = now + dt.timedelta(minutes=passwords.LOCK_MINUTES + 1)
    assert accounts.login(store, "S04", GOOD, later).ok
    actions = [e.action for e in accounts.audit_events(store)]
    assert actions.count("login_failed") == passwords.LOCK_AFTER + 1
    assert "account_locked" in actions and actions[-1] == "login"


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer(store: Store) -> None:
    accounts.add_account(store, "S04", "engineer", GOOD, by="t", staff_id="S04")
    assert (
        accounts.login(store, "nobody", GOOD).refusal
        == accounts.login(store, "S04", "wrong").refusal
        == "wrong"
    )


def test_a_disabled_account_cannot_log_in_and_departed_staff_are_disabled(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(
        TINY.replace("{id: P4, name: 赵四, role: b}", "{id: P4, name: 赵四, role: b, end_date: 2026-12-10}")
    )
    accounts.add_account(store, "P4", "engineer", GOOD, by="t", staff_id="P4")
    accounts.add_account(store, "P5", "engineer", GOOD, by="t", staff_id="P5")
    scenario = load_scenario(path)
    assert accounts.disable_departed(store, scenario, dt.date(2026, 12, 10), by="t") == []
    done = accounts.disable_departed(store, scenario, dt.date(2026, 12, 11), by="t")
    assert [a.username for a in done] == ["P4"] and "2026-12-10" in done[0].disabled_reason
    assert accounts.login(store, "P4", GOOD).refusal == "disabled"
    assert accounts.login(store, "P5", GOOD).ok


def test_only_the_first_account_can_be_made_by_the_first_run(store: Store) -> None:
    accounts.add_account(store, "boss", "manager", GOOD, by="boss", first=True)
    with pytest.raises(InputError, match="已有账户"):
        accounts.add_account(store, "intruder", "manager", OTHER, by="intruder", first=True)
    assert [a.username for a in accounts.list_accounts(store)] == ["boss"]


def test_passwords_are_stored_as_argon2id_hashes_only(store: Store) -> None:
    accounts.add_account(store, "boss", "manager", GOOD, by="t")
    with store.read() as session:
        stored = session.scalar(sa.select(Account.password_hash))
    assert stored.startswith("$argon2id$") and GOOD not in stored


def test_a_0001_store_with_records_migrates_to_the_team_schema(tmp_path: Path) -> None:
    """An existing store (schema 0001, a sick record in it) upgrades and keeps its rows."""
    from alembic import command

    from planner.store.db import _alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql(
            "INSERT INTO scenario_snapshots VALUES (1, 'd', 'n', 'm.yaml', '2026-12-01 00:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO roster_versions VALUES (1, 'published', 'a', '2026-12-01 00:00:00', '2026-12-01',"
            " '2026-12-05', 1, 'solve', NULL, NULL, 0, 0, 'x', NULL, '{}')"
        )
        conn.exec_driver_sql(
            "INSERT INTO changes VALUES (1, 1, 'sick', 'P1', NULL, '2026-12-02', '2026-12-02', NULL, NULL,"
            " 'a', '2026-12-01 00:00:00', '发烧')"
        )
    engine.dispose()
    store = Store(url)
    assert store.revision() == "0002"
    with store.read() as session:
        kinds = session.execute(sa.text("SELECT kind, reason FROM changes")).all()
    assert kinds == [("sick", "发烧")]
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE changes SET kind = 'bogus'")
