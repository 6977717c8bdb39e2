"""Presence duties (the manager's night stay, 附件八 附件1 1.1), side duties (the desk phone,
附件一 2.6) and every engineer's share of night and off-day duty (tender 2.2.3(1)): the solver
and the independent validator agree on each."""

from __future__ import annotations

import datetime as dt

import pytest

from models.errors import InputError
from models.loader import load_scenario
from models.roster import Assignment, Roster
from planner.check.score import person_months
from planner.check.validate import validate
from planner.engine.solve import solve
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions

MON, SUN = dt.date(2026, 12, 7), dt.date(2026, 12, 13)
SCENARIO = """
version: 1
name: 驻场与兼任
roles:
  - {{id: manager, name: 驻场服务经理}}
  - {{id: video, name: 视频会议}}
  - {{id: phone, name: 服务台电话（兼任）, side: true}}
shifts:
  - {{id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}}
  - {{id: N, name: 夜班, start: "16:00", end: "08:00", paid_hours: 16}}
  - {{id: NS, name: 驻场住宿, start: "16:00", end: "08:00", kind: presence}}
staff:
  - {{id: M1, name: 经理, role: manager, skills: [video], rules: {{max_presence_per_month: {cap}}}}}
  - {{id: V1, name: 甲, role: video, skills: [phone]}}
  - {{id: V2, name: 乙, role: video, skills: [phone]}}
  - {{id: V3, name: 丙, role: video}}
coverage:
  - {{role: manager, shift: D, days: all, min: 1}}
  - {{role: manager, shift: NS, days: all, min: 1}}
  - {{role: video, shift: D, days: all, min: 1}}
  - {{role: video, shift: N, days: all, min: 1}}
  - {{role: phone, shift: N, days: all, min: 1}}
rules: {{min_duty_shifts_per_month: {duty}, working_time: {{system: comprehensive, max_hours_per_day: 16}}}}
"""


def instance(write_yaml, cap: int = 3, duty: int = 0) -> Instance:
    return Instance(load_scenario(write_yaml(SCENARIO.format(cap=cap, duty=duty))), MON, SUN)


def solved(inst: Instance):
    result = solve(inst, SolveOptions(time_limit=20, workers=2))
    assert result.proven and result.validation.ok
    return result


def test_the_night_stay_is_capped_and_its_empty_nights_are_shortfall(write_yaml):
    inst = instance(write_yaml, cap=3)
    result = solved(inst)
    stays = [a for a in result.roster.assignments if a.shift == "NS"]
    assert len(stays) == 3 and {a.staff_id for a in stays} == {"M1"}
    nights = {s.date: s.shortfall for s in result.validation.slots if s.shift == "NS"}
    assert sum(nights.values()) == 7 - 3  # four nights without the manager on the premises
    # A presence duty is not working time: no paid hours, not a shift worked.
    [month] = [m for m in person_months(inst, list(result.roster.assignments)) if m.staff_id == "M1"]
    assert month.presence == 3
    assert month.shifts == sum(1 for a in result.roster.assignments if a.staff_id == "M1" and a.shift != "NS")
    assert month.paid_minutes == 8 * 60 * month.shifts


def test_a_presence_duty_is_not_work(write_yaml):
    """The manager works the day and stays the night, every day: no rest or consecutive-day rule
    sees the night stay, so all seven day shifts and the capped nights fit."""
    inst = instance(write_yaml, cap=7)
    result = solved(inst)
    m1 = [a for a in result.roster.assignments if a.staff_id == "M1"]
    assert sum(1 for a in m1 if a.shift == "NS") == 7
    # max_consecutive_days 6 still binds the working days, never the nights on site.
    assert sum(1 for a in m1 if a.shift == "D") == 6


def test_the_desk_phone_is_met_by_whoever_has_the_skill_on_the_shift(write_yaml):
    inst = instance(write_yaml)
    result = solved(inst)
    phone = [s for s in result.validation.slots if s.role == "phone"]
    assert phone and all(s.shortfall == 0 for s in phone)
    on_nights = {(a.date, a.staff_id) for a in result.roster.assignments if a.shift == "N"}
    for s in phone:
        assert set(s.staff_ids) <= {"V1", "V2"}
        assert all((s.date, p) in on_nights for p in s.staff_ids)
    assert not any(a.role == "phone" for a in result.roster.assignments)  # never rostered as itself
    # Answered from one's own post: nobody is a substitute for a side duty.
    assert all(s.substitutes == () for s in phone)


def test_every_engineer_takes_night_or_off_day_duty(write_yaml):
    inst = instance(write_yaml, duty=8)  # prorated: 8 × 7 / 31 → 1 in this week
    result = solved(inst)
    for person in ("V1", "V2", "V3", "M1"):
        duty = [
            a for a in result.roster.assignments if a.staff_id == person and inst.is_duty(a.date, a.shift)
        ]
        assert len(duty) >= 1, person


def roster_of(*rows: tuple[str, str, str, str]) -> Roster:
    return Roster(
        start=MON,
        end=SUN,
        assignments=tuple(
            Assignment(date=dt.date.fromisoformat(d), shift=s, staff_id=p, role=r) for d, s, p, r in rows
        ),
    )


def test_the_validator_refuses_overlap_cap_side_roster_and_missing_duty(write_yaml):
    inst = instance(write_yaml, cap=1, duty=8)
    report = validate(
        inst,
        roster_of(
            ("2026-12-07", "N", "M1", "video"),  # a night worked ...
            ("2026-12-07", "NS", "M1", "manager"),  # ... and a night stay over the same hours
            ("2026-12-08", "NS", "M1", "manager"),  # a second stay: the cap is 1
            ("2026-12-09", "N", "V1", "phone"),  # the phone is a side duty, not a post
        ),
    )
    rules = {(v.rule, v.staff_id) for v in report.violations}
    assert ("presence_overlap", "M1") in rules
    assert ("presence_cap", "M1") in rules
    assert ("skill", "V1") in rules
    assert ("min_duty", "V2") in rules and ("min_duty", "V3") in rules
    assert ("one_shift_per_day", "M1") not in rules  # the stay is not a second shift


def test_a_side_duty_cannot_be_anyones_own_role_and_presence_has_no_pay(write_yaml):
    with pytest.raises(InputError, match="a side duty .* is nobody's own role"):
        load_scenario(
            write_yaml(
                SCENARIO.format(cap=3, duty=0).replace("role: video, skills: [phone]", "role: phone", 1)
            )
        )
    with pytest.raises(InputError, match="a presence duty is not working time: it has no paid_hours"):
        load_scenario(
            write_yaml(
                SCENARIO.format(cap=3, duty=0).replace("kind: presence", "kind: presence, paid_hours: 16")
            )
        )
