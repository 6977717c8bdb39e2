"""我的排班: an engineer's own month, their calendar file, their requests and swap invitations.

Only the logged-in engineer's own row of the actual roster is read for this page; colleagues
appear by name in the swap list only (no shifts, phone numbers or reasons of anyone else).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from models.errors import InputError
from planner.problem.horizon import month_horizon
from planner.workflows import team
from ui import auth, state

session = auth.require("engineer")
store = auth.store()
first, last = month_horizon(None, state.get(state.K_MONTH))

st.header(f"我的排班 · {first:%Y年%m月}")
try:
    me = team.person_month(store, session.staff_id, first, last)
except InputError as exc:
    st.error(f"无法读取排班库：{exc}")
    st.stop()

if me.ics is None:
    st.info("本月还没有已发布的排班。")
else:
    st.caption(f"{me.name}（{me.staff_id}）本月 {len(me.rows)} 个班次。")
    if me.unpublished:
        st.caption(f"其中 {len(me.unpublished)} 天尚未发布排班。")
    if me.rows:
        # A plain table: a month of one person's shifts is short, and reads on a phone too.
        st.table(pd.DataFrame(me.rows).set_index("日期"))
    st.download_button(
        "下载我的日历（.ics）",
        me.ics,
        file_name=f"{me.staff_id}-{first:%Y-%m}.ics",
        mime="text/calendar",
        key="mine_ics",
        on_click=lambda: auth.record_event("export_ics", me.staff_id, f"{first}..{last}"),
    )

# -- swap invitations to me -------------------------------------------------------------------
names = dict(me.colleagues) | {me.staff_id: me.name}
mine = team.requests(store, staff_id=session.staff_id)
invited = [r for r in mine if r.state == "awaiting_partner" and r.other_staff_id == session.staff_id]
if invited:
    st.subheader("同事邀请我换班")
for r in invited:
    with st.container(border=True):
        st.write(f"#{r.id} {names.get(r.staff_id, r.staff_id)} 请求与您换班：{r.start} 至 {r.end}")
        c = st.columns([1, 1, 4])
        if c[0].button("同意", key=f"accept_{r.id}", type="primary"):
            team.answer(store, team.get_account(store, session.account_id), r.id, True)
            st.rerun()
        if c[1].button("拒绝", key=f"decline_{r.id}"):
            team.answer(store, team.get_account(store, session.account_id), r.id, False)
            st.rerun()

# -- a new request ----------------------------------------------------------------------------
st.subheader("提交申请")
kind = st.radio("类型", list(team.KIND_ZH), format_func=team.KIND_ZH.get, horizontal=True, key="req_kind")
with st.form("new_request", clear_on_submit=True):
    c = st.columns(2)
    start = c[0].date_input("开始日期", value=first, key="req_start")
    end = c[1].date_input("结束日期", value=first, key="req_end")
    other = shift = wish = None
    if kind == "swap":
        other = st.selectbox(
            "与哪位同事换班",
            [cid for cid, _ in me.colleagues],
            format_func=lambda i: f"{names.get(i, i)}（{i}）",
            key="req_other",
        )
    if kind == "preference":
        shift = st.selectbox(
            "班次", [sid for sid, _ in me.shifts], format_func=dict(me.shifts).get, key="req_shift"
        )
        wish = st.radio(
            "意愿", list(team.WISH_ZH), format_func=team.WISH_ZH.get, horizontal=True, key="req_wish"
        )
    reason = st.text_input("说明（仅服务经理可见）", key="req_reason")
    sent = st.form_submit_button("提交", type="primary")
if sent:
    try:
        account = team.get_account(store, session.account_id)
        filed = team.file_request(
            store, account, kind, start, end, other_staff_id=other, shift=shift, wish=wish, reason=reason
        )
    except InputError as exc:
        st.error(f"未提交：{exc}")
    else:
        st.success(f"已提交申请 #{filed.id}：{team.STATE_ZH[filed.state]}")
        mine = team.requests(store, staff_id=session.staff_id)

# -- my requests ------------------------------------------------------------------------------
st.subheader("我的申请")
if not mine:
    st.caption("还没有申请。")
for r in mine:
    partner = f"，与 {names.get(r.other_staff_id, r.other_staff_id)}" if r.other_staff_id else ""
    what = f"，{dict(me.shifts).get(r.shift, r.shift)} {team.WISH_ZH[r.wish]}" if r.wish else ""
    line = f"#{r.id} {team.KIND_ZH[r.kind]} {r.start} 至 {r.end}{partner}{what}：**{team.STATE_ZH[r.state]}**"
    c = st.columns([5, 1])
    c[0].markdown(line)
    if r.staff_id == session.staff_id and r.state in ("awaiting_partner", "awaiting_manager"):
        if c[1].button("撤回", key=f"withdraw_{r.id}"):
            team.withdraw(store, team.get_account(store, session.account_id), r.id)
            st.rerun()
st.caption(f"今天 {dt.date.today()}；申请的每一步都记入审计记录。")
