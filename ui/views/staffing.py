"""人员配置: the proven minimum headcount per role and the best cross-training (planner.whatif.staffing)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.errors import InputError
from planner.engine.probes import ProbeOptions
from planner.problem.instance import Instance
from planner.problem.results import Progress
from planner.whatif.staffing import StaffingReport, analyse_staffing, group_cross_training
from planner.workflows.jobs import Job
from ui import state
from ui.charts import shortfall_chart

K_JOB = "staffing_job"
K_RESULT = "staffing_result"  # {"key": (path, month, cap), "report": StaffingReport} or {"key", "error"}
CAP_ZH = {"hard": "加班上限为硬性规则", "soft": "不限加班（加班只作为代价）"}


def staffing_work(inst: Instance, cap: str, limit: float, cross: bool):
    def work(progress, stop):
        def step(text: str) -> None:
            progress(Progress(level=text, incumbent=None, bound=None, elapsed=0.0))

        return analyse_staffing(
            inst, cap, ProbeOptions(time_limit=limit), cross_training=cross, stop=stop, progress=step
        )

    return work


def staffing_panel() -> None:
    """Progress of a running analysis; hands its report to the page when done."""
    state.job_panel(
        K_JOB,
        K_RESULT,
        lambda step, seconds: f"正在测算（每个人数做一次求解）：{step or '建模中'}，已用时 {seconds:.0f} 秒…",
        "staffing_stop",
        lambda report: {"report": report},
    )


def roles_frame(report: StaffingReport) -> pd.DataFrame:
    rows = []
    for r in report.roles:
        now = next((p for p in r.probes if p.headcount == r.current), None)
        shortfall = "?" if now is None or now.value is None else str(now.value)
        if now is not None and now.value is not None and now.value != now.bound:
            shortfall += f"（≥{now.bound}）"
        rows.append(
            {
                "岗位": r.name,
                "现有人数": r.current,
                "最少人数": r.minimum,
                "需增加": r.extra,
                "现有人数下缺口（人次）": shortfall,
                "已证明": "是" if r.proven else "否",
            }
        )
    return pd.DataFrame(rows)


def cross_frame(report: StaffingReport, role_names: dict[str, str], top: int = 5) -> pd.DataFrame:
    rows = []
    for group in group_cross_training(report.cross_training, top):
        c = group[0]
        rows.append(
            {
                "人员": "、".join(f"{x.staff_id} {x.staff_name}" for x in group),
                "原岗位": role_names.get(c.primary_role, c.primary_role),
                "增加技能": role_names.get(c.skill, c.skill),
                "培训前缺口": c.before,
                "培训后缺口": c.after,
                "减少": c.reduction,
                "已证明": "是" if c.proven else "否",
            }
        )
    return pd.DataFrame(rows)


st.header("人员配置")
st.caption(
    "每个岗位至少要多少人，覆盖缺口才能为零：逐个人数求解并证明（少一人时缺口的下界大于零）。"
    "增加的人按该岗位的典型人员复制，整个期间在岗。"
)
path, month = state.current_selection()
try:
    scenario = state.base_scenario(path)
    start, end = state.month_horizon(scenario, month)
    inst = Instance(scenario, start, end)
except InputError as exc:
    st.error(str(exc))
    st.stop()
st.caption(f"{scenario.name} · {start} 至 {end}（{len(inst.dates)} 天）")

job = state.get_job(K_JOB)
running = job is not None and job.snapshot().running
c = st.columns([2, 1, 1, 1])
cap = c[0].radio("加班上限", list(CAP_ZH), format_func=CAP_ZH.get, key="staffing_cap")
limit = c[1].number_input("每次求解时限（秒）", min_value=1, max_value=600, value=10, key="staffing_limit")
cross = c[2].toggle("测算交叉培训", value=True, key="staffing_cross")
key = (path, month, cap, bool(cross))
if c[3].button("测算", key="staffing_run", type="primary", disabled=running, icon=":material/calculate:"):
    work = staffing_work(inst, cap, float(limit), bool(cross))
    running = state.start_job(Job(work, "staffing", {"key": key}), K_JOB)
st.fragment(staffing_panel, run_every=1.0 if running else None)()

done = state.get(K_RESULT)
if not done or done.get("key") != key:
    st.stop()
if "error" in done:
    st.error(f"测算失败：{done['error']}")
    st.stop()
report: StaffingReport = done["report"]
st.subheader("各岗位最少人数")
st.dataframe(roles_frame(report), hide_index=True)
if not report.proven:
    st.warning("有岗位的结果未在时限内证明：最少人数只是上限，可加长每次求解时限后重算。")
st.plotly_chart(shortfall_chart(report), key="chart_staffing")
if report.provisional_dates:
    st.warning(f"{report.provisional_dates[0][:4]} 年的节假日安排为暂定（尚无官方通知）。")
if cross:
    st.subheader("交叉培训：给一个人增加一项技能")
    role_names = {r.id: r.name for r in scenario.roles}
    frame = cross_frame(report, role_names)
    if frame.empty:
        st.info(f"试算了 {report.cross_training_tried} 种，没有一种能减少覆盖缺口。")
    else:
        st.dataframe(frame, hide_index=True)
        st.caption(f"共试算 {report.cross_training_tried} 种；同一行的人效果相同，任选其一。")
