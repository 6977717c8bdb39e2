"""Files and disks (issue 13, "Files and disks"): a device or a path under a regular file as
--out or --db, a disk that fills while writing, a read-only disk. Each is one line; nothing
half-written is left and nothing that was there is lost.

The full and read-only disks are real: a small tmpfs, filled or remounted read-only. That needs
mount (root with CAP_SYS_ADMIN, as here and in CI); elsewhere those tests skip and say why.
A simulated ENOSPC (os.fsync failing on the second file) covers the same path everywhere.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.files import atomic
from planner.files.atomic import WriteError, write_files_atomically
from planner.store import service
from planner.store.db import Store, StoreError, sqlite_access
from tests.cli.helpers import one_line_error
from tests.planner.store.conftest import START, hand_roster, store_roster

runner = CliRunner()
SOLVE = ["--start", str(START), "--end", str(START), "--time-limit", "5"]


def _mount(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode}): needs root")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    # Room for a new store with its WAL (the schema of 0002 copies a table), and little more.
    _mount(folder, "1m")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    """Fill the disk to the last byte (a file that grows until the disk says no)."""
    with open(folder / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def _remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def _device_untouched(path: str) -> None:
    assert stat.S_ISCHR(os.stat(path).st_mode), f"{path} is no longer a device"


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_device_as_out_is_refused_and_left_a_device(tiny_file: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is missing on this machine")
    line = one_line_error(runner.invoke(app, ["solve", str(tiny_file), *SOLVE, "--out", device]))
    assert device in line and "not a folder" in line
    _device_untouched(device)


def test_a_backup_to_a_device_never_replaces_the_device(store: Store, tiny, tmp_path: Path) -> None:
    """Renaming a temporary file over /dev/full (as root) would turn the device into a file."""
    if not os.path.exists("/dev/full"):
        pytest.skip("/dev/full is missing on this machine")
    store_roster(store, tiny, hand_roster())
    line = one_line_error(runner.invoke(app, ["backup", "/dev/full", "--db", store.url]))
    assert "/dev/full" in line and "not a regular file" in line
    _device_untouched("/dev/full")
    assert not list(Path("/dev").glob(".full.*.tmp"))


def test_out_under_a_regular_file_names_the_file(tiny_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n")
    line = one_line_error(
        runner.invoke(app, ["solve", str(tiny_file), *SOLVE, "--out", str(blocker / "december")])
    )
    assert str(blocker) in line and "is a file, not a folder" in line
    assert blocker.read_text() == "mine\n"


@pytest.mark.parametrize("db", ["notes.txt/roster.db", "/dev/null"])
def test_a_store_path_under_a_file_or_on_a_device_is_one_line(tmp_path: Path, db: str) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    where = db if db.startswith("/") else str(tmp_path / db)
    line = one_line_error(runner.invoke(app, ["history", "--db", where]))
    assert "--db" in line
    assert (tmp_path / "notes.txt").read_text() == "mine\n"


def test_a_disk_full_after_the_first_file_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "roster.csv").write_text("the saved roster\n")
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    with pytest.raises(WriteError, match="No space left on device"):
        write_files_atomically(out, {"roster.csv": "new", "summary.json": "{}"})
    assert sorted(p.name for p in out.iterdir()) == ["roster.csv"]
    assert (out / "roster.csv").read_text() == "the saved roster\n"


def test_a_solve_onto_a_full_disk_is_one_line_and_keeps_the_saved_roster(
    small_disk: Path, tiny_file: Path
) -> None:
    out = small_disk / "december"
    out.mkdir()
    (out / "roster.csv").write_text("the saved roster\n")
    _fill(small_disk)
    result = runner.invoke(app, ["solve", str(tiny_file), *SOLVE, "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "error" in line]
    assert len(lines) == 1 and "No space left on device" in lines[0], result.output
    assert sorted(p.name for p in out.iterdir()) == ["roster.csv"]
    assert (out / "roster.csv").read_text() == "the saved roster\n"


def test_a_backup_onto_a_full_disk_keeps_the_previous_backup(small_disk: Path, store: Store, tiny) -> None:
    store_roster(store, tiny, hand_roster())
    target = small_disk / "store-backup.json"
    target.write_text("the previous backup\n")
    _fill(small_disk)
    result = runner.invoke(app, ["backup", str(target), "--db", store.url])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "No space left on device" in result.output
    assert target.read_text() == "the previous backup\n"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "store-backup.json"]


def test_a_store_on_a_read_only_disk_is_read_and_refuses_writes(
    small_disk: Path, tiny, tmp_path: Path
) -> None:
    db = small_disk / "roster.db"
    writable = Store(str(db))
    store_roster(writable, tiny, hand_roster())
    writable.close()
    _remount_read_only(small_disk)
    assert sqlite_access(db) == "immutable"

    result = runner.invoke(app, ["history", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "#1" in result.output
    out = tmp_path / "actual"
    result = runner.invoke(
        app, ["actual", "--start", str(START), "--end", str(START), "--out", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "roster.csv").exists()

    with pytest.raises(StoreError, match="read-only store"):
        store_roster(Store(str(db)), tiny, hand_roster())


def test_a_backup_to_a_read_only_disk_is_one_line(small_disk: Path, store: Store, tiny) -> None:
    store_roster(store, tiny, hand_roster())
    _remount_read_only(small_disk)
    result = runner.invoke(app, ["backup", str(small_disk / "b.json"), "--db", store.url])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "Read-only file system" in result.output


def test_a_store_file_we_may_not_write_is_opened_read_only(
    tmp_path: Path, tiny, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else's store (a file this user may read, not write): readable, writes refused.
    Root may write every file, so "may not write" is os.access answering no."""
    db = tmp_path / "theirs.db"
    store_roster(Store(str(db)), tiny, hand_roster())
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK)
    assert sqlite_access(db) == "ro"
    other = Store(str(db))
    assert other.read_only
    assert [v.id for v in service.versions(other)] == [1]
    with pytest.raises(StoreError, match="read-only store"):
        store_roster(other, tiny, hand_roster())
