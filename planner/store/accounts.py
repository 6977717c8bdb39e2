"""Team accounts (issue 15): create, log in, change a password, disable; and the audit trail.

Roles: 服务经理 `manager` (everything), 工程师 `engineer` (their own row, calendar and requests;
tied to a staff id), 甲方审阅 `reviewer` (published rosters and coverage proofs, no personal
data). The password policy is 附件六's (planner.store.passwords).

Every change of an account and every login attempt writes an `audit_events` row in the same
transaction as the change itself, so the trail cannot miss one. Nothing here updates or deletes
an audit row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.errors import InputError
from models.scenario import Scenario
from planner.store import passwords
from planner.store.db import Store
from planner.store.schema import ACCOUNT_ROLES, Account, AuditEvent, PasswordHistory

ROLE_ZH = {"manager": "服务经理", "engineer": "工程师", "reviewer": "甲方审阅"}
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{1,99}")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class AccountInfo:
    id: int
    username: str
    role: str
    staff_id: str | None
    password_set_at: dt.datetime
    must_change: bool
    failed_logins: int
    locked_until: dt.datetime | None
    disabled_at: dt.datetime | None
    disabled_reason: str | None
    created_at: dt.datetime
    created_by: str

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def password_expired(self, now: dt.datetime | None = None) -> bool:
        return passwords.expired(self.password_set_at, now or _now())

    def change_needed(self, now: dt.datetime | None = None) -> str | None:
        """Why the password must be changed before anything else: "expired", "reset" or None."""
        if self.password_expired(now):
            return "expired"
        return "reset" if self.must_change else None


def _info(row: Account) -> AccountInfo:
    return AccountInfo(
        id=row.id,
        username=row.username,
        role=row.role,
        staff_id=row.staff_id,
        password_set_at=_aware(row.password_set_at),
        must_change=row.must_change,
        failed_logins=row.failed_logins,
        locked_until=_aware(row.locked_until),
        disabled_at=_aware(row.disabled_at),
        disabled_reason=row.disabled_reason,
        created_at=_aware(row.created_at),
        created_by=row.created_by,
    )


# -- the audit trail ---------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditInfo:
    id: int
    at: dt.datetime
    actor: str
    action: str
    target: str | None
    detail: str


def log_event(session: Session, actor: str, action: str, target: str | None = None, detail: str = "") -> None:
    """Add one audit row inside the caller's write transaction."""
    session.add(AuditEvent(at=_now(), actor=actor, action=action, target=target, detail=detail))


def audit(store: Store, actor: str, action: str, target: str | None = None, detail: str = "") -> None:
    """Record one event in its own transaction (a publication, an export, a scenario change)."""
    with store.write() as session:
        log_event(session, actor, action, target, detail)


def audit_events(
    store: Store,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
) -> list[AuditInfo]:
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    with store.read() as session:
        return [
            AuditInfo(r.id, _aware(r.at), r.actor, r.action, r.target, r.detail)
            for r in session.scalars(query)
        ]


# -- accounts ----------------------------------------------------------------------------------
def has_accounts(store: Store) -> bool:
    with store.read() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Account)) > 0


def list_accounts(store: Store) -> list[AccountInfo]:
    with store.read() as session:
        return [_info(r) for r in session.scalars(sa.select(Account).order_by(Account.id))]


def get_account(store: Store, account_id: int) -> AccountInfo | None:
    with store.read() as session:
        row = session.get(Account, account_id)
        return _info(row) if row is not None else None


def _by_name(session: Session, username: str) -> Account | None:
    return session.scalar(sa.select(Account).where(Account.username == username))


def _named(session: Session, username: str) -> Account:
    row = _by_name(session, username)
    if row is None:
        raise InputError(f"账户 {username}: 不存在 (no such account)")
    return row


def _personal(username: str, staff_id: str | None, extra: tuple[str | None, ...]) -> list[str]:
    return passwords.personal_tokens(username, staff_id, *extra)


def add_account(
    store: Store,
    username: str,
    role: str,
    password: str,
    *,
    by: str,
    staff_id: str | None = None,
    personal: tuple[str | None, ...] = (),
    must_change: bool = False,
    first: bool = False,
) -> AccountInfo:
    """Create an account. `personal`: more strings the password may not contain (the person's
    name and phone number, from the scenario). Refused with every broken rule named.

    `first`: only if the store has no account yet (the app's first run), checked inside the
    transaction, so two first visitors cannot both become the manager."""
    if not USERNAME.fullmatch(username):
        raise InputError(f"账户名 {username!r}: 只能用字母、数字和 _ . -，2 到 100 个字符 (bad user name)")
    if role not in ACCOUNT_ROLES:
        raise InputError(f"--role {role}: 未知角色，可选 {', '.join(ACCOUNT_ROLES)} (unknown role)")
    if role == "engineer" and not staff_id:
        raise InputError(
            "--role engineer: 工程师账户须指定 --staff 工号 (an engineer's account names their staff id)"
        )
    passwords.check(password, _personal(username, staff_id, personal))
    now = _now()
    digest = passwords.hash_password(password)
    with store.write() as session:
        if first and session.scalar(sa.select(sa.func.count()).select_from(Account)):
            raise InputError("排班库中已有账户，请登录 (accounts exist already)")
        if _by_name(session, username) is not None:
            raise InputError(f"账户 {username}: 已存在 (the account exists)")
        if staff_id is not None:
            taken = session.scalar(
                sa.select(Account).where(Account.staff_id == staff_id, Account.disabled_at.is_(None))
            )
            if taken is not None:
                raise InputError(
                    f"--staff {staff_id}: 已有账户 {taken.username} (one active account per person)"
                )
        row = Account(
            username=username,
            role=role,
            staff_id=staff_id,
            password_hash=digest,
            password_set_at=now,
            must_change=must_change,
            failed_logins=0,
            locked_until=None,
            disabled_at=None,
            disabled_reason=None,
            created_at=now,
            created_by=by,
        )
        session.add(row)
        session.flush()
        session.add(PasswordHistory(account_id=row.id, password_hash=digest, set_at=now))
        log_event(session, by, "account_add", username, f"role={role} staff={staff_id or '-'}")
        return _info(row)


def _reused(session: Session, account_id: int, password: str) -> bool:
    recent = session.scalars(
        sa.select(PasswordHistory.password_hash)
        .where(PasswordHistory.account_id == account_id)
        .order_by(PasswordHistory.id.desc())
        .limit(passwords.REUSE_DEPTH)
    ).all()
    return any(passwords.verify(h, password) for h in recent)


def set_password(
    store: Store,
    username: str,
    new: str,
    *,
    by: str,
    old: str | None = None,
    personal: tuple[str | None, ...] = (),
) -> AccountInfo:
    """Change a password. With `old` (the person themself) the old one must be right; without
    it (the manager's reset) the person must change it again at their next login."""
    with store.write() as session:
        row = _named(session, username)
        if old is not None and not passwords.verify(row.password_hash, old):
            log_event(session, by, "password_change_refused", username, "wrong current password")
            raise InputError("当前口令不正确 (the current password is wrong)")
        failed = passwords.failed_rules(new, _personal(row.username, row.staff_id, personal))
        if _reused(session, row.id, new):
            failed.append("reuse")
        if failed:
            raise passwords.PasswordRefused(failed)
        now = _now()
        digest = passwords.hash_password(new)
        row.password_hash = digest
        row.password_set_at = now
        row.must_change = old is None and by != row.username
        row.failed_logins = 0
        row.locked_until = None
        session.add(PasswordHistory(account_id=row.id, password_hash=digest, set_at=now))
        log_event(session, by, "password_change" if old is not None else "password_reset", username)
        return _info(row)


def disable_account(store: Store, username: str, *, by: str, reason: str) -> AccountInfo:
    """Take an account out of use (附件六 三 "及时删除人员变动或者调整的账号"). It stays in the
    store so that the audit trail still names it; it can no longer log in."""
    with store.write() as session:
        row = _named(session, username)
        if row.disabled_at is None:
            row.disabled_at = _now()
            row.disabled_reason = reason
            log_event(session, by, "account_disable", username, reason)
        return _info(row)


def departed_staff(scenario: Scenario, today: dt.date) -> dict[str, str]:
    """Staff ids that have left by `today`, with why: an `end_date` passed, or a replacement
    (`changes`) whose last day has passed."""
    gone = {
        p.id: f"end_date {p.end_date}"
        for p in scenario.staff
        if p.end_date is not None and p.end_date < today
    }
    for change in scenario.changes:
        if change.last_day < today:
            gone.setdefault(change.staff, f"changes: last_day {change.last_day}")
    return gone


def disable_departed(store: Store, scenario: Scenario, today: dt.date, *, by: str) -> list[AccountInfo]:
    """Disable the accounts of people who have left (end_date or a replacement in `changes`)."""
    gone = departed_staff(scenario, today)
    done = []
    for account in list_accounts(store):
        if account.active and account.staff_id in gone:
            done.append(
                disable_account(store, account.username, by=by, reason=f"离职 left: {gone[account.staff_id]}")
            )
    return done


# -- logging in --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoginResult:
    account: AccountInfo | None  # None: refused
    refusal: str | None  # "wrong" (name or password), "locked", "disabled"
    locked_until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.account is not None


def login(store: Store, username: str, password: str, now: dt.datetime | None = None) -> LoginResult:
    """Check a login. A wrong name and a wrong password get the same answer and take the same
    time; LOCK_AFTER wrong passwords in a row lock the account for LOCK_MINUTES."""
    now = now or _now()
    with store.write() as session:
        row = _by_name(session, username)
        if row is None:
            passwords.verify(passwords.dummy_hash(), password)
            log_event(session, username[:200], "login_failed", username[:500], "unknown account")
            return LoginResult(None, "wrong")
        locked = _aware(row.locked_until)
        if locked is not None and locked > now:
            log_event(session, username, "login_failed", username, "locked")
            return LoginResult(None, "locked", locked)
        if not passwords.verify(row.password_hash, password):
            row.failed_logins += 1
            detail = f"wrong password ({row.failed_logins})"
            if row.failed_logins >= passwords.LOCK_AFTER:
                row.locked_until = now + dt.timedelta(minutes=passwords.LOCK_MINUTES)
                row.failed_logins = 0
                log_event(
                    session, username, "account_locked", username, f"until {row.locked_until.isoformat()}"
                )
            log_event(session, username, "login_failed", username, detail)
            return LoginResult(None, "wrong")
        # The right password of a disabled account says so (only to whoever knows the password).
        if row.disabled_at is not None:
            log_event(session, username, "login_failed", username, "disabled")
            return LoginResult(None, "disabled")
        row.failed_logins = 0
        row.locked_until = None
        log_event(session, username, "login", username)
        return LoginResult(_info(row), None)
