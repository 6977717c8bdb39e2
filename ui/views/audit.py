"""账户与审计: the accounts and the audit trail, read only (the app has no way to edit either;
accounts are managed with `roster user`, the audit trail is never changed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from models.errors import InputError
from planner.workflows import team
from ui import auth, state

session = auth.require("manager")
store = auth.store()
st.header("账户与审计")


def local(t: dt.datetime | None) -> str:
    return "" if t is None else t.astimezone().strftime("%Y-%m-%d %H:%M")


now = dt.datetime.now(dt.UTC)
st.subheader("账户")
st.caption(
    "新增、重设口令、停用：在服务器上用 `roster user add|passwd|disable|sync`"
    "（附件六 三：专人负责账号管理）。"
)
rows = []
for a in team.list_accounts(store):
    if not a.active:
        status = f"已停用（{a.disabled_reason or ''}）"
    elif a.locked_until is not None and a.locked_until > now:
        status = f"已锁定至 {local(a.locked_until)}"
    elif a.change_needed(now):
        status = "须更换口令"
    else:
        status = "正常"
    rows.append(
        {
            "账户": a.username,
            "角色": team.ROLE_ZH[a.role],
            "工号": a.staff_id or "",
            "口令到期": local(a.password_set_at + dt.timedelta(days=team.MAX_AGE_DAYS)),
            "状态": status,
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True, key="accounts_table")
scenario_path = state.get(state.K_SCENARIO)
if st.button(
    "停用已离职人员的账户", key="disable_departed", help="按当前场景文件的 end_date 和人员更换（changes）"
):
    try:
        done = team.disable_departed(
            store, state.base_scenario(scenario_path), dt.date.today(), by=session.username
        )
    except InputError as exc:
        st.error(str(exc))
    else:
        st.success(
            f"已停用 {len(done)} 个账户" + (f"：{'、'.join(a.username for a in done)}" if done else "")
        )

st.subheader("审计记录")
c = st.columns(3)
since = c[0].date_input("自", value=dt.date.today() - dt.timedelta(days=30), key="audit_since")
until = c[1].date_input("至", value=dt.date.today(), key="audit_until")
action = c[2].text_input("操作（如 publish、login）", key="audit_action").strip() or None
tz = dt.datetime.now().astimezone().tzinfo
events = team.audit_events(
    store,
    since=dt.datetime.combine(since, dt.time(), tzinfo=tz),
    until=dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    action=action,
)
st.caption(f"{len(events)} 条（只读；命令行：`roster audit`）")
st.dataframe(
    pd.DataFrame(
        [
            {
                "编号": e.id,
                "时间": local(e.at),
                "操作者": e.actor,
                "操作": e.action,
                "对象": e.target or "",
                "说明": e.detail,
            }
            for e in reversed(events)
        ]
    ),
    hide_index=True,
    key="audit_table",
)
