"""申请审批: the manager's one list of requests awaiting a decision, each re-checked first.

For every request the validator re-checks the actual roster as it would be after approval
(planner.workflows.team.assess): the hard rules it would break and the coverage it would lose
are shown before the buttons. Approving a swap or leave on published dates records it in the
store at once; leave on unpublished dates and preferences go into the next plan.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.errors import InputError
from planner.rules import label
from planner.workflows import team
from ui import auth, state

session = auth.require("manager")
store = auth.store()
st.header("申请审批")

try:
    scenario = state.base_scenario(state.get(state.K_SCENARIO))
    names = {p.id: p.name for p in scenario.staff}
except InputError:
    names = {}


def who(staff_id: str | None) -> str:
    return f"{names.get(staff_id, staff_id)}（{staff_id}）" if staff_id else ""


def describe(r: team.RequestInfo) -> str:
    text = f"#{r.id} {who(r.staff_id)} · {team.KIND_ZH[r.kind]} · {r.start} 至 {r.end}"
    if r.other_staff_id:
        text += f" · 与 {who(r.other_staff_id)}"
    if r.wish:
        text += f" · {r.shift} {team.WISH_ZH[r.wish]}"
    return text


flash = state.take("approval_flash")
if flash:
    getattr(st, flash[0])(flash[1])

pending = team.requests(store, state="awaiting_manager")
if not pending:
    st.info("没有待审批的申请。")
for r in pending:
    with st.container(border=True):
        st.markdown(f"**{describe(r)}**")
        if r.reason:
            st.caption(f"说明：{r.reason}")
        check = team.assess(store, r)
        if check.blocked:
            st.error(f"无法按此执行：{check.blocked}")
        elif not check.published:
            st.info("这些日期还没有已发布的排班：批准后在下次排班时考虑。")
        elif check.clean:
            st.success(f"校验通过：不违反任何硬性规则，不减少覆盖（变动 {check.moved} 个班次）。")
        for v in check.new_violations:
            st.warning(f"将违反「{label(v.rule)}」：{v.message}")
        for before, after in check.lost_coverage:
            st.warning(
                f"将减少覆盖：{after.date} {after.shift} {after.role} 需 {after.required} 人，"
                f"由 {before.assigned} 人变为 {after.assigned} 人"
            )
        note = st.text_input("审批意见", key=f"note_{r.id}")
        c = st.columns([1, 1, 4])
        decision = None
        if c[0].button("批准", key=f"approve_{r.id}", type="primary", disabled=bool(check.blocked)):
            decision = True
        if c[1].button("驳回", key=f"refuse_{r.id}"):
            decision = False
        if decision is not None:
            manager = team.get_account(store, session.account_id)
            try:
                done = team.decide(store, manager, r.id, decision, note)
            except InputError as exc:
                state.put("approval_flash", ("error", f"#{r.id} 未处理：{exc}"))
            else:
                tail = f"，已登记为变动 #{done.record_id}" if done.record_id else ""
                if decision and check.lost_coverage:
                    tail += f"；覆盖减少，请在「排班」页用重排补位（或 roster replan --from {r.start}）"
                state.put("approval_flash", ("success", f"#{r.id} {team.STATE_ZH[done.state]}{tail}"))
            st.rerun()

st.subheader("全部申请")
every = team.requests(store)
if every:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "编号": r.id,
                    "申请人": who(r.staff_id),
                    "类型": team.KIND_ZH[r.kind],
                    "日期": f"{r.start} 至 {r.end}",
                    "换班同事": who(r.other_staff_id),
                    "状态": team.STATE_ZH[r.state],
                    "变动记录": f"#{r.record_id}" if r.record_id else "",
                }
                for r in every
            ]
        ),
        hide_index=True,
        key="all_requests",
    )
else:
    st.caption("还没有申请。")
