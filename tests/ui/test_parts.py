"""The app's pure parts: pins on a scenario copy, the grid model, charts and background jobs."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from calendars import scenario_days
from models.loader import load_scenario
from models.roster import Assignment, Roster
from planner.check.score import person_month_hours
from planner.check.validate import validate
from planner.problem.instance import Instance
from planner.problem.results import Progress
from planner.workflows.jobs import Job
from tests.ui.conftest import FIXTURES, ROOT
from ui import charts
from ui.grid import roster_cells, roster_grid_html, shortfall_by_date
from ui.pins import Pin, apply_pins, current_value, pin_problem, remove_pin, set_pin

D = dt.date
pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(FIXTURES / "tiny.yaml")


def inst_of(scenario) -> Instance:
    return Instance(scenario, D(2026, 12, 1), D(2026, 12, 3))


def a(date: dt.date, shift: str, staff: str, role: str) -> Assignment:
    return Assignment(date=date, shift=shift, staff_id=staff, role=role)


# -- pins -------------------------------------------------------------------------------------
def test_set_pin_replaces_the_same_cell_and_sorts():
    pins = set_pin([], Pin("S04", D(2026, 12, 2), "N"))
    pins = set_pin(pins, Pin("S02", D(2026, 12, 1), "off"))
    pins = set_pin(pins, Pin("S04", D(2026, 12, 2), "D"))
    assert [(p.staff, p.date.day, p.value) for p in pins] == [("S02", 1, "off"), ("S04", 2, "D")]
    assert remove_pin(pins, "S02", D(2026, 12, 1)) == [Pin("S04", D(2026, 12, 2), "D")]


def test_apply_pins_adds_fixed_and_absence_entries(tiny):
    with_file_pin = tiny.model_copy(update={"fixed": tiny.fixed + (tiny.fixed or ())})
    pinned = apply_pins(
        with_file_pin,
        [
            Pin("S04", D(2026, 12, 2), "N"),
            Pin("S06", D(2026, 12, 1), "off"),
            Pin("S07", D(2026, 12, 3), "absent"),
        ],
    )
    assert [(f.staff, f.date.day, f.shift) for f in pinned.fixed] == [("S04", 2, "N"), ("S06", 1, "off")]
    (absence,) = pinned.absences
    assert (absence.staff, absence.start, absence.end, absence.kind) == (
        "S07",
        D(2026, 12, 3),
        D(2026, 12, 3),
        "other",
    )
    assert tiny.fixed == () and tiny.absences == ()  # the loaded scenario is untouched
    assert not inst_of(pinned).available("S07", D(2026, 12, 3))
    assert apply_pins(tiny, []) is tiny


def test_a_pin_replaces_the_files_own_fixed_entry(tiny):
    from models.scenario import Fixed

    base = tiny.model_copy(update={"fixed": (Fixed(staff="S02", date=D(2026, 12, 1), shift="N"),)})
    pinned = apply_pins(base, [Pin("S02", D(2026, 12, 1), "absent")])
    assert pinned.fixed == ()
    assert [x.staff for x in pinned.absences] == ["S02"]


def test_pin_problem_explains_impossible_pins(tiny):
    from models.scenario import Absence

    sick = tiny.model_copy(
        update={"absences": (Absence(staff="S03", start=D(2026, 12, 2), end=D(2026, 12, 3), kind="sick"),)}
    )
    assert pin_problem(sick, Pin("S03", D(2026, 12, 3), "N"), "workday") == (
        "张炜霖 2026-12-03 在请假（2026-12-02 至 2026-12-03），不能固定上班"
    )
    assert pin_problem(sick, Pin("S03", D(2026, 12, 3), "off"), "workday") is None
    assert pin_problem(sick, Pin("S99", D(2026, 12, 3), "N"), "workday") == "没有工号为 S99 的人员"
    assert pin_problem(sick, Pin("S02", D(2026, 12, 3), "X"), "workday") == "没有班次 X"
    assert pin_problem(sick, Pin("S02", D(2026, 12, 3), "N"), "workday") is None


def test_current_value_reads_the_roster():
    roster = Roster(
        start=D(2026, 12, 1), end=D(2026, 12, 3), assignments=(a(D(2026, 12, 2), "N", "S02", "video"),)
    )
    assert current_value(roster, "S02", D(2026, 12, 2)) == "N"
    assert current_value(roster, "S02", D(2026, 12, 1)) == "off"
    assert current_value(None, "S02", D(2026, 12, 1)) == "off"


# -- grid -------------------------------------------------------------------------------------
def test_grid_shows_the_night_stay_apart_from_working_shifts():
    """The manager's day shift and night stay share a date: one cell "D+NS", the working shift
    coloured as work; a stay alone has its own colour and no working shift."""
    contract = load_scenario(ROOT / "scenarios" / "contract-2026.yaml")
    inst = inst_of(contract)
    rows = (a(D(2026, 12, 1), "D", "S01", "manager"), a(D(2026, 12, 1), "NS", "S01", "manager"),
            a(D(2026, 12, 2), "NS", "S01", "manager"))  # fmt: skip
    roster = Roster(start=inst.start, end=inst.end, assignments=rows)
    report = validate(inst, roster)
    manager = roster_cells(inst, roster, report, [])[0]
    assert [(c.code, c.shift, c.presence) for c in manager] == [
        ("D+NS", "D", ("NS",)), ("NS", None, ("NS",)), ("休", None, ()),
    ]  # fmt: skip
    page = roster_grid_html(inst, roster, report, [])
    assert 'data-staff="S01" data-date="2026-12-02" data-shift="" data-presence="NS"' in page
    assert "驻场住宿（驻场，不计工时）" in page and "仅驻场（不计工时）" in page


def test_grid_cells_codes_pins_and_violations(tiny):
    pinned = apply_pins(tiny, [Pin("S07", D(2026, 12, 3), "absent"), Pin("S02", D(2026, 12, 1), "N")])
    inst = inst_of(pinned)
    # S02 works the night of 12-01 and the day of 12-02: a rest violation on 12-02. S03 covers
    # image without the skill on 12-01: a skill violation.
    rows = (
        a(D(2026, 12, 1), "N", "S02", "video"),
        a(D(2026, 12, 2), "D", "S02", "video"),
        a(D(2026, 12, 1), "D", "S03", "image"),
    )
    roster = Roster(start=inst.start, end=inst.end, assignments=rows)
    report = validate(inst, roster)
    pins = [Pin("S07", D(2026, 12, 3), "absent"), Pin("S02", D(2026, 12, 1), "N")]
    cells = roster_cells(inst, roster, report, pins)
    assert [[c.code for c in row] for row in cells] == [
        ["N", "D", "休"],
        ["D→视频图", "休", "休"],  # the role's name, as short as keeps it apart
        ["休", "休", "休"],
        ["休", "休", "休"],
        ["休", "休", "假"],
    ]
    assert cells[0][0].pinned and cells[0][0].night and not cells[0][1].pinned
    assert cells[4][2].absent and cells[4][2].pinned
    assert [r for r in (c.violations for c in cells[0]) if r] == [cells[0][1].violations]
    assert cells[1][0].violations[0].startswith("技能不符：S03 张炜霖 2026-12-01 白班顶视频图像")
    assert (
        cells[0][1]
        .violations[0]
        .startswith("休息不足：S02 陈博伟 2026-12-01 夜班后到 12-02 白班只休息 0 小时")
    )
    html = roster_grid_html(inst, roster, report, pins)
    assert html.count('class="rg-cell"') == 15
    assert (
        'data-staff="S02" data-date="2026-12-02" data-shift="D" data-presence="" data-violations="1"' in html
    )
    assert html.count("⚠</span>") == 2
    # Shortfall per date: required 5 a day (video D 2 + N 1, image D 1 + N 1); a row counts for
    # coverage even when it breaks a rule (the validator reports the rule separately).
    short = shortfall_by_date(report)
    assert short == {D(2026, 12, 1): 5 - 2, D(2026, 12, 2): 5 - 1, D(2026, 12, 3): 5}


def test_grid_escapes_names():
    from models.scenario import Staff

    base = load_scenario(FIXTURES / "tiny.yaml")
    odd = base.model_copy(
        update={"staff": (base.staff[0].model_copy(update={"name": "<b>张</b>"}), *base.staff[1:])}
    )
    assert isinstance(odd.staff[0], Staff)
    inst = inst_of(odd)
    roster = Roster(start=inst.start, end=inst.end, assignments=())
    html = roster_grid_html(inst, roster, validate(inst, roster), [])
    assert "<b>张</b>" not in html and "&lt;b&gt;张&lt;/b&gt;" in html


# -- charts -----------------------------------------------------------------------------------
def test_coverage_heatmap_shows_shortfall_per_role_shift_and_date(tiny):
    inst = inst_of(tiny)
    roster = Roster(start=inst.start, end=inst.end, assignments=(a(D(2026, 12, 1), "D", "S02", "video"),))
    report = validate(inst, roster)
    fig = charts.coverage_heatmap(inst, report)
    heat = fig.data[0]
    rows = [f"{r} · {s}" for r in ("视频会议保障工程师", "视频图像保障工程师") for s in ("白班", "夜班")]
    assert list(heat.y) == rows
    assert [list(r) for r in heat.z] == [[1, 2, 2], [1, 1, 1], [1, 1, 1], [1, 1, 1]]
    assert heat.text[0][0] == "1/2"


def test_hours_and_counts_charts(tiny):
    inst = inst_of(tiny)
    rows = (a(D(2026, 12, 1), "N", "S02", "video"), a(D(2026, 12, 3), "D", "S02", "video"))
    roster = Roster(start=inst.start, end=inst.end, assignments=rows)
    hours = charts.hours_chart(inst, person_month_hours(inst, roster))
    paid, standard, legal = hours.data
    assert list(paid.y) == [24, 0, 0, 0, 0]
    assert list(standard.y) == [24, 24, 24, 24, 24]  # 3 workdays x 8 h
    assert legal.y[0] == 24 + 3  # + 36 h x 3/31, rounded down
    counts = charts.counts_chart(inst, roster)
    assert [list(t.y) for t in counts.data] == [[1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]


def test_calendar_heatmap_and_surge_timeline():
    scenario = load_scenario(ROOT / "scenarios" / "surges-beijing-2026-2027.yaml")
    days = scenario_days(scenario, D(2026, 9, 28), D(2026, 10, 11))
    fig = charts.calendar_heatmap(days)
    z = fig.data[0].z
    kinds = [v for row in z for v in row if v is not None]
    assert len(kinds) == 14
    assert kinds.count(2) == 3  # 国庆节 10-01..03
    assert z[6][0] == 1 and z[6][1] == 1  # Sundays 10-04 rest, and 10-11 rest too
    assert z[5][1] == 0  # Saturday 10-10 is a make-up workday
    roles = {r.id: r.name for r in scenario.roles}
    shifts = {x.id: x.name for x in scenario.shifts}
    timeline = charts.surge_timeline(scenario.surges, D(2026, 9, 1), D(2026, 10, 31), roles, shifts)
    assert [t.y[0] for t in timeline.data] == ["加强值班·中秋节（假设）", "加强值班·国庆节（假设）", "汛期"]
    assert timeline.data[1].x[0] == 3 * 86_400_000  # 10-01..03, three days
    national_day = timeline.data[1].text  # what it adds, in role and shift names (not ids)
    assert "视频会议保障工程师" in national_day and not any(r in national_day for r in roles)
    assert timeline.layout.xaxis.tickformat == "%-m月%-d日"  # two months: days
    assert fig.layout.xaxis.tickformat == "%-m月%-d日"
    year = charts.calendar_heatmap(scenario_days(scenario, D(2026, 6, 15), D(2027, 6, 14)))
    assert year.layout.xaxis.tickformat == "%Y年%-m月"


# -- jobs -------------------------------------------------------------------------------------
def test_job_records_progress_result_and_errors():
    def work(progress, stop):
        progress(Progress("coverage [video]", 5.0, 2.0, 0.1))
        progress(Progress("coverage [video]", 3.0, 2.0, 0.2))
        return "roster"

    job = Job(work, "t").start()
    assert job.join(5)
    snap = job.snapshot()
    assert (snap.running, snap.result, snap.error) == (False, "roster", None)
    assert [p.incumbent for p in snap.trace] == [5.0, 3.0] and snap.latest.incumbent == 3.0

    def failing(progress, stop):
        from planner.engine.solve import InfeasibleError

        raise InfeasibleError("the hard rules cannot all hold")

    bad = Job(failing, "t").start()
    assert bad.join(5)
    snap = bad.snapshot()
    assert (snap.error, snap.error_type, snap.result) == (
        "the hard rules cannot all hold",
        "InfeasibleError",
        None,
    )


def test_job_stop_reaches_the_work():
    seen = threading.Event()

    def work(progress, stop):
        seen.set()
        return "stopped" if stop.wait(10) else "timed out"

    job = Job(work, "t").start()
    assert seen.wait(5)
    assert job.snapshot().running
    job.stop()
    assert job.join(5)
    assert job.snapshot().result == "stopped" and job.snapshot().stop_requested


# -- words ------------------------------------------------------------------------------------
def test_progress_and_rules_are_shown_in_chinese(tiny) -> None:
    """issue 13: the progress showed "[vi…" (role ids, cut short) and the staff page rule ids."""
    from models.scenario import LabourRules
    from ui.labels import level_label, rules_text

    names = {r.id: r.name for r in tiny.roles}
    assert level_label("overtime [video+image]", names) == (
        "超出法定加班上限",
        "视频会议保障工程师、视频图像保障工程师",
    )
    assert level_label("coverage", names) == ("覆盖缺口", "")
    own = LabourRules(min_duty_shifts_per_month=0, max_consecutive_days=5, overtime_cap="hard")
    text = rules_text(own, LabourRules(min_duty_shifts_per_month=2))
    assert text == "最多连续工作天数 5，加班上限 不可超出，每月最少值班（夜班或休息日班）次数 0"
    assert rules_text(LabourRules(), LabourRules()) == ""
