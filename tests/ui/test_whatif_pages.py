"""The 人员配置 and 情景对比 pages through AppTest, on tests/ui/fixtures/tiny.yaml (three days).

Under the hard overtime cap the tiny team is short by 2 in video (3 people) and 2 in image
(2 people); one more person in each role closes the gap. Three days' annual leave for S04 turns
the video shortfall from 1 into 3 (soft cap, as the file says).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.loader import load_scenario
from tests.ui.conftest import new_app, state, wait_for

D = dt.date
pytestmark = [pytest.mark.ui, pytest.mark.slow]


def frame(at, column: str):
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a column {column!r}")


def finished(job: str, result: str):
    """The page's job is gone and its result is in the session."""
    return lambda a: state(a, job) is None and state(a, result) is not None


def test_staffing_page_shows_proven_minimums_and_cross_training(tiny: Path):
    at = new_app(tiny).run()
    at.switch_page("views/staffing.py").run()
    assert not at.exception
    at.number_input(key="staffing_limit").set_value(5)
    at.button(key="staffing_run").click().run()
    wait_for(at, "staffing", finished("staffing_job", "staffing_result"))
    assert not at.exception
    roles = frame(at, "最少人数")
    assert list(roles["岗位"]) == ["视频会议保障工程师", "视频图像保障工程师"]
    assert list(roles["现有人数"]) == [3, 2]
    assert list(roles["最少人数"]) == [4, 3]
    assert list(roles["现有人数下缺口（人次）"]) == ["2", "2"]
    assert list(roles["已证明"]) == ["是", "是"]
    report = state(at, "staffing_result")["report"]
    assert report.cross_training_tried == 5  # 3 video people × image, 2 image people × video
    assert len(at.get("plotly_chart")) == 1


def test_compare_page_builds_saves_and_compares_a_variant(tiny: Path):
    at = new_app(tiny).run()
    at.switch_page("views/compare.py").run()
    assert not at.exception
    assert at.button(key="variant_save").disabled  # nothing to save yet

    at.selectbox(key="va_staff").set_value("S04")
    at.date_input(key="va_start").set_value(D(2026, 12, 1))
    at.date_input(key="va_end").set_value(D(2026, 12, 3))
    at.selectbox(key="va_kind").set_value("annual")
    at.button(key="va_add").click().run()
    assert list(frame(at, "改动")["类别"]) == ["请假"]
    at.text_input(key="variant_name").set_value("假设：王冰强请假")
    at.text_input(key="variant_file").set_value("s04-leave")
    at.button(key="variant_save").click().run()
    assert not at.exception
    saved = tiny.parent / "s04-leave.yaml"
    assert [s.value for s in at.success] == ["已保存到 " + str(saved.resolve())]
    text = saved.read_text(encoding="utf-8")
    assert "extends: tiny.yaml" in text
    variant = load_scenario(saved)
    assert [(a.staff, a.start, a.end, a.kind) for a in variant.absences] == [
        ("S04", D(2026, 12, 1), D(2026, 12, 3), "annual")
    ]
    assert at.multiselect(key="compare_variants").value == [str(saved.resolve())]

    at.number_input(key="compare_limit").set_value(5)
    at.button(key="compare_run").click().run()
    wait_for(at, "compare", finished("compare_job", "compare_result"))
    assert not at.exception
    table = frame(at, "tiny")
    assert list(table.columns) == ["tiny", "s04-leave"]
    assert list(table.loc["缺口·视频会议保障工程师"]) == ["1", "3"]
    assert list(table.loc["求解状态"]) == ["最优", "最优"]


def test_compare_page_refuses_a_bad_variant_and_writes_nothing(tiny: Path):
    at = new_app(tiny).run()
    at.switch_page("views/compare.py").run()
    at.date_input(key="va_start").set_value(D(2026, 12, 3))
    at.date_input(key="va_end").set_value(D(2026, 12, 1))
    at.button(key="va_add").click().run()
    assert [e.value for e in at.error] == ["结束日期 2026-12-01 早于 2026-12-03"]
    at.selectbox(key="vk_staff").set_value("S02")
    at.selectbox(key="vk_skill").set_value("image")
    at.button(key="vk_add").click().run()
    at.text_input(key="variant_file").set_value("tiny")  # the base's own name: exists already
    at.button(key="variant_save").click().run()
    assert any("exists already" in e.value for e in at.error)
    assert sorted(p.name for p in tiny.parent.glob("*.yaml")) == ["tiny.yaml"]


def test_staffing_page_compares_shift_designs_under_lawful_systems(tiny: Path):
    at = new_app(tiny).run()
    at.switch_page("views/staffing.py").run()
    at.number_input(key="staffing_limit").set_value(5)
    at.button(key="designs_run").click().run()
    wait_for(at, "designs", finished("designs_job", "designs_result"))
    assert not at.exception
    table = frame(at, "班次设计")
    # The fixture's 16 h night only under comprehensive hours; the three-shift design under both.
    systems = {(d.split("（")[0], w) for d, w in zip(table["班次设计"], table["工时制度"], strict=True)}
    assert systems == {
        ("本场景", "综合计算工时制（按月），须审批"),
        ("三班制", "标准工时制"),
        ("三班制", "综合计算工时制（按月），须审批"),
    }
    assert set(table["已证明"]) == {"是"}
    assert len(at.get("plotly_chart")) == 1
