"""人员: the team, skills and absences; edit absences and requests and save them to the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from models.errors import InputError
from planner.files.scenario_file import normalize, own_entries
from planner.problem.labels import ABSENCE_ZH
from planner.workflows.save import save_entries
from ui import auth, state
from ui.labels import WANT_ZH, rules_text

# The service manager's page (issue 15: every page checks the role).
auth.require("manager")

K_EDIT = "staff_edit"  # {"path", "absences", "requests", "expected"}: edits not yet saved
K_FLASH = "staff_flash"
KINDS = ("annual", "sick", "training", "personal", "other")


def load_edit(path: str) -> dict[str, Any]:
    """The staged edits for this file, read from the file when there are none yet."""
    edit = state.get(K_EDIT)
    if edit is None or edit["path"] != path:
        lists = {key: own_entries(path, key) for key in ("absences", "requests")}
        edit = {"path": path, **{k: list(v) for k, v in lists.items()}, "expected": lists}
        state.put(K_EDIT, edit)
    return edit


def dirty(edit: dict[str, Any]) -> bool:
    return any(edit[k] != edit["expected"][k] for k in ("absences", "requests"))


def absence_label(e: dict[str, Any], names: dict[str, str]) -> str:
    span = f"{e['start']}" if e.get("start") == e.get("end") else f"{e.get('start')} 至 {e.get('end')}"
    reason = f"（{e['reason']}）" if e.get("reason") else ""
    kind = ABSENCE_ZH.get(e.get("kind", "other"), "")
    return f"{e['staff']} {names.get(e['staff'], '')} {span} {kind}{reason}"


def request_label(e: dict[str, Any], names: dict[str, str]) -> str:
    shift = e.get("shift", "any")
    shift_text = "任意班次" if shift == "any" else shift
    return (
        f"{e['staff']} {names.get(e['staff'], '')} {e['date']} {shift_text} "
        f"{WANT_ZH.get(e.get('want', ''), e.get('want', ''))} 权重 {e.get('weight', 1)}"
    )


def remove_picker(edit: dict[str, Any], key: str, labels: list[str], noun: str, prefix: str) -> None:
    """Pick staged entries of one list and drop them (widget keys `<prefix>_drop`, `<prefix>_remove`)."""
    drop = st.multiselect(
        f"本文件的{noun}记录（选中后可删除）",
        range(len(labels)),
        format_func=labels.__getitem__,
        key=f"{prefix}_drop",
        placeholder="选择要删除的记录",
    )
    if st.button(f"删除所选{noun}", key=f"{prefix}_remove", disabled=not drop):
        edit[key] = [e for i, e in enumerate(edit[key]) if i not in set(drop)]
        state.take(f"{prefix}_drop")
        st.rerun()


st.header("人员")
path, month = state.current_selection()
try:
    scenario = state.base_scenario(path)
    edit = load_edit(path)
except InputError as exc:
    st.error(str(exc))
    st.stop()

names = {p.id: p.name for p in scenario.staff}
role_names = {r.id: r.name for r in scenario.roles}
state.show_flash(K_FLASH)

# -- the team ---------------------------------------------------------------------------------
st.subheader("团队与技能")
st.dataframe(
    pd.DataFrame(
        [
            {
                "工号": p.id,
                "姓名": p.name,
                "岗位": role_names.get(p.role, p.role),
                "其他技能": "、".join(role_names.get(s, s) for s in p.all_skills if s != p.role),
                "职称": p.title or "",
                "年限": p.years,
                "到岗": p.start_date.isoformat() if p.start_date else "",
                "最后工作日": p.end_date.isoformat() if p.end_date else "",
                "个人规则": rules_text(p.rules, scenario.rules),
            }
            for p in scenario.staff
        ]
    ),
    hide_index=True,
    height=36 * (len(scenario.staff) + 1) + 4,
    key="team_table",
)
per_role = {r.name: sum(1 for p in scenario.staff if p.role == r.id) for r in scenario.roles}
st.caption("各岗位人数：" + "，".join(f"{k} {v}" for k, v in per_role.items()))

# -- absences: all of them, and which ones this file itself holds ------------------------------
st.subheader("请假与不在岗")
own = [normalize(e) for e in edit["expected"]["absences"]]
rows = []
for a in scenario.absences:
    entry = normalize(a.model_dump())
    mine = any(all(entry.get(k) == o.get(k) for k in ("staff", "start", "end", "kind")) for o in own)
    rows.append(
        {
            "人员": f"{a.staff} {names.get(a.staff, '')}",
            "开始": a.start.isoformat(),
            "结束": a.end.isoformat(),
            "类别": ABSENCE_ZH[a.kind],
            "原因": a.reason or "",
            "来源": "本文件" if mine else "基础场景",
        }
    )
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="absences_table")
else:
    st.caption("场景文件里没有请假记录。")

# -- editing ----------------------------------------------------------------------------------
st.subheader("编辑请假和排班申请")
st.caption(
    f"修改先暂存在本页，点击「保存到场景文件」后写回 {state.display_path(path)}（保留注释和其他内容）。"
)
first = scenario.contract.start if scenario.contract else dt.date.today()
last = scenario.contract.end if scenario.contract else first + dt.timedelta(days=366)
month_start, _ = state.month_horizon(scenario, month)
people = list(names)

with st.container(border=True):
    st.markdown("**添加请假**")
    c = st.columns([2, 2, 2, 2, 3])
    a_staff = c[0].selectbox("人员", people, format_func=lambda i: f"{i} {names[i]}", key="abs_staff")
    a_start = c[1].date_input("开始", value=month_start, min_value=first, max_value=last, key="abs_start")
    a_end = c[2].date_input("结束", value=month_start, min_value=first, max_value=last, key="abs_end")
    a_kind = c[3].selectbox("类别", KINDS, format_func=ABSENCE_ZH.get, key="abs_kind")
    a_reason = c[4].text_input("原因（可不填，只保存在本机）", key="abs_reason")
    if st.button("添加请假", key="abs_add"):
        if a_end < a_start:
            state.flash(K_FLASH, "error", f"结束日期 {a_end} 早于开始日期 {a_start}")
        else:
            entry = {
                "staff": a_staff,
                "start": a_start,
                "end": a_end,
                "kind": a_kind,
                "reason": a_reason.strip(),
            }
            edit["absences"].append(normalize(entry))
        st.rerun()
    remove_picker(edit, "absences", [absence_label(e, names) for e in edit["absences"]], "请假", "abs")

with st.container(border=True):
    st.markdown("**添加排班申请**")
    shift_ids = ["any", *[s.id for s in scenario.shifts]]
    shift_names = {"any": "任意班次", **{s.id: f"{s.id} {s.name}" for s in scenario.shifts}}
    c = st.columns([2, 2, 2, 2, 1])
    r_staff = c[0].selectbox("人员", people, format_func=lambda i: f"{i} {names[i]}", key="req_staff")
    r_date = c[1].date_input("日期", value=month_start, min_value=first, max_value=last, key="req_date")
    r_shift = c[2].selectbox("班次", shift_ids, format_func=shift_names.get, key="req_shift")
    r_want = c[3].selectbox("希望", ("off", "on"), format_func=WANT_ZH.get, key="req_want")
    r_weight = c[4].number_input("权重", min_value=0, max_value=100, value=1, key="req_weight")
    if st.button("添加申请", key="req_add"):
        entry = {"staff": r_staff, "date": r_date, "shift": r_shift, "want": r_want, "weight": int(r_weight)}
        edit["requests"].append(normalize(entry))
        st.rerun()
    remove_picker(edit, "requests", [request_label(e, names) for e in edit["requests"]], "申请", "req")

changed = dirty(edit)
if changed:
    st.info("有未保存的修改。")
c = st.columns([1, 1, 4])
if c[0].button("保存到场景文件", key="staff_save", type="primary", disabled=not changed):
    try:
        save_entries(
            Path(path),
            {"absences": edit["absences"], "requests": edit["requests"]},
            expected=edit["expected"],
        )
    except InputError as exc:
        state.flash(K_FLASH, "error", f"没有保存（文件保持原样）：{exc}")
    else:
        auth.record_event("scenario_change", state.display_path(path), "absences and requests saved")
        state.take(K_EDIT)
        state.forget_loaded_scenarios()
        state.flash(K_FLASH, "success", f"已保存到 {state.display_path(path)}，并重新校验通过。")
    st.rerun()
if c[1].button("放弃修改", key="staff_discard", disabled=not changed):
    state.take(K_EDIT)
    st.rerun()
