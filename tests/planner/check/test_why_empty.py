"""Who could have taken an empty slot, and what stops each person (planner.check.why_empty).

A hand-written scenario: video by day (D 08-16), image by night (N 16-08), five people, one of
them (S03) with both skills. Week 2026-12-01 (Tue) .. 2026-12-07 (Mon): 12-05/06 are a weekend.
Each test writes a small roster by hand and checks the blockers the analysis finds.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from models.roster import Assignment, Roster
from planner.check.why_empty import EmptySlot, blocker_summary, why_empty
from planner.problem.instance import Instance
from tests.planner.week_scenario import END, START, D, a, load_week, week_scenario

BASE = week_scenario(
    "why-empty test",
    roles=[{"id": "video", "name": "视频会议"}, {"id": "image", "name": "视频图像"}],
    coverage=[
        {"role": "video", "shift": "D", "days": "all", "min": 1},
        {"role": "image", "shift": "N", "days": "all", "min": 1},
    ],
)


def make(tmp_path: Path, history: tuple[Assignment, ...] = (), **changes: Any) -> Instance:
    return load_week(tmp_path, BASE, history=history, **changes)


def roster(*rows: Assignment) -> Roster:
    return Roster(start=START, end=END, assignments=rows)


def full_rows(skip: set[tuple[dt.date, str]] = frozenset()) -> list[Assignment]:
    """Every slot covered without breaking a rule (S02/S04 by day, S06/S07 alternating nights)."""
    rows = []
    for i in range(7):
        day = START + dt.timedelta(days=i)
        if (day, "D") not in skip:
            rows.append(a(day, "D", "S02" if i < 5 else "S04"))
        if (day, "N") not in skip:
            rows.append(a(day, "N", "S06" if i % 2 == 0 else "S07"))
    return rows


def slot_at(slots: list[EmptySlot], date: dt.date, shift: str) -> EmptySlot:
    (slot,) = [s for s in slots if s.date == date and s.shift == shift]
    return slot


def blockers(slot: EmptySlot, staff_id: str) -> dict[str, list[str]]:
    (c,) = [c for c in slot.candidates if c.staff_id == staff_id]
    out: dict[str, list[str]] = {}
    for b in c.blockers:
        out.setdefault(b.rule, []).append(b.text)
    return out


def test_full_roster_has_no_empty_slot(tmp_path):
    """A roster covering every slot leaves nothing to explain."""
    assert why_empty(make(tmp_path), roster(*full_rows())) == []


def test_empty_roster_lists_every_slot_and_orders_free_people_first(tmp_path):
    slots = why_empty(make(tmp_path), roster())
    assert len(slots) == 14
    first = slots[0]
    assert (first.date, first.shift, first.role, first.required, first.assigned, first.shortfall) == (
        START, "D", "video", 1, 0, 1,
    )  # fmt: skip
    assert [c.staff_id for c in first.could_take] == ["S02", "S03", "S04"]
    assert [c.staff_id for c in first.candidates][3:] == ["S06", "S07"]
    assert blockers(first, "S06") == {"skill": ["不会视频会议（技能：视频图像）"]}
    # S03 covers image only as a substitute: a soft cost, not a blocker.
    image_night = slot_at(slots, START, "N")
    (s03,) = [c for c in image_night.candidates if c.staff_id == "S03"]
    assert s03.could_take
    assert [b.rule for b in s03.blockers] == ["substitute"]


def test_rest_after_a_night_blocks_the_next_day(tmp_path):
    """A night ending at 08:00 leaves 0 h before an 08:00 day shift (hard rule 4)."""
    rows = [r for r in full_rows({(D(2026, 12, 2), "D")}) if r.date != START or r.shift != "N"]
    rows.append(a(START, "N", "S03", "image"))
    slots = why_empty(make(tmp_path), roster(*rows))
    slot = slot_at(slots, D(2026, 12, 2), "D")
    assert blockers(slot, "S03") == {"rest": ["与前一个班 12-01 夜班之间只休息 0 小时，少于 12 小时"]}
    assert "S04" in [c.staff_id for c in slot.could_take]
    assert "S03" not in [c.staff_id for c in slot.could_take]


def test_rest_before_a_later_shift_and_history(tmp_path):
    """A night the day before a day shift blocks it (rest looks forward), and history counts."""
    history = (a(D(2026, 11, 30), "N", "S04"),)
    inst = make(tmp_path, history=history)
    rows = [r for r in full_rows({(START, "D"), (D(2026, 12, 2), "N")})]
    rows.append(a(D(2026, 12, 3), "D", "S03"))  # also a second video by day: fine
    slots = why_empty(inst, roster(*rows))
    night = slot_at(slots, D(2026, 12, 2), "N")
    assert blockers(night, "S03")["rest"] == ["与后一个班 12-03 白班之间只休息 0 小时，少于 12 小时"]
    day = slot_at(slots, START, "D")
    assert blockers(day, "S04") == {"rest": ["与前一个班 11-30 夜班之间只休息 0 小时，少于 12 小时"]}


def test_consecutive_days_and_same_day_shift(tmp_path):
    """Six days around an empty date would make seven in a row (hard rule 5)."""
    rows = [a(D(2026, 12, d), "D", "S02") for d in (1, 2, 3, 5, 6, 7)]
    rows.append(a(D(2026, 12, 4), "N", "S04", "video"))
    slots = why_empty(make(tmp_path), roster(*rows))
    slot = slot_at(slots, D(2026, 12, 4), "D")
    found = blockers(slot, "S02")
    assert found["consecutive_days"] == ["加上这天将从 12-01 到 12-07 连续上班 7 天，超过 6 天"]
    # 48 h in a 40 h week: a seventh shift would also pass the (soft) prorated overtime cap.
    assert set(found) == {"consecutive_days", "overtime_cap"}
    assert blockers(slot, "S04")["one_shift_per_day"] == ["当天已排夜班（视频会议）"]
    assert [c.staff_id for c in slot.could_take] == ["S03"]


def test_absence_fixed_off_and_request(tmp_path):
    inst = make(
        tmp_path,
        absences=[{"staff": "S04", "start": "2026-12-04", "end": "2026-12-05", "kind": "annual"}],
        fixed=[{"staff": "S03", "date": "2026-12-04", "shift": "off"}],
        requests=[{"staff": "S02", "date": "2026-12-04", "want": "off", "weight": 3}],
    )
    slots = why_empty(inst, roster(*full_rows({(D(2026, 12, 4), "D")})))
    slot = slot_at(slots, D(2026, 12, 4), "D")
    assert blockers(slot, "S04") == {"availability": ["年休假（2026-12-04 至 2026-12-05）"]}
    assert blockers(slot, "S03") == {"fixed": ["这天固定休息"]}
    # S02's own request is soft: S02 could still take the slot.
    assert blockers(slot, "S02") == {"request": ["申请这天休息（权重 3）"]}
    assert [c.staff_id for c in slot.could_take] == ["S02"]


def test_fixed_elsewhere_and_not_yet_employed(tmp_path):
    staff = copy.deepcopy(BASE["staff"])
    staff[2]["start_date"] = "2026-12-05"
    inst = make(tmp_path, staff=staff, fixed=[{"staff": "S03", "date": "2026-12-02", "shift": "N"}])
    slots = why_empty(inst, roster())
    slot = slot_at(slots, D(2026, 12, 2), "D")
    assert blockers(slot, "S03") == {"fixed": ["这天固定上夜班"]}
    assert blockers(slot, "S04") == {"availability": ["还未到岗（2026-12-05 起）"]}


def test_overtime_cap_soft_and_hard(tmp_path):
    """Nights beyond the prorated cap: a soft cap is a cost, a hard cap a blocker (hard rule 8)."""
    rows = [a(D(2026, 12, d), "N", "S06") for d in (1, 3, 5)]
    # Horizon: 5 workdays -> 40 standard hours; cap 36 h x 7/31 -> 8 h. 48 h worked, +16 = 64 h.
    soft = slot_at(why_empty(make(tmp_path), roster(*rows)), D(2026, 12, 7), "N")
    (s06,) = [c for c in soft.candidates if c.staff_id == "S06"]
    assert s06.could_take
    assert [(b.rule, b.hard) for b in s06.blockers] == [("overtime_cap", False)]
    assert s06.blockers[0].text == (
        "12 月已排 48 小时（标准 40 小时），再上这个班加班将达 24 小时，超过上限 8 小时"
    )
    hard = make(tmp_path, rules={"overtime_cap": "hard"})
    slot = slot_at(why_empty(hard, roster(*rows)), D(2026, 12, 7), "N")
    (s06,) = [c for c in slot.candidates if c.staff_id == "S06"]
    assert not s06.could_take


def test_slot_at_its_max_blocks_everybody(tmp_path):
    """A surge above the coverage max: the slot cannot be filled by anyone (hard rule 7)."""
    inst = make(
        tmp_path,
        coverage=[{"role": "video", "shift": "D", "days": "all", "min": 1, "max": 1}],
        surges=[{"name": "加强", "start": "2026-12-01", "end": "2026-12-01", "add": [
            {"role": "video", "shift": "D", "count": 1}]}],
    )  # fmt: skip
    slots = why_empty(inst, roster(*[r for r in full_rows() if r.shift == "D"]))
    (slot,) = slots
    assert (slot.date, slot.required, slot.assigned, slot.staff_ids) == (START, 2, 1, ("S02",))
    assert [b.rule for b in slot.slot_blockers] == ["max_coverage"]
    assert slot.could_take == ()


def test_blocker_summary_counts_people_with_the_skill(tmp_path):
    rows = [a(D(2026, 12, d), "D", "S02") for d in (1, 2, 3, 5, 6, 7)]
    rows.append(a(D(2026, 12, 4), "N", "S04", "video"))
    slots = [s for s in why_empty(make(tmp_path), roster(*rows)) if s.shift == "D"]
    assert len(slots) == 1
    assert blocker_summary(slots) == {"consecutive_days": 1, "one_shift_per_day": 1}
    # With everyone counted, the image people's missing skill shows too.
    assert blocker_summary(slots, skilled_only=False)["skill"] == 2
