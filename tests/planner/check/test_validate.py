"""The independent validator: one roster per hard rule that breaks it, and a clean one that passes.

The scenario is small and written by hand: two roles, a day shift D 08-16 and a night shift
N 16-08 (as in the contract), an early shift M 06-14 on workdays only, and five people.
Week 2026-12-01 (Tue) .. 2026-12-07 (Mon): five workdays, then Sat 12-05 and Sun 12-06.
"""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from models.errors import InputError
from models.roster import Assignment, Roster
from planner.check.validate import RULES, ValidationReport, validate
from planner.problem.instance import Instance
from tests.planner.week_scenario import (
    DAY_NIGHT_SHIFTS,
    END,
    START,
    D,
    a,
    load_week,
    week_scenario,
)

BASE = week_scenario(
    "validator test",
    roles=[
        {"id": "video", "name": "视频会议", "weight": 2},
        {"id": "image", "name": "视频图像", "weight": 1},
    ],
    coverage=[
        {"role": "video", "shift": "D", "days": "all", "min": 1, "max": 2},
        {"role": "image", "shift": "N", "days": "all", "min": 1},
    ],
    shifts=[
        *DAY_NIGHT_SHIFTS,
        {"id": "M", "name": "早班", "start": "06:00", "end": "14:00", "paid_hours": 8, "days": "workday"},
    ],
)


def instance(tmp_path: Path, start=START, end=END, history=(), **changes: Any) -> Instance:
    return load_week(tmp_path, BASE, start, end, tuple(history), **changes)


def check(inst: Instance, *rows: Assignment) -> ValidationReport:
    return validate(inst, Roster(start=inst.start, end=inst.end, assignments=rows))


def rules(report: ValidationReport) -> set[str]:
    return {v.rule for v in report.violations}


def clean_rows() -> list[Assignment]:
    """Video by day and image by night every day, no rule broken."""
    rows = []
    for i in range(7):
        day = START + dt.timedelta(days=i)
        rows.append(a(day, "D", "S02" if i < 5 else "S04"))
        rows.append(a(day, "N", "S06" if i % 2 == 0 else "S07"))
    return rows


# -- a clean roster ---------------------------------------------------------------------------
def test_clean_roster_passes(tmp_path):
    """A roster that covers every slot and breaks no rule is ok, with no shortfall."""
    report = check(instance(tmp_path), *clean_rows())
    assert report.violations == []
    assert report.ok
    assert report.ignored_outside_horizon == 0
    assert len(report.slots) == 14
    assert report.shortfall_slots == []
    assert report.scores.coverage == 0
    assert report.scores.substitutes == 0


def test_empty_roster_has_no_violations_but_full_shortfall(tmp_path):
    report = check(instance(tmp_path))
    assert report.ok
    assert len(report.shortfall_slots) == 14
    assert report.scores.coverage == 7 * 2 + 7 * 1


def test_slot_results_list_people_and_substitutes(tmp_path):
    inst = instance(tmp_path)
    report = check(inst, a(START, "D", "S04"), a(START, "D", "S02"), a(START, "N", "S03", "image"))
    video_d, image_n = report.slots[0], report.slots[1]
    assert (video_d.date, video_d.shift, video_d.role) == (START, "D", "video")
    assert (video_d.required, video_d.assigned, video_d.staff_ids, video_d.shortfall) == (
        1,
        2,
        ("S02", "S04"),
        0,
    )
    assert (image_n.shift, image_n.role, image_n.staff_ids, image_n.substitutes) == (
        "N",
        "image",
        ("S03",),
        ("S03",),
    )
    assert [(s.date, s.shift, s.role) for s in report.slots] == [
        (x.date, x.shift, x.role) for x in inst.slots
    ]


def test_rows_outside_the_horizon_are_ignored_and_counted(tmp_path):
    report = check(instance(tmp_path), a(D(2026, 11, 30), "D", "S02"), a(D(2026, 12, 8), "N", "S02"))
    assert report.ok
    assert report.ignored_outside_horizon == 2
    assert report.scores.coverage == 21


# -- hard rule 1: one shift per day, duplicates -----------------------------------------------
def test_two_shifts_on_one_date(tmp_path):
    """Two rows for the same person and date, even the same shift covering two roles."""
    report = check(instance(tmp_path), a(START, "D", "S03"), a(START, "D", "S03", "image"))
    assert rules(report) == {"one_shift_per_day"}
    (v,) = report.violations
    assert (v.staff_id, v.date) == ("S03", START)
    assert "S03 张炜霖 2026-12-01 排了 2 个班" in v.message
    assert not report.ok


def test_exact_duplicate_row(tmp_path):
    """The same row twice is flagged, and counts once for coverage."""
    row = a(START, "D", "S02")
    report = check(instance(tmp_path), row, row)
    assert rules(report) == {"duplicate"}
    assert report.violations[0].message == "S02 陈博伟 2026-12-01 白班（视频会议）在排班表里重复出现 2 次"
    assert report.slots[0].assigned == 1
    assert report.scores.coverage == 21 - 2


# -- hard rule 2: availability ----------------------------------------------------------------
def test_work_during_an_absence(tmp_path):
    inst = instance(
        tmp_path, absences=[{"staff": "S07", "start": "2026-12-02", "end": "2026-12-03", "kind": "sick"}]
    )
    report = check(inst, a(D(2026, 12, 3), "N", "S07"))
    assert rules(report) == {"availability"}
    (v,) = report.violations
    assert (v.staff_id, v.date, v.shift) == ("S07", D(2026, 12, 3), "N")
    assert v.message == "S07 丁严 2026-12-03 在病假（2026-12-02 至 2026-12-03），却排了夜班"


def test_work_before_start_date_and_after_a_change_last_day(tmp_path):
    staff = copy.deepcopy(BASE["staff"])
    staff[2]["start_date"] = "2026-12-04"  # S04 starts on Friday
    changes = [{"staff": "S06", "notice_date": "2026-11-01", "last_day": "2026-12-02"}]
    inst = instance(tmp_path, staff=staff, changes=changes)
    report = check(
        inst, a(D(2026, 12, 3), "D", "S04"), a(D(2026, 12, 4), "D", "S04"), a(D(2026, 12, 3), "N", "S06")
    )
    assert [(v.rule, v.staff_id, v.date) for v in report.violations] == [
        ("availability", "S04", D(2026, 12, 3)),
        ("availability", "S06", D(2026, 12, 3)),
    ]
    assert "S04 王冰强 2026-12-03 还未到岗（2026-12-04 起才能排班）" in report.violations[0].message
    assert "S06 段雨林 2026-12-03 已离岗（最后工作日 2026-12-02）" in report.violations[1].message


# -- hard rule 3: skills ----------------------------------------------------------------------
def test_role_outside_the_persons_skills(tmp_path):
    report = check(instance(tmp_path), a(START, "N", "S02", "image"), a(D(2026, 12, 2), "N", "S03", "image"))
    assert [(v.rule, v.staff_id, v.date) for v in report.violations] == [("skill", "S02", START)]
    assert report.violations[0].message.startswith(
        "S02 陈博伟 2026-12-01 夜班顶视频图像岗位，但不具备这项技能"
    )


# -- hard rule 4: rest ------------------------------------------------------------------------
def test_day_shift_right_after_a_night(tmp_path):
    report = check(instance(tmp_path), a(START, "N", "S06"), a(D(2026, 12, 2), "D", "S06", "image"))
    assert rules(report) == {"rest"}
    (v,) = report.violations
    assert (v.staff_id, v.date, v.shift) == ("S06", D(2026, 12, 2), "D")
    assert v.message == "S06 段雨林 2026-12-01 夜班后到 12-02 白班只休息 0 小时，少于 12 小时"


def test_two_nights_in_a_row_rest_only_8_hours(tmp_path):
    rows = (a(START, "N", "S06"), a(D(2026, 12, 2), "N", "S06"))
    report = check(instance(tmp_path), *rows)
    assert [v.rule for v in report.violations] == ["rest"]
    assert "只休息 8 小时，少于 12 小时" in report.violations[0].message
    # With the person's own 8-hour rule the same roster is fine (per-person overrides).
    staff = copy.deepcopy(BASE["staff"])
    staff[3]["rules"] = {"min_rest_hours": 8}
    assert check(instance(tmp_path, staff=staff), *rows).ok


def test_same_day_day_and_night_break_rest_too(tmp_path):
    report = check(instance(tmp_path), a(START, "D", "S02"), a(START, "N", "S02"))
    assert rules(report) == {"one_shift_per_day", "rest"}


def test_overlapping_shifts(tmp_path):
    """A night ending at 08:00 and an early shift from 06:00 overlap by 2 hours."""
    report = check(instance(tmp_path), a(START, "N", "S02"), a(D(2026, 12, 2), "M", "S02"))
    assert [v.rule for v in report.violations] == ["rest"]
    assert report.violations[0].message == "S02 陈博伟 2026-12-01 夜班与 12-02 早班时间重叠 2 小时"


def test_rest_exactly_at_the_limit_is_allowed(tmp_path):
    staff = copy.deepcopy(BASE["staff"])
    staff[0]["rules"] = {"min_rest_hours": 24}
    # D ends 12-01 16:00, N starts 12-02 16:00: exactly 24 hours.
    assert check(instance(tmp_path, staff=staff), a(START, "D", "S02"), a(D(2026, 12, 2), "N", "S02")).ok
    staff[0]["rules"] = {"min_rest_hours": 24.5}
    report = check(instance(tmp_path, staff=staff), a(START, "D", "S02"), a(D(2026, 12, 2), "N", "S02"))
    assert "只休息 24 小时，少于 24.5 小时" in report.violations[0].message


def test_rest_across_the_horizon_start_uses_history(tmp_path):
    """A night on Oct 31 (history) forbids the day shift on Nov 1, the horizon's first day."""
    nov1 = D(2026, 11, 1)
    history = [a(D(2026, 10, 31), "N", "S02")]
    inst = instance(tmp_path, start=nov1, end=D(2026, 11, 7), history=history)
    report = check(inst, a(nov1, "D", "S02"))
    assert rules(report) == {"rest"}
    (v,) = report.violations
    assert (v.staff_id, v.date, v.shift) == ("S02", nov1, "D")
    assert (
        v.message
        == "S02 陈博伟 2026-10-31 夜班后到 11-01 白班只休息 0 小时，少于 12 小时（前一个班来自历史排班）"
    )
    # Without history, or with a day shift on the 2nd instead, nothing is wrong.
    assert check(instance(tmp_path, start=nov1, end=D(2026, 11, 7)), a(nov1, "D", "S02")).ok
    assert check(inst, a(D(2026, 11, 2), "D", "S02")).ok


def test_history_alone_is_not_judged(tmp_path):
    history = [a(D(2026, 11, 29), "N", "S02"), a(D(2026, 11, 30), "D", "S02")]
    assert check(instance(tmp_path, history=history)).ok


# -- hard rule 5: consecutive days ------------------------------------------------------------
def test_seven_days_in_a_row(tmp_path):
    rows = [a(START + dt.timedelta(days=i), "D", "S02") for i in range(7)]
    report = check(instance(tmp_path), *rows)
    assert rules(report) == {"consecutive_days"}
    (v,) = report.violations
    assert (v.staff_id, v.date) == ("S02", END)
    assert v.message == "S02 陈博伟 从 2026-12-01 到 12-07 连续 7 天有班，超过 6 天"
    assert check(instance(tmp_path), *rows[:6]).ok


def test_consecutive_days_count_history(tmp_path):
    """Three days before the horizon plus four inside make seven in a row."""
    history = [a(D(2026, 11, d), "D", "S02") for d in (28, 29, 30)]
    rows = [a(START + dt.timedelta(days=i), "D", "S02") for i in range(4)]
    report = check(instance(tmp_path, history=history), *rows)
    assert rules(report) == {"consecutive_days"}
    (v,) = report.violations
    assert v.date == D(2026, 12, 4)
    assert v.message == "S02 陈博伟 从 2026-11-28 到 12-04 连续 7 天有班，超过 6 天（其中 3 天在历史排班里）"
    assert check(instance(tmp_path), *rows).ok
    assert check(instance(tmp_path, history=history), *rows[:3]).ok


def test_per_person_consecutive_limit(tmp_path):
    staff = copy.deepcopy(BASE["staff"])
    staff[0]["rules"] = {"max_consecutive_days": 2}
    report = check(
        instance(tmp_path, staff=staff), *(a(START + dt.timedelta(days=i), "D", "S02") for i in range(3))
    )
    assert [(v.rule, v.date) for v in report.violations] == [("consecutive_days", D(2026, 12, 3))]


# -- hard rule 6: fixed -----------------------------------------------------------------------
def test_fixed_entries(tmp_path):
    fixed = [
        {"staff": "S02", "date": "2026-12-02", "shift": "off"},
        {"staff": "S06", "date": "2026-12-03", "shift": "N"},
        {"staff": "S07", "date": "2026-12-04", "shift": "N"},
        {"staff": "S04", "date": "2026-12-05", "shift": "D"},  # held
        {"staff": "S04", "date": "2026-12-20", "shift": "D"},  # outside the horizon: not checked
    ]
    inst = instance(tmp_path, fixed=fixed)
    rows = [
        a(D(2026, 12, 2), "D", "S02"),
        a(D(2026, 12, 4), "D", "S07", "image"),
        a(D(2026, 12, 5), "D", "S04"),
    ]
    report = check(inst, *rows)
    assert [(v.rule, v.staff_id, v.date) for v in report.violations] == [
        ("fixed", "S02", D(2026, 12, 2)),
        ("fixed", "S06", D(2026, 12, 3)),
        ("fixed", "S07", D(2026, 12, 4)),
    ]
    messages = [v.message for v in report.violations]
    assert messages[0] == "S02 陈博伟 2026-12-02 固定休息，却排了白班"
    assert messages[1] == "S06 段雨林 2026-12-03 固定上夜班，却没有排这个班"
    assert messages[2] == "S07 丁严 2026-12-04 固定上夜班，却没有排这个班（排的是白班）"


# -- hard rule 7: max coverage ----------------------------------------------------------------
def test_more_people_than_max(tmp_path):
    report = check(instance(tmp_path), a(START, "D", "S02"), a(START, "D", "S03"), a(START, "D", "S04"))
    assert rules(report) == {"max_coverage"}
    (v,) = report.violations
    assert (v.staff_id, v.date, v.shift) == (None, START, "D")
    assert v.message == "2026-12-01 白班 视频会议 排了 3 人（S02、S03、S04），超过上限 2 人"


# -- hard rule 8: hard overtime cap -----------------------------------------------------------
def test_hard_overtime_cap(tmp_path):
    """4 nights = 64 h against 5 workdays × 8 h = 40 h: 24 h overtime; cap floor(36 × 7/31) = 8 h."""
    staff = copy.deepcopy(BASE["staff"])
    staff[3]["rules"] = {"overtime_cap": "hard"}
    rows = [a(D(2026, 12, d), "N", "S06") for d in (1, 3, 5, 7)]
    report = check(instance(tmp_path, staff=staff), *rows)
    assert rules(report) == {"overtime_cap"}
    (v,) = report.violations
    assert (v.staff_id, v.date) == ("S06", START)
    assert (
        v.message
        == "S06 段雨林 2026 年 12 月（排班期内 7 天）加班 24 小时，超过硬性上限 8 小时（多 16 小时）"
    )
    # Soft cap (the default): no violation, 16 h in objective level 2 instead.
    soft = check(instance(tmp_path), *rows)
    assert soft.ok
    assert soft.scores.overtime_minutes == 16 * 60
    assert report.scores.overtime_minutes == 0


# -- shifts exist only on their days ----------------------------------------------------------
def test_shift_on_a_day_it_does_not_exist(tmp_path):
    report = check(instance(tmp_path), a(D(2026, 12, 5), "M", "S02"), a(D(2026, 12, 4), "M", "S03"))
    assert rules(report) == {"shift_exists"}
    (v,) = report.violations
    assert (v.staff_id, v.date, v.shift) == ("S02", D(2026, 12, 5), "M")
    assert v.message == "S02 陈博伟 2026-12-05（休息日）排了早班，但这一天没有这个班次"


# -- report plumbing --------------------------------------------------------------------------
def test_violations_are_sorted_and_keyed(tmp_path):
    rows = [a(D(2026, 12, 5), "M", "S02"), a(START, "N", "S02", "image"), a(START, "D", "S02")]
    report = check(instance(tmp_path), *rows)
    assert [(v.date, v.rule) for v in report.violations] == [
        (START, "one_shift_per_day"),
        (START, "skill"),
        (START, "rest"),
        (D(2026, 12, 5), "shift_exists"),
    ]
    assert all(v.rule in RULES for v in report.violations)
    assert set(report.by_rule()) == {"one_shift_per_day", "skill", "rest", "shift_exists"}


def test_unknown_person_or_shift_is_bad_input(tmp_path):
    inst = instance(tmp_path)
    with pytest.raises(InputError, match="unknown person 'S99'"):
        check(inst, Assignment(date=START, shift="D", staff_id="S99", role="video"))
    with pytest.raises(InputError, match="unknown shift 'X'"):
        check(inst, Assignment(date=START, shift="X", staff_id="S02", role="video"))


def test_validator_and_scorer_never_import_ortools():
    """The independent checks (and the facts they read) load without the solver."""
    code = (
        "import sys; import planner.check.validate, planner.check.score, planner.problem.instance, "
        "planner.files.roster_csv; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'ortools']; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_history_of_people_not_in_the_scenario_is_skipped(tmp_path):
    """A what-if that removes someone can still use the base's history."""
    gone = Assignment(date=D(2026, 11, 30), shift="N", staff_id="S05", role="video")
    assert check(instance(tmp_path, history=[gone]), *clean_rows()).ok


def test_unknown_role_is_a_skill_violation(tmp_path):
    report = check(instance(tmp_path), a(START, "D", "S02", "desk"))
    assert rules(report) == {"skill"}
    assert "S02 陈博伟 2026-12-01 白班顶desk岗位" in report.violations[0].message
    assert report.scores.substitutes == 1
