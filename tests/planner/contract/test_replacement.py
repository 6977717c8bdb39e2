"""planner.contract.replacement: every replacement rule, kept and broken, and the costs (no solver)."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from models.loader import load_scenario
from planner.contract.replacement import (
    ROLE_MINIMUMS,
    check_changes,
    contracted_headcount,
    education_verdict,
)

D = dt.date

BASE = """
version: 1
name: 更换测试
contract: {start: 2026-06-15, end: 2027-06-14, value_cny: 2993700}
roles:
  - {id: video, name: 视频会议}
  - {id: desk, name: 服务台}
  - {id: tech, name: 技术保障}
shifts:
  - {id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}
staff:
  - {id: V1, name: 甲, role: video, years: 6}
  - {id: V2, name: 乙, role: video, years: 6}
  - {id: V3, name: 丙, role: video, years: 6}
  - {id: K1, name: 丁, role: desk, years: 8, education: 大专}
  - {id: T1, name: 戊, role: tech, years: 1}
coverage:
  - {role: video, shift: D, days: all, min: 1}
"""


@pytest.fixture
def load_with(write_yaml):
    """`load_with(changes_yaml, contract=True)`: the base scenario plus a `changes:` block, loaded."""
    from models.loader import load_scenario

    def load(changes: str, contract: bool = True):
        text = textwrap.dedent(BASE)
        if not contract:
            text = text.replace("contract: {start: 2026-06-15, end: 2027-06-14, value_cny: 2993700}\n", "")
        return load_scenario(
            write_yaml(text + "changes:\n" + textwrap.indent(textwrap.dedent(changes), "  "))
        )

    return load


def one(load_with, changes: str, **kw):
    report = check_changes(load_with(changes, **kw))
    assert len(report.changes) == 1
    return report, report.changes[0]


# -- notice: notice_date <= last_day - 30 days (tender 3.4) ----------------------------------
def test_notice_exactly_thirty_days_is_kept(load_with):
    """30 days before the last day is enough."""
    _, c = one(load_with, """
        - staff: V1
          notice_date: 2027-01-30
          last_day: 2027-03-01
          replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-02-05}
    """)  # fmt: skip
    assert c.check("notice").verdict == "kept"
    assert c.breach is False
    assert c.penalty_cny == 0


def test_notice_twenty_nine_days_is_broken_and_costs_one_percent(load_with):
    """29 days is a breach of 9.1: 1% of 2,993,700 = 29,937 CNY."""
    report, c = one(load_with, """
        - staff: V1
          notice_date: 2027-01-31
          last_day: 2027-03-01
          replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-02-05}
    """)  # fmt: skip
    check = c.check("notice")
    assert check.verdict == "broken"
    assert "29 天" in check.detail and "2027-01-30" in check.detail
    assert c.breach is True
    assert c.penalty_cny == pytest.approx(29937)
    assert report.penalty_cny == pytest.approx(29937)
    assert report.ok is False


# -- on time: replacement start <= plan_date (default notice_date) + 7 ------------------------
def test_on_time_uses_plan_date_and_seven_days(load_with):
    """Plan 02-10: on site by 02-17 is on time."""
    _, c = one(load_with, """
        - staff: V1
          notice_date: 2027-01-10
          plan_date: 2027-02-10
          last_day: 2027-03-01
          replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-02-17}
    """)  # fmt: skip
    assert c.plan_date == D(2027, 2, 10)
    assert c.check("on_time").verdict == "kept"


def test_late_replacement_breaks_on_time_counting_from_notice_date(load_with):
    """No plan date: the notice date is the plan; 8 days later is one day late."""
    _, c = one(load_with, """
        - staff: V1
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-01-18}
    """)  # fmt: skip
    check = c.check("on_time")
    assert check.verdict == "broken"
    assert "2027-01-17" in check.detail and "晚了 1 天" in check.detail


def test_no_replacement_breaks_on_time_qualified_and_headcount(load_with):
    report, c = one(load_with, """
        - {staff: V1, notice_date: 2027-01-10, last_day: 2027-03-01}
    """)  # fmt: skip
    assert [c.check(r).verdict for r in ("notice", "on_time", "qualified", "headcount")] == [
        "kept", "broken", "broken", "broken",
    ]  # fmt: skip
    # Without a replacement the post stays empty from 03-02 to the contract end 2027-06-14.
    assert c.gap_days == (D(2027, 6, 14) - D(2027, 3, 2)).days + 1
    assert (c.gap_first, c.gap_last) == (D(2027, 3, 2), D(2027, 6, 14))
    assert c.breach is True  # an unqualified (absent) replacement is 9.1's 人员不符合要求


# -- qualified: same role, 附件二 二.1 years; tender 3.3 for everyone; tender 3.2 for the manager --
def test_minimums_table_holds_the_contract_figures():
    assert {r: m.years for r, m in ROLE_MINIMUMS.items()} == {
        "manager": 5, "video": 3, "image": 2, "av": 2, "desk": 2,  # desk: tender 3.3's 2 years
    }  # fmt: skip
    assert all(m.associate_degree and m.lives_in_beijing for m in ROLE_MINIMUMS.values())  # tender 3.3
    assert [r for r, m in ROLE_MINIMUMS.items() if m.intermediate_title] == ["manager"]  # tender 3.2
    assert ROLE_MINIMUMS["manager"].resident_manager_years == 1


@pytest.mark.parametrize(
    ("years", "verdict"),
    [("3", "kept"), ("2.5", "broken"), ("null", "unknown")],
)
def test_video_replacement_years_against_minimum_of_three(load_with, years, verdict):
    _, c = one(load_with, f"""
        - staff: V1
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {{id: V9, name: 替补, role: video, years: {years}, education: 本科,
                        lives_in_beijing: true, start_date: 2027-01-15}}
    """)  # fmt: skip
    assert c.check("qualified").verdict == verdict
    assert c.breach is (verdict == "broken")
    assert c.points_at_risk == 0  # the −5 is the buyer's onboarding check, an input


def test_replacement_in_another_role_is_not_qualified(load_with):
    _, c = one(load_with, """
        - staff: V1
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {id: V9, name: 替补, role: desk, years: 9, education: 本科, start_date: 2027-01-15}
    """)  # fmt: skip
    check = c.check("qualified")
    assert check.verdict == "broken"
    assert "服务台" in check.detail and "视频会议" in check.detail
    # The desk hire does not fill the video post: the gap runs to the contract end.
    assert c.check("headcount").verdict == "broken"


@pytest.mark.parametrize(
    ("education", "verdict"),
    [
        ("本科", "kept"),
        ("大专", "kept"),
        ("高中", "broken"),
        ("中专", "broken"),
        ("自学", "unknown"),
        (None, "unknown"),
    ],
)
def test_desk_replacement_needs_an_associate_degree(load_with, education, verdict):
    edu = "" if education is None else f", education: {education}"
    _, c = one(load_with, f"""
        - staff: K1
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {{id: K9, name: 替补, role: desk, years: 3, lives_in_beijing: true{edu},
                        start_date: 2027-01-15}}
    """)  # fmt: skip
    assert c.check("qualified").verdict == verdict


def test_education_words():
    assert education_verdict("硕士研究生") == "kept"
    assert education_verdict("Bachelor of Engineering") == "kept"
    assert education_verdict("高中") == "broken"
    assert education_verdict("") == "unknown"


def test_role_without_a_stated_minimum_needs_the_team_minimums(load_with):
    """Tender 3.3 binds the whole team: 2 years, 大专 or above, a home in Beijing."""
    _, c = one(load_with, """
        - staff: T1
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {id: T9, name: 替补, role: tech, years: 2, education: 大专, lives_in_beijing: true,
                        start_date: 2027-01-15}
    """)  # fmt: skip
    check = c.check("qualified")
    assert check.verdict == "kept"
    assert "要求至少 2 年" in check.detail and "生活基础或常住地址在北京" in check.detail


@pytest.mark.parametrize(
    ("extra", "verdict", "words"),
    [
        ("title: 中级工程师, resident_manager_years: 1", "kept", "职称“中级工程师”（要求中级及以上）"),
        ("title: 高级项目经理, resident_manager_years: 3", "kept", "驻地服务经理经验 3 年"),
        ("title: 初级工程师, resident_manager_years: 2", "broken", "职称“初级工程师”低于中级"),
        ("title: 中级工程师, resident_manager_years: 0.5", "broken", "驻地服务经理经验 0.5 年，少于 1 年"),
        ("title: 中级工程师", "unknown", "未填写驻地服务经理经验"),
        ("resident_manager_years: 2", "unknown", "职称未填写"),
    ],
)
def test_a_manager_needs_an_intermediate_title_and_a_resident_year(write_yaml, extra, verdict, words):
    """Tender 3.2: 中级或以上职称, 不少于一年的驻地服务经理经验 (with proof)."""
    path = write_yaml(f"""
version: 1
name: 经理更换
contract: {{start: 2026-06-15, end: 2027-06-14, value_cny: 1000000}}
roles: [{{id: manager, name: 驻场服务经理}}]
shifts: [{{id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}}]
staff: [{{id: M1, name: 经理, role: manager, years: 9}}]
coverage: [{{role: manager, shift: D, days: workday, min: 1}}]
changes:
  - staff: M1
    notice_date: 2027-01-10
    last_day: 2027-03-01
    replacement: {{id: M9, name: 新经理, role: manager, years: 6, education: 本科, lives_in_beijing: true,
                  {extra}, start_date: 2027-01-15}}
""")
    [c] = check_changes(load_scenario(path)).changes
    check = c.check("qualified")
    assert check.verdict == verdict
    assert words in check.detail
    assert c.breach is (verdict == "broken")  # unqualified is 9.1's 人员不符合要求


# -- headcount: gap days below the contracted headcount ---------------------------------------
def test_contracted_headcount_counts_leavers_not_replacements(load_with):
    s = load_with("""
        - staff: V1
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-03-05}
    """)  # fmt: skip
    assert contracted_headcount(s) == {"video": 3, "desk": 1, "tech": 1}


def test_gap_days_between_last_day_and_late_start(load_with):
    """Last day 03-01, replacement from 03-05: 03-02, 03-03, 03-04 have 2 video engineers, not 3."""
    _, c = one(load_with, """
        - staff: V1
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-03-05}
    """)  # fmt: skip
    assert c.gap_days == 3
    assert (c.gap_first, c.gap_last) == (D(2027, 3, 2), D(2027, 3, 4))
    check = c.check("headcount")
    assert check.verdict == "broken" and "3 天" in check.detail and "3 人" in check.detail


def test_replacement_starting_the_next_day_leaves_no_gap(load_with):
    _, c = one(load_with, """
        - staff: V1
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-03-02}
    """)  # fmt: skip
    assert c.gap_days == 0
    assert c.check("headcount").verdict == "kept"


def test_no_replacement_and_no_contract_is_an_open_gap_and_unknown_penalty(load_with):
    report, c = one(load_with, """
        - {staff: V1, notice_date: 2027-02-20, last_day: 2027-03-01}
    """, contract=False)  # fmt: skip
    assert c.gap_days is None
    assert c.check("headcount").verdict == "broken"
    assert c.penalty_cny is None
    assert report.penalty_cny is None and report.exposure_cny is None
    assert report.notes  # says why the penalty cannot be computed


# -- costs and the termination threshold ------------------------------------------------------
def test_every_replacement_costs_three_points(load_with):
    report = check_changes(load_with("""
        - staff: V1
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-01-15}
        - staff: V2
          notice_date: 2027-01-10
          last_day: 2027-03-01
          replacement: {id: V8, name: 替补, role: video, years: 4, start_date: 2027-01-15}
    """))  # fmt: skip
    assert [c.points for c in report.changes] == [-3, -3]
    assert report.points == -6
    assert report.ok is True
    assert report.termination.verdict == "kept"
    assert report.exposure_cny == 0


def test_two_breaches_stay_below_the_threshold(load_with):
    report = check_changes(load_with("""
        - {staff: V1, notice_date: 2027-02-25, last_day: 2027-03-01,
           replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-02-26}}
        - {staff: V2, notice_date: 2027-02-25, last_day: 2027-03-01,
           replacement: {id: V8, name: 替补, role: video, years: 4, start_date: 2027-02-26}}
    """))  # fmt: skip
    assert report.breaches == 2
    assert report.termination.verdict == "kept"
    assert report.penalty_cny == pytest.approx(2 * 29937)
    assert report.termination_penalty_cny == 0


def test_three_breaches_let_the_buyer_terminate_with_ten_percent(load_with):
    report = check_changes(load_with("""
        - {staff: V1, notice_date: 2027-02-25, last_day: 2027-03-01,
           replacement: {id: V9, name: 替补, role: video, years: 4, start_date: 2027-02-26}}
        - {staff: V2, notice_date: 2027-02-25, last_day: 2027-03-01,
           replacement: {id: V8, name: 替补, role: video, years: 4, start_date: 2027-02-26}}
        - {staff: V3, notice_date: 2027-02-25, last_day: 2027-03-01,
           replacement: {id: V7, name: 替补, role: video, years: 4, start_date: 2027-02-26}}
    """))  # fmt: skip
    assert report.breaches == 3
    assert report.termination.verdict == "broken"
    assert report.termination_penalty_cny == pytest.approx(299370)
    assert report.exposure_cny == pytest.approx(3 * 29937 + 299370)
    assert report.ok is False
    assert report.to_dict()["termination"]["verdict"] == "broken"


def test_the_onboarding_minus_five_follows_the_buyers_check_only(load_with):
    base = """
            - staff: V1
              notice_date: 2027-01-10
              last_day: 2027-03-01
              replacement: {{id: V9, name: 替补, role: video, years: 5, start_date: 2027-01-15}}
              {extra}
        """
    _, failed = one(load_with, base.format(extra="onboarding_passed: false"))
    _, passed = one(load_with, base.format(extra="onboarding_passed: true"))
    _, unchecked = one(load_with, base.format(extra=""))
    assert (failed.points_at_risk, passed.points_at_risk, unchecked.points_at_risk) == (-5, 0, 0)


@pytest.mark.parametrize(
    ("approval", "verdict", "breach"),
    [
        ("approved: true\n              approval_date: 2027-01-20", "kept", False),
        ("approved: false", "broken", True),
        ("approved: true\n              approval_date: 2027-03-05", "broken", True),
        ("approval_requested: 2027-01-11", "unknown", False),
    ],
)
def test_the_buyers_written_approval_is_checked(load_with, approval, verdict, breach):
    _, c = one(load_with, f"""
            - staff: V1
              notice_date: 2027-01-10
              last_day: 2027-03-01
              replacement: {{id: V9, name: 替补, role: video, years: 5, start_date: 2027-01-15}}
              {approval}
        """)  # fmt: skip
    assert c.check("approved").verdict == verdict
    assert c.breach is breach
