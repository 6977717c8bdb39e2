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
from ui import auth, charts, state
from ui.charts import shortfall_chart
from ui.last_resort import guarded

# The service manager's page (issue 15: every page checks the role).
auth.require("manager")

K_JOB = "staffing_job"
K_DESIGN_JOB = "designs_job"
K_DESIGN_RESULT = "designs_result"  # {"key": (path, month, cap), "rows": [DesignRow]} or {"key", "error"}
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


def designs_work(scenario, start, end, cap: str, limit: float):
    def work(progress, stop):
        from planner.whatif.designs import SHIPPED_DESIGNS, compare_designs, own_design, read_design

        def step(text: str) -> None:
            progress(Progress(level=text, incumbent=None, bound=None, elapsed=0.0))

        designs = [own_design(scenario), *(read_design(p) for p in SHIPPED_DESIGNS)]
        return compare_designs(scenario, start, end, designs, cap, ProbeOptions(time_limit=limit), stop, step)

    return work


def designs_panel() -> None:
    state.job_panel(
        K_DESIGN_JOB,
        K_DESIGN_RESULT,
        lambda step, seconds: f"正在对比班次设计：{step or '建模中'}，已用时 {seconds:.0f} 秒…",
        "designs_stop",
        lambda rows: {"rows": rows},
    )


def designs_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "班次设计": r.design,
                "工时制度": r.working_time_zh,
                "岗位": r.role_name,
                "现有人数": r.current,
                "最少人数": r.minimum,
                "现有人数下缺口（人次）": r.shortfall_now,
                "已证明": "是" if r.proven else "否",
                "加班工时": r.overtime_hours,
                "休息日/节假日工时": r.premium_hours,
            }
            for r in rows
        ]
    )


def designs_chart(frame: pd.DataFrame):
    import plotly.express as px

    frame = frame.assign(方案=frame["班次设计"].str.split("（").str[0] + " · " + frame["工时制度"])
    fig = px.bar(frame, x="岗位", y="最少人数", color="方案", barmode="group", title="各方案的最少人数")
    fig.update_layout(height=360, margin={"t": 40, "b": 10}, legend_title_text="")
    return fig


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
st.fragment(guarded(staffing_panel), run_every=1.0 if running else None)()


def show_staffing(done: dict | None) -> None:
    if not done or done.get("key") != key:
        return
    if "error" in done:
        st.error(f"测算失败：{done['error']}")
        return
    report: StaffingReport = done["report"]
    st.subheader("各岗位最少人数")
    st.dataframe(roles_frame(report), hide_index=True)
    if not report.proven:
        st.warning("有岗位的结果未在时限内证明：最少人数只是上限，可加长每次求解时限后重算。")
    st.plotly_chart(shortfall_chart(report), key="chart_staffing", config=charts.CHART_CONFIG)
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


show_staffing(state.get(K_RESULT))

# -- shift designs (planner.whatif.designs) -----------------------------------------------------
st.subheader("班次设计与工时制度")
st.caption(
    "本场景的班次与三班制（08-16、16-24、00-08，仍在 16 时交班）对比：只在使设计合法的工时制度下测算。"
    "16 小时夜班超过标准工时制每日 8+3 小时（劳动法第四十一条），只能在经批准的综合计算工时制下排。"
)
design_job = state.get_job(K_DESIGN_JOB)
design_running = design_job is not None and design_job.snapshot().running
design_key = (path, month, cap)
if st.button("对比班次设计", key="designs_run", disabled=design_running, icon=":material/schedule:"):
    running_now = state.start_job(Job(designs_work(scenario, start, end, cap, float(limit)), "staffing",
                                      {"key": design_key}), K_DESIGN_JOB)  # fmt: skip
    design_running = running_now
st.fragment(guarded(designs_panel), run_every=1.0 if design_running else None)()
designs_done = state.get(K_DESIGN_RESULT)
if designs_done and designs_done.get("key") == design_key:
    if "error" in designs_done:
        st.error(f"测算失败：{designs_done['error']}")
    else:
        frame = designs_frame(designs_done["rows"])
        st.dataframe(frame, hide_index=True)
        st.plotly_chart(designs_chart(frame), key="chart_designs", config=charts.CHART_CONFIG)
