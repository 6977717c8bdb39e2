"""The web app's entry file: the shared sidebar (scenario and month), then routing to one page.

Start it with `roster-app [--scenario scenarios/contract-2026.yaml]` (ui/launch.py), from any folder.
The scenario can also come from the URL (`?scenario=...&month=2026-12`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

# `streamlit run ui/app.py` puts ui/ on sys.path, not the repository root; the package is
# normally installed (pip install -e .), and this keeps a plain checkout working too.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from models.errors import InputError  # noqa: E402
from models.scenario import Scenario  # noqa: E402
from ui import auth, launch, state  # noqa: E402
from ui.labels import (  # noqa: E402
    APP_TITLE,
    PAGE_APPROVALS,
    PAGE_AUDIT,
    PAGE_CALENDAR,
    PAGE_MINE,
    PAGE_PUBLISHED,
    PAGE_ROSTER,
    PAGE_STAFF,
    PAGE_WHY,
)
from ui.last_resort import guarded  # noqa: E402


def _argv_scenario() -> str | None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--scenario")
    known, _ = parser.parse_known_args(sys.argv[1:])
    return known.scenario


# A local image, not a ":material/…" icon: that one is fetched from a public font server.
st.set_page_config(page_title=APP_TITLE, page_icon=launch.page_icon(), layout="wide")


# Streamlit's file uploader has no label parameters for its own words ("Upload", "200MB per file
# • YAML"), and no Chinese locale: the words are replaced in CSS. The limits and types are in
# each uploader's label instead.
UPLOADER_ZH = """<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {
  content: "选择文件"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "或把文件拖到这里"; font-size: 0.875rem; }
</style>"""


def _manager_sidebar() -> Scenario | None:
    st.selectbox("场景文件", state.scenario_options(), key=state.K_SCENARIO, format_func=state.display_path)
    try:
        return state.base_scenario(state.get(state.K_SCENARIO))
    except InputError as exc:
        st.error(f"场景文件有误：{exc}")
        return None


def _month_selector(scenario: Scenario | None) -> None:
    months = state.month_options(scenario)
    if state.get(state.K_MONTH) not in months:
        state.put(state.K_MONTH, state.DEFAULT_MONTH if state.DEFAULT_MONTH in months else months[0])
    st.selectbox("月份", months, key=state.K_MONTH)


def _contract_period() -> Scenario | None:
    """For the months an engineer or reviewer can pick: the launch scenario's contract period.
    Nothing of it is shown (the scenario file is the manager's)."""
    try:
        return state.base_scenario(state.get(state.K_SCENARIO))
    except InputError:
        return None


def _pages(role: str) -> list:
    manager = [
        st.Page(
            "views/roster.py",
            title=PAGE_ROSTER,
            icon=":material/table_view:",
            url_path="roster",
            default=True,
        ),
        st.Page("views/why.py", title=PAGE_WHY, icon=":material/help:", url_path="why"),
        st.Page(
            "views/calendar.py", title=PAGE_CALENDAR, icon=":material/calendar_month:", url_path="calendar"
        ),
        st.Page("views/staff.py", title=PAGE_STAFF, icon=":material/group:", url_path="staff"),
        st.Page("views/staffing.py", title="人员配置", icon=":material/groups:", url_path="staffing"),
        st.Page("views/compare.py", title="情景对比", icon=":material/compare:", url_path="compare"),
        st.Page("views/approvals.py", title=PAGE_APPROVALS, icon=":material/approval:", url_path="approvals"),
        st.Page("views/published.py", title=PAGE_PUBLISHED, icon=":material/verified:", url_path="published"),
        st.Page("views/audit.py", title=PAGE_AUDIT, icon=":material/policy:", url_path="audit"),
    ]
    if role == "manager":
        return manager
    if role == "engineer":
        return [
            st.Page("views/mine.py", title=PAGE_MINE, icon=":material/person:", url_path="mine", default=True)
        ]
    return [
        st.Page(
            "views/published.py",
            title=PAGE_PUBLISHED,
            icon=":material/verified:",
            url_path="published",
            default=True,
        )
    ]


def main() -> None:
    st.html(UPLOADER_ZH)
    problem = launch.exposure_problem()
    if problem:
        st.error(problem)
        st.stop()
    # Nothing below runs before a login (issue 15): no name, number or scenario is read for the page.
    session = auth.gate()
    state.init_defaults(_argv_scenario())
    state.show_flash(state.K_URL_FLASH)

    with st.sidebar:
        st.markdown(f"### {APP_TITLE}")
        if session.role == "manager":
            sidebar_scenario = _manager_sidebar()
        else:
            sidebar_scenario = _contract_period()
        _month_selector(sidebar_scenario)
        if session.role == "manager" and sidebar_scenario is not None:
            st.caption(sidebar_scenario.name)
        auth.sidebar(session)
        st.caption("所有数据（姓名、请假原因）只在本机或本单位服务器处理，不会上传。")

    st.navigation(_pages(session.role)).run()


# The last resort (ui/last_resort.py): one Chinese line and a log file, never a traceback.
guarded(main)()
