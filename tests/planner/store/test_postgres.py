"""The same store on PostgreSQL (portable SQL, FOR UPDATE serialisation, sequences after restore).

Runs only when ROSTER_TEST_PG_URL names a throwaway PostgreSQL database (it is emptied), e.g.
postgresql+psycopg://roster@/roster_test?host=/tmp/pg&port=55432, and psycopg is installed.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from models.scenario import Scenario
from planner.store import service
from planner.store.db import Store
from planner.store.schema import Base
from planner.store.service import NewRecord
from tests.planner.store.conftest import START
from tests.planner.store.test_reliability import _fill, _publish, _publisher

PG_URL = os.environ.get("ROSTER_TEST_PG_URL", "")
pytestmark = pytest.mark.skipif(
    not PG_URL, reason="set ROSTER_TEST_PG_URL to a throwaway PostgreSQL database"
)


def _empty(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


@pytest.fixture
def pg() -> Store:
    _empty(PG_URL)
    store = Store(PG_URL)
    yield store
    store.close()


def test_publish_record_actual_on_postgres(pg: Store, tiny: Scenario) -> None:
    assert pg.engine.dialect.name == "postgresql" and pg.revision() == "0002"
    v = _publish(pg, tiny, START)
    service.add_record(pg, NewRecord("sick", "P2", START, START, "组长", "发烧"))
    actual = service.actual_roster(pg, START, START + dt.timedelta(days=4))
    assert len(actual.roster.assignments) == 14 and set(actual.version_by_date.values()) == {v.id}
    assert (
        service.version_roster(pg, v.id).assignments and service.version_scenario(pg, v.id).name == tiny.name
    )


def test_backup_restore_and_numbering_on_postgres(pg: Store, tiny: Scenario, tmp_path: Path) -> None:
    _fill(pg, tiny)
    file = tmp_path / "pg.json"
    service.backup(pg, file)
    before = service.backup_data(pg)["tables"]
    service.restore(pg, file, force=True)
    assert service.backup_data(pg)["tables"] == before
    # Sequences were moved past the restored ids: the next version is #3, not a duplicate #1.
    assert _publish(pg, tiny, START).id == 3


def test_two_processes_publishing_at_once_on_postgres(pg: Store, tiny_file: Path) -> None:
    pg.ensure_schema()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [
        ctx.Process(target=_publisher, args=(PG_URL, str(tiny_file), off, who, 3, barrier))
        for off, who in ((0, "甲"), (10, "乙"))
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    found = service.versions(pg)
    assert sorted(v.id for v in found) == [1, 2, 3, 4, 5, 6]
    for v in found:
        assert service.content_digest(service.version_roster(pg, v.id).assignments) == v.content_sha256


def test_accounts_a_swap_and_the_audit_trail_on_postgres(pg: Store, tiny: Scenario) -> None:
    """The team server on PostgreSQL (issue 15): accounts, a lock-out, a swap through to the
    actual roster, and the audit rows of every step."""
    from planner.workflows import team

    password = "Ld8#qW3!zR6@tY1$uP4x"
    _publish(pg, tiny, START)
    boss = team.add_account(pg, "boss", "manager", password, by="tests")
    p1 = team.add_account(pg, "P1", "engineer", password, by="tests", staff_id="P1")
    p3 = team.add_account(pg, "P3", "engineer", password, by="tests", staff_id="P3")
    for _ in range(5):
        assert team.login(pg, "P1", "wrong").refusal == "wrong"
    assert team.login(pg, "P1", password).refusal == "locked"
    assert team.login(pg, "boss", password).ok

    filed = team.file_request(pg, p1, "swap", START, START, other_staff_id="P3")
    team.answer(pg, p3, filed.id, True)
    assert team.assess(pg, team.get_request(pg, filed.id)).clean
    approved = team.decide(pg, boss, filed.id, True)
    day = {a.staff_id: a.shift for a in service.actual_roster(pg, START, START).roster.assignments}
    assert day.get("P3") == "D" and "P1" not in day
    assert approved.record_id == service.records(pg)[0].id
    actions = [e.action for e in team.audit_events(pg)]
    for action in ("account_add", "account_locked", "login", "request_file", "request_accept", "record",
                   "request_approve", "publish"):  # fmt: skip
        assert action in actions, action
