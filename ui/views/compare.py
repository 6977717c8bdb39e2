"""情景对比: solve the chosen scenario and its variants side by side; build a variant in forms and
save it as an `extends` file (planner.whatif.compare)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from models.errors import InputError
from planner.files.variant_file import FILE_STEM, VariantEdits
from planner.problem.labels import ABSENCE_ZH
from planner.problem.results import Progress, SolveOptions
from planner.reports.comparison import comparison_csv_text, comparison_xlsx_bytes
from planner.whatif.compare import compare_scenarios, table_text_rows
from planner.workflows.jobs import Job
from planner.workflows.save import save_variant
from ui import auth, state
from ui.last_resort import guarded

# The service manager's page (issue 15: every page checks the role).
auth.require("manager")

K_JOB = "compare_job"
K_RESULT = "compare_result"  # {"key", "outcomes", "rows"} or {"key", "error"}
K_EDITS = "variant_edits"  # the variant being built: lists of plain scenario-format entries
K_PENDING = "compare_pending"  # a saved variant to add to the selection on the next run
K_FLASH = "compare_flash"
EDIT_KEYS = ("absences", "surges", "new_staff", "leaving", "skills")
EDIT_ZH = {
    "absences": "请假",
    "surges": "加强保障",
    "new_staff": "增加人员",
    "leaving": "人员离岗",
    "skills": "增加技能",
}


def variant_folder(base: str) -> Path:
    """Where a new variant goes: scenarios/whatif/ for the repository's scenarios, else beside the base."""
    base_path = Path(base).resolve()
    scenarios = state.SCENARIO_DIRS[0].resolve()
    if base_path.parent in (scenarios, state.SCENARIO_DIRS[1].resolve()):
        return state.SCENARIO_DIRS[1]
    return base_path.parent


def candidate_files(base: str) -> list[str]:
    files = [
        *state.list_scenarios(),
        *sorted(variant_folder(base).glob("*.yaml")),
        *sorted(Path(base).parent.glob("*.yaml")),
    ]
    out = []
    for f in files:
        text = str(f.resolve())
        if text != str(Path(base).resolve()) and text not in out:
            out.append(text)
    return out


def compare_work(paths: list[str], start: dt.date, end: dt.date, limit: float):
    def work(progress, stop):
        def step(label: str) -> None:
            progress(Progress(level=label, incumbent=None, bound=None, elapsed=0.0))

        options = SolveOptions(time_limit=limit)
        return compare_scenarios([Path(p) for p in paths], start, end, options, progress=step, stop=stop)

    return work


def compare_panel() -> None:
    state.job_panel(
        K_JOB,
        K_RESULT,
        lambda step, seconds: f"正在求解 {step or '载入情景'}，已用时 {seconds:.0f} 秒…",
        "compare_stop",
        lambda result: {"outcomes": result[0], "rows": result[1]},
    )


def edits() -> dict[str, list[dict[str, Any]]]:
    return state.keep(K_EDITS, {k: [] for k in EDIT_KEYS})


def add_edit(kind: str, entry: dict[str, Any]) -> None:
    table = edits()
    table[kind] = [*table[kind], entry]


def span_ok(first: dt.date | None, last: dt.date | None, what: str = "结束日期") -> bool:
    if first is None or last is None:
        st.error("请填写日期")
        return False
    if last < first:
        st.error(f"{what} {last} 早于 {first}")
        return False
    return True


def describe(kind: str, e: dict[str, Any], names: dict[str, str], roles: dict[str, str]) -> str:
    if kind == "absences":
        return f"{e['staff']} {names.get(e['staff'], '')} {e['start']} 至 {e['end']} {ABSENCE_ZH[e['kind']]}"
    if kind == "surges":
        add = e["add"][0]
        role = roles.get(add["role"], add["role"])
        return f"{e['name']} {e['start']} 至 {e['end']} {role} {add['shift']} +{add['count']}"
    if kind == "new_staff":
        since = f"，{e['start_date']} 起" if e.get("start_date") else ""
        return f"{e['id']} {e['name']} {roles.get(e['role'], e['role'])} {e.get('years', '')} 年{since}"
    if kind == "leaving":
        r = e.get("replacement")
        rep = f"；替补 {r['id']} {r['name']} {r['start_date']} 到岗" if r else "；不补人"
        who = f"{e['staff']} {names.get(e['staff'], '')}"
        return f"{who} {e['notice_date']} 通知，最后工作日 {e['last_day']}{rep}"
    return f"{e['staff']} {names.get(e['staff'], '')} 增加技能 {roles.get(e['skill'], e['skill'])}"


st.header("情景对比")
path, month = state.current_selection()
try:
    base = state.base_scenario(path)
    start, end = state.month_horizon(base, month)
except InputError as exc:
    st.error(str(exc))
    st.stop()
state.show_flash(K_FLASH)
st.caption(f"基准：{base.name}（{state.display_path(path)}）· {start} 至 {end}")

# -- side by side -----------------------------------------------------------------------------
st.subheader("并排对比")
options = candidate_files(path)
pending = state.take(K_PENDING)
if pending and pending in options:
    state.put("compare_variants", [*state.get("compare_variants", []), pending])
chosen = st.multiselect("对比的情景", options, format_func=state.display_path, key="compare_variants")
job = state.get_job(K_JOB)
running = job is not None and job.snapshot().running
c = st.columns([1, 1, 2])
limit = c[0].number_input(
    "每个情景求解时限（秒）", min_value=1, max_value=3600, value=30, key="compare_limit"
)
key = (path, month, tuple(chosen))
if c[1].button(
    "对比", key="compare_run", type="primary", disabled=running or not chosen, icon=":material/compare:"
):
    work = compare_work([path, *chosen], start, end, float(limit))
    running = state.start_job(Job(work, "compare", {"key": key}), K_JOB)
st.fragment(guarded(compare_panel), run_every=1.0 if running else None)()

done = state.get(K_RESULT)
if done and done.get("key") == key:
    if "error" in done:
        st.error(f"对比失败：{done['error']}")
    else:
        outcomes, rows = done["outcomes"], done["rows"]
        text = table_text_rows(outcomes, rows)
        st.dataframe(pd.DataFrame(text[1:], columns=text[0]).set_index("指标"), key="compare_table")
        for o in outcomes:
            st.caption(f"{o.label}：{o.scenario.name}" + (f"（求解失败：{o.error}）" if o.error else ""))
        st.caption(
            "缺口单位为人次。加班费按综合计算工时（超出标准工时 150%，法定节假日 300%），需要人员的小时工资；"
            "合同 9.1 累计擅自更换、资质不符、替补迟到岗与缺员（默认每月计 1 次），每次 1%，"
            "第 3 次起甲方可解约并要求返还已付全部款项、另付 10%；"
            "考核分只计附件八中排班可见的扣分项（16 时交接班、驻场经理住宿、服务台电话、人员更换），"
            "两种读法分列：读法一每季度只扣较高一档、视情扣分取下限，读法二两档相加、取上限。"
        )
        d = st.columns(2)
        d[0].download_button(
            "对比表 CSV", comparison_csv_text(outcomes, rows).encode("utf-8"), f"compare-{month}.csv",
            "text/csv", key="dl_compare_csv",
        )  # fmt: skip
        d[1].download_button(
            "对比表 Excel", comparison_xlsx_bytes(outcomes, rows), f"compare-{month}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_compare_xlsx",
        )  # fmt: skip

# -- a new variant ----------------------------------------------------------------------------
st.subheader("编辑新情景")
st.caption("在基准上做改动，保存为只写差异的 extends 文件；保存后可在上面选中对比。")
names = {p.id: p.name for p in base.staff}
roles = {r.id: r.name for r in base.roles}
staff_ids = list(names)
tabs = st.tabs([EDIT_ZH[k] for k in EDIT_KEYS])
with tabs[0]:
    c = st.columns(4)
    who = c[0].selectbox("人员", staff_ids, format_func=lambda i: f"{i} {names[i]}", key="va_staff")
    first = c[1].date_input("开始", value=start, key="va_start")
    last = c[2].date_input("结束", value=start, key="va_end")
    kind = c[3].selectbox("类别", list(ABSENCE_ZH), format_func=ABSENCE_ZH.get, key="va_kind")
    if st.button("添加请假", key="va_add") and span_ok(first, last):
        add_edit("absences", {"staff": who, "start": first, "end": last, "kind": kind})
with tabs[1]:
    c = st.columns(3)
    name = c[0].text_input("名称", value="加强保障", key="vs_name")
    first = c[1].date_input("开始", value=start, key="vs_start")
    last = c[2].date_input("结束", value=start, key="vs_end")
    c = st.columns(3)
    role = c[0].selectbox("岗位", list(roles), format_func=roles.get, key="vs_role")
    shift = c[1].selectbox(
        "班次", [s.id for s in base.shifts], format_func=lambda s: base.shift(s).name, key="vs_shift"
    )
    count = c[2].number_input("增加人数", min_value=1, max_value=20, value=1, key="vs_count")
    if st.button("添加加强保障", key="vs_add") and span_ok(first, last):
        add = [{"role": role, "shift": shift, "count": int(count)}]
        add_edit("surges", {"name": name.strip() or "加强保障", "start": first, "end": last, "add": add})
with tabs[2]:
    c = st.columns(5)
    new_id = c[0].text_input("工号", key="vn_id")
    new_name = c[1].text_input("姓名", key="vn_name")
    new_role = c[2].selectbox("岗位", list(roles), format_func=roles.get, key="vn_role")
    years = c[3].number_input("工作年限", min_value=0, max_value=50, value=3, key="vn_years")
    since = c[4].date_input("到岗日期（可空）", value=None, key="vn_start")
    if st.button("添加人员", key="vn_add"):
        if not new_id.strip() or not new_name.strip():
            st.error("请填写工号和姓名")
        else:
            entry = {"id": new_id.strip(), "name": new_name.strip(), "role": new_role, "years": int(years)}
            add_edit("new_staff", {**entry, "start_date": since})
with tabs[3]:
    c = st.columns(3)
    who = c[0].selectbox("离岗人员", staff_ids, format_func=lambda i: f"{i} {names[i]}", key="vl_staff")
    notice = c[1].date_input("通知日期", value=start, key="vl_notice")
    last = c[2].date_input("最后工作日", value=end, key="vl_last")
    has_rep = st.checkbox("安排替补", value=True, key="vl_has_rep")
    c = st.columns(4)
    rep_id = c[0].text_input("替补工号", key="vl_rep_id", disabled=not has_rep)
    rep_name = c[1].text_input("替补姓名", key="vl_rep_name", disabled=not has_rep)
    rep_years = c[2].number_input("替补工作年限", min_value=0, max_value=50, value=3, key="vl_rep_years")
    rep_start = c[3].date_input("替补到岗日期", value=end, key="vl_rep_start", disabled=not has_rep)
    if st.button("添加离岗", key="vl_add") and span_ok(notice, last, "最后工作日"):
        if has_rep and (not rep_id.strip() or not rep_name.strip() or rep_start is None):
            st.error("请填写替补的工号、姓名和到岗日期")
        else:
            replacement = (
                {
                    "id": rep_id.strip(),
                    "name": rep_name.strip(),
                    "years": int(rep_years),
                    "start_date": rep_start,
                }
                if has_rep
                else None
            )
            add_edit(
                "leaving", {"staff": who, "notice_date": notice, "last_day": last, "replacement": replacement}
            )
with tabs[4]:
    c = st.columns(2)
    who = c[0].selectbox("人员", staff_ids, format_func=lambda i: f"{i} {names[i]}", key="vk_staff")
    skill = c[1].selectbox("增加的技能", list(roles), format_func=roles.get, key="vk_skill")
    if st.button("添加技能", key="vk_add"):
        if skill in base.person(who).all_skills:
            st.error(f"{who} {names[who]} 已经会{roles[skill]}")
        else:
            add_edit("skills", {"staff": who, "skill": skill})

staged = edits()
lines = [(EDIT_ZH[k], describe(k, e, names, roles)) for k in EDIT_KEYS for e in staged[k]]
if lines:
    st.dataframe(pd.DataFrame(lines, columns=["类别", "改动"]), hide_index=True, key="variant_list")
    if st.button("清空改动", key="variant_clear"):
        state.put(K_EDITS, {k: [] for k in EDIT_KEYS})
        st.rerun()
else:
    st.info("还没有改动。")

folder = variant_folder(path)
c = st.columns([2, 2, 1])
variant_name = c[0].text_input("情景名称", value="假设：", key="variant_name")
stem = c[1].text_input(f"文件名（保存到 {state.display_path(folder)}）", key="variant_file")
if c[2].button("保存情景", key="variant_save", type="primary", disabled=not lines):
    name = stem.strip().removesuffix(".yaml")
    target = folder / (name + ".yaml")
    try:
        if not FILE_STEM.match(name):  # a bare name: no folder, no '..', no absolute path
            raise InputError(f"{name or '（空）'}.yaml：文件名只能用字母、数字、'-'、'_'，不能含路径")
        variant = VariantEdits(name=variant_name.strip(), **{k: list(staged[k]) for k in EDIT_KEYS})
        save_variant(path, target, variant)
    except InputError as exc:
        st.error(str(exc))
    else:
        state.put(K_EDITS, {k: [] for k in EDIT_KEYS})
        state.put(K_PENDING, str(target.resolve()))
        state.flash(K_FLASH, "success", f"已保存到 {state.display_path(target)}")
        state.forget_loaded_scenarios()
        st.rerun()
