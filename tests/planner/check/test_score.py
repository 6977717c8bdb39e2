"""The scorer: each objective level on small rosters whose values are worked out by hand.

Scenario: roles video (weight 2) and image (weight 1); D 08-16 (8 paid h) and N 16-08 (16 paid h);
video D every day, image N every day, image D on off-days, one person each. Week 2026-12-01
(Tue) .. 12-07 (Mon) unless a test says otherwise: 5 workdays, Sat 12-05 and Sun 12-06.
December has 31 days, so the monthly cap of 36 h becomes floor(36 × 7/31) = 8 h.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from models.roster import Assignment, Roster
from planner.check.score import (
    Scores,
    fairness_spreads,
    in_horizon,
    person_month_hours,
    score,
    unmet_requests,
)
from planner.check.validate import validate
from planner.problem.instance import Instance
from tests.planner.week_scenario import END, START, D, a, load_week, week_scenario

BASE = week_scenario(
    "scorer test",
    roles=[
        {"id": "video", "name": "视频会议", "weight": 2},
        {"id": "image", "name": "视频图像", "weight": 1},
    ],
    coverage=[
        {"role": "video", "shift": "D", "days": "all", "min": 1},
        {"role": "image", "shift": "N", "days": "all", "min": 1},
        {"role": "image", "shift": "D", "days": "offday", "min": 1},
    ],
)


def instance(tmp_path: Path, start=START, end=END, **changes: Any) -> Instance:
    return load_week(tmp_path, BASE, start, end, **changes)


def staff_with(**fields_by_id: dict[str, Any]) -> list[dict[str, Any]]:
    staff = copy.deepcopy(BASE["staff"])
    for person in staff:
        person.update(fields_by_id.get(person["id"], {}))
    return staff


def roster(inst: Instance, *rows: Assignment) -> Roster:
    return Roster(start=inst.start, end=inst.end, assignments=rows)


def scores(inst: Instance, *rows: Assignment) -> Scores:
    return score(inst, roster(inst, *rows))


def dec(day: int) -> dt.date:
    return D(2026, 12, day)


# -- level 1: coverage ------------------------------------------------------------------------
def test_coverage_of_an_empty_roster(tmp_path):
    """7 video day slots × weight 2 + 7 image nights + 2 image off-day day slots."""
    assert scores(instance(tmp_path)).coverage == 14 + 7 + 2


PARTIAL = (
    a(dec(1), "D", "S02"),
    a(dec(2), "D", "S03"),
    a(dec(2), "D", "S04"),  # a second video on 12-02 does not make up for another day
    a(dec(3), "D", "S02", "image"),  # covers image, for which 12-03 (a workday) has no day slot
    a(dec(1), "N", "S06"),
    a(dec(3), "N", "S03", "image"),  # a substitute covers the slot
    a(dec(5), "D", "S07"),
)


def test_coverage_counts_shortfall_times_role_weight(tmp_path):
    """Video short on 12-03..07 (5 × 2), image nights on 12-02, 04..07 (5), image day on 12-06 (1)."""
    assert scores(instance(tmp_path), *PARTIAL).coverage == 10 + 5 + 1


def test_coverage_with_a_surge(tmp_path):
    """A surge adds 2 video by day on 12-02..03: required 3 there."""
    surges = [{"name": "加强保障", "start": "2026-12-02", "end": "2026-12-03",
               "add": [{"role": "video", "shift": "D", "count": 2}]}]  # fmt: skip
    inst = instance(tmp_path, surges=surges)
    assert scores(inst).coverage == (5 * 1 + 2 * 3) * 2 + 7 + 2
    # 12-02: 3 − 2 = 1, 12-03: 3, 12-04..07: 4 → 8 video short × 2; image as before.
    assert scores(inst, *PARTIAL).coverage == 8 * 2 + 5 + 1


# -- level 2: overtime ------------------------------------------------------------------------
FOUR_NIGHTS = tuple(a(dec(d), "N", "S06") for d in (1, 3, 5, 7))


def test_overtime_beyond_the_prorated_cap(tmp_path):
    """64 paid h − 40 standard h = 24 h overtime; cap 8 h; 16 h beyond it."""
    inst = instance(tmp_path)
    assert scores(inst, *FOUR_NIGHTS).overtime_minutes == 16 * 60
    rows = {r.staff_id: r for r in person_month_hours(inst, roster(inst, *FOUR_NIGHTS))}
    r = rows["S06"]
    assert (r.month_key, r.shifts, r.paid_minutes, r.standard_minutes) == ("2026-12", 4, 64 * 60, 40 * 60)
    assert (r.overtime_minutes, r.cap_minutes, r.excess_minutes, r.cap_kind) == (
        24 * 60,
        8 * 60,
        16 * 60,
        "soft",
    )
    assert (r.restday_minutes, r.holiday_minutes, r.nights) == (16 * 60, 0, 4)
    assert (rows["S02"].paid_minutes, rows["S02"].standard_minutes, rows["S02"].excess_minutes) == (
        0,
        40 * 60,
        0,
    )


def test_overtime_within_the_cap_is_free(tmp_path):
    """3 nights = 48 h: 8 h overtime, exactly the cap."""
    inst = instance(tmp_path)
    assert scores(inst, *FOUR_NIGHTS[:3]).overtime_minutes == 0


def test_standard_hours_follow_employment_and_absence(tmp_path):
    """Employed from Thu 12-03: workdays 03, 04, 07 → 24 standard h; absent 12-01..02: also 24 h."""
    staff = staff_with(S06={"start_date": "2026-12-03"})
    absences = [{"staff": "S07", "start": "2026-12-01", "end": "2026-12-02", "kind": "annual"}]
    inst = instance(tmp_path, staff=staff, absences=absences)
    nights = [a(dec(d), "N", p) for d in (3, 5, 7) for p in ("S06", "S07")]
    rows = {r.staff_id: r for r in person_month_hours(inst, roster(inst, *nights))}
    for pid in ("S06", "S07"):
        assert (rows[pid].standard_minutes, rows[pid].overtime_minutes, rows[pid].cap_minutes) == (
            1440,
            1440,
            480,
        )
    assert scores(inst, *nights).overtime_minutes == 2 * 16 * 60


def test_overtime_over_two_partial_months(tmp_path):
    """Nov 25..30 is 6 of 30 days: cap floor(36 × 6/30) = 7 h, 4 workdays → 32 standard h."""
    inst = instance(tmp_path, start=D(2026, 11, 25))
    nov = [a(D(2026, 11, d), "N", "S06") for d in (25, 27, 29)]  # 48 h: 16 h overtime, 9 h beyond
    rows = [r for r in person_month_hours(inst, roster(inst, *nov, *FOUR_NIGHTS)) if r.staff_id == "S06"]
    assert [(r.month_key, r.standard_minutes, r.cap_minutes, r.excess_minutes) for r in rows] == [
        ("2026-11", 32 * 60, 7 * 60, 9 * 60),
        ("2026-12", 40 * 60, 8 * 60, 16 * 60),
    ]
    result = scores(inst, *nov, *FOUR_NIGHTS)
    assert result.overtime_minutes == 25 * 60
    assert result.level_values()["overtime"] == 25.0


def test_hard_capped_people_and_own_caps(tmp_path):
    """A hard cap leaves level 2 (it is hard rule 8); a person's own 10 h cap prorates to 2 h."""
    staff = staff_with(
        S06={"rules": {"overtime_cap": "hard"}}, S07={"rules": {"max_overtime_hours_per_month": 10}}
    )
    inst = instance(tmp_path, staff=staff)
    s07 = [a(dec(d), "N", "S07") for d in (1, 3, 5)]  # 48 h: 8 h overtime, 6 h beyond 2 h
    assert scores(inst, *FOUR_NIGHTS, *s07).overtime_minutes == 6 * 60


def test_partial_hours_in_minutes(tmp_path):
    """15.5 paid hours are 930 minutes; the level is exact in minutes, shown in hours."""
    shifts = copy.deepcopy(BASE["shifts"])
    shifts[1]["paid_hours"] = 15.5
    inst = instance(tmp_path, shifts=shifts)
    assert scores(inst, *FOUR_NIGHTS).overtime_minutes == 4 * 930 - 40 * 60 - 8 * 60
    assert scores(inst, *FOUR_NIGHTS).level_values()["overtime"] == 14.0


# -- level 3: substitutes ---------------------------------------------------------------------
def test_substitutes_count_assignments_off_the_primary_role(tmp_path):
    inst = instance(tmp_path)
    rows = (a(dec(1), "N", "S03", "image"), a(dec(3), "N", "S03", "image"), a(dec(1), "D", "S02"))
    assert scores(inst, *rows).substitutes == 2
    # An unskilled cover is a hard violation, and still an assignment off the primary role.
    assert scores(inst, *rows, a(dec(5), "N", "S02", "image")).substitutes == 3


# -- level 4: requests ------------------------------------------------------------------------
REQUESTS = [
    {"staff": "S02", "date": "2026-12-01", "want": "on", "weight": 3},
    {"staff": "S02", "date": "2026-12-02", "shift": "N", "want": "on", "weight": 2},
    {"staff": "S03", "date": "2026-12-03", "want": "off", "weight": 1},
    {"staff": "S03", "date": "2026-12-04", "shift": "N", "want": "off", "weight": 5},
    {"staff": "S04", "date": "2026-12-06", "want": "on", "weight": 7},
    {"staff": "S04", "date": "2026-12-20", "want": "on", "weight": 100},  # outside the horizon
]


def test_requests_each_kind(tmp_path):
    inst = instance(tmp_path, requests=REQUESTS)
    rows = (a(dec(1), "D", "S02"), a(dec(2), "D", "S02"), a(dec(3), "D", "S03"), a(dec(4), "D", "S03"))
    # Unmet: S02 wanted N on 12-02 (2), S03 wanted 12-03 off (1), S04 wanted to work 12-06 (7).
    assert scores(inst, *rows).requests == 2 + 1 + 7
    unmet = unmet_requests(inst, in_horizon(inst, roster(inst, *rows)))
    assert [(r.staff, r.date.day) for r in unmet] == [("S02", 2), ("S03", 3), ("S04", 6)]
    # Empty roster: only the "on" requests inside the horizon are unmet.
    assert scores(inst).requests == 3 + 2 + 7
    # Working the night S03 asked to have off.
    assert scores(inst, *rows, a(dec(4), "N", "S03")).requests == 10 + 5


# -- level 5: fairness ------------------------------------------------------------------------
FAIR_STAFF = {
    "S04": {"start_date": "2026-12-04"},  # 4 of 7 days: weight round(1000 × 7/4) = 1750
    "S07": {"end_date": "2026-12-05"},  # 5 of 7 days: weight 1400
}
FAIR_ROWS = (
    a(dec(1), "N", "S02"),
    a(dec(3), "N", "S02"),
    a(dec(5), "D", "S03"),
    a(dec(5), "N", "S04"),
    a(dec(6), "N", "S06"),
    a(dec(2), "N", "S07"),
)


def fair_instance(tmp_path: Path) -> Instance:
    staff = staff_with(**FAIR_STAFF)
    staff.append({"id": "S08", "name": "宗仁", "role": "image", "start_date": "2027-01-01"})  # never employed
    return instance(tmp_path, staff=staff)


def test_fairness_prorated_spreads(tmp_path):
    """video nights 2000 − 0, video off-days 1750 − 0, image nights 1400 − 1000, image off-days 1000 − 0."""
    inst = fair_instance(tmp_path)
    assert [inst.fairness_weight(p) for p in ("S02", "S04", "S07", "S08")] == [1000, 1750, 1400, 0]
    spreads = fairness_spreads(inst, list(FAIR_ROWS))
    assert spreads == {
        ("video", "nights"): 2000,
        ("video", "offday_shifts"): 1750,
        ("video", "holiday_shifts"): 0,
        ("image", "nights"): 400,  # S08 (never employed) is left out, else it would be 1400
        ("image", "offday_shifts"): 1000,
        ("image", "holiday_shifts"): 0,
    }
    result = scores(inst, *FAIR_ROWS)
    assert result.fairness == 5150
    assert result.level_values()["fairness"] == 5.15


def test_fairness_counts_a_persons_shifts_in_any_role(tmp_path):
    """S03's night covering image counts among S03's nights, within S03's primary role video."""
    inst = fair_instance(tmp_path)
    spreads = fairness_spreads(inst, [*FAIR_ROWS, a(dec(4), "N", "S03", "image")])
    assert spreads["video", "nights"] == 2000 - 1000
    assert spreads["image", "nights"] == 400


def test_fairness_and_hours_on_national_day(tmp_path):
    """2026-10-01..03 are statutory holidays, 04..07 rest days (weekend, 补假, 调休)."""
    inst = instance(tmp_path, start=D(2026, 10, 1), end=D(2026, 10, 7))
    rows = (
        a(D(2026, 10, 1), "D", "S02"),
        a(D(2026, 10, 2), "D", "S02"),
        a(D(2026, 10, 4), "D", "S03"),
        a(D(2026, 10, 3), "N", "S06"),
    )
    spreads = fairness_spreads(inst, list(rows))
    assert spreads["video", "holiday_shifts"] == 2000
    assert spreads["video", "offday_shifts"] == 2000
    assert (
        spreads["image", "nights"]
        == spreads["image", "offday_shifts"]
        == spreads["image", "holiday_shifts"]
        == 1000
    )
    result = scores(inst, *rows)
    assert result.fairness == 7000
    hours = {r.staff_id: r for r in person_month_hours(inst, roster(inst, *rows))}
    assert (hours["S02"].holiday_minutes, hours["S02"].restday_minutes, hours["S02"].standard_minutes) == (
        960,
        0,
        0,
    )
    assert (hours["S03"].holiday_minutes, hours["S03"].restday_minutes) == (0, 480)
    # By the clock: the night of 10-03 has 8 h on 国庆 and 8 h after midnight on Sunday 10-04.
    assert (hours["S06"].holiday_minutes, hours["S06"].restday_minutes, hours["S06"].nights) == (480, 480, 1)
    # No workdays at all: every paid hour is overtime; cap 8 h. S02 8 h beyond, S03 0, S06 8 h.
    assert result.overtime_minutes == 2 * 480


# -- all levels -------------------------------------------------------------------------------
def test_all_levels_and_display_units(tmp_path):
    inst = instance(tmp_path, requests=REQUESTS)
    result = scores(inst, *FOUR_NIGHTS, a(dec(2), "N", "S03", "image"))
    # Short: 7 video days × 2, image nights 12-04 and 12-06, image days 12-05 and 12-06.
    # Fairness: video nights S03 1 (1000), image nights S06 4 (4000), image off-days S06 1 (1000).
    assert result == Scores(
        coverage=14 + 2 + 2, overtime_minutes=960, substitutes=1, requests=12, fairness=6000
    )
    assert result.level_values() == {
        "coverage": 18,
        "overtime": 16.0,
        "substitutes": 1,
        "requests": 12,
        "fairness": 6.0,
        "weighted": 18 + 12,  # objective: weighted sums coverage and requests
    }
    assert result.mismatches({"coverage": 18, "overtime": 16.0, "fairness": None}) == []
    assert result.mismatches({"coverage": 17, "overtime": 16.5, "requests": 12}) == ["coverage", "overtime"]


def test_outside_rows_and_duplicates_do_not_count(tmp_path):
    inst = instance(tmp_path)
    row = a(dec(1), "D", "S02")
    outside = (a(D(2026, 11, 30), "D", "S02"), a(dec(8), "D", "S03", "image"))
    assert scores(inst, row, row, *outside) == scores(inst, row)
    assert validate(inst, roster(inst, row, row, *outside)).scores == scores(inst, row)
