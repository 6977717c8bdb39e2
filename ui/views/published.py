"""已发布排班: the actual roster in force (published rosters plus recorded changes) and the
coverage proof of a quarter, for the buyer's reviewer (甲方审阅) and the manager.

What a reviewer sees holds no personal data beyond names: no phone numbers, no leave or sick
reasons (the grid shows shifts only; the proof has none of either). Each export is audited.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from models.errors import InputError
from planner.problem.horizon import month_horizon, parse_quarter, quarter_key
from planner.workflows import coverage_proof, team
from ui import auth, state

session = auth.require("reviewer", "manager")
store = auth.store()
first, last = month_horizon(None, state.get(state.K_MONTH))
st.header(f"已发布排班 · {first:%Y年%m月}")

try:
    grid = team.published_month(store, first, last)
except InputError as exc:
    st.error(f"无法读取排班库：{exc}")
    st.stop()
if not grid.rows:
    st.info("本月还没有已发布的排班。")
else:
    versions = "、".join(f"#{v}" for v in grid.versions)
    st.caption(f"实际排班：已发布版本 {versions}，含已登记的变动（换班、请假等）。")
    if grid.unpublished:
        st.warning(f"{len(grid.unpublished)} 天没有已发布的排班（{grid.unpublished[0]} 起）。")
    st.dataframe(pd.DataFrame(grid.rows), hide_index=True, key="published_grid")

st.subheader("覆盖证明（季度考核）")
default_quarter = quarter_key(first)
quarter = st.text_input("季度（如 2026Q4）", value=default_quarter, key="proof_quarter")
if st.button("生成覆盖证明", key="proof_go", icon=":material/description:"):
    try:
        q_first, q_last = parse_quarter(quarter, "季度")
        with st.spinner("生成中…"):
            proof = coverage_proof.store_proof(store, q_first, q_last)
            xlsx, pdf = coverage_proof.proof_files(proof)
    except InputError as exc:
        state.put("proof_files", None)
        st.error(str(exc))
    else:
        state.put("proof_files", {"quarter": quarter, "xlsx": xlsx, "pdf": pdf, "made": dt.datetime.now()})
made = state.get("proof_files")
if made:
    st.caption(f"{made['quarter']} 覆盖证明，生成于 {made['made']:%H:%M}。下载记入审计记录。")
    c = st.columns(2)
    for col, kind, mime in (
        (c[0], "pdf", "application/pdf"),
        (c[1], "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        col.download_button(
            f"下载 {kind.upper()}",
            made[kind],
            file_name=f"coverage-proof-{made['quarter']}.{kind}",
            mime=mime,
            key=f"proof_{kind}",
            on_click=auth.record_event,
            args=("export_proof", made["quarter"], kind),
        )
