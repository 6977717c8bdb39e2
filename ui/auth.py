"""Login before anything: the app shows no page, name or number until an account is logged in.

Why our own form and not a component: the accounts live in the roster store (SQLite, or the
team's PostgreSQL) with 附件六's policy, the password history, lock-out and the audit trail
(planner.store.accounts). streamlit-authenticator keeps its credentials in a YAML file with
bcrypt and its own rules, which would be a second account store beside ours; Streamlit's own
`st.login` needs an OpenID Connect provider on the internet, which this offline, on-premises
deployment does not have. A form of two fields over `team.login` is less code than either.

A session is a row in Streamlit's server-side session state (per browser tab, never sent to
the browser). It ends after IDLE_MINUTES without a rerun, after MAX_HOURS in all, on 退出登录,
or as soon as the account is disabled (each rerun re-reads the account from the store).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from models.errors import InputError
from planner.workflows import records, team
from ui import launch, state

K_AUTH = "_auth"  # the logged-in Session
K_AUTH_FLASH = "_auth_flash"  # why the last session ended
K_SHOW_CHANGE = "_show_password_change"
IDLE_MINUTES = 30
MAX_HOURS = 12


@dataclass(frozen=True)
class Session:
    account_id: int
    username: str
    role: str
    staff_id: str | None
    started: dt.datetime
    last_seen: dt.datetime

    @property
    def role_zh(self) -> str:
        return team.ROLE_ZH[self.role]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@st.cache_resource(show_spinner=False)
def _store_at(url: str):
    return records.open_store(url)


def store():
    """The roster store of this app (ROSTER_DB, else the default file), opened once per process."""
    return _store_at(records.store_url())


def start_session(account: team.AccountInfo) -> Session:
    now = _now()
    session = Session(account.id, account.username, account.role, account.staff_id, now, now)
    state.put(K_AUTH, session)
    return session


def end_session(why: str | None = None) -> None:
    state.take(K_AUTH)
    if why:
        state.put(K_AUTH_FLASH, why)


def current() -> Session | None:
    return state.get(K_AUTH)


def _still_valid(session: Session) -> tuple[team.AccountInfo | None, str | None]:
    now = _now()
    if now - session.last_seen > dt.timedelta(minutes=IDLE_MINUTES):
        return None, f"超过 {IDLE_MINUTES} 分钟未操作，已自动退出，请重新登录。"
    if now - session.started > dt.timedelta(hours=MAX_HOURS):
        return None, f"登录已超过 {MAX_HOURS} 小时，请重新登录。"
    account = team.get_account(store(), session.account_id)
    if account is None or not account.active:
        return None, "账户已停用，已退出。"
    if account.role != session.role or account.staff_id != session.staff_id:
        return None, "账户的角色已更改，请重新登录。"
    return account, None


def gate() -> Session:
    """The logged-in session, or the login / first-run / password-change form and st.stop()."""
    session = current()
    if session is not None:
        account, why = _still_valid(session)
        if account is None:
            end_session(why)
        else:
            session = Session(**{**session.__dict__, "last_seen": _now()})
            state.put(K_AUTH, session)
            need = account.change_needed()
            if need:
                _change_form(account, forced=need)
                st.stop()
            return session
    try:
        first_run = not team.has_accounts(store())
    except InputError as exc:
        st.error(f"无法打开排班库：{exc}")
        st.stop()
    if first_run:
        _first_run_form()
    else:
        _login_form()
    st.stop()


def _policy_caption() -> None:
    st.caption(
        "口令要求（附件六 供应商口令安全承诺书）："
        + "；".join(team.RULE_WORDS[k] for k in team.POLICY_SHOWN)
        + "。"
    )


def _login_form() -> None:
    st.markdown("## 排班系统登录")
    flash = state.take(K_AUTH_FLASH)
    if flash:
        st.info(flash)
    with st.form("login", clear_on_submit=False):
        username = st.text_input("账户名", key="login_user")
        password = st.text_input("口令", type="password", key="login_password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        result = team.login(store(), username.strip(), password)
        if result.ok:
            start_session(result.account)
            st.rerun()
        elif result.refusal == "locked":
            until = result.locked_until.astimezone().strftime("%H:%M") if result.locked_until else ""
            st.error(f"连续输错口令，账户已锁定至 {until}（{team.LOCK_MINUTES} 分钟）。")
        elif result.refusal == "disabled":
            st.error("账户已停用（人员变动），请联系服务经理。")
        else:
            st.error("账户名或口令不正确。")
    st.caption("所有数据（姓名、请假原因）只在本机或本单位服务器处理，不会上传。")


def _first_run_form() -> None:
    st.markdown("## 首次使用：创建服务经理账户")
    if not launch.is_local():
        st.warning(
            "本程序以服务器模式运行，首个账户须在服务器上用命令创建："
            "`roster user add --role manager 账户名`。"
        )
        return
    st.write("排班库中还没有任何账户。请为服务经理（负责账户与口令管理的专人，附件六 三）创建第一个账户。")
    _policy_caption()
    with st.form("first_run"):
        username = st.text_input("账户名", key="first_user")
        password = st.text_input("口令", type="password", key="first_password")
        again = st.text_input("再次输入口令", type="password", key="first_again")
        submitted = st.form_submit_button("创建并登录", type="primary")
    if submitted:
        if password != again:
            st.error("两次输入的口令不一致。")
            return
        try:
            account = team.create_first_manager(store(), username.strip(), password)
        except InputError as exc:
            st.error(str(exc))
            return
        start_session(account)
        st.rerun()


def _change_form(account: team.AccountInfo, forced: str | None) -> None:
    if forced == "expired":
        st.warning(f"口令已使用超过 {team.MAX_AGE_DAYS} 天（附件六 一 “至少每30天更换”），请先更换口令。")
    elif forced == "reset":
        st.warning("口令已由管理员重设，请先更换为只有您知道的新口令。")
    _policy_caption()
    with st.form("change_password"):
        old = st.text_input("当前口令", type="password", key="pw_old")
        new = st.text_input("新口令", type="password", key="pw_new")
        again = st.text_input("再次输入新口令", type="password", key="pw_again")
        submitted = st.form_submit_button("更换口令", type="primary")
    if submitted:
        if new != again:
            st.error("两次输入的新口令不一致。")
            return
        try:
            team.set_password(store(), account.username, new, by=account.username, old=old)
        except InputError as exc:
            st.error(str(exc))
            return
        st.success("口令已更换。")
        st.rerun()


def sidebar(session: Session) -> None:
    """Who is logged in, the password change and 退出登录."""
    st.caption(f"已登录：{session.username}（{session.role_zh}）")
    c = st.columns(2)
    if c[0].button("退出登录", key="logout", icon=":material/logout:"):
        team.audit(store(), session.username, "logout", session.username)
        end_session("已退出登录。")
        st.rerun()
    if c[1].button("更换口令", key="change_pw"):
        state.put(K_SHOW_CHANGE, not state.get(K_SHOW_CHANGE, False))
    if state.get(K_SHOW_CHANGE):
        account = team.get_account(store(), session.account_id)
        if account is not None:
            _change_form(account, forced=None)


def require(*roles: str) -> Session:
    """Every page's first line: the page is for these roles only."""
    session = current()
    if session is None or session.role not in roles:
        st.error("无权访问此页面。")
        st.stop()
    return session


def record_event(action: str, target: str | None = None, detail: str = "") -> None:
    """An audit row for what the logged-in user just did (publish, export, scenario change)."""
    session = current()
    team.audit(store(), session.username if session else "anonymous", action, target, detail)
