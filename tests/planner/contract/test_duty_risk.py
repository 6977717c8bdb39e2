"""The manager's night stay and the desk phone in the assessment: their own annex items, not
"staffing below 附件二" on contract 9.1's counter (附件八 附件1 1.1, 附件八 2.6, 合同 9.1)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.roster import Roster
from planner.check.score import person_months
from planner.check.validate import validate
from planner.contract import risk as R
from planner.engine.solve import solve
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions

DEC1, DEC7 = dt.date(2026, 12, 1), dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def week(contract):
    """The contract's first December week as solved, proved on every level."""
    inst = Instance(contract, DEC1, DEC7)
    result = solve(inst, SolveOptions(time_limit=30, workers=2))
    assert result.proven and result.validation.ok
    return inst, result.roster


def risk_of(inst: Instance, roster: Roster) -> R.RiskReport:
    report = validate(inst, roster)
    rows = list(roster.assignments)
    return R.build_risk(inst, report.slots, person_months(inst, rows), inst.start, inst.end, rows)


def test_an_empty_night_stay_and_an_unanswered_phone_are_their_own_items(week):
    inst, roster = week
    base = risk_of(inst, roster)
    # Take away the manager's stay on 12-02 and everyone on the night of 12-03.
    cut = tuple(
        a
        for a in roster.assignments
        if not (a.date == dt.date(2026, 12, 2) and a.shift == "NS")
        and not (a.date == dt.date(2026, 12, 3) and a.shift == "N")
    )
    risk = risk_of(inst, roster.model_copy(update={"assignments": cut}))
    kinds = {(s.date, s.shift, s.role): s.kind for s in risk.shortfalls}
    assert kinds[dt.date(2026, 12, 2), "NS", "manager"] == "presence"
    assert kinds[dt.date(2026, 12, 3), "N", "phone"] == "side"
    assert kinds[dt.date(2026, 12, 3), "N", "video"] == "staffing"
    stay = next(s for s in risk.shortfalls if s.kind == "presence")
    assert stay.clause == "附件八 附件1 1.1" and "视情每人扣1-10分" in stay.clause_text

    [q4] = [q for q in risk.quarters if q.quarter == "2026Q4"]
    [b4] = [q for q in base.quarters if q.quarter == "2026Q4"]
    assert (b4.stays_missing, b4.unanswered_shifts) == (0, 0)
    assert (q4.stays_missing, q4.presence_roles_short, q4.unanswered_shifts) == (1, 1, 1)
    # Each post the solved night of 12-03 had (video, image, av: 附件二) is now short, and misses
    # its 16:00 handover; the stay and the phone hand nothing over.
    night = {a.role for a in roster.assignments if a.date == dt.date(2026, 12, 3) and a.shift == "N"}
    assert night and night <= {"video", "image", "av"}
    assert q4.missing == b4.missing + len(night)
    assert q4.missed_handovers == b4.missed_handovers + len(night)
    # 附件1 1.1 "视情每人扣1-10分": 1 point in the favourable reading, 10 in the strict one.
    assert q4.points_range == (q4.handover_points + 1, q4.handover_points + 10)
    # No calls assumed (the default): the phone's shift costs no points, and the text says why.
    assert any("排班无法知道来电数，未计入扣分" in a for a in risk.assumptions)


def test_only_working_posts_count_as_staffing_below_annex_two(contract):
    """A week where only the night stay is short: no 9.1 occurrence, under any way of counting."""
    inst = Instance(contract, DEC1, DEC1)
    slots = validate(inst, Roster(start=DEC1, end=DEC1, assignments=())).slots
    shortfalls = R.shortfall_risks(inst, slots)
    stays = [s for s in shortfalls if s.kind == "presence"]
    assert stays and all(s.kind != "staffing" for s in stays)
    days = R.staffing_occurrences([s for s in shortfalls if s.kind != "staffing"], "per_day")
    assert days == []
    assert len(R.staffing_occurrences(shortfalls, "per_day")) == 1


def test_assumed_calls_price_the_unanswered_phone(week, contract):
    """With 2 calls assumed per uncovered shift: 2 × 1 and 2 × 5 points per shift (附件八 2.6)."""
    inst, roster = week
    calls = contract.model_copy(
        update={"contract": contract.contract.model_copy(update={"assumed_calls_per_unanswered_shift": 2})}
    )
    inst2 = Instance(calls, DEC1, DEC7)
    cut = tuple(a for a in roster.assignments if not (a.date == dt.date(2026, 12, 3) and a.shift == "N"))
    risk = risk_of(inst2, roster.model_copy(update={"assignments": cut}))
    [q4] = [q for q in risk.quarters if q.quarter == "2026Q4"]
    assert q4.unanswered_shifts == 1
    assert q4.points_range == (q4.handover_points + 2, q4.handover_points + 10)
    assert any(
        a.startswith(R.ASSUMPTION_ZH + "（用户设置）：服务台电话无人接听的每个班次按 2 通来电计")
        for a in risk.assumptions
    )
