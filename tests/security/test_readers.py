"""Every file the product reads goes through one bounded reader (models/reading.py): a FIFO, a
device, a folder or a file beyond its size limit is refused at once with one line, for the
scenario, the roster CSV, a solve folder's summary and a store backup alike (issue 13)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.reading import FileRefused, read_bounded
from planner.cli import app
from tests.cli.helpers import one_line_error

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "scenarios" / "contract-2026.yaml"
runner = CliRunner()
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100


@pytest.mark.parametrize("size, refused", [(100, False), (101, True)])
def test_the_limit_is_exact(tmp_path: Path, size: int, refused: bool) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * size)
    if refused:
        with pytest.raises(FileRefused, match="too large"):
            read_bounded(path, 100)
    else:
        assert len(read_bounded(path, 100)) == size


@needs_fifo
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    began = time.monotonic()
    with pytest.raises(FileRefused, match="not a regular file"):
        read_bounded(tmp_path / "pipe", 100)
    assert time.monotonic() - began < 2


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(target: str) -> None:
    if not Path(target).exists():
        pytest.skip(f"no {target}")
    with pytest.raises(FileRefused, match="not a regular file"):
        read_bounded(target, 100)


def test_a_folder_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match="folder"):
        read_bounded(tmp_path, 100)
    with pytest.raises(FileNotFoundError):
        read_bounded(tmp_path / "missing", 100)


def _roster_validate(roster: str) -> str:
    result = runner.invoke(
        app, ["validate", str(CONTRACT), roster, "--start", "2026-12-01", "--end", "2026-12-31"]
    )
    return one_line_error(result)


def test_a_roster_csv_that_is_a_device_gives_one_line() -> None:
    assert "/dev/zero: not a regular file" in _roster_validate("/dev/zero")


@needs_fifo
def test_a_roster_csv_that_is_a_fifo_gives_one_line(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "roster.csv")
    assert "not a regular file" in _roster_validate(str(tmp_path / "roster.csv"))


def test_a_huge_roster_csv_gives_one_line(tmp_path: Path) -> None:
    huge = tmp_path / "roster.csv"
    with huge.open("wb") as fh:
        fh.truncate(17 << 20)  # sparse: 17 MiB on paper, nothing on the disk
    assert "file too large" in _roster_validate(str(huge))


@needs_fifo
def test_a_solve_folder_whose_summary_is_a_fifo_gives_one_line(tmp_path: Path, store) -> None:
    folder = tmp_path / "solve"
    folder.mkdir()
    os.mkfifo(folder / "summary.json")
    (folder / "roster.csv").write_text("date,shift,staff_id\n")
    result = runner.invoke(app, ["publish", str(folder), "--db", str(store.location)])
    assert "summary.json" in one_line_error(result) and "not a regular file" in result.output


@needs_fifo
def test_a_backup_that_is_a_fifo_gives_one_line(tmp_path: Path, store) -> None:
    os.mkfifo(tmp_path / "backup.json")
    result = runner.invoke(app, ["restore", str(tmp_path / "backup.json"), "--db", str(store.location)])
    assert "not a regular file" in one_line_error(result)
