"""`roster user add|passwd|disable|list|sync` and `roster audit`: the team server's accounts.

Whoever runs these commands holds the store itself (the SQLite file, or the PostgreSQL URL with
its password), so they act as the administrator: the person 附件六 三 asks for ("明确专人负责账号
和密码管理"). The first manager account is made here (`roster user add --role manager NAME`), or
in the app on first start on this machine. Audit rows name the command's actor as
"cli:<login name>".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from planner.cli.common import DbOpt, console, fail, handle_input_errors, lazy_module, load, parse_date

# The store (SQLAlchemy) and argon2 load when a command first uses them (issue 13).
team = lazy_module("planner.workflows.team")
records = lazy_module("planner.workflows.records")
publish_flow = lazy_module("planner.workflows.publish")

user_app = typer.Typer(
    help="team accounts (账户): add, change a password, disable, list", no_args_is_help=True
)

PasswordOpt = Annotated[
    str | None,
    typer.Option(
        "--password",
        help="the password (else asked for, hidden); on a shared machine prefer the prompt: "
        "a command line is visible to other users",
    ),
]
ScenarioOpt = Annotated[
    Path | None,
    typer.Option(
        "--scenario", help="scenario file: the person's name and phone are kept out of the password"
    ),
]


def _actor() -> str:
    return f"cli:{publish_flow.default_author()}"


def _password(given: str | None) -> str:
    if given is not None:
        return given
    return typer.prompt("口令 password", hide_input=True, confirmation_prompt=True)


def _personal(scenario: Path | None, staff_id: str | None) -> tuple[str | None, ...]:
    if scenario is None or staff_id is None:
        return ()
    person = load(scenario).staff_by_id.get(staff_id)
    return (person.name, person.phone) if person else ()


def _local(t: dt.datetime | None) -> str:
    return "" if t is None else t.astimezone().strftime("%Y-%m-%d %H:%M")


@user_app.command("add")
@handle_input_errors
def user_add(
    username: Annotated[str, typer.Argument(help="login name, e.g. S04 or manager")],
    role: Annotated[
        str, typer.Option("--role", help="manager (服务经理), engineer (工程师), reviewer (甲方审阅)")
    ],
    staff: Annotated[
        str | None, typer.Option("--staff", help="the engineer's staff id (default: the name)")
    ] = None,
    password: PasswordOpt = None,
    scenario: ScenarioOpt = None,
    db: DbOpt = None,
) -> None:
    """Create an account; the password must meet 附件六 (18+ characters, upper, lower, digit, special)."""
    staff_id = staff or (username if role == "engineer" else None)
    if scenario is not None and staff_id is not None and staff_id not in load(scenario).staff_by_id:
        fail(f"--staff {staff_id}: 未知人员，不在 {scenario} 中 (unknown staff id)")
    store = records.open_store(db)
    account = team.add_account(
        store,
        username,
        role,
        _password(password),
        by=_actor(),
        staff_id=staff_id,
        personal=_personal(scenario, staff_id),
    )
    console.print(
        f"已创建账户 {escape(account.username)}（{team.ROLE_ZH[account.role]}"
        + (f"，工号 {escape(account.staff_id)}" if account.staff_id else "")
        + f"）；口令 {team.MAX_AGE_DAYS} 天内须更换 (account created)",
        highlight=False,
    )


@user_app.command("passwd")
@handle_input_errors
def user_passwd(
    username: Annotated[str, typer.Argument(help="the account")],
    password: PasswordOpt = None,
    scenario: ScenarioOpt = None,
    db: DbOpt = None,
) -> None:
    """Set a new password (the person must change it again at their next login in the app)."""
    store = records.open_store(db)
    accounts = {a.username: a for a in team.list_accounts(store)}
    staff_id = accounts[username].staff_id if username in accounts else None
    team.set_password(
        store, username, _password(password), by=_actor(), personal=_personal(scenario, staff_id)
    )
    console.print(f"已重设 {escape(username)} 的口令，下次登录时须更换 (password reset)", highlight=False)


@user_app.command("disable")
@handle_input_errors
def user_disable(
    username: Annotated[str, typer.Argument(help="the account")],
    reason: Annotated[str, typer.Option("--reason", help="why, e.g. 离职 (left the team)")] = "停用",
    db: DbOpt = None,
) -> None:
    """Take an account out of use (附件六 三); it stays listed so the audit trail names it."""
    account = team.disable_account(records.open_store(db), username, by=_actor(), reason=reason)
    console.print(
        f"账户 {escape(account.username)} 已停用 (disabled): {escape(account.disabled_reason or '')}"
    )


@user_app.command("sync")
@handle_input_errors
def user_sync(
    scenario: Annotated[
        Path, typer.Option("--scenario", help="scenario file with the staff's end_date and changes")
    ],
    today: Annotated[
        str | None, typer.Option("--today", help="the date to judge by (default: today)")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Disable the accounts of people who have left (end_date passed, or replaced in `changes`)."""
    day = parse_date(today, "--today") or dt.date.today()
    done = team.disable_departed(records.open_store(db), load(scenario), day, by=_actor())
    for account in done:
        console.print(
            f"已停用 {escape(account.username)}：{escape(account.disabled_reason or '')}", highlight=False
        )
    console.print(f"停用 {len(done)} 个账户 (disabled {len(done)})", highlight=False)


@user_app.command("list")
@handle_input_errors
def user_list(db: DbOpt = None) -> None:
    """Every account: role, staff id, when the password was set and expires, locks, disabling."""
    now = dt.datetime.now(dt.UTC)
    table = Table(title="账户 accounts", title_justify="left")
    for col in ("账户", "角色", "工号", "口令设置于", "口令到期", "状态"):
        table.add_column(col)
    for a in team.list_accounts(records.open_store(db)):
        if not a.active:
            status = f"已停用 {_local(a.disabled_at)} {a.disabled_reason or ''}"
        elif a.locked_until is not None and a.locked_until > now:
            status = f"已锁定至 {_local(a.locked_until)}"
        elif a.change_needed(now):
            status = "须更换口令" + ("（已过期）" if a.change_needed(now) == "expired" else "")
        else:
            status = "正常"
        expires = a.password_set_at + dt.timedelta(days=team.MAX_AGE_DAYS)
        table.add_row(
            a.username,
            team.ROLE_ZH[a.role],
            a.staff_id or "",
            _local(a.password_set_at),
            _local(expires),
            status,
        )
    console.print(table)


@handle_input_errors
def audit_cmd(
    since: Annotated[str | None, typer.Option("--since", help="from this date, YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option("--until", help="to this date (inclusive)")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="only this account")] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="only this action, e.g. publish, login")
    ] = None,
    db: DbOpt = None,
) -> None:
    """The audit trail (审计记录): who logged in, published, approved, exported, with the time."""
    first, last = parse_date(since, "--since"), parse_date(until, "--until")

    def utc(d: dt.date) -> dt.datetime:
        return dt.datetime.combine(d, dt.time(), tzinfo=dt.datetime.now().astimezone().tzinfo)

    events = team.audit_events(
        records.open_store(db),
        since=utc(first) if first else None,
        until=utc(last + dt.timedelta(days=1)) if last else None,
        actor=actor,
        action=action,
    )
    table = Table(title=f"审计记录 audit trail（{len(events)} 条）", title_justify="left")
    for col in ("#", "时间", "操作者", "操作", "对象", "说明"):
        table.add_column(col)
    for e in events:
        table.add_row(str(e.id), _local(e.at), e.actor, e.action, e.target or "", e.detail)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.command("audit")(audit_cmd)
