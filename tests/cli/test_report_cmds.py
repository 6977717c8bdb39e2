"""`roster report` and `roster ics` through typer's CliRunner.

Exit codes: 0 written; 1 the roster breaks a hard rule (report still written, ics not); 2 bad
input, on one line without a traceback.
"""

from __future__ import annotations

import io

import icalendar
import openpyxl
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from planner.cli import app
from planner.reports.xlsx import SHEETS
from planner.workflows.coverage_proof import REPORT_PDF, REPORT_XLSX
from tests.cli.test_validate_cmd import assert_one_line_error
from tests.planner.reports import sample
from tests.planner.reports.sample import FULL, roster, without

runner = CliRunner()
WEEK = ["--start", "2026-09-28", "--end", "2026-10-04"]


@pytest.fixture
def files(tmp_path):
    """(scenario path, full roster CSV path, a roster CSV missing the image night of 09-29)."""
    path = sample.scenario_file(tmp_path)
    scenario = sample.load(tmp_path)
    full = sample.roster_file(tmp_path, scenario, roster(FULL))
    gap = sample.roster_file(
        tmp_path, scenario, roster(without(("2026-09-29", "N", "S07", "image"))), "gap.csv"
    )
    return path, full, gap


def run(*args: object):
    return runner.invoke(app, [*map(str, args)])


def daily(out) -> list[tuple]:
    wb = openpyxl.load_workbook(out / REPORT_XLSX)
    return list(wb[SHEETS["daily"]].iter_rows(min_row=2, values_only=True))


def test_report_writes_both_files_and_agrees_with_validate(tmp_path, files):
    scenario, _, gap = files
    out = tmp_path / "out"
    result = run("report", scenario, gap, *WEEK, "--out", out)
    assert result.exit_code == 0, result.output
    assert "缺员班次 1 个，共缺 1 人次" in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([REPORT_PDF, REPORT_XLSX])  # no temp files left
    short = [r for r in daily(out) if r[12]]
    assert [(r[0], r[6], r[8], r[12]) for r in short] == [("2026-09-29", "N", "image", 1)]
    text = "\n".join(p.extract_text() for p in PdfReader(out / REPORT_PDF).pages)
    assert "2026-09-29" in text and "视频图像保障工程师" in text
    # `roster validate` counts the same gap.
    checked = run("validate", scenario, gap, *WEEK)
    assert checked.exit_code == 0, checked.output
    assert "缺人的班次：1 个（共缺 1 人次" in checked.output


def test_quarter_with_clip_covers_the_rosters_dates(tmp_path, files):
    """2026Q4 clipped to the roster: 10-01 .. 10-04, the roster's last date."""
    scenario, full, _ = files
    out = tmp_path / "q"
    result = run("report", scenario, full, "--quarter", "2026Q4", "--clip", "--out", out)
    assert result.exit_code == 0, result.output
    assert "2026-10-01 至 2026-10-04（4 天）" in result.output
    rows = daily(out)
    assert {r[0] for r in rows} == {"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"}


def test_quarter_without_clip_shows_days_without_rows_as_short(tmp_path, files):
    scenario, full, _ = files
    result = run("report", scenario, full, "--quarter", "2026Q4", "--out", tmp_path / "q")
    assert result.exit_code == 0, result.output
    assert "2026-10-01 至 2026-12-31（92 天）" in result.output
    rows = daily(tmp_path / "q")
    assert {r[0] for r in rows if r[12]} >= {"2026-10-05", "2026-12-31"}


def test_report_on_a_roster_breaking_a_hard_rule_exits_1_but_writes_the_proof(tmp_path, files):
    scenario, _, _ = files
    s = sample.load(tmp_path)
    # S06 works the night of 09-28 and the day of 09-29: no 12 h rest.
    bad = sample.roster_file(tmp_path, s, roster([*FULL, ("2026-09-29", "D", "S06", "video")]), "bad.csv")
    out = tmp_path / "out"
    result = run("report", scenario, bad, *WEEK, "--out", out)
    assert result.exit_code == 1, result.output
    assert "休息不足" in result.output
    assert (out / REPORT_XLSX).exists() and (out / REPORT_PDF).exists()
    summary = openpyxl.load_workbook(out / REPORT_XLSX)[SHEETS["summary"]]
    assert any(row[0] == "休息不足" for row in summary.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("extra", "fragments"),
    [
        (["--quarter", "2026Q5"], ["--quarter", "2026Q5"]),
        (["--quarter", "2026Q4", "--start", "2026-10-01"], ["either --quarter or --start/--end"]),
        (["--start", "2026-10-01"], ["--end is missing"]),
        (["--start", "2026-10-05", "--end", "2026-10-01"], ["impossible date range"]),
    ],
)
def test_bad_period_is_one_line_exit_2(tmp_path, files, extra, fragments):
    scenario, full, _ = files
    assert_one_line_error(run("report", scenario, full, *extra, "--out", tmp_path / "o"), *fragments)
    assert not (tmp_path / "o").exists()


def test_unknown_person_in_roster_is_one_line_exit_2(tmp_path, files):
    scenario, full, _ = files
    text = full.read_text(encoding="utf-8").replace("S07", "S99", 1)
    bad = tmp_path / "unknown.csv"
    bad.write_text(text, encoding="utf-8")
    assert_one_line_error(run("report", scenario, bad, *WEEK, "--out", tmp_path / "o"), "unknown.csv", "S99")


def test_malformed_scenario_is_one_line_exit_2(tmp_path, files):
    _, full, _ = files
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nname: [unclosed\n", encoding="utf-8")
    assert_one_line_error(run("report", broken, full, *WEEK, "--out", tmp_path / "o"), "broken.yaml")


def test_out_must_be_a_folder(tmp_path, files):
    scenario, full, _ = files
    assert_one_line_error(run("report", scenario, full, *WEEK, "--out", full), "--out", "not a folder")


def test_clip_with_no_rows_in_the_quarter(tmp_path, files):
    scenario, full, _ = files
    result = run("report", scenario, full, "--quarter", "2027Q1", "--clip", "--out", tmp_path / "o")
    assert_one_line_error(result, "no rows")


# -- ics --------------------------------------------------------------------------------------
def test_ics_writes_one_calendar_per_person(tmp_path, files):
    scenario, full, _ = files
    out = tmp_path / "ics"
    result = run("ics", scenario, full, "--out", out)
    assert result.exit_code == 0, result.output
    s = sample.load(tmp_path)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{p.id}.ics" for p in s.staff)
    total = 0
    for path in out.iterdir():
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        n = len(list(cal.walk("VEVENT")))
        assert n == sum(1 for row in FULL if row[2] == path.stem)
        total += n
    assert total == len(FULL)
    assert f"共 {len(FULL)} 个班次" in result.output


def test_ics_limited_to_a_range(tmp_path, files):
    scenario, full, _ = files
    out = tmp_path / "ics"
    result = run("ics", scenario, full, "--out", out, "--start", "2026-10-01", "--end", "2026-10-02")
    assert result.exit_code == 0, result.output
    cal = icalendar.Calendar.from_ical((out / "S02.ics").read_bytes())
    assert sorted(e.decoded("dtstart").date().isoformat() for e in cal.walk("VEVENT")) == [
        "2026-10-01",
        "2026-10-02",
    ]


def test_ics_refuses_a_roster_breaking_a_hard_rule(tmp_path, files):
    scenario, _, _ = files
    s = sample.load(tmp_path)
    bad = sample.roster_file(tmp_path, s, roster([*FULL, ("2026-09-29", "D", "S06", "video")]), "bad.csv")
    out = tmp_path / "ics"
    result = run("ics", scenario, bad, "--out", out)
    assert result.exit_code == 1, result.output
    assert "未生成日历" in result.output
    assert not out.exists() or not list(out.iterdir())


def test_pdf_bytes_from_cli_are_a_pdf(tmp_path, files):
    scenario, full, _ = files
    out = tmp_path / "out"
    assert run("report", scenario, full, *WEEK, "--out", out).exit_code == 0
    data = (out / REPORT_PDF).read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(data)).pages) >= 5
