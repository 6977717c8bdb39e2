"""日历: kinds of day over the horizon, holidays and make-up workdays, surges, provisional years."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calendars import calendar_for, scenario_days
from models.errors import InputError
from planner.problem.labels import DAY_KIND_ZH, PROVISIONAL_ZH, WEEKDAY_ZH
from planner.workflows.save import install_override
from ui import auth, charts, state
from ui.labels import OVERRIDE_FORMAT_ZH

# The service manager's page (issue 15: every page checks the role).
auth.require("manager")

st.header("日历")
path, month = state.current_selection()
try:
    scenario = state.calendar_scenario(path)
    cal = calendar_for(scenario)
except InputError as exc:
    st.error(str(exc))
    st.stop()

whole = st.toggle("显示整个合同期", value=True, key="cal_whole")
if whole and scenario.contract is not None:
    start, end = scenario.contract.start, scenario.contract.end
else:
    start, end = state.month_horizon(scenario, month)
days = scenario_days(scenario, start, end)
st.caption(f"{scenario.name} · {start} 至 {end}，共 {len(days)} 天")

# -- provisional years: banner and the official override upload ------------------------------
provisional = cal.provisional_years(d.date.year for d in days)
if provisional:
    years = "、".join(str(y) for y in provisional)
    st.warning(
        f"{years} 年的节假日安排为{PROVISIONAL_ZH}：按规则推算，没有调休上班日。"
        "国务院办公厅发布通知后，请按下面「文件格式」把通知整理成 YAML 文件并在下面载入。"
    )
with st.expander("载入官方节假日安排文件（YAML）", expanded=bool(provisional)):
    st.markdown(OVERRIDE_FORMAT_ZH)
    up = st.file_uploader(
        "官方安排文件（.yaml，一个年份一个文件，不超过 64 KB）", type=["yaml", "yml"], key="override_upload"
    )
    if up is not None and st.button("校验并使用", key="override_apply"):
        try:
            saved, override = install_override(up.getvalue(), up.name, state.user_data_dir() / "calendars")
        except InputError as exc:
            st.error(f"文件有误，未载入：{exc}")
        else:
            state.add_session_override(path, str(saved))
            state.flash(
                "override_flash",
                "success",
                f"已载入 {override.year} 年：{override.notice.title}（{override.notice.date}），"
                f"保存在 {saved}；本次会话的排班和日历都按它计算。",
            )
            st.rerun()
    state.show_flash("override_flash")
    used = state.session_overrides(path)
    if used:
        st.caption("本次会话使用的安排文件：" + "、".join(used))

# -- kinds of day -----------------------------------------------------------------------------
counts = {k: sum(1 for d in days if d.kind == k) for k in ("workday", "restday", "holiday")}
cols = st.columns(4)
for col, (kind, n) in zip(cols, counts.items(), strict=False):
    col.metric(DAY_KIND_ZH[kind], n)
cols[3].metric("暂定天数", sum(1 for d in days if d.provisional))
st.plotly_chart(charts.calendar_heatmap(days), key="chart_calendar", config=charts.CHART_CONFIG)


def table(rows: list, empty: str) -> None:
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True)
    else:
        st.caption(empty)


def day_row(d) -> dict:
    return {
        "日期": d.date.isoformat(),
        "星期": WEEKDAY_ZH[d.weekday],
        "名称": d.holiday_name or "",
        "暂定": "是" if d.provisional else "",
    }


c1, c2, c3 = st.columns(3)
with c1:
    st.markdown("**法定节假日**")
    table([day_row(d) for d in days if d.kind == "holiday"], "这段时间没有法定节假日")
with c2:
    st.markdown("**调休、补假（休息日）**")
    table([day_row(d) for d in days if d.kind == "restday" and d.holiday_name], "没有调休或补假")
with c3:
    st.markdown("**调休上班日**")
    table([day_row(d) for d in days if d.kind == "workday" and d.holiday_name], "没有调休上班日")

# -- surges -----------------------------------------------------------------------------------
st.subheader("加强保障时段")
role_names = {r.id: r.name for r in scenario.roles}
shift_names = {s.id: s.name for s in scenario.shifts}
surges = [s for s in scenario.surges if s.end >= start and s.start <= end]
if not surges:
    st.caption("这个场景在这段时间没有加强保障时段。")
else:
    st.plotly_chart(
        charts.surge_timeline(scenario.surges, start, end, role_names, shift_names),
        key="chart_surges",
        config=charts.CHART_CONFIG,
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "名称": s.name,
                    "开始": s.start.isoformat(),
                    "结束": s.end.isoformat(),
                    "增加": "、".join(
                        f"{role_names.get(a.role, a.role)}{shift_names.get(a.shift, a.shift)} +{a.count}"
                        for a in s.add
                    )
                    or "不加人（仅标记）",
                }
                for s in surges
            ]
        ),
        hide_index=True,
    )
