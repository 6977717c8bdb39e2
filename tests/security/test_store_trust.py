"""The store verifies what it reads (issue 17, "The store verifies on read").

Anyone who can write the database (a shared PostgreSQL, a backup handed over) could change a
row by hand. Each case here is such a change; each must end in one line naming the version or
the key, exit 2 from the CLI, and nothing built on the changed data.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from models.errors import InputError
from models.scenario import Scenario
from planner.cli import app
from planner.store import service
from planner.store.db import Store, StoreError
from planner.store.schema import RosterVersion, StoredAssignment
from tests.planner.store.conftest import START, hand_roster, store_roster, write_solve_folder

runner = CliRunner()


def _published(tmp_path: Path, tiny: Scenario) -> Path:
    db = tmp_path / "store.db"
    store = Store(str(db))
    store_roster(
        store, tiny, hand_roster(), author="x", summary={"levels": [{"name": "coverage", "value": 0}]}
    )
    store.close()
    return db


def _one_line_exit_2(args: list[str], expected: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert expected in result.output, result.output
    return result.output


def test_an_assignment_changed_inside_the_database_is_reported_and_nothing_written(
    tmp_path: Path, tiny: Scenario
) -> None:
    db = _published(tmp_path, tiny)
    store = Store(str(db))
    with store.engine.begin() as conn:
        first = conn.execute(sa.select(sa.func.min(StoredAssignment.id))).scalar()
        conn.execute(
            sa.update(StoredAssignment).where(StoredAssignment.id == first).values(staff_id="NOBODY")
        )
    store.close()
    out = tmp_path / "actual"
    _one_line_exit_2(
        ["actual", "--start", str(START), "--end", str(START), "--out", str(out), "--db", str(db)],
        "version #1",
    )
    assert not out.exists()
    with pytest.raises(StoreError, match="do not match the digest"):
        service.version_roster(Store(str(db)), 1)


@pytest.mark.parametrize(
    "summary, key",
    [('{"levels": "x"}', "levels"), ('{"parameters": "x"}', "parameters"), ("{not json", "summary")],
)
def test_a_poisoned_summary_in_the_store_is_reported_by_history(
    tmp_path: Path, tiny: Scenario, summary: str, key: str
) -> None:
    db = _published(tmp_path, tiny)
    store = Store(str(db))
    with store.engine.begin() as conn:
        conn.execute(sa.update(RosterVersion).values(summary=summary))
    store.close()
    output = _one_line_exit_2(["history", "--db", str(db)], "version #1")
    assert key in output


@pytest.mark.parametrize(
    "change, key",
    [
        ({"parameters": "x"}, "parameters"),
        ({"levels": "x"}, "levels"),
        ({"levels": [{"name": 3}]}, "levels[0].name"),
        ({"start": 20261201}, "start"),
        ({"start": "0001-01-01", "end": "2999-12-31"}, "year 1 is outside 2000..2100"),
        ({"start": "0001-01-01", "end": "0001-01-03"}, "year 1 is outside 2000..2100"),  # overflowed
        ({"start": "2000-01-01", "end": "2100-12-31"}, "more than 3660 days"),
    ],
)
def test_publish_refuses_a_poisoned_solve_summary(
    tmp_path: Path, tiny: Scenario, change: dict, key: str
) -> None:
    folder = write_solve_folder(tmp_path / "solve", hand_roster(), tiny, summary=change)
    db = tmp_path / "store.db"
    _one_line_exit_2(["publish", str(folder), "--db", str(db)], key)
    assert service.versions(Store(str(db))) == []


def test_another_applications_sqlite_file_is_not_turned_into_a_store(tmp_path: Path) -> None:
    foreign = tmp_path / "other-app.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    before = foreign.read_bytes()
    _one_line_exit_2(["history", "--db", str(foreign)], "not a roster store")
    assert foreign.read_bytes() == before
    with sqlite3.connect(foreign) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"invoices"}


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    empty = tmp_path / "new.db"
    empty.touch()
    assert service.versions(Store(str(empty))) == []


@pytest.mark.parametrize(
    "table, column, value, message",
    [
        ("roster_versions", "forced", "false", r"roster_versions\[0\]\.forced = 'false'"),
        ("changes", "version_id", 1.5, r"changes\[0\]\.version_id = 1\.5"),
        ("roster_versions", "start_date", 20261201, r"roster_versions\[0\]\.start_date = 20261201"),
        ("roster_versions", "summary", '{"levels": "x"}', r"summary: levels = 'x'"),
        ("changes", "id", None, r"changes\[0\]\.id = None"),
    ],
)
def test_restore_refuses_a_backup_with_values_of_the_wrong_type(
    store: Store, tiny: Scenario, tmp_path: Path, table: str, column: str, value: object, message: str
) -> None:
    store_roster(store, tiny, hand_roster(), author="x")
    service.add_record(
        store,
        service.NewRecord(kind="sick", staff_id="P1", start=START, end=START, recorded_by="x", reason="感冒"),
    )
    file = tmp_path / "store.json"
    service.backup(store, file)
    data = json.loads(file.read_text(encoding="utf-8"))
    data["tables"][table][0][column] = value
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = Store(str(tmp_path / "restored.db"))
    with pytest.raises(InputError, match=message):
        service.restore(target, file)
    assert service.is_empty(target)
    target.close()


def test_restore_refuses_duplicate_ids(store: Store, tiny: Scenario, tmp_path: Path) -> None:
    store_roster(store, tiny, hand_roster(), author="x")
    file = tmp_path / "store.json"
    service.backup(store, file)
    data = json.loads(file.read_text(encoding="utf-8"))
    rows = data["tables"]["assignments"]
    rows[1]["id"] = rows[0]["id"]
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=r"assignments: id \d+ appears twice"):
        service.restore(Store(str(tmp_path / "restored.db")), file)
