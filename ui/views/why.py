"""解释: why coverage falls short (planner.whatif.explain) and, per empty slot, who could have taken it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from planner.check.why_empty import blocker_summary, why_empty
from planner.rules import blocker_label
from planner.workflows.jobs import Job
from ui import auth, charts, state
from ui.last_resort import guarded

# The service manager's page (issue 15: every page checks the role).
auth.require("manager")

K_EXPLAIN_LIMIT = "explain_limit"


def explain_work(inst, result, limit: float):
    def work(progress, stop):
        from planner.whatif.explain import explain

        return explain(inst, result, time_limit=limit, stop=stop)

    return work


def explain_panel(run: state.RosterRun) -> None:
    """The explanation job: started by a button, polled by a fragment, kept per roster."""
    job = state.get_job(state.K_EXPLAIN_JOB)
    if job is not None:
        snap = job.snapshot()
        if snap.running:
            st.info(
                state.waiting_text(snap) or f"正在分析（每组岗位做若干次求解），已用时 {snap.elapsed:.0f} 秒…"
            )
            if st.button("停止", key="explain_stop", icon=":material/stop:"):
                job.stop()
            return
        state.set_job(None, state.K_EXPLAIN_JOB)
        if snap.error:
            state.put(state.K_EXPLAIN, {"key": job.context["key"], "error": snap.error})
        else:
            state.put(state.K_EXPLAIN, {"key": job.context["key"], "items": snap.result})
        st.rerun()


def show_explanation(items: list[dict]) -> None:
    for item in items:
        with st.container(border=True):
            name = item.get("role_name", item.get("role"))
            text = str(item.get("text", "")).removeprefix(f"{name}：")
            st.markdown(f"**{name}**：{text}")
            for reason in item.get("reasons", []):
                st.markdown(f"- {reason}")
            numbers = {
                "需要班次": item.get("required_shifts"),
                "可排人数": item.get("people"),
                "需要工时": item.get("needed_hours"),
                "法定工时": item.get("legal_hours"),
                "最少缺口": item.get("shortfall_min"),
                "本排班缺口": item.get("shortfall_in_roster"),
            }
            shown = {k: v for k, v in numbers.items() if v is not None}
            if shown:
                cols = st.columns(len(shown))
                for col, (k, v) in zip(cols, shown.items(), strict=True):
                    col.metric(k, f"{v:,.0f}" if isinstance(v, int | float) else str(v))


def summary_figure(summary: dict[str, int]) -> go.Figure:
    fig = go.Figure(
        go.Bar(x=[blocker_label(k) for k in summary], y=list(summary.values()), marker_color="#C00000")
    )
    fig.update_layout(
        title="挡住有相应技能人员的原因（人次）", height=300, margin=dict(l=10, r=10, t=50, b=10)
    )
    return fig


st.header("解释")
path, month = state.current_selection()
run = state.get_run()
if run is None or not run.matches(path, month):
    st.info("请先在「排班」页为这个月求解，这里再解释缺口。")
    st.stop()

inst = run.instance
role_names = {r.id: r.name for r in inst.roles}
shift_names = {s.id: s.name for s in inst.shifts}

st.subheader("缺口原因")
st.caption("按岗位组证明最少缺口，并逐条放开休息、连续上班、请假规则，看哪条规则卡住了覆盖。")
key = (path, month, run.solved_at, len(run.edited))
job = state.get_job(state.K_EXPLAIN_JOB)
running = job is not None and job.snapshot().running
c = st.columns([1, 3])
limit = c[0].number_input("分析总时限（秒）", min_value=1, max_value=600, value=30, key=K_EXPLAIN_LIMIT)
if c[1].button("分析缺口原因", key="explain", disabled=running, type="primary"):
    work = explain_work(inst, run.result, float(limit))
    running = state.start_job(Job(work, "explain", {"key": key}), state.K_EXPLAIN_JOB)
st.fragment(guarded(explain_panel), run_every=1.0 if running else None)(run)
done = state.get(state.K_EXPLAIN)
if done and done.get("key") == key:
    if "error" in done:
        st.error(f"分析失败：{done['error']}")
    else:
        show_explanation(done["items"])

st.subheader("空缺班次：谁本可以顶上")
slots = why_empty(inst, run.roster)
if not slots:
    st.success("没有缺人的班次。")
    st.stop()
total = sum(s.shortfall for s in slots)
free = sum(1 for s in slots if s.could_take)
st.markdown(
    f"缺人的班次 **{len(slots)}** 个，共缺 **{total}** 人次；其中 **{free}** 个班次有人没有任何硬性障碍"
    "（只因加班上限、替岗或本人申请等较低优先级的代价没有排）。"
)
summary = blocker_summary(slots)
if summary:
    st.plotly_chart(summary_figure(summary), key="chart_blockers", config=charts.CHART_CONFIG)


def slot_label(i: int) -> str:
    s = slots[i]
    where = f"{s.date.isoformat()} {shift_names[s.shift]} {role_names[s.role]}"
    return f"{where}：需要 {s.required}，已排 {s.assigned}"


choice = st.selectbox("选择一个缺人的班次", range(len(slots)), format_func=slot_label, key="why_slot")
slot = slots[choice]
for b in slot.slot_blockers:
    st.warning(b.text)
only_skilled = st.toggle("只看有该岗位技能的人", value=True, key="why_skilled")
rows = []
for c in slot.candidates:
    skilled = slot.role in inst.staff_by_id[c.staff_id].all_skills
    if only_skilled and not skilled:
        continue
    rows.append(
        {
            "人员": f"{c.staff_id} {c.name}",
            "本岗": role_names.get(c.primary_role, c.primary_role),
            "能否顶上": "可以" if c.could_take and not slot.slot_blockers else "不能",
            "硬性障碍": "；".join(f"{b.label}：{b.text}" for b in c.hard_blockers),
            "其他代价": "；".join(f"{b.label}：{b.text}" for b in c.blockers if not b.hard),
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True, key="why_table")
