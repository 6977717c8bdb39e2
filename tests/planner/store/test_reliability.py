"""Reliability: concurrent writers, a crash in the middle of a publish, backup and restore."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from pathlib import Path

import pytest
import sqlalchemy as sa

from models.errors import InputError
from models.loader import load_scenario
from models.scenario import Scenario
from planner.store import service
from planner.store.db import Store
from planner.store.schema import RosterVersion, StoredAssignment
from planner.store.service import NewRecord
from tests.planner.store.conftest import START, hand_roster, store_roster


def _publish(store: Store, scenario: Scenario, start: dt.date, author: str = "测试") -> service.VersionInfo:
    return store_roster(store, scenario, hand_roster(start, 5), author=author, summary={"by": author}).version


def _row_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            "versions": conn.scalar(sa.select(sa.func.count()).select_from(RosterVersion)),
            "assignments": conn.scalar(sa.select(sa.func.count()).select_from(StoredAssignment)),
        }


def test_crash_in_the_middle_of_a_publish_leaves_the_previous_state(
    store: Store, tiny: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The assignment insert fails after its first chunk: no trace of the new version remains."""
    first = _publish(store, tiny, START)
    before = service.backup_data(store)["tables"]
    monkeypatch.setattr(service, "CHUNK", 4)
    real_insert = service._insert_chunk
    calls = []

    def failing(session, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise OSError("disk full (simulated)")
        real_insert(session, rows)

    monkeypatch.setattr(service, "_insert_chunk", failing)
    with pytest.raises(OSError, match="simulated"):
        _publish(store, tiny, START + dt.timedelta(days=2))
    assert calls == [4, 4]  # the first chunk was inserted before the failure
    assert [v.id for v in service.versions(store)] == [first.id]
    assert _row_counts(store) == {"versions": 1, "assignments": 15}
    assert service.backup_data(store)["tables"] == before
    actual = service.actual_roster(store, START, START + dt.timedelta(days=6))
    assert set(actual.version_by_date.values()) == {first.id}
    # And the store still works afterwards.
    monkeypatch.setattr(service, "_insert_chunk", real_insert)
    assert _publish(store, tiny, START + dt.timedelta(days=2)).id == first.id + 1


def _publisher(url: str, scenario_file: str, offset: int, author: str, rounds: int, barrier) -> None:
    """One process: wait for the other, then publish `rounds` versions as fast as it can."""
    store = Store(url)
    scenario = load_scenario(scenario_file)
    barrier.wait(timeout=60)
    for i in range(rounds):
        _publish(store, scenario, START + dt.timedelta(days=offset + i), f"{author}-{i}")
    store.close()


def test_two_processes_publishing_at_once_lose_nothing(tmp_path: Path, tiny_file: Path) -> None:
    """Two processes open a new store (both migrate) and publish simultaneously; every version
    is there, numbered without gaps, with exactly its own assignments."""
    url = str(tmp_path / "shared.db")
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    rounds = 3
    procs = [
        ctx.Process(target=_publisher, args=(url, str(tiny_file), 0, "甲", rounds, barrier)),
        ctx.Process(target=_publisher, args=(url, str(tiny_file), 10, "乙", rounds, barrier)),
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    store = Store(url)
    found = service.versions(store)
    assert sorted(v.id for v in found) == list(range(1, 2 * rounds + 1))
    assert sorted(v.author for v in found) == sorted(f"{w}-{i}" for w in "甲乙" for i in range(rounds))
    assert len({v.snapshot_id for v in found}) == 1
    for v in found:
        roster = service.version_roster(store, v.id)
        expected = hand_roster(v.start, 5)
        assert set(roster.assignments) == set(expected.assignments)
        assert service.content_digest(roster.assignments) == v.content_sha256
        assert v.summary == {"by": v.author}
    store.close()


def _fill(store: Store, scenario: Scenario) -> None:
    _publish(store, scenario, START)
    _publish(store, scenario, START + dt.timedelta(days=3))
    store_change = NewRecord("sick", "P2", START, START, "组长", "发烧（个人信息）")
    service.add_record(store, store_change)
    service.add_record(
        store,
        NewRecord(
            "swap",
            "P1",
            START + dt.timedelta(days=4),
            START + dt.timedelta(days=4),
            "组长",
            "私事",
            other_staff_id="P2",
        ),
    )


def test_backup_and_restore_round_trip(store: Store, tiny: Scenario, tmp_path: Path) -> None:
    _fill(store, tiny)
    file = tmp_path / "backup" / "store.json"
    counts = service.backup(store, file)
    assert counts == {
        "scenario_snapshots": 1, "snapshot_files": 1, "roster_versions": 2, "assignments": 30, "changes": 2,
    }  # fmt: skip
    target = Store(str(tmp_path / "restored.db"))
    assert service.restore(target, file) == counts
    assert service.backup_data(target)["tables"] == service.backup_data(store)["tables"]
    assert service.versions(target) == service.versions(store)  # ids, digests, times, authors
    assert service.records(target) == service.records(store)  # including who, when, why
    span = (START, START + dt.timedelta(days=9))
    assert service.actual_roster(target, *span).roster == service.actual_roster(store, *span).roster
    # The restored store goes on numbering after the restored rows.
    assert _publish(target, tiny, START).id == 3
    target.close()


def test_restore_refuses_a_store_with_data_unless_forced(
    store: Store, tiny: Scenario, tmp_path: Path
) -> None:
    _fill(store, tiny)
    file = tmp_path / "store.json"
    service.backup(store, file)
    other = Store(str(tmp_path / "other.db"))
    _publish(other, tiny, START + dt.timedelta(days=20))
    with pytest.raises(InputError, match="存储不为空"):
        service.restore(other, file)
    assert len(service.versions(other)) == 1
    service.restore(other, file, force=True)
    assert service.backup_data(other)["tables"] == service.backup_data(store)["tables"]
    other.close()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda d: d["tables"]["assignments"][0].update(staff_id="P5"),
            "version #1: assignments do not match",
        ),
        (
            lambda d: d["tables"]["snapshot_files"][0].update(content="version: 1\n"),
            "does not match its sha256",
        ),
        (lambda d: d["tables"]["assignments"].pop(), "version #2: assignments do not match"),
        (lambda d: d.update(format="something else"), "not a store backup"),
        (lambda d: d["tables"]["changes"][0].pop("reason"), r"changes\[0\]\.reason = missing"),
    ],
)
def test_a_damaged_backup_is_refused_and_nothing_is_restored(
    store: Store, tiny: Scenario, tmp_path: Path, damage, message
) -> None:
    _fill(store, tiny)
    file = tmp_path / "store.json"
    service.backup(store, file)
    data = json.loads(file.read_text(encoding="utf-8"))
    damage(data)
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = Store(str(tmp_path / "restored.db"))
    with pytest.raises(InputError, match=message):
        service.restore(target, file)
    assert service.is_empty(target)
    target.close()


def test_backup_of_a_file_that_is_not_json_is_refused(store: Store, tmp_path: Path) -> None:
    file = tmp_path / "x.json"
    file.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.json: not a store backup"):
        service.restore(store, file)
