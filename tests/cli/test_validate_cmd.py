"""`roster validate FILE ROSTER.csv --start D --end D [--history CSV]` through typer's CliRunner.

Exit codes: 0 no hard rule broken, 1 some broken, 2 bad input (one line, no traceback).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.rules import LEVELS, label

runner = CliRunner()
HEADER = "date,shift,start,end,staff_id,staff_name,role,primary_role,paid_hours"

SCENARIO = {
    "rules": {"working_time": {"system": "comprehensive", "period": "month", "max_hours_per_day": 16}},
    "version": 1,
    "name": "命令行测试",
    "roles": [
        {"id": "video", "name": "视频会议", "weight": 1},
        {"id": "image", "name": "视频图像", "weight": 1},
    ],
    "shifts": [
        {"id": "D", "name": "白班", "start": "08:00", "end": "16:00", "paid_hours": 8},
        {"id": "N", "name": "夜班", "start": "16:00", "end": "08:00", "paid_hours": 16},
    ],
    "staff": [
        {"id": "S02", "name": "陈博伟", "role": "video"},
        {"id": "S06", "name": "段雨林", "role": "image"},
        {"id": "S07", "name": "丁严", "role": "image"},
    ],
    "coverage": [
        {"role": "video", "shift": "D", "days": "workday", "min": 1},
        {"role": "image", "shift": "N", "days": "all", "min": 1},
    ],
}


def row(date: str, shift: str, staff: str) -> str:
    """One CSV row as `roster solve` writes it."""
    name = {"S02": "陈博伟", "S06": "段雨林", "S07": "丁严"}[staff]
    role = "video" if staff == "S02" else "image"
    paid = 8 if shift == "D" else 16
    return f"{date},{shift},,,{staff},{name},{role},{role},{paid}"


# Tue 12-01 .. Thu 12-03: S02 by day, S06 and S07 alternate nights. Clean and fully covered.
CLEAN = [
    row("2026-12-01", "D", "S02"),
    row("2026-12-02", "D", "S02"),
    row("2026-12-03", "D", "S02"),
    row("2026-12-01", "N", "S06"),
    row("2026-12-02", "N", "S07"),
    row("2026-12-03", "N", "S06"),
]
RANGE = ["--start", "2026-12-01", "--end", "2026-12-03"]


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(json.dumps(SCENARIO, ensure_ascii=False), encoding="utf-8")
    return path


def csv_file(tmp_path: Path, rows: list[str], name: str = "roster.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(*args: object):
    return runner.invoke(app, ["validate", *map(str, args)])


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_clean_roster_exits_0(tmp_path, scenario):
    result = run(scenario, csv_file(tmp_path, CLEAN), *RANGE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "没有违反任何硬性规则" in out
    for level in LEVELS:  # the five levels of the format; "stability" exists only in a re-plan
        assert label(level) in out
    assert "缺人的班次：0 个" in out
    assert "暂定" not in out
    assert out.rstrip().endswith("通过")


def test_violations_exit_1_and_are_printed_in_plain_words(tmp_path, scenario):
    rows = [*CLEAN[:4], row("2026-12-02", "D", "S06"), row("2026-12-03", "N", "S06")]
    result = run(scenario, csv_file(tmp_path, rows), *RANGE)
    assert result.exit_code == 1, result.output
    assert (
        "休息不足 (rest)：S06 段雨林 2026-12-01 夜班后到 12-02 白班只休息 0 小时，少于 12 小时"
        in result.output
    )
    assert "不通过：1 条硬性规则违反" in result.output
    # 12-02 has no image night: one slot short.
    assert "缺人的班次：1 个" in result.output


def test_levels_table_shows_values(tmp_path, scenario):
    result = run(scenario, csv_file(tmp_path, CLEAN[:3]), *RANGE)
    assert result.exit_code == 0, result.output
    coverage_line = next(line for line in result.output.splitlines() if label("coverage") in line)
    assert " 3 " in coverage_line  # three image nights uncovered, weight 1
    assert "缺人的班次：3 个（共缺 3 人次" in result.output


def test_bom_csv_with_shuffled_rows(tmp_path, scenario):
    plain = run(scenario, csv_file(tmp_path, CLEAN), *RANGE)
    shuffled = CLEAN[:]
    random.Random(7).shuffle(shuffled)
    assert shuffled != CLEAN
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *shuffled]) + "\r\n").encode("utf-8"))
    result = run(scenario, path, *RANGE)
    assert result.exit_code == 0, result.output
    assert result.output.replace(str(path), "X") == plain.output.replace(str(tmp_path / "roster.csv"), "X")


def test_csv_resaved_by_a_chinese_spreadsheet(tmp_path, scenario):
    """Excel/WPS "CSV" save: GB18030 encoding, dates as 2026/12/1, CRLF, an empty trailing row."""
    rows = [r.replace("2026-12-0", "2026/12/") for r in CLEAN]
    path = tmp_path / "excel.csv"
    path.write_bytes(("\r\n".join([HEADER, *rows, ",,,,,,,,"]) + "\r\n").encode("gb18030"))
    result = run(scenario, path, *RANGE)
    assert result.exit_code == 0, result.output
    assert "缺人的班次：0 个" in result.output


def test_history_breaks_rest_across_the_start(tmp_path, scenario):
    history = csv_file(tmp_path, [row("2026-11-30", "N", "S06")], name="history.csv")
    # S06 on a day shift covering image on 12-01, after a history night on 11-30.
    roster = csv_file(tmp_path, [*CLEAN[:3], row("2026-12-01", "D", "S06")])
    assert run(scenario, roster, *RANGE).exit_code == 0
    result = run(scenario, roster, *RANGE, "--history", history)
    assert result.exit_code == 1, result.output
    assert "S06 段雨林 2026-11-30 夜班后到 12-01 白班只休息 0 小时" in result.output
    assert "前一个班来自历史排班" in result.output


def test_provisional_dates_and_ignored_rows_are_noted(tmp_path, scenario):
    rows = [row("2026-12-31", "N", "S06"), row("2027-01-02", "N", "S07"), row("2027-01-05", "N", "S07")]
    result = run(scenario, csv_file(tmp_path, rows), "--start", "2026-12-31", "--end", "2027-01-02")
    assert result.exit_code == 0, result.output
    assert "排班期以外的 1 行已忽略" in result.output
    assert "注意：2027-01-01 至 2027-01-02 中有 2 天的节假日安排为暂定" in result.output


def test_end_before_start_exits_2(tmp_path, scenario):
    result = run(scenario, csv_file(tmp_path, CLEAN), "--start", "2026-12-03", "--end", "2026-12-01")
    assert_one_line_error(result, "before --start")


def test_unknown_staff_id_exits_2(tmp_path, scenario):
    rows = [*CLEAN, "2026-12-02,D,,,S99,某人,video,video,8"]
    result = run(scenario, csv_file(tmp_path, rows), *RANGE)
    assert_one_line_error(result, "roster.csv:8", "S99", "unknown person")


def test_corrupt_binary_file_exits_2(tmp_path, scenario):
    path = tmp_path / "roster.csv"
    path.write_bytes(bytes(range(256)) * 8)
    assert_one_line_error(run(scenario, path, *RANGE), "binary")
    path.write_bytes(b"\xff\xfe\x80 not text at all \xff")
    assert_one_line_error(run(scenario, path, *RANGE), "not a UTF-8 CSV")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("2026-12-32,D,,,S02,,video,video,8", "not a date"),
        ("2026-12-01,X,,,S02,,video,video,8", "unknown shift"),
    ],
)
def test_bad_cells_exit_2(tmp_path, scenario, content, fragment):
    assert_one_line_error(run(scenario, csv_file(tmp_path, [content]), *RANGE), fragment)


def test_missing_files_exit_2(tmp_path, scenario):
    assert_one_line_error(run(scenario, tmp_path / "nope.csv", *RANGE), "not found")
    assert_one_line_error(run(tmp_path / "nope.yaml", csv_file(tmp_path, CLEAN), *RANGE), "not found")
