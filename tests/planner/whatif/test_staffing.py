"""planner.whatif.staffing: proven minimum headcounts and the best cross-training, on tiny scenarios.

The week 2026-12-07 (Mon) .. 12-13 (Sun) has 5 workdays and no holiday. With one 8-hour day
shift, a person can work at most 6 of the 7 days (max_consecutive_days 6) and, under the hard
cap, 40 standard hours + floor(36 × 7/31) = 8 overtime hours = 48 hours = 6 shifts. So a demand of
2 a day (14 shifts) needs 3 people: 2 people give at most 12.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.loader import load_scenario
from planner.engine.probes import ProbeOptions, clones
from planner.problem.instance import Instance
from planner.whatif.staffing import (
    analyse_staffing,
    group_cross_training,
    minimum_headcount,
    with_overtime_cap,
)
from ui.charts import shortfall_chart

pytestmark = pytest.mark.slow  # each test runs a few CP-SAT solves of a 7-day model

MON, SUN = dt.date(2026, 12, 7), dt.date(2026, 12, 13)
FAST = ProbeOptions(time_limit=5, workers=2)


def scenario_text(people: str, extra: str = "", video_min: int = 2) -> str:
    return f"""
version: 1
name: 人员配置测试
roles:
  - {{id: video, name: 视频会议}}
  - {{id: desk, name: 服务台}}
shifts:
  - {{id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}}
staff:
{people}
coverage:
  - {{role: video, shift: D, days: all, min: {video_min}}}
  - {{role: desk, shift: D, days: workday, min: 1}}
rules: {{overtime_cap: hard, working_time: {{system: comprehensive, max_hours_per_day: 16}}}}
{extra}
"""


def people(n: int, prefix: str = "V", role: str = "video") -> str:
    return "\n".join(
        f"  - {{id: {prefix}{i}, name: 人{prefix}{i}, role: {role}, years: 5}}" for i in range(1, n + 1)
    )


DESK = "  - {id: K1, name: 服务台甲, role: desk, years: 8}"


def instance(write_yaml, text: str) -> Instance:
    return Instance(load_scenario(write_yaml(text)), MON, SUN)


def test_clones_copy_the_typical_person_with_one_skill(write_yaml):
    s = load_scenario(write_yaml(scenario_text(people(2) + "\n" + DESK)))
    made = clones(s, "video", 2)
    assert [c.id for c in made] == ["video+1", "video+2"]
    assert all(c.role == "video" and c.skills == ("video",) for c in made)
    assert all(c.effective_rules == s.person("V1").effective_rules for c in made)
    assert all(c.start_date is None and c.end_date is None for c in made)


def test_with_overtime_cap_reaches_every_person(write_yaml):
    s = load_scenario(write_yaml(scenario_text(people(2) + "\n" + DESK)))
    soft = with_overtime_cap(s, "soft")
    assert soft.rules.overtime_cap == "soft"
    assert {p.effective_rules.overtime_cap for p in soft.staff} == {"soft"}


def test_upward_search_adds_clones_until_zero_and_proves_the_step_below(write_yaml):
    """1 person covers 6 of 14; 2 cover 12; 3 cover all: minimum 3, proven at 2."""
    inst = instance(write_yaml, scenario_text(people(1) + "\n" + DESK))
    r = minimum_headcount(inst, "video", FAST)
    assert (r.current, r.minimum, r.shortfall_now, r.proven) == (1, 3, 8, True)
    assert [(p.headcount, p.value) for p in r.probes] == [(1, 8), (2, 2), (3, 0)]
    below = next(p for p in r.probes if p.headcount == 2)
    assert below.bound == 2 and below.positive


def test_downward_search_when_today_is_enough(write_yaml):
    """4 interchangeable people: 3 suffice, 2 provably do not."""
    inst = instance(write_yaml, scenario_text(people(4) + "\n" + DESK))
    r = minimum_headcount(inst, "video", FAST)
    assert (r.current, r.minimum, r.shortfall_now, r.proven) == (4, 3, 0, True)
    assert [(p.headcount, p.value) for p in r.probes] == [(2, 2), (3, 0), (4, 0)]


def test_downward_search_chooses_among_real_people_with_their_absences(write_yaml):
    """V1, V2 all week (12 shifts); V3, V4 one day each: all four are needed for 14.

    Any three give at most 6 + 6 + 1 = 13, so the minimum is today's 4: the subset choice inside
    the model must consider who is absent, not just how many.
    """
    absences = """absences:
  - {staff: V3, start: 2026-12-08, end: 2026-12-13}
  - {staff: V4, start: 2026-12-07, end: 2026-12-12}
"""
    inst = instance(write_yaml, scenario_text(people(4) + "\n" + DESK, absences))
    r = minimum_headcount(inst, "video", FAST)
    assert (r.current, r.minimum, r.shortfall_now, r.proven) == (4, 4, 0, True)
    three = next(p for p in r.probes if p.headcount == 3)
    assert three.value == 1 and three.bound == 1


def test_soft_cap_does_not_change_a_limit_set_by_consecutive_days(write_yaml):
    """With 6-day runs the binding limit here is consecutive days, so soft and hard agree."""
    inst = instance(write_yaml, scenario_text(people(1) + "\n" + DESK))
    hard = analyse_staffing(inst, "hard", FAST, cross_training=False)
    soft = analyse_staffing(inst, "soft", FAST, cross_training=False)
    assert [r.to_dict() for r in hard.roles] == [r.to_dict() for r in soft.roles]
    assert [r.to_dict() for r in hard.roles] == [
        {"role": "video", "current": 1, "minimum": 3, "shortfall_now": 8, "proven": True},
        {"role": "desk", "current": 1, "minimum": 1, "shortfall_now": 0, "proven": True},
    ]


def test_hard_cap_binds_where_consecutive_days_do_not(write_yaml):
    """Nights of 16 h, one a day, rest 12 h: one person can work every other night at most.

    Under the hard cap a person may work 40 + 8 = 48 h = 3 nights; soft, 4 nights (every other
    night of 7). Demand 7 nights: hard needs 3 people (2 give 6), soft needs 2 (4 + 3).
    """
    text = scenario_text(people(1)).replace(
        '  - {id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}',
        '  - {id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}\n'
        '  - {id: N, name: 夜班, start: "16:00", end: "08:00", paid_hours: 16}',
    )
    text = text.replace(
        "{role: video, shift: D, days: all, min: 2}", "{role: video, shift: N, days: all, min: 1}"
    )
    text = text.replace("  - {role: desk, shift: D, days: workday, min: 1}\n", "")
    text = text.replace("  - {id: desk, name: 服务台}\n", "")
    inst = instance(write_yaml, text)
    hard = analyse_staffing(inst, "hard", FAST, cross_training=False).roles[0]
    soft = analyse_staffing(inst, "soft", FAST, cross_training=False).roles[0]
    assert (hard.minimum, hard.shortfall_now, hard.proven) == (3, 4, True)
    assert (soft.minimum, soft.shortfall_now, soft.proven) == (2, 3, True)


def test_cross_training_the_desk_onto_video_closes_the_gap(write_yaml):
    """One video engineer covers 6 of 7 days; the desk person, free at weekends, covers the 7th."""
    inst = instance(write_yaml, scenario_text(people(1) + "\n" + DESK, video_min=1))
    report = analyse_staffing(inst, "hard", FAST, cross_training=True)
    video = report.roles[0]
    assert (video.minimum, video.shortfall_now) == (2, 1)
    # Only the desk person lacks the one short role (video); desk has no shortfall to offer.
    assert report.cross_training_tried == 1
    [best] = report.cross_training
    assert (best.staff_id, best.skill, best.before, best.after, best.reduction, best.proven) == (
        "K1", "video", 1, 0, 1, True,
    )  # fmt: skip
    assert best.to_dict()["reduction_at_most"] == 1


def test_group_cross_training_merges_interchangeable_people():
    from planner.whatif.staffing import CrossTraining

    a = CrossTraining("V1", "甲", "video", "av", 5, 3, 3, True)
    b = CrossTraining("V2", "乙", "video", "av", 5, 3, 3, True)
    c = CrossTraining("K1", "丙", "desk", "av", 5, 4, 4, True)
    groups = group_cross_training([a, b, c], top=5)
    assert [[x.staff_id for x in g] for g in groups] == [["V1", "V2"], ["K1"]]
    assert len(group_cross_training([a, b, c], top=1)) == 1


def test_chart_plots_each_roles_probes(write_yaml):
    inst = instance(write_yaml, scenario_text(people(1) + "\n" + DESK))
    report = analyse_staffing(inst, "hard", FAST, cross_training=False)
    fig = shortfall_chart(report)
    lines = {t.name: (list(t.x), list(t.y)) for t in fig.data if t.mode == "lines+markers"}
    assert lines["视频会议"] == ([1, 2, 3], [8, 2, 0])
    assert lines["服务台"] == ([0, 1], [5, 0])
    stars = [t for t in fig.data if t.mode == "markers"]
    assert {(t.x[0], t.y[0]) for t in stars} == {(3, 0), (1, 0)}
    assert "人数" in fig.layout.xaxis.title.text
