"""Paths that come from data never lead outside their folder (issue 17, "Paths").

A backup handed over, or a shared store anyone can write, may hold a snapshot file path with
'..' or an absolute path. `restore` refuses such a backup, and a store that holds one already is
refused on read, so `roster actual` and a re-plan never write outside their output folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from models.errors import InputError
from models.scenario import Scenario
from planner.cli import app
from planner.store import service
from planner.store.db import Store
from planner.store.schema import SnapshotFile
from planner.store.snapshot import Snapshot, checked_path, snapshot_digest
from planner.store.snapshot import SnapshotFile as FileContent
from tests.planner.store.conftest import START, hand_roster, store_roster

runner = CliRunner()
BAD_PATHS = [
    "../outside.yaml", "/tmp/absolute.yaml", "a/../../b.yaml", "C:/x.yaml", "a\\..\\b.yaml", "./a.yaml", "",
]  # fmt: skip


@pytest.mark.parametrize("path", BAD_PATHS)
def test_a_snapshot_path_outside_its_folder_is_refused(path: str) -> None:
    with pytest.raises(InputError, match="not a relative path inside the snapshot's folder"):
        checked_path(path)
    with pytest.raises(InputError):
        FileContent(path, "version: 1\n")


@pytest.mark.parametrize("path", ["tiny.yaml", "whatif/replan-v1.yaml", "cn/2027.yaml"])
def test_ordinary_snapshot_paths_are_kept(path: str) -> None:
    assert checked_path(path) == path


def test_writing_a_snapshot_never_follows_a_symlink_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    snap = Snapshot((FileContent("sub/x.yaml", "version: 1\n"),), "sub/x.yaml")
    with pytest.raises(InputError, match="outside the folder"):
        snap.write_to(folder)
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("path", ["../../outside.yaml", "/tmp/roster-absolute-test.yaml"])
def test_restore_refuses_a_crafted_backup_with_an_outside_path(
    store: Store, tiny: Scenario, tmp_path: Path, path: str
) -> None:
    """The digests are recomputed, as an attacker would: the path itself is what is refused."""
    store_roster(store, tiny, hand_roster(), author="x")
    file = tmp_path / "store.json"
    service.backup(store, file)
    data = json.loads(file.read_text(encoding="utf-8"))
    row = data["tables"]["snapshot_files"][0]
    snapshot = data["tables"]["scenario_snapshots"][0]
    row["path"] = path
    snapshot["main_path"] = path
    snapshot["digest"] = snapshot_digest([_raw(path, row["content"])])
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = Store(str(tmp_path / "restored.db"))
    with pytest.raises(InputError, match=r"store\.json: snapshot file path .*nothing restored"):
        service.restore(target, file)
    assert service.is_empty(target)
    target.close()


def _raw(path: str, content: str):
    """A snapshot file record without the path check, to forge a backup's digest."""
    record = object.__new__(FileContent)
    object.__setattr__(record, "path", path)
    object.__setattr__(record, "content", content)
    return record


def test_a_poisoned_store_is_refused_on_read_and_actual_writes_nothing_outside(
    tmp_path: Path, tiny: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.db"
    store = Store(str(db))
    store_roster(store, tiny, hand_roster(), author="x")
    with store.engine.begin() as conn:  # what someone with write access to the database could do
        conn.execute(sa.update(SnapshotFile).values(path="../../escaped.yaml"))
    store.close()
    out = tmp_path / "deep" / "out"
    result = runner.invoke(
        app, ["actual", "--start", str(START), "--end", str(START), "--out", str(out), "--db", str(db)]
    )
    assert result.exit_code == 2, result.output
    assert "not a relative path inside the snapshot's folder" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "escaped.yaml").exists() and not (tmp_path / "deep" / "escaped.yaml").exists()
