"""Publishing, supersession, recorded changes and the actual roster."""

from __future__ import annotations

import datetime as dt

import pytest

from models.errors import InputError
from models.roster import Assignment
from models.scenario import Scenario
from planner.store import service
from planner.store.db import Store, StoreError
from planner.store.service import NewRecord
from planner.store.snapshot import snapshot_of
from tests.planner.store.conftest import START, hand_roster, store_roster

D = [START + dt.timedelta(days=i) for i in range(10)]


def publish(store: Store, scenario: Scenario, roster, status: str = "published") -> service.VersionInfo:
    return store_roster(store, scenario, roster, author="测试", summary={"levels": []}, status=status).version


def record(store: Store, kind: str, staff: str, first: dt.date, last: dt.date | None = None, **kw):
    return service.add_record(store, NewRecord(kind, staff, first, last or first, "组长", "原因", **kw))


def cells(roster, date: dt.date) -> set[tuple[str, str, str]]:
    return {(a.staff_id, a.shift, a.role) for a in roster.assignments if a.date == date}


def test_publish_round_trips_the_assignments(store: Store, tiny: Scenario) -> None:
    roster = hand_roster()
    v = publish(store, tiny, roster)
    assert (v.id, v.status, v.assignment_count) == (1, "published", 15)
    assert v.content_sha256 == service.content_digest(roster.assignments)
    assert set(service.version_roster(store, v.id).assignments) == set(roster.assignments)
    assert service.version_scenario(store, v.id).staff_by_id.keys() == tiny.staff_by_id.keys()


def test_same_scenario_files_share_one_snapshot(store: Store, tiny: Scenario) -> None:
    v1, v2 = publish(store, tiny, hand_roster()), publish(store, tiny, hand_roster())
    assert v1.snapshot_id == v2.snapshot_id
    assert v1.snapshot_digest == snapshot_of(tiny).digest


def test_later_publication_supersedes_only_the_shared_dates(store: Store, tiny: Scenario) -> None:
    """Dec 1-5 from v1, then v2 for Dec 4-8: v1 stays in force on Dec 1-3 only."""
    publish(store, tiny, hand_roster(D[0], 5))
    second = hand_roster(D[3], 5)
    swapped = tuple(
        a.model_copy(update={"staff_id": "P5"}) if a.staff_id == "P4" else a for a in second.assignments
    )
    out = store_roster(store, tiny, second.model_copy(update={"assignments": swapped}), author="x")
    assert out.superseded == {1: [D[3], D[4]]}
    actual = service.actual_roster(store, D[0], D[9])
    assert {d: v for d, v in actual.version_by_date.items()} == {
        **{d: 1 for d in D[:3]},
        **{d: 2 for d in D[3:8]},
    }
    assert ("P4", "D", "b") in cells(actual.roster, D[2])
    assert ("P5", "D", "b") in cells(actual.roster, D[3]) and ("P4", "D", "b") not in cells(
        actual.roster, D[3]
    )
    assert actual.uncovered == [D[8], D[9]]


def test_a_draft_is_kept_but_never_in_force(store: Store, tiny: Scenario) -> None:
    publish(store, tiny, hand_roster(), status="draft")
    assert [v.status for v in service.versions(store)] == ["draft"]
    actual = service.actual_roster(store, D[0], D[4])
    assert actual.roster.assignments == () and len(actual.uncovered) == 5
    with pytest.raises(InputError, match="no published roster"):
        record(store, "sick", "P1", D[0])


def test_sick_removes_every_shift_of_the_person_on_those_dates(store: Store, tiny: Scenario) -> None:
    publish(store, tiny, hand_roster())
    out = record(store, "sick", "P2", D[0], D[2])
    assert out.before == [Assignment(date=D[0], shift="N", staff_id="P2", role="a"),
                          Assignment(date=D[2], shift="N", staff_id="P2", role="a")]  # fmt: skip
    assert out.after == []
    actual = service.actual_roster(store, D[0], D[4])
    assert len(actual.roster.assignments) == 13
    assert [c.kind for c in actual.applied] == ["sick"]


def test_swap_exchanges_shift_and_role(store: Store, tiny: Scenario) -> None:
    publish(store, tiny, hand_roster())
    record(store, "swap", "P1", D[0], other_staff_id="P2")
    day = cells(service.actual_roster(store, D[0], D[0]).roster, D[0])
    assert day == {("P1", "N", "a"), ("P2", "D", "a"), ("P4", "D", "b")}


def test_swap_into_a_role_without_the_skill_is_refused(store: Store, tiny: Scenario) -> None:
    publish(store, tiny, hand_roster())
    with pytest.raises(InputError, match="P4 不具备 a"):
        record(store, "swap", "P1", D[0], other_staff_id="P4")
    # P3 (skills a, b) is off on D[0]: taking P4's role-b day shift is fine.
    record(store, "swap", "P3", D[0], other_staff_id="P4")
    assert ("P3", "D", "b") in cells(service.actual_roster(store, D[0], D[0]).roster, D[0])


def test_extra_defaults_to_the_primary_role_and_cancel_removes(store: Store, tiny: Scenario) -> None:
    publish(store, tiny, hand_roster())
    out = record(store, "extra", "P5", D[1], shift="D")
    assert out.record.role == "b"
    record(store, "cancel", "P1", D[1])
    day = cells(service.actual_roster(store, D[1], D[1]).roster, D[1])
    assert day == {("P5", "D", "b"), ("P3", "N", "a"), ("P4", "D", "b")}


@pytest.mark.parametrize(
    ("kind", "staff", "extra", "message"),
    [
        ("sick", "P9", {}, "--staff P9: 未知人员"),
        ("swap", "P1", {"other_staff_id": "P9"}, "--with P9: 未知人员"),
        ("extra", "P5", {"shift": "X"}, "--shift X: 未知班次"),
        ("extra", "P1", {"shift": "N"}, "当天已有 D 班"),
        ("extra", "P5", {"shift": "D", "role": "a"}, "--role a: P5 不具备"),
        ("cancel", "P5", {}, "没有班次可取消"),
        ("cancel", "P1", {"shift": "N"}, "没有N 班可取消"),
        ("swap", "P1", {"other_staff_id": "P1"}, "不能与自己换班"),
        ("swap", "P5", {"other_staff_id": "P2"}, "都没有班次"),
    ],
)
def test_changes_that_cannot_act_are_refused(
    store: Store, tiny: Scenario, kind, staff, extra, message
) -> None:
    publish(store, tiny, hand_roster())
    with pytest.raises(InputError, match=message):
        record(store, kind, staff, D[1], **extra)
    assert service.records(store) == []


def test_change_on_a_date_without_a_published_roster_is_refused(store: Store, tiny: Scenario) -> None:
    publish(store, tiny, hand_roster())
    with pytest.raises(InputError, match=f"--date {D[5]}"):
        record(store, "sick", "P1", D[4], D[5])


def test_a_swap_across_two_versions_is_refused_a_sick_leave_is_not(store: Store, tiny: Scenario) -> None:
    publish(store, tiny, hand_roster(D[0], 5))
    publish(store, tiny, hand_roster(D[5], 5))
    with pytest.raises(InputError, match="跨越多个已发布版本"):
        record(store, "cancel", "P1", D[3], D[6])
    out = record(store, "sick", "P1", D[3], D[6])
    assert len(out.before) == 4 and out.after == []


def test_republishing_supersedes_a_swap_but_a_sick_day_still_applies(store: Store, tiny: Scenario) -> None:
    """A swap belongs to the version it was recorded on; a sick day is a fact about the person."""
    publish(store, tiny, hand_roster())
    swap = record(store, "swap", "P1", D[0], other_staff_id="P2").record
    sick = record(store, "sick", "P4", D[1]).record
    out = store_roster(store, tiny, hand_roster(), author="x")
    assert [c.id for c in out.dropped_records] == [swap.id]
    assert [(c.id, a.staff_id, a.date) for c, a in out.sick_removed] == [(sick.id, "P4", D[1])]
    actual = service.actual_roster(store, D[0], D[4])
    assert cells(actual.roster, D[0]) == {("P1", "D", "a"), ("P2", "N", "a"), ("P4", "D", "b")}
    assert ("P4", "D", "b") not in cells(actual.roster, D[1])
    assert [c.id for c in actual.superseded] == [swap.id] and [c.id for c in actual.applied] == [sick.id]


def test_nothing_is_updated_in_place(store: Store, tiny: Scenario) -> None:
    """Every earlier row survives each later operation unchanged (append-only)."""
    publish(store, tiny, hand_roster())
    snapshots = []
    for step in (
        lambda: record(store, "sick", "P2", D[0]),
        lambda: record(store, "swap", "P1", D[1], other_staff_id="P3"),
        lambda: publish(store, tiny, hand_roster()),
        lambda: record(store, "cancel", "P4", D[2]),
    ):
        snapshots.append(service.backup_data(store)["tables"])
        step()
    snapshots.append(service.backup_data(store)["tables"])
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        for table, rows in before.items():
            assert after[table][: len(rows)] == rows


def test_history_roster_keeps_known_people_only(store: Store, tiny: Scenario) -> None:
    publish(store, tiny, hand_roster(D[0], 5))
    smaller = tiny.model_copy(update={"staff": tuple(p for p in tiny.staff if p.id != "P4")})
    past = service.history_roster(store, smaller, D[5])
    assert past is not None and past.end == D[4]
    assert len(past.assignments) == 10 and all(a.staff_id != "P4" for a in past.assignments)
    assert service.history_roster(store, tiny, D[0]) is None


def test_publish_expecting_an_unchanged_actual_roster_refuses(store: Store, tiny: Scenario) -> None:
    """A re-plan publishes only if nobody published or recorded while it was solving."""
    publish(store, tiny, hand_roster())
    seen = service.content_digest(service.actual_roster(store, D[0], D[4]).roster.assignments)
    record(store, "sick", "P2", D[0])
    with pytest.raises(StoreError, match="重排期间被修改"):
        store_roster(store, tiny, hand_roster(), author="x", expect_actual=(D[0], D[4], seen))
    assert len(service.versions(store)) == 1
