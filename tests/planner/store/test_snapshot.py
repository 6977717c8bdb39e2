"""Scenario snapshots: every file (extends bases, calendar overrides), restored relative to each other."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from models.errors import InputError
from models.loader import load_scenario
from planner.store.snapshot import Snapshot, load_snapshot, snapshot_of
from tests.planner.store.conftest import TINY

ROOT = Path(__file__).resolve().parents[3]
OVERRIDE_2027 = """\
year: 2027
notice: {title: 测试用通知, date: 2026-11-01}
holidays:
  2027-01-01: 元旦
days_off:
  2027-01-04: 测试调休
makeup_workdays: {}
"""


def _chain(root: Path) -> Path:
    """base/tiny.yaml (with a calendar override in cal/) extended by whatif/sick.yaml."""
    (root / "base").mkdir(parents=True)
    (root / "cal").mkdir()
    (root / "whatif").mkdir()
    (root / "cal" / "2027.yaml").write_text(OVERRIDE_2027, encoding="utf-8")
    base = TINY.replace("name: 小型测试\n", "name: 小型测试\ncalendar: {overrides: [../cal/2027.yaml]}\n")
    (root / "base" / "tiny.yaml").write_text(base, encoding="utf-8")
    main = root / "whatif" / "sick.yaml"
    main.write_text(
        "version: 1\nname: 病假\nextends: ../base/tiny.yaml\n"
        "absences:\n  - {staff: P2, start: 2027-01-03, end: 2027-01-05, kind: sick}\n",
        encoding="utf-8",
    )
    return main


def _meaning(scenario) -> dict:
    data = scenario.model_dump()
    data.pop("sources")
    data["calendar"].pop("overrides")
    return data


def test_snapshot_holds_every_file_relative_to_their_common_folder(tmp_path: Path) -> None:
    scenario = load_scenario(_chain(tmp_path / "orig"))
    snap = snapshot_of(scenario)
    assert [f.path for f in snap.files] == ["base/tiny.yaml", "cal/2027.yaml", "whatif/sick.yaml"]
    assert snap.main_path == "whatif/sick.yaml"
    assert not any(str(tmp_path) in f.content for f in snap.files)


def test_restored_snapshot_loads_the_same_scenario_elsewhere(tmp_path: Path) -> None:
    original = load_scenario(_chain(tmp_path / "orig"))
    snap = snapshot_of(original)
    shutil.rmtree(tmp_path / "orig")  # the files are gone; the snapshot is all there is
    restored = load_snapshot(snap)
    assert _meaning(restored) == _meaning(original)
    assert restored.absent("P2", dt.date(2027, 1, 4))
    # The override file came along: 2027-01-04 is a day off, not provisional.
    from calendars import scenario_days

    day = scenario_days(restored, dt.date(2027, 1, 4), dt.date(2027, 1, 4))[0]
    assert (day.kind, day.provisional) == ("restday", False)


def test_digest_depends_on_content_and_path_only(tmp_path: Path) -> None:
    a = snapshot_of(load_scenario(_chain(tmp_path / "a")))
    b = snapshot_of(load_scenario(_chain(tmp_path / "elsewhere" / "b")))
    assert a.digest == b.digest
    changed = a.with_file("whatif/sick.yaml", a.file("whatif/sick.yaml").content.replace("P2", "P3"))
    assert changed.digest != a.digest
    assert Snapshot(a.files, a.main_path).digest == a.digest


def test_write_to_keeps_bytes_exactly(tmp_path: Path) -> None:
    """A file with CRLF line ends and a BOM comes back byte for byte (its digest stays valid)."""
    path = tmp_path / "crlf.yaml"
    path.write_bytes(("\ufeff" + TINY).replace("\n", "\r\n").encode("utf-8"))
    snap = snapshot_of(load_scenario(path))
    out = snap.write_to(tmp_path / "copy")
    assert out.read_bytes() == path.read_bytes()


def test_missing_source_file_is_an_input_error(tmp_path: Path) -> None:
    scenario = load_scenario(_chain(tmp_path / "orig"))
    (tmp_path / "orig" / "cal" / "2027.yaml").unlink()
    with pytest.raises(InputError, match=r"2027\.yaml: scenario file not found"):
        snapshot_of(scenario)
