"""Requests and swaps end to end on a real store (planner.workflows.team): filing, the colleague's
answer, the validator's re-check, the manager's decision, the record it makes, the audit trail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.errors import InputError
from models.loader import load_scenario
from planner.store import service
from planner.store.db import Store
from planner.workflows import team
from tests.planner.store.conftest import START, TINY, hand_roster, store_roster

PASSWORD = "Ld8#qW3!zR6@tY1$uP4x"


@pytest.fixture
def published(tmp_path: Path) -> Store:
    """A store with the tiny five-day roster published, a manager and three engineers."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    store = Store(str(tmp_path / "store.db"))
    store_roster(store, load_scenario(path), hand_roster())
    team.add_account(store, "boss", "manager", PASSWORD, by="tests")
    for staff in ("P1", "P3", "P4"):
        team.add_account(store, staff, "engineer", PASSWORD, by="tests", staff_id=staff)
    return store


def _account(store: Store, username: str) -> team.AccountInfo:
    return next(a for a in team.list_accounts(store) if a.username == username)


def _cells(store: Store, date: dt.date) -> dict[str, str]:
    return {a.staff_id: a.shift for a in service.actual_roster(store, date, date).roster.assignments}


def test_a_swap_proposed_accepted_and_approved_is_in_the_actual_roster_calendars_and_audit(
    published: Store,
) -> None:
    store = published
    p1, p3, boss = _account(store, "P1"), _account(store, "P3"), _account(store, "boss")
    assert _cells(store, START) == {"P1": "D", "P2": "N", "P4": "D"}

    filed = team.file_request(store, p1, "swap", START, START, other_staff_id="P3", reason="家中有事")
    assert filed.state == "awaiting_partner"
    with pytest.raises(InputError, match="只有服务经理"):
        team.decide(store, p1, filed.id, True)
    with pytest.raises(InputError, match="待同事确认"):
        team.decide(store, boss, filed.id, True)
    accepted = team.answer(store, p3, filed.id, True)
    assert accepted.state == "awaiting_manager"

    check = team.assess(store, accepted)
    assert check.published and check.clean, check
    approved = team.decide(store, boss, filed.id, True, "同意")
    assert approved.state == "approved" and approved.record_id is not None

    assert _cells(store, START) == {"P3": "D", "P2": "N", "P4": "D"}
    # Both people's own months show it: P3 now has the day shift on the 1st, P1 does not.
    p3_month = team.person_month(store, "P3", START, START + dt.timedelta(days=4))
    p1_month = team.person_month(store, "P1", START, START + dt.timedelta(days=4))
    assert {"日期": START.isoformat(), "班次": "白班"}.items() <= p3_month.rows[0].items()
    assert START.isoformat() not in [r["日期"] for r in p1_month.rows]
    assert b"20261201" in p3_month.ics and b"20261201T080000" not in p1_month.ics
    actions = [(e.actor, e.action) for e in team.audit_events(store)]
    assert ("P1", "request_file") in actions and ("P3", "request_accept") in actions
    assert ("boss", "request_approve") in actions and ("boss", "record") in actions


def test_the_check_before_approval_names_broken_rules_and_lost_coverage(published: Store) -> None:
    store = published
    p4, p3 = _account(store, "P4"), _account(store, "P3")
    leave = team.file_request(store, p4, "leave", START + dt.timedelta(days=2), START + dt.timedelta(days=2))
    check = team.assess(store, leave)
    assert check.published and not check.clean
    lost = [(b.assigned, a.assigned, a.role, a.shift) for b, a in check.lost_coverage]
    assert lost == [(1, 0, "b", "D")]

    # P3 takes P2's night on the 1st and keeps their own on the 2nd: 8 h of rest between them.
    swap = team.file_request(store, p3, "swap", START, START, other_staff_id="P2")
    check = team.assess(store, swap)
    assert check.lost_coverage == []
    assert {(v.rule, v.staff_id) for v in check.new_violations} == {("rest", "P3")}, check.new_violations


def test_refused_declined_and_withdrawn_requests_record_nothing(published: Store) -> None:
    store = published
    p1, p3, p4, boss = (_account(store, u) for u in ("P1", "P3", "P4", "boss"))
    declined = team.answer(
        store, p3, team.file_request(store, p1, "swap", START, START, other_staff_id="P3").id, False
    )
    assert declined.state == "declined"
    with pytest.raises(InputError, match="只有被邀请"):
        team.answer(store, p4, declined.id, True)
    refused = team.decide(
        store, boss, team.file_request(store, p4, "leave", START, START).id, False, "人手不足"
    )
    assert refused.state == "refused" and refused.record_id is None
    withdrawn = team.withdraw(store, p4, team.file_request(store, p4, "leave", START, START).id)
    assert withdrawn.state == "withdrawn"
    with pytest.raises(InputError, match="已撤回"):
        team.decide(store, boss, withdrawn.id, True)
    assert service.records(store) == []


def test_approved_leave_on_published_dates_is_a_leave_record_and_elsewhere_waits_for_the_plan(
    published: Store,
) -> None:
    store = published
    p1, boss = _account(store, "P1"), _account(store, "boss")
    on_roster = team.decide(
        store, boss, team.file_request(store, p1, "leave", START, START, reason="年假").id, True
    )
    assert on_roster.record_id is not None
    assert "P1" not in _cells(store, START)
    assert [c.kind for c in service.records(store)] == ["leave"]
    later = dt.date(2027, 1, 10)
    planned = team.decide(store, boss, team.file_request(store, p1, "leave", later, later).id, True)
    assert planned.record_id is None
    assert [r.id for r in team.approved_for_planning(store, later, later)] == [planned.id]


def test_bad_requests_are_refused_with_the_reason(published: Store) -> None:
    store = published
    p1 = _account(store, "P1")
    with pytest.raises(InputError, match="自己"):
        team.file_request(store, p1, "swap", START, START, other_staff_id="P1")
    with pytest.raises(InputError, match="早于"):
        team.file_request(store, p1, "leave", START, START - dt.timedelta(days=1))
    with pytest.raises(InputError, match="无可交换"):
        team.file_request(store, p1, "swap", dt.date(2027, 3, 1), dt.date(2027, 3, 1), other_staff_id="P3")
    with pytest.raises(InputError, match="技能"):
        team.file_request(store, p1, "swap", START, START, other_staff_id="P4")


def test_approved_leave_and_preferences_go_into_the_next_plan(published: Store, tmp_path: Path) -> None:
    from models.loader import load_scenario
    from planner.problem.instance import Instance

    store = published
    p1, p3, boss = _account(store, "P1"), _account(store, "P3"), _account(store, "boss")
    jan = dt.date(2027, 1, 10)
    leave = team.decide(
        store, boss, team.file_request(store, p1, "leave", jan, jan + dt.timedelta(days=1)).id, True
    )
    wish = team.file_request(store, p3, "preference", jan, jan, shift="N", wish="off")
    team.decide(store, boss, wish.id, True)
    refused = team.file_request(store, p3, "leave", jan, jan)
    team.decide(store, boss, refused.id, False)
    scenario = load_scenario(tmp_path / "tiny.yaml")
    planned, taken = team.with_approved_requests(store, scenario, dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert sorted(r.id for r in taken) == sorted([leave.id, wish.id])
    assert [(a.staff, a.start, a.end, a.kind) for a in planned.absences] == [
        ("P1", jan, jan + dt.timedelta(days=1), "annual")
    ]
    assert [(r.staff, r.date, r.shift, r.want) for r in planned.requests] == [("P3", jan, "N", "off")]
    inst = Instance(planned, dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert not inst.available("P1", jan)
    assert team.with_approved_requests(store, scenario, dt.date(2027, 2, 1), dt.date(2027, 2, 28)) == (
        scenario,
        [],
    )
