"""Login, roles and requests in the app through AppTest (issue 15).

Before a login no page shows any staff name; an engineer sees their own row only and cannot
publish; the buyer's reviewer sees no phone number or leave reason; an expired password forces
a change, refused with the policy's words when weak; a swap filed, accepted and approved in the
app is in the actual roster and the audit trail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from models.loader import load_scenario
from planner.store import service
from planner.store.db import Store
from planner.store.schema import Account
from planner.workflows import records, team
from tests.ui.conftest import PASSWORD, PHONE, START, account, log_in, new_app, publish_tiny

CONTRACT = Path(__file__).resolve().parents[2] / "scenarios" / "contract-2026.yaml"
PAGES = [
    f"views/{name}.py"
    for name in "roster why calendar staff staffing compare approvals published audit mine".split()
]


def page_text(at: AppTest) -> str:
    """Everything the page sends to the browser, as text (every element's message)."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return "\n".join(out)


def run_page_as(page: str, username: str, role: str, staff_id: str | None = None) -> AppTest:
    """One page file run on its own with a logged-in session: its own role check decides."""
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "ui" / page), default_timeout=30)
    return log_in(at, username, role, staff_id).run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("with_accounts", [False, True])
def test_before_login_no_page_shows_a_staff_name(with_accounts: bool) -> None:
    if with_accounts:
        account()
    names = [p.name for p in load_scenario(CONTRACT).staff]
    for page in [None, *PAGES]:
        at = new_app(CONTRACT, "2026-12", login=False)
        if page:
            at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        text = page_text(at)
        assert ("首次使用" in text) != with_accounts and ("登录" in text)
        shown = [n for n in names if n in text]
        assert shown == [], (page, shown)


def _login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_user").input(username)
    at.text_input(key="login_password").input(password)
    return button(at, "登录").click().run()


def test_login_refuses_a_wrong_password_then_lets_the_right_one_in() -> None:
    account()
    at = new_app(CONTRACT, "2026-12", login=False).run()
    _login(at, "manager", "not-the-password")
    assert "账户名或口令不正确" in page_text(at)
    _login(at, "manager", PASSWORD)
    assert not at.exception
    assert "已登录：manager（服务经理）" in page_text(at)
    assert at.button(key="solve")  # the roster page, the manager's default


def test_the_first_run_creates_the_manager_and_refuses_a_weak_password() -> None:
    at = new_app(CONTRACT, "2026-12", login=False).run()
    at.text_input(key="first_user").input("boss")
    at.text_input(key="first_password").input("short1!A")
    at.text_input(key="first_again").input("short1!A")
    button(at, "创建并登录").click().run()
    assert "长度不少于18位" in page_text(at)
    assert not team.has_accounts(records.open_store())
    at.text_input(key="first_password").input(PASSWORD)
    at.text_input(key="first_again").input(PASSWORD)
    button(at, "创建并登录").click().run()
    assert "已登录：boss（服务经理）" in page_text(at)


def test_an_idle_session_expires_and_a_disabled_account_is_logged_out() -> None:
    from ui.auth import IDLE_MINUTES, K_AUTH

    at = new_app(CONTRACT, "2026-12").run()
    assert "已登录：manager" in page_text(at)
    old = at.session_state[K_AUTH]
    at.session_state[K_AUTH] = old.__class__(
        **{**old.__dict__, "last_seen": old.last_seen - dt.timedelta(minutes=IDLE_MINUTES + 1)}
    )
    at.run()
    assert f"超过 {IDLE_MINUTES} 分钟未操作" in page_text(at) and "已登录" not in page_text(at)

    at = new_app(CONTRACT, "2026-12").run()
    team.disable_account(records.open_store(), "manager", by="tests", reason="离职")
    at.run()
    assert "账户已停用" in page_text(at) and "已登录" not in page_text(at)


def test_the_team_server_makes_no_account_in_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_SERVER", "1")
    at = new_app(CONTRACT, "2026-12", login=False).run()
    text = page_text(at)
    assert "roster user add --role manager" in text
    assert not [t for t in at.text_input if t.key == "first_user"]


def test_an_expired_password_forces_a_change_with_the_policys_words() -> None:
    a = account("S04", "engineer", "S04")
    store = Store(records.store_url())
    with store.write() as session:
        session.execute(
            sa.update(Account)
            .where(Account.id == a.id)
            .values(password_set_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=31))
        )
    at = new_app(CONTRACT, "2026-12", login=False).run()
    _login(at, "S04", PASSWORD)
    text = page_text(at)
    assert "口令已使用超过 30 天" in text and "我的排班" not in text.replace("口令", "")
    at.text_input(key="pw_old").input(PASSWORD)
    at.text_input(key="pw_new").input("weakpassword")
    at.text_input(key="pw_again").input("weakpassword")
    button(at, "更换口令").click().run()
    assert "须包含大写字母" in page_text(at) and "须包含特殊字符" in page_text(at)
    at.text_input(key="pw_new").input(PASSWORD)
    at.text_input(key="pw_again").input(PASSWORD)
    button(at, "更换口令").click().run()
    assert "不得与最近5次" in page_text(at)
    new = "Vb7%nM2^kQ9&jH5*gF3e"
    at.text_input(key="pw_new").input(new)
    at.text_input(key="pw_again").input(new)
    button(at, "更换口令").click().run()
    assert "我的排班" in page_text(at)


@pytest.fixture
def published(tmp_path: Path) -> Path:
    return publish_tiny(records.open_store(), tmp_path)


def test_an_engineer_sees_only_their_own_row_and_cannot_publish(published: Path) -> None:
    at = log_in(new_app(published, "2026-12", login=False), "S04", "engineer", "S04").run()
    assert not at.exception, [e.value for e in at.exception]
    rows = at.table[0].value
    assert list(rows["班次"]) == ["白班", "白班", "白班"]
    assert all(b.key != "publish_go" for b in at.button)
    text = page_text(at)
    assert "发烧住院" not in text and "S07" not in str(rows)
    for page in ("views/roster.py", "views/approvals.py", "views/audit.py", "views/published.py"):
        # Not in an engineer's navigation at all, and the page itself refuses them too.
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
        direct = run_page_as(page, "S04", "engineer", "S04")
        assert "无权访问" in page_text(direct), page
        assert all(b.key not in ("publish_go", "solve", "proof_go") for b in direct.button), page


def test_the_reviewer_sees_published_rosters_without_phone_numbers_or_reasons(published: Path) -> None:
    at = log_in(new_app(published, "2026-12", login=False), "buyer", "reviewer").run()
    assert not at.exception, [e.value for e in at.exception]
    grid = at.dataframe[0].value
    assert set(grid["工号"]) == {"S02", "S03", "S04", "S06", "S07"}
    text = page_text(at)
    assert PHONE not in text and "发烧住院" not in text
    button(at, "生成覆盖证明").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2026Q4 覆盖证明" in page_text(at)
    for page in ("views/roster.py", "views/staff.py", "views/mine.py", "views/audit.py"):
        direct = run_page_as(page, "buyer", "reviewer")
        assert "无权访问" in page_text(direct) and PHONE not in page_text(direct), page
        assert all(b.key not in ("publish_go", "solve", "staff_save") for b in direct.button), page


def test_a_swap_filed_accepted_and_approved_in_the_app_reaches_the_roster_and_the_audit(
    published: Path,
) -> None:
    # S04 (day shifts) asks S03 (free after the night of the 1st) to swap the 3rd.
    third = START + dt.timedelta(days=2)
    s04 = log_in(new_app(published, "2026-12", login=False), "S04", "engineer", "S04").run()
    s04.radio(key="req_kind").set_value("swap").run()
    s04.date_input(key="req_start").set_value(third)
    s04.date_input(key="req_end").set_value(third)
    s04.selectbox(key="req_other").set_value("S03")
    button(s04, "提交").click().run()
    assert "待同事确认" in page_text(s04), page_text(s04)[-2000:]
    request = team.requests(records.open_store())[0]

    s03 = log_in(new_app(published, "2026-12", login=False), "S03", "engineer", "S03").run()
    assert "王冰强" in page_text(s03)  # the invitation names S04
    s03.button(key=f"accept_{request.id}").click().run()

    boss = log_in(new_app(published, "2026-12", login=False))
    boss.switch_page("views/approvals.py").run()
    assert not boss.exception, [e.value for e in boss.exception]
    assert "校验通过" in page_text(boss), [w.value for w in boss.warning]
    boss.button(key=f"approve_{request.id}").click().run()
    assert "已批准" in page_text(boss)

    store = records.open_store()
    day = {a.staff_id: a.shift for a in service.actual_roster(store, third, third).roster.assignments}
    assert day["S03"] == "D" and "S04" not in day
    s04.run()
    assert list(s04.table[0].value.index) == ["2026-12-01", "2026-12-02"]
    s03.run()
    assert list(s03.table[0].value.index) == ["2026-12-01", "2026-12-03"]
    actions = [(e.actor, e.action) for e in team.audit_events(store)]
    assert ("S04", "request_file") in actions and ("S03", "request_accept") in actions
    assert ("manager", "request_approve") in actions and ("manager", "record") in actions
