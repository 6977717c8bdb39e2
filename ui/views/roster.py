"""排班: solve the chosen month, look at it, pin cells, re-solve around the pins, download."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from models.errors import InputError
from models.roster import Assignment, Roster
from models.scenario import Absence
from planner.check.score import person_month_hours
from planner.engine.solve import solve
from planner.files.roster_csv import parse_roster_csv
from planner.problem.instance import Instance
from planner.problem.labels import PROVISIONAL_ZH, working_time_lines, working_time_summary
from planner.problem.numbers import plain
from planner.problem.results import Reference, SolveOptions
from planner.rules import label, unit
from planner.workflows import team
from planner.workflows.jobs import Job
from ui import auth, charts, downloads, state
from ui.grid import roster_grid_html
from ui.labels import (
    PIN_ABSENT,
    PIN_CHOICES_ZH,
    PIN_CURRENT,
    PIN_MARK,
    PIN_OFF,
    STATUS_UI,
    level_label,
)
from ui.last_resort import guarded
from ui.pins import Pin, current_value, pin_problem, remove_pin, set_pin

# The service manager's page (issue 15: every page checks the role).
auth.require("manager")

K_HISTORY = "history"  # {(scenario path, month): Roster of the days before the month}
K_SOLVE_ERROR = "solve_error"
K_FLASH = "roster_flash"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fmt(x: float | None) -> str:
    return "—" if x is None else plain(x, 3)


def start_solve(path: str, month: str, inst: Instance, limit: float, keep_close: bool) -> bool:
    run = state.get_run()
    keep = keep_close and run is not None and run.matches(path, month)
    reference = Reference(run.roster) if keep else None
    options = SolveOptions(time_limit=float(limit))

    def work(progress, stop):
        return solve(inst, options, progress=progress, stop=stop, reference=reference)

    context = {
        "path": path,
        "month": month,
        "pins": state.pins(path),
        "instance": inst,
        "limit": float(limit),
    }
    state.take(K_SOLVE_ERROR)
    return state.start_job(Job(work, "solve", context))


def finish_job(job: Job) -> None:
    snap = job.snapshot()
    ctx = job.context
    state.set_job(None)
    if snap.error is not None:
        if snap.error_type == "Cancelled":
            message = "已停止排队，求解未开始。"
        elif snap.error_type == "InfeasibleError":
            message = f"无法满足所有硬性规则（请检查固定安排、请假和人数上限是否互相矛盾）：{snap.error}"
        else:
            message = f"求解失败：{snap.error}"
        state.put(K_SOLVE_ERROR, message)
        return
    state.set_run(state.new_run(ctx["path"], ctx["month"], ctx["pins"], ctx["instance"], snap.result))


def solve_panel() -> None:
    """Progress of a running solve; polls the job and hands its result to the page when done."""
    job = state.get_job()
    if job is None:
        return
    snap = job.snapshot()
    if not snap.running:
        finish_job(job)
        st.rerun()
    limit = job.context.get("limit", 60.0)
    with st.container(border=True):
        waiting = state.waiting_text(snap)
        if waiting:
            st.info(waiting)
            st.button("停止排队", key="stop_waiting", icon=":material/stop:", on_click=job.stop)
            return
        st.markdown("**正在求解…**（页面可以继续浏览；停止后保留目前找到的最好排班，标记为未证明最优）")
        p = snap.latest
        c = st.columns(4)
        inst = job.context.get("instance")
        names = {r.id: r.name for r in inst.roles} if inst is not None else {}
        level, part = level_label(p.level, names) if p else ("建模中", "")
        c[0].metric("层级", level)
        c[1].metric("当前解", fmt(p.incumbent) if p else "—")
        c[2].metric("下界", fmt(p.bound) if p else "—")
        c[3].metric("用时（秒）", f"{snap.elapsed:.1f}")
        if part:
            st.caption(f"正在求解的岗位：{part}")
        st.progress(min(1.0, snap.elapsed / max(limit, 0.1)), text=f"时限 {limit:g} 秒")
        if snap.stop_requested:
            st.caption("已请求停止，正在收尾…")
        else:
            # A callback, not `if st.button(...)`: it runs first in whichever run the click
            # reaches, so a click that lands during the panel's own polling rerun is not lost.
            st.button("停止求解", key="stop", icon=":material/stop:", on_click=job.stop)


def level_table(run: state.RosterRun) -> pd.DataFrame:
    rows = []
    values = run.report.scores.level_values()
    for lv in run.result.levels:
        value = values.get(lv.name, lv.value) if run.edited else lv.value
        rows.append(
            {
                "层级": label(lv.name),
                "状态": "手工修改后" if run.edited else STATUS_UI.get(lv.status, lv.status),
                "数值": fmt(value),
                "下界": "—" if run.edited else fmt(lv.bound),
                "差距": "—" if run.edited else fmt(lv.gap),
                "单位": unit(lv.name),
                "用时（秒）": f"{lv.seconds:.1f}",
            }
        )
    return pd.DataFrame(rows)


def hand_edit(run: state.RosterRun, staff: str, date: dt.date, value: str) -> None:
    person = run.instance.staff_by_id[staff]
    kept = [a for a in run.roster.assignments if not (a.staff_id == staff and a.date == date)]
    if value not in (PIN_OFF, PIN_ABSENT):
        kept.append(Assignment(date=date, shift=value, staff_id=staff, role=person.role))
    roster = Roster(start=run.roster.start, end=run.roster.end, assignments=tuple(kept))
    what = PIN_CHOICES_ZH.get(value, value)
    state.edit_run(run, roster, f"{staff} {person.name} {date.isoformat()} 改为 {what}")


def history_uploader(scenario, path: str, month: str, start: dt.date) -> Roster | None:
    """The published roster of the days before the month: rest and consecutive days across it."""
    table = state.keep(K_HISTORY, {})
    with st.expander("上月排班（可选：用于跨月的休息时间和连续上班检查）"):
        up = st.file_uploader("上传上月的 roster.csv（不超过 2 MB）", type=["csv"], key="history_upload")
        if up is not None:
            try:
                history = parse_roster_csv(
                    up.getvalue(), up.name, scenario, dt.date.min, start - dt.timedelta(days=1)
                )
                table[path, month] = history.model_copy(
                    update={"assignments": tuple(a for a in history.assignments if a.date < start)}
                )
            except InputError as exc:
                st.error(str(exc))
        history = table.get((path, month))
        if history is not None:
            st.caption(f"已载入 {len(history.assignments)} 行历史排班（{start} 之前）")
            if st.button("不用历史排班", key="history_clear"):
                table.pop((path, month), None)
                st.rerun()
    return table.get((path, month))


def pin_panel(run: state.RosterRun | None, inst: Instance, path: str) -> None:
    pins = state.pins(path)
    with st.container(border=True):
        st.markdown(f"**固定与调整** {PIN_MARK}")
        st.caption(
            "固定（钉住）某人某天的班次、休息或不在岗，然后点击「求解」按固定重新排班；也可以直接修改当前排班，系统会立即重新校验。"
        )
        people = {p.id: f"{p.id} {p.name}" for p in inst.staff}
        dates = [d.isoformat() for d in inst.dates]
        values = [PIN_CURRENT, *[s.id for s in inst.shifts], PIN_OFF, PIN_ABSENT]
        shift_names = {s.id: f"{s.id} {s.name}" for s in inst.shifts}
        c = st.columns([2, 2, 2])
        staff = c[0].selectbox("人员", list(people), format_func=people.get, key="pin_staff")
        day = c[1].selectbox("日期", dates, key="pin_date")
        value = c[2].selectbox(
            "固定为",
            values,
            format_func=lambda v: shift_names.get(v) or PIN_CHOICES_ZH.get(v, v),
            key="pin_value",
        )
        date = dt.date.fromisoformat(day)
        if value == PIN_CURRENT:
            value = current_value(run.roster if run else None, staff, date)
        b = st.columns(4)
        if b[0].button("固定", key="pin_add", icon=":material/push_pin:"):
            pin = Pin(staff, date, value)
            problem = pin_problem(state.calendar_scenario(path), pin, inst.kind(date))
            if problem:
                state.flash(K_FLASH, "error", problem)
            else:
                state.set_pins(path, set_pin(pins, pin))
                state.flash(K_FLASH, "success", f"已固定：{people[staff]} {day} → {describe(value, inst)}")
            st.rerun()
        if b[1].button("取消固定", key="pin_remove"):
            state.set_pins(path, remove_pin(pins, staff, date))
            st.rerun()
        if b[2].button("清除全部固定", key="pins_clear", disabled=not pins):
            state.set_pins(path, [])
            st.rerun()
        if b[3].button("直接修改当前排班并校验", key="edit_apply", disabled=run is None):
            assert run is not None
            hand_edit(run, staff, date, value)
            st.rerun()
        if pins:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "人员": people.get(p.staff, p.staff),
                            "日期": p.date.isoformat(),
                            "固定为": describe(p.value, inst),
                        }
                        for p in pins
                    ]  # fmt: skip
                ),
                hide_index=True,
                key="pins_table",
            )


def describe(value: str, inst: Instance) -> str:
    if value in inst.shift_by_id:
        return f"{value} {inst.shift_by_id[value].name}"
    return PIN_CHOICES_ZH.get(value, value)


def show_downloads(run: state.RosterRun) -> None:
    st.subheader("下载")
    if not downloads.downloadable(run):
        st.error("当前排班违反硬性规则，修正后才能下载。")
        return
    stem = downloads.file_stem(run)
    c = st.columns(4)
    c[0].download_button("roster.csv", downloads.csv_bytes(run), f"{stem}.csv", "text/csv", key="dl_csv")
    c[1].download_button(
        "roster.xlsx",
        downloads.xlsx_bytes(run),
        f"{stem}.xlsx",
        XLSX_MIME,
        key="dl_xlsx",
    )
    c[2].download_button(
        "summary.json", downloads.summary_bytes(run), "summary.json", "application/json", key="dl_summary"
    )
    calendars = downloads.person_ics(run)
    with c[3]:
        names = {p.id: f"{p.id} {p.name}" for p in run.instance.staff}
        who = st.selectbox("个人日历（.ics）", list(calendars), format_func=names.get, key="ics_staff")
        file_name, data = calendars[who]
        st.download_button(f"下载 {file_name}", data, file_name, "text/calendar", key="dl_ics")
    with st.expander("覆盖证明（季度评审用，xlsx 和 pdf）"):
        if st.button("生成本月覆盖证明", key="proof_make"):
            try:
                files = downloads.coverage_proof(run)
            except Exception as exc:  # a report bug must not take the roster page down
                st.error(f"生成失败：{type(exc).__name__}: {exc}")
                files = None
            state.put("proof_files", (run.solved_at, len(run.edited), files))
        made = state.get("proof_files")
        if made and made[:2] == (run.solved_at, len(run.edited)) and made[2]:
            cols = st.columns(len(made[2]))
            for col, (name, data) in zip(cols, made[2].items(), strict=True):
                mime = "application/pdf" if name.endswith(".pdf") else XLSX_MIME
                col.download_button(name, data, name, mime, key=f"dl_{name.rsplit('.', 1)[-1]}_proof")


def publish_panel(run: state.RosterRun) -> None:
    """发布: store the current roster as a published version (planner.store), after re-validating
    it with the store's actual roster of the days before as history.

    The store is opened only when the button is pressed, so viewing the page writes nothing.
    """
    from planner.workflows.publish import publish_roster
    from planner.workflows.records import open_store, store_location

    with st.expander("发布到排班库"):
        st.caption(f"发布前按排班库中上月的实际排班重新校验；排班库：{store_location()}")
        c = st.columns([1, 1, 2])
        draft = c[0].checkbox("仅存为草稿", key="publish_draft")
        if c[1].button("发布", key="publish_go", icon=":material/publish:"):
            store = None
            try:
                store = open_store()
                report, outcome = publish_roster(
                    store,
                    run.scenario,
                    run.roster,
                    downloads.summary_data(run),
                    draft=draft,
                    source=run.scenario_path,
                    author=auth.current().username,
                )
            except InputError as exc:
                state.put("publish_result", ("error", str(exc)))
            else:
                if outcome is None:
                    problems = "；".join(v.message for v in report.hard_violations[:5])
                    state.put(
                        "publish_result",
                        (
                            "error",
                            f"拒绝发布：与上月实际排班衔接时违反硬性规则：{problems}",
                        ),
                    )
                else:
                    v = outcome.version
                    what = "已存为草稿" if v.status == "draft" else "已发布"
                    state.put(
                        "publish_result",
                        (
                            "success",
                            f"{what}版本 #{v.id}：{v.start} 至 {v.end}，{v.assignment_count} 个排班",
                        ),
                    )
            finally:
                if store is not None:
                    store.close()
        done = state.get("publish_result")
        if done:
            getattr(st, done[0])(done[1])


def show_run(run: state.RosterRun, path: str) -> None:
    inst = run.instance
    proven = run.result.proven and not run.edited
    head = f"求解于 {run.solved_at}；{'已证明最优' if proven else '未证明最优'}"
    if run.result.interrupted:
        head += "（已停止或超时，保留了找到的最好排班）"
    st.caption(head)
    if run.edited:
        st.warning("排班经过手工修改（未经求解器优化）：" + "；".join(run.edited))
    if [(p.staff, p.date, p.value) for p in run.pins] != [
        (p.staff, p.date, p.value) for p in state.pins(path)
    ]:
        st.info("固定安排在这次求解之后有改动：点击「求解」按新的固定重新排班。")
    st.dataframe(level_table(run), hide_index=True, key="levels_table")

    report = run.report
    short = report.shortfall_slots
    if report.ok:
        missing = sum(s.shortfall for s in short)
        st.success(f"校验通过：没有违反硬性规则。缺人的班次 {len(short)} 个，共缺 {missing} 人次。")
    else:
        st.error(f"违反硬性规则 {len(report.hard_violations)} 条（红框 ⚠ 的格子，鼠标停留可看原因）。")
    st.html(roster_grid_html(inst, run.roster, report, run.pins))
    if report.violations:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "日期": v.date.isoformat() if v.date else "",
                        "人员": v.staff_id or "",
                        "班次": v.shift or "",
                        "规则": label(v.rule),
                        "说明": v.message,
                    }
                    for v in report.violations
                ]  # fmt: skip
            ),
            hide_index=True,
            key="violations_table",
        )


st.header("排班")
path, month = state.current_selection()
try:
    scenario = state.effective_scenario(path)
    start, end = state.month_horizon(scenario, month)
    history = None
except InputError as exc:
    st.error(str(exc))
    st.stop()
# Leave and shift preferences the manager approved (申请审批) that no record carries yet.
try:
    scenario, approved = team.with_approved_requests(auth.store(), scenario, start, end)
except InputError as exc:
    approved = []
    st.warning(f"未能读取排班库中已批准的申请，本次排班未计入：{exc}")
try:
    inst_probe = Instance(scenario, start, end)
except InputError as exc:
    st.error(str(exc))
    st.stop()

st.caption(f"{scenario.name} · {start} 至 {end}（{len(inst_probe.dates)} 天，{len(scenario.staff)} 人）")
if approved:
    kinds = "；".join(f"#{r.id} {r.staff_id} {team.KIND_ZH[r.kind]} {r.start}～{r.end}" for r in approved)
    st.info(f"已计入 {len(approved)} 条已批准的申请（申请审批页）：{kinds}")
for line in working_time_lines(working_time_summary(scenario)):
    # The roster's hours rely on this system; without an approval number it is a legal risk.
    (st.warning if "须经" in line else st.caption)(line)
if inst_probe.provisional_dates:
    year = inst_probe.provisional_dates[0].year
    st.warning(f"{year} 年的节假日安排为{PROVISIONAL_ZH}：可在「日历」页载入官方安排文件。")

history = history_uploader(scenario, path, month, start)
inst = Instance(scenario, start, end, history) if history is not None else inst_probe

job = state.get_job()
running = job is not None and job.snapshot().running
c = st.columns([1, 1, 1, 2])
limit = c[0].number_input(
    "求解时限（秒）",
    min_value=1,
    max_value=3600,
    value=int(st.query_params.get("limit", 60)),
    key="time_limit",
)
keep_close = c[1].toggle(
    "尽量少改动当前排班", key="keep_close", help="以当前排班为参照，在满足覆盖后尽量少改动"
)
if c[2].button("求解", type="primary", key="solve", disabled=running, icon=":material/play_arrow:"):
    running = start_solve(path, month, inst, limit, keep_close)

st.fragment(guarded(solve_panel), run_every=1.0 if running else None)()

if state.has(K_SOLVE_ERROR):
    st.error(state.get(K_SOLVE_ERROR))
state.show_flash(K_FLASH)


def replan_panel(inst: Instance) -> None:
    """重排 a published roster after a sick day, with as few changes as possible (planner.workflows.replan).

    The roster store is opened only when the button is pressed, so viewing the page writes nothing.
    """
    from planner.engine.solve import SolveError
    from planner.workflows.records import open_store, store_location
    from planner.workflows.replan import notices_csv_text, replan

    with st.expander("重排已发布的排班（有人请假后，尽量少改动）"):
        st.caption(f"按排班库中已发布的排班和已登记的病假重排；排班库：{store_location()}")
        people = {"": "（无新的缺勤）", **{p.id: f"{p.id} {p.name}" for p in inst.staff}}
        c = st.columns([2, 2, 3])
        first = c[0].date_input(
            "从哪天起重排", value=inst.start, min_value=inst.start, max_value=inst.end, key="replan_from"
        )
        who = c[1].selectbox("缺勤人员", list(people), format_func=people.get, key="replan_staff")
        span = c[2].date_input("缺勤日期", value=(first, first), key="replan_span")
        c = st.columns([1, 1, 2])
        limit = c[0].number_input("时限（秒）", min_value=1, max_value=600, value=30, key="replan_limit")
        publish = c[1].checkbox("直接发布", key="replan_publish", help="重排结果作为新版本发布到排班库")
        if c[2].button("重排", key="replan_go", icon=":material/sync:"):
            days = span if isinstance(span, tuple | list) else (span,)
            absences = [Absence(staff=who, start=days[0], end=days[-1], kind="sick")] if who and days else []
            store = None
            try:
                store = open_store()
                with st.spinner("重排中…"):
                    options = SolveOptions(time_limit=float(limit))
                    result = replan(
                        store,
                        first,
                        absences=absences,
                        options=options,
                        publish=publish,
                        author=auth.current().username,
                    )
            except (InputError, SolveError) as exc:
                state.put("replan_result", {"error": str(exc)})
            else:
                state.put(
                    "replan_result",
                    {
                        "base": result.base.id,
                        "changed": result.changed_assignments,
                        "people": len(result.people_to_tell),
                        "notices": [
                            {
                                "工号": n.staff_id,
                                "姓名": n.staff_name,
                                "日期": n.date.isoformat(),
                                "原安排": n.old_text,
                                "新安排": n.new_text,
                            }
                            for n in result.notices
                        ],
                        "csv": notices_csv_text(result.notices),
                        "published": result.published.version.id if result.published else None,
                    },
                )
            finally:
                if store is not None:
                    store.close()
        done = state.get("replan_result")
        if done and "error" in done:
            st.error(done["error"])
        elif done:
            st.success(f"重排版本 #{done['base']}：改动 {done['changed']} 个排班，需通知 {done['people']} 人")
            if done["notices"]:
                st.dataframe(pd.DataFrame(done["notices"]), hide_index=True, key="replan_notices")
                st.download_button("下载通知名单", done["csv"], "notices.csv", "text/csv", key="dl_replan")
            if done["published"]:
                st.info(f"已发布为新版本 #{done['published']}")


replan_panel(inst)

run = state.get_run()
if run is not None and not run.matches(path, month):
    run = None
if run is None:
    st.info("还没有这个月的排班：点击「求解」生成。")
    pin_panel(None, inst, path)
    st.stop()

show_run(run, path)
pin_panel(run, inst, path)
st.subheader("覆盖热力图")
st.plotly_chart(
    charts.coverage_heatmap(run.instance, run.report), key="chart_coverage", config=charts.CHART_CONFIG
)
st.subheader("每人统计")
cols = st.columns(2)
months = person_month_hours(run.instance, run.roster)
cols[0].plotly_chart(charts.hours_chart(run.instance, months), key="chart_hours", config=charts.CHART_CONFIG)
cols[1].plotly_chart(
    charts.counts_chart(run.instance, run.roster), key="chart_counts", config=charts.CHART_CONFIG
)
show_downloads(run)
if downloads.downloadable(run):
    publish_panel(run)
