"""planner.workflows.batch: parallel processes, one folder per scenario, summary.csv, failures isolated."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from planner.problem.results import SolveOptions
from planner.workflows.batch import SUMMARY_COLUMNS, BatchItem, out_dirs, run_batch, summary_csv_text

MON, WED = dt.date(2026, 12, 7), dt.date(2026, 12, 9)

GOOD = """
version: 1
name: 批量{n}
roles:
  - {{id: video, name: 视频会议}}
shifts:
  - {{id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}}
staff:
{staff}
coverage:
  - {{role: video, shift: D, days: all, min: 2}}
"""
ONE = "  - {id: V1, name: 甲, role: video}"
TWO = ONE + "\n  - {id: V2, name: 乙, role: video}"
# Loads, but V1 is pinned to a shift that `max: 0` forbids: the hard rules cannot all hold.
INFEASIBLE = (
    GOOD.format(n=3, staff=ONE)
    + """
  - {role: video, shift: D, days: all, max: 0}
fixed:
  - {staff: V1, date: 2026-12-08, shift: D}
"""
)
BROKEN = "version: 1\nname: [unclosed\n"


def read_summary(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.slow
def test_batch_with_one_broken_and_one_infeasible_file(write_yaml, tmp_path):
    paths = [
        write_yaml(GOOD.format(n=1, staff=TWO), "two.yaml"),
        write_yaml(BROKEN, "broken.yaml"),
        write_yaml(GOOD.format(n=2, staff=ONE), "one.yaml"),
        write_yaml(INFEASIBLE, "stuck.yaml"),
    ]
    out = tmp_path / "out"
    seen = []
    items = run_batch(
        paths, MON, WED, out, jobs=2, options=SolveOptions(time_limit=5, workers=1), on_done=seen.append
    )

    assert sorted(i.file for i in seen) == sorted(str(p) for p in paths)  # progress for every file
    assert [i.file for i in items] == [str(p) for p in paths]  # in the order given
    rows = read_summary(out / "summary.csv")
    assert [r["file"] for r in rows] == [str(p) for p in paths]
    assert list(rows[0]) == list(SUMMARY_COLUMNS)
    status = {r["file"].rsplit("/", 1)[-1]: r for r in rows}

    assert status["two.yaml"]["status"] == "OPTIMAL"
    assert status["two.yaml"]["coverage"] == "0"  # 2 people, 2 a day, 3 days
    assert status["one.yaml"]["status"] == "OPTIMAL"
    assert status["one.yaml"]["coverage"] == "3"  # 1 person: one of two each day
    assert status["broken.yaml"]["status"] == "INPUT_ERROR"
    assert (
        "broken.yaml" in status["broken.yaml"]["error"] and "malformed YAML" in status["broken.yaml"]["error"]
    )
    assert status["stuck.yaml"]["status"] == "INFEASIBLE"
    assert status["stuck.yaml"]["coverage"] == ""

    for name in ("two", "one"):
        folder = out / name
        assert (folder / "roster.csv").exists()
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert summary["validation"]["ok"] is True
    assert not (out / "broken").exists() or not any((out / "broken").iterdir())
    assert sum(1 for i in items if i.failed) == 2


def test_out_dirs_are_unique_per_stem(tmp_path):
    paths = [tmp_path / "a" / "x.yaml", tmp_path / "b" / "x.yaml", tmp_path / "x.yml"]
    assert [d.name for d in out_dirs(paths, tmp_path / "out")] == ["x", "x-2", "x-3"]


def test_summary_rows_show_failures_and_blank_levels():
    good = BatchItem(file="a.yaml", out_dir="o/a", status="FEASIBLE", seconds=1.234)
    good.levels = {"coverage": 2.0, "overtime": 1.5, "substitutes": 0.0, "requests": None, "fairness": 0.25}
    bad = BatchItem(file="b.yaml", out_dir="o/b", status="INPUT_ERROR", error="b.yaml: malformed YAML")
    rows = list(csv.DictReader(summary_csv_text([good, bad]).splitlines()))
    assert rows[0]["coverage"] == "2" and rows[0]["overtime"] == "1.5" and rows[0]["requests"] == ""
    assert rows[0]["seconds"] == "1.23"
    assert rows[1]["error"] == "b.yaml: malformed YAML"
    assert not good.failed and bad.failed


def test_a_folder_stands_for_its_scenario_files(tmp_path):
    from models.errors import InputError
    from planner.workflows.batch import scenario_files

    folder = tmp_path / "whatif"
    (folder / "deeper").mkdir(parents=True)
    for name in ("b.yaml", "a.yml", "notes.txt", "deeper/c.yaml"):
        (folder / name).write_text("version: 1\n", encoding="utf-8")
    single = tmp_path / "single.yaml"
    single.write_text("version: 1\n", encoding="utf-8")
    assert scenario_files([folder, single]) == [folder / "a.yml", folder / "b.yaml", single]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"empty: a folder with no scenario files \(\*\.yaml, \*\.yml\)"):
        scenario_files([tmp_path / "empty"])
    with pytest.raises(InputError, match="missing.yaml: no such file or folder"):
        scenario_files([tmp_path / "missing.yaml"])


@pytest.mark.slow
def test_roster_batch_takes_a_folder(write_yaml, tmp_path):
    from typer.testing import CliRunner

    from planner.cli import app

    folder = tmp_path / "variants"
    folder.mkdir()
    (folder / "two.yaml").write_text(GOOD.format(n=1, staff=TWO), encoding="utf-8")
    (folder / "one.yaml").write_text(GOOD.format(n=2, staff=ONE), encoding="utf-8")
    out = tmp_path / "out"
    args = [
        "batch",
        str(folder),
        "--start",
        "2026-12-07",
        "--end",
        "2026-12-08",
        "--out",
        str(out),
        "--jobs",
        "1",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = read_summary(out / "summary.csv")
    assert [r["file"].rsplit("/", 1)[-1] for r in rows] == ["one.yaml", "two.yaml"]
    assert [r["coverage"] for r in rows] == ["2", "0"]
