"""Every page of the web app through streamlit.testing.v1.AppTest, with stable widget keys.

The roster tests solve tests/ui/fixtures/tiny.yaml (three days, five people) with a 2 s limit,
pin cells and re-solve, and check the roster that comes back, not only that nothing raised.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from models.loader import load_scenario
from models.roster import Assignment
from planner.check.why_empty import why_empty
from planner.problem.instance import Instance
from planner.workflows.jobs import Job
from tests.ui.conftest import ROOT, new_app, solve, state, wait_for
from ui import downloads

D = dt.date
pytestmark = pytest.mark.ui


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def frame(at, column: str):
    """The first table on the page with this column (st.dataframe keys are not exposed to AppTest)."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a column {column!r}")


def cell_of(run, staff: str, date: dt.date) -> list[Assignment]:
    return [a for a in run.roster.assignments if a.staff_id == staff and a.date == date]


# -- 排班 ---------------------------------------------------------------------------------------
def test_roster_page_loads_with_the_contract_by_default():
    """A fresh session opens the contract scenario on December 2026, ready to solve."""
    at = new_app(ROOT / "scenarios" / "contract-2026.yaml").run()
    assert not at.exception
    assert at.session_state["month"] == "2026-12"
    assert at.selectbox(key="month").value == "2026-12"
    assert "应急指挥中心技术保障 合同 2026-2027 · 2026-12-01 至 2026-12-31（31 天，13 人）" in texts(
        at.caption
    )
    assert at.button(key="solve").label == "求解"
    assert [s.key for s in at.selectbox if s.key and s.key.startswith("pin_")] == [
        "pin_staff",
        "pin_date",
        "pin_value",
    ]
    assert len(at.selectbox(key="pin_date").options) == 31


@pytest.mark.slow
def test_solve_pin_and_resolve(tiny: Path):
    """Solve, pin a night, a day off and an absence, re-solve: the pins hold and the roster validates."""
    at = new_app(tiny).run()
    assert not at.exception
    run = solve(at)
    assert run is not None and run.report.ok
    assert (run.roster.start, run.roster.end) == (D(2026, 12, 1), D(2026, 12, 3))
    assert [lv.name for lv in run.result.levels] == [
        "coverage",
        "overtime",
        "substitutes",
        "requests",
        "fairness",
    ]
    levels = frame(at, "层级")
    assert list(levels["层级"]) == ["覆盖缺口", "超出法定加班上限", "替岗次数", "未满足的申请", "公平性差距"]
    assert levels["数值"][0] == str(int(run.report.scores.coverage))
    success = [s for s in texts(at.success) if s.startswith("校验通过")]
    assert success == [
        f"校验通过：没有违反硬性规则。缺人的班次 {len(run.report.shortfall_slots)} 个，"
        f"共缺 {sum(s.shortfall for s in run.report.shortfall_slots)} 人次。"
    ]

    # Pin S04 to the night of 12-02 (whatever the roster had), S06 off on 12-01, S07 absent on 12-03.
    for staff, day, value in (
        ("S04", "2026-12-02", "N"),
        ("S06", "2026-12-01", "off"),
        ("S07", "2026-12-03", "absent"),
    ):
        at.selectbox(key="pin_staff").set_value(staff)
        at.selectbox(key="pin_date").set_value(day)
        at.selectbox(key="pin_value").set_value(value)
        at.button(key="pin_add").click().run()
        assert not at.exception
        assert any(t.startswith(f"已固定：{staff}") for t in texts(at.success)), texts(at.success)
    assert [(p.staff, p.date, p.value) for p in state(at, "pins")[str(tiny)]] == [
        ("S06", D(2026, 12, 1), "off"),
        ("S04", D(2026, 12, 2), "N"),
        ("S07", D(2026, 12, 3), "absent"),
    ]
    assert any("固定安排在这次求解之后有改动" in t for t in texts(at.info))

    run2 = solve(at)
    assert run2 is not run and run2.report.ok
    assert [(a.shift, a.role) for a in cell_of(run2, "S04", D(2026, 12, 2))] == [("N", "video")]
    assert cell_of(run2, "S06", D(2026, 12, 1)) == []
    assert cell_of(run2, "S07", D(2026, 12, 3)) == []
    # The pins went into the solved scenario copy, not into the file.
    assert ("S04", D(2026, 12, 2), "N") in {(f.staff, f.date, f.shift) for f in run2.scenario.fixed}
    assert any(a.staff == "S07" and a.kind == "other" for a in run2.scenario.absences)
    assert load_scenario(tiny).fixed == () and load_scenario(tiny).absences == ()
    # The grid marks the pinned cells.
    grid = grid_html(at)
    assert 'data-staff="S04" data-date="2026-12-02" data-shift="N"' in grid
    assert grid.count("◆") >= 3

    # Unpin one and clear all.
    at.selectbox(key="pin_staff").set_value("S04")
    at.selectbox(key="pin_date").set_value("2026-12-02")
    at.button(key="pin_remove").click().run()
    assert [(p.staff, p.value) for p in state(at, "pins")[str(tiny)]] == [("S06", "off"), ("S07", "absent")]
    at.button(key="pins_clear").click().run()
    assert state(at, "pins")[str(tiny)] == []


def grid_html(at) -> str:
    """The roster grid's HTML as sent to the page."""
    (grid,) = [h.value for h in at.html if 'id="roster-grid"' in h.value]
    return grid


@pytest.mark.slow
def test_pin_that_cannot_hold_is_refused(tiny: Path):
    """Pinning an absent person to a shift is refused with a reason; nothing is pinned."""
    text = (
        tiny.read_text(encoding="utf-8")
        + "absences:\n  - {staff: S03, start: 2026-12-02, end: 2026-12-02, kind: sick}\n"
    )
    tiny.write_text(text, encoding="utf-8")
    at = new_app(tiny).run()
    at.selectbox(key="pin_staff").set_value("S03")
    at.selectbox(key="pin_date").set_value("2026-12-02")
    at.selectbox(key="pin_value").set_value("D")
    at.button(key="pin_add").click().run()
    assert texts(at.error) == ["张炜霖 2026-12-02 在请假（2026-12-02 至 2026-12-02），不能固定上班"]
    assert state(at, "pins") in (None, {}, {str(tiny): []})


@pytest.mark.slow
def test_hand_edit_breaking_a_rule_is_shown_on_the_cell(tiny: Path):
    """A hand edit that breaks the rest rule: the validator's message sits on the cell, downloads stop."""
    at = new_app(tiny).run()
    run = solve(at)
    night = next(a for a in run.roster.assignments if a.shift == "N" and a.date < D(2026, 12, 3))
    next_day = night.date + dt.timedelta(days=1)
    at.selectbox(key="pin_staff").set_value(night.staff_id)
    at.selectbox(key="pin_date").set_value(next_day.isoformat())
    at.selectbox(key="pin_value").set_value("D")
    at.button(key="edit_apply").click().run()
    assert not at.exception
    edited = state(at, "roster_run")
    assert [a.shift for a in cell_of(edited, night.staff_id, next_day)] == ["D"]
    assert not edited.report.ok
    rest = [v for v in edited.report.violations if v.rule == "rest"]
    assert [(v.staff_id, v.date) for v in rest] == [(night.staff_id, next_day)]
    assert any(t.startswith("违反硬性规则 1 条") for t in texts(at.error))
    assert "当前排班违反硬性规则，修正后才能下载。" in texts(at.error)
    assert len(at.download_button) == 0
    grid = grid_html(at)
    marker = (
        f'data-staff="{night.staff_id}" data-date="{next_day.isoformat()}" '
        'data-shift="D" data-presence="" data-violations="1"'
    )
    assert marker in grid
    assert "休息不足" in grid
    violations = frame(at, "规则")
    assert list(violations["规则"]) == ["休息不足"]
    assert any("手工修改" in w for w in texts(at.warning))


@pytest.mark.slow
def test_downloads_offer_the_current_roster(tiny: Path):
    at = new_app(tiny).run()
    run = solve(at)
    labels = [b.label for b in at.download_button]
    assert labels[:3] == ["roster.csv", "roster.xlsx", "summary.json"]
    csv_text = downloads.csv_bytes(run).decode("utf-8")
    assert csv_text.splitlines()[0] == "date,shift,start,end,staff_id,staff_name,role,primary_role,paid_hours"
    assert len(csv_text.splitlines()) == 1 + len(run.roster.assignments)
    assert downloads.xlsx_bytes(run)[:2] == b"PK"
    summary = json.loads(downloads.summary_bytes(run))
    assert summary["validation"]["ok"] is True
    assert summary["assignments"] == len(run.roster.assignments)
    assert summary["hand_edits"] == [] and summary["pins"] == []
    calendars = downloads.person_ics(run)
    assert sorted(calendars) == ["S02", "S03", "S04", "S06", "S07"]
    worked = {a.staff_id for a in run.roster.assignments}
    assert worked
    for staff_id, (name, data) in calendars.items():
        assert name == f"{staff_id}.ics"
        assert data.startswith(b"BEGIN:VCALENDAR")
        assert data.count(b"BEGIN:VEVENT") == sum(1 for a in run.roster.assignments if a.staff_id == staff_id)


def test_stop_button_sets_the_jobs_event(tiny: Path):
    """While a solve runs the page shows its progress and a stop button that reaches the solver."""
    at = new_app(tiny).run()

    def slow_work(progress, stop):
        from planner.problem.results import Progress

        progress(Progress("coverage [video]", 3.0, 1.0, 0.1))
        stop.wait(20)
        return None

    from models.loader import load_scenario
    from planner.problem.instance import Instance

    inst = Instance(load_scenario(tiny), dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    context = {"path": str(tiny), "month": "2026-12", "pins": [], "limit": 30.0, "instance": inst}
    job = Job(slow_work, "solve", context).start()
    at.session_state["solve_job"] = job
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["层级"] == "覆盖缺口"
    assert "正在求解的岗位：视频会议保障工程师" in texts(at.caption)
    assert (metrics["当前解"], metrics["下界"]) == ("3", "1")
    assert at.button(key="solve").disabled
    at.button(key="stop").click().run()
    assert job.stop_event.is_set()
    assert job.join(5)


def test_bad_scenario_file_is_one_line_not_a_traceback(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: x\nroles: [\n", encoding="utf-8")
    at = new_app(bad).run()
    assert not at.exception
    errors = texts(at.error)
    assert errors and all("bad.yaml" in e for e in errors)
    assert all("\n" not in e for e in errors)
    assert "malformed YAML" in errors[0]


# -- 解释 ---------------------------------------------------------------------------------------
def test_why_page_asks_for_a_roster_first(tiny: Path):
    at = new_app(tiny).run()
    at.switch_page("views/why.py").run()
    assert not at.exception
    assert texts(at.info) == ["请先在「排班」页为这个月求解，这里再解释缺口。"]


@pytest.mark.slow
def test_why_page_explains_and_lists_who_could_take_empty_slots(tiny: Path):
    at = new_app(tiny).run()
    run = solve(at)
    at.switch_page("views/why.py").run()
    assert not at.exception
    inst = Instance(load_scenario(tiny), D(2026, 12, 1), D(2026, 12, 3))
    expected = why_empty(inst, run.roster)
    assert expected, "the tiny scenario is meant to leave slots empty"
    box = at.selectbox(key="why_slot")
    assert len(box.options) == len(expected)
    table = frame(at, "能否顶上")
    first = expected[0]
    skilled = [c for c in first.candidates if first.role in inst.staff_by_id[c.staff_id].all_skills]
    assert list(table["人员"]) == [f"{c.staff_id} {c.name}" for c in skilled]
    assert list(table["能否顶上"]) == ["可以" if c.could_take else "不能" for c in skilled]

    at.number_input(key="explain_limit").set_value(2)
    at.button(key="explain").click().run()
    wait_for(
        at, "the explanation", lambda a: state(a, "explain_job") is None and state(a, "explanation"), 120
    )
    done = state(at, "explanation")
    assert "error" not in done, done
    roles = [item["role"] for item in done["items"]]
    assert sorted(roles) == ["image", "video"]
    shown = " ".join(m.value for m in at.markdown)
    assert "视频会议保障工程师" in shown and "视频图像保障工程师" in shown


# -- 日历 ---------------------------------------------------------------------------------------
OVERRIDE_2027 = """\
year: 2027
notice:
  title: 国务院办公厅关于2027年部分节假日安排的通知（测试用）
  date: 2026-11-01
holidays:
  2027-01-01: 元旦
days_off: []
makeup_workdays:
  2027-01-09: 测试调休上班
"""


def test_calendar_page_counts_kinds_and_flags_2027(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ROSTER_PLANNER_HOME", str(tmp_path / "home"))
    at = new_app(ROOT / "scenarios" / "contract-2026.yaml").run()
    at.switch_page("views/calendar.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # scenarios/README.md: 247 workdays, 104 rest days, 14 holidays; 2027-01-01..06-14 provisional.
    assert (metrics["工作日"], metrics["休息日"], metrics["法定节假日"], metrics["暂定天数"]) == (
        "247", "104", "14", "165",
    )  # fmt: skip
    assert any(w.startswith("2027 年的节假日安排为暂定") for w in texts(at.warning))
    holidays = at.dataframe[0].value
    assert "2026-10-01" in list(holidays["日期"])
    makeup = at.dataframe[2].value
    assert list(makeup["日期"]) == ["2026-09-20", "2026-10-10"]

    # Load an official 2027 file: it is validated, saved, and used for the rest of the session.
    at.file_uploader(key="override_upload").set_value(
        ("2027.yaml", OVERRIDE_2027.encode(), "application/x-yaml")
    )
    at.run()
    at.button(key="override_apply").click().run()
    assert not at.exception
    assert any(s.startswith("已载入 2027 年") for s in texts(at.success)), texts(at.success)
    saved = list((tmp_path / "home" / "calendars").glob("2027-*.yaml"))
    assert len(saved) == 1 and saved[0].read_text(encoding="utf-8") == OVERRIDE_2027
    assert not [w for w in texts(at.warning) if "暂定" in w]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["暂定天数"] == "0"
    makeup = at.dataframe[2].value
    assert list(makeup["日期"]) == ["2026-09-20", "2026-10-10", "2027-01-09"]


def test_calendar_upload_of_a_bad_file_names_the_file_and_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSTER_PLANNER_HOME", str(tmp_path / "home"))
    at = new_app(ROOT / "scenarios" / "contract-2026.yaml").run()
    at.switch_page("views/calendar.py").run()
    bad = OVERRIDE_2027.replace("2027-01-09", "2028-01-09")
    at.file_uploader(key="override_upload").set_value(("2027.yaml", bad.encode(), "application/x-yaml"))
    at.run()
    at.button(key="override_apply").click().run()
    assert not at.exception
    (error,) = texts(at.error)
    assert error.startswith("文件有误，未载入：2027.yaml")
    assert "makeup_workdays" in error and "2028-01-09" in error
    assert not list((tmp_path / "home" / "calendars").glob("2027-*.yaml"))


def test_calendar_page_shows_surges(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSTER_PLANNER_HOME", str(tmp_path / "home"))
    at = new_app(ROOT / "scenarios" / "surges-beijing-2026-2027.yaml").run()
    at.switch_page("views/calendar.py").run()
    assert not at.exception
    surges = frame(at, "增加")
    # The contract's reinforced duty on holidays and the 两会 first, then Beijing's periods.
    names = list(surges["名称"])
    assert names[0] == "加强值班·端午节（假设）" and "汛期" in names and "主汛期（七下八上）" in names
    assert len(surges) == 9 + 5
    assert "视频图像保障工程师白班 +1" in list(surges["增加"])


# -- 人员 ---------------------------------------------------------------------------------------
def test_staff_page_adds_an_absence_and_a_request_and_saves_the_file(tiny: Path):
    before = tiny.read_text(encoding="utf-8")
    at = new_app(tiny).run()
    at.switch_page("views/staff.py").run()
    assert not at.exception
    team = frame(at, "工号")
    assert list(team["工号"]) == ["S02", "S03", "S04", "S06", "S07"]
    assert at.button(key="staff_save").disabled

    at.selectbox(key="abs_staff").set_value("S04")
    at.date_input(key="abs_start").set_value(D(2026, 12, 2))
    at.date_input(key="abs_end").set_value(D(2026, 12, 3))
    at.selectbox(key="abs_kind").set_value("annual")
    at.text_input(key="abs_reason").set_value("探亲")
    at.button(key="abs_add").click().run()
    at.selectbox(key="req_staff").set_value("S06")
    at.date_input(key="req_date").set_value(D(2026, 12, 1))
    at.selectbox(key="req_want").set_value("off")
    at.button(key="req_add").click().run()
    assert "有未保存的修改。" in texts(at.info)
    assert tiny.read_text(encoding="utf-8") == before  # nothing written before 保存

    at.button(key="staff_save").click().run()
    assert not at.exception
    assert any(s.startswith("已保存到") for s in texts(at.success)), texts(at.success)
    after = tiny.read_text(encoding="utf-8")
    assert after.startswith(before)  # every comment and key kept; the lists were appended
    assert after[len(before) :] == (
        "absences:\n  - {staff: S04, start: 2026-12-02, end: 2026-12-03, kind: annual, reason: 探亲}\n"
        "requests:\n  - {staff: S06, date: 2026-12-01, shift: any, want: off, weight: 1}\n"
    )
    saved = load_scenario(tiny)
    assert [(a.staff, a.kind, a.reason) for a in saved.absences] == [("S04", "annual", "探亲")]
    assert [(r.staff, r.want) for r in saved.requests] == [("S06", "off")]
    absences = frame(at, "来源")
    assert list(absences["来源"]) == ["本文件"]

    # Remove it again.
    at.multiselect(key="abs_drop").set_value([0]).run()
    at.button(key="abs_remove").click().run()
    at.button(key="staff_save").click().run()
    assert load_scenario(tiny).absences == ()


def test_staff_page_refuses_end_before_start(tiny: Path):
    at = new_app(tiny).run()
    at.switch_page("views/staff.py").run()
    at.date_input(key="abs_start").set_value(D(2026, 12, 3))
    at.date_input(key="abs_end").set_value(D(2026, 12, 1))
    at.button(key="abs_add").click().run()
    assert texts(at.error) == ["结束日期 2026-12-01 早于开始日期 2026-12-03"]
    assert state(at, "staff_edit")["absences"] == []


def test_staff_page_save_refused_when_the_file_changed_meanwhile(tiny: Path):
    at = new_app(tiny).run()
    at.switch_page("views/staff.py").run()
    at.button(key="abs_add").click().run()
    # Someone edits the file by hand in the meantime.
    tiny.write_text(
        tiny.read_text(encoding="utf-8")
        + "absences:\n  - {staff: S02, start: 2026-12-01, end: 2026-12-01, kind: sick}\n",
        encoding="utf-8",
    )
    time.sleep(0.01)
    text = tiny.read_text(encoding="utf-8")
    at.button(key="staff_save").click().run()
    (error,) = texts(at.error)
    assert error.startswith("没有保存（文件保持原样）：") and "changed in the file" in error
    assert tiny.read_text(encoding="utf-8") == text


@pytest.mark.slow
def test_resolve_close_to_the_current_roster(tiny: Path):
    """With 尽量少改动 on, the re-solve adds the replan level and reports how many cells changed."""
    at = new_app(tiny).run()
    first = solve(at)
    at.selectbox(key="pin_staff").set_value("S02")
    at.selectbox(key="pin_date").set_value("2026-12-03")
    at.selectbox(key="pin_value").set_value("absent")
    at.button(key="pin_add").click().run()
    at.toggle(key="keep_close").set_value(True)
    second = solve(at)
    assert second.report.ok
    assert [lv.name for lv in second.result.levels][:2] == ["coverage", "stability"]
    changed = {(a.staff_id, a.date, a.shift, a.role) for a in first.roster.assignments} ^ {
        (a.staff_id, a.date, a.shift, a.role) for a in second.roster.assignments
    }
    assert second.result.level("stability").value == len(changed)
    assert cell_of(second, "S02", D(2026, 12, 3)) == []
    assert "相对已发布排班的改动" in list(frame(at, "层级")["层级"])


@pytest.mark.slow
def test_last_months_roster_counts_for_rest_across_the_month(tiny: Path):
    """An uploaded history night on 11-30 keeps that person off the 12-01 day shift (rest rule)."""
    at = new_app(tiny).run()
    history = (
        "date,shift,start,end,staff_id,staff_name,role,primary_role,paid_hours\n"
        "2026-11-30,N,2026-11-30T16:00,2026-12-01T08:00,S02,陈博伟,video,video,16\n"
        "2026-11-30,N,2026-11-30T16:00,2026-12-01T08:00,S03,张炜霖,video,video,16\n"
    )
    at.file_uploader(key="history_upload").set_value(("roster-2026-11.csv", history.encode(), "text/csv"))
    at.run()
    assert any("已载入 2 行历史排班" in c for c in texts(at.caption))
    run = solve(at)
    assert run.report.ok
    assert [a.staff_id for a in run.instance.history] == ["S02", "S03"]
    assert cell_of(run, "S02", D(2026, 12, 1)) == [] and cell_of(run, "S03", D(2026, 12, 1)) == []
