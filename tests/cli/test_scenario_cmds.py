"""`roster check-scenario` and `roster calendar` through typer's CliRunner (plus one real process)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from planner.cli import app, common

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_PERIOD = ["--start", "2026-06-15", "--end", "2027-06-14"]
COLUMNS = ["date", "weekday", "kind", "holiday_name", "provisional", "surges"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

runner = CliRunner()


@pytest.fixture(autouse=True)
def at_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths as a user types them in the project folder; a fixed console width so that table
    # rows never wrap or truncate, whatever terminal runs the tests.
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(common.console, "_width", 160)


def invoke(*args: str):
    return runner.invoke(app, list(args))


def table_rows(output: str, title: str) -> list[list[str]]:
    """Body rows (lists of cells) of the rich table titled `title`; the header row uses ┃, not │."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("└"):
            break
        if line.startswith("│"):
            rows.append([c.strip() for c in line.strip().strip("│").split("│")])
    return rows


def table(output: str, title: str) -> dict[str, list[str]]:
    """Body rows keyed by their first cell."""
    return {cells[0]: cells[1:] for cells in table_rows(output, title)}


def official_2026_kinds() -> dict[dt.date, str]:
    """2026 kinds straight from calendars/cn/2026.yaml, without the calendar code."""
    data = YAML(typ="safe").load((ROOT / "calendars" / "cn" / "2026.yaml").read_text(encoding="utf-8"))
    kinds = {}
    for date in (dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(365)):
        if date in data["holidays"]:
            kinds[date] = "holiday"
        elif date in data["makeup_workdays"]:
            kinds[date] = "workday"
        elif date in data["days_off"] or date.weekday() >= 5:
            kinds[date] = "restday"
        else:
            kinds[date] = "workday"
    return kinds


# -- check-scenario ---------------------------------------------------------------------------

CONTRACT_PEOPLE = {
    # role: [primary count, also skilled, staff]
    "manager": ["1", "0", "S01"],
    "video": ["4", "0", "S02 S03 S04 S05"],
    "image": ["4", "0", "S06 S07 S08 S09"],
    "av": ["3", "0", "S10 S11 S12"],
    "desk": ["1", "0", "S13"],
    # The desk phone is a side duty (附件一 2.6): nobody's own role, twelve carry the skill.
    "phone": ["0", "12", ""],
}
TENDER_PEOPLE = {
    "manager": ["1", "0", "T01"],
    "video": ["5", "1", "T02 T03 T04 T05 T06"],  # the manager T01 also covers video
    "image": ["3", "0", "T07 T08 T09"],
    "tech": ["0", "9", ""],  # no one is hired as 技术保障工程师: every engineer is cross-skilled
}


@pytest.mark.parametrize(
    ("file", "name", "people", "coverage_rules", "surges"),
    [
        # Nine reinforced-duty surges: the statutory holidays and the 两会 (tender 2.2.3(1)).
        ("contract-2026.yaml", "应急指挥中心技术保障 合同 2026-2027", CONTRACT_PEOPLE, 15, 9),
        # Day floors and the 24-hour floors (tender 2.1.1.3(2), 2.1.3.3).
        ("tender-2026.yaml", "采购需求基线 2026-2027（9人）", TENDER_PEOPLE, 5, 0),
        (
            "surges-beijing-2026-2027.yaml",
            "合同 + 北京特殊时期加强保障（假设人数，待甲方确认）",
            CONTRACT_PEOPLE,
            15,
            9 + 5,
        ),
    ],
    ids=["contract-2026", "tender-2026", "surges-beijing-2026-2027"],
)
def test_check_scenario_summary(file: str, name: str, people: dict, coverage_rules: int, surges: int) -> None:
    result = invoke("check-scenario", f"scenarios/{file}")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"OK scenarios/{file}: {name}  (version 1)\n")
    assert "contract: 2026-06-15 .. 2027-06-14" in out
    roles = table(out, "人员 people per role")
    assert {role: [cells[1], cells[2], cells[3]] for role, cells in roles.items()} == people
    shifts = table(out, "班次 shifts")
    assert shifts["D"][1:4] == ["08:00", "16:00", "8"] and shifts["N"][1:4] == ["16:00", "08:00 +1d", "16"]
    assert len(table_rows(out, "覆盖要求 coverage rules")) == coverage_rules
    assert ("加强保障时段 surges" in out) == bool(surges)
    if surges:
        assert len(table(out, "加强保障时段 surges")) == surges
        assert table(out, "加强保障时段 surges")["加强值班·全国两会（假设）"] == [
            "2027-03-03",
            "2027-03-13",
            "+1 video D",
        ]
    assert "absences 0, requests 0, fixed 0, changes 0\n" in out
    # The contract runs into 2027, which no official notice covers yet.
    assert out.endswith("provisional years 暂定（尚无官方通知）: 2027\n")


def test_check_scenario_names_the_chain_and_the_contract_value() -> None:
    out = invoke("check-scenario", "scenarios/surges-beijing-2026-2027.yaml").stdout
    assert "\nextends: contract-2026.yaml -> surges-beijing-2026-2027.yaml\n" in out
    assert "\ncontract: 2026-06-15 .. 2027-06-14, 2,993,700 CNY\n" in out
    tender = invoke("check-scenario", "scenarios/tender-2026.yaml").stdout
    assert "\ncontract: 2026-06-15 .. 2027-06-14\n" in tender and "extends:" not in tender


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_every_scenario_file_checks_ok(path: Path) -> None:
    result = invoke("check-scenario", str(path.relative_to(ROOT)))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_check_scenario_prints_brackets_in_names_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names are user text, not rich markup: "[/x]" is printed, not parsed (it used to crash)."""
    text = (ROOT / "scenarios" / "tender-2026.yaml").read_text(encoding="utf-8")
    (tmp_path / "brackets.yaml").write_text(
        text.replace("name: 采购需求基线 2026-2027（9人）", 'name: "[/x] [bold]基线"'), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = invoke("check-scenario", "brackets.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK brackets.yaml: [/x] [bold]基线  (version 1)\n")


def test_error_message_with_brackets_is_printed_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (ROOT / "scenarios" / "tender-2026.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("{role: tech, shift: D", '{role: "[/x]", shift: D'), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke("check-scenario", "bad.yaml")
    assert result.exit_code == 2
    line = text.splitlines().index("  - {role: tech, shift: D, days: all, min: 1}") + 1
    pattern = "'^[A-Za-z0-9_.\\-]+$'"
    assert (
        result.stderr
        == f"错误 error: bad.yaml:{line}: coverage[2].role = '[/x]': String should match pattern {pattern}\n"
    )


def test_console_script_exits_2_on_a_bad_file(tmp_path: Path) -> None:
    """The installed `roster` script itself: one line on stderr, exit 2, no traceback."""
    (tmp_path / "bad.yaml").write_text("version: 1\nname: x\ncolour: blue\n", encoding="utf-8")
    roster = Path(sys.executable).parent / "roster"
    proc = subprocess.run(
        [str(roster), "check-scenario", "bad.yaml"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "错误 error: bad.yaml:3: colour = 'blue': unknown key 'colour'\n"


# -- calendar -------------------------------------------------------------------------------


def test_calendar_csv_over_the_contract_period() -> None:
    result = invoke(
        "calendar", *CONTRACT_PERIOD, "--format", "csv", "--scenario", "scenarios/contract-2026.yaml"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 365
    dates = [dt.date.fromisoformat(r["date"]) for r in rows]
    assert dates == [dt.date(2026, 6, 15) + dt.timedelta(days=i) for i in range(365)]
    assert all(r["weekday"] == WEEKDAYS[d.weekday()] for r, d in zip(rows, dates, strict=True))
    official = official_2026_kinds()
    wrong = [
        (r["date"], r["kind"])
        for r, d in zip(rows, dates, strict=True)
        if d.year == 2026 and r["kind"] != official[d]
    ]
    assert wrong == []
    assert {r["provisional"] for r, d in zip(rows, dates, strict=True) if d.year == 2026} == {"false"}
    assert {r["provisional"] for r, d in zip(rows, dates, strict=True) if d.year == 2027} == {"true"}
    assert Counter(r["kind"] for r in rows) == {"workday": 247, "restday": 104, "holiday": 14}
    by_date = {r["date"]: r for r in rows}
    assert by_date["2026-10-01"]["kind"] == "holiday" and by_date["2026-10-01"]["holiday_name"] == "国庆节"
    assert by_date["2026-10-10"]["kind"] == "workday" and by_date["2026-10-10"]["weekday"] == "sat"
    # The contract's own surges are its reinforced duty on holidays and the 两会 (tender 2.2.3(1)).
    assert {r["surges"] for r in rows if r["kind"] == "holiday"} <= {
        r["surges"] for r in rows if r["surges"].startswith("加强值班")
    }
    assert all(r["surges"] for r in rows if r["kind"] == "holiday")


def test_calendar_json_parses_and_carries_surges() -> None:
    result = invoke(
        "calendar",
        *CONTRACT_PERIOD,
        "--format",
        "json",
        "--scenario",
        "scenarios/surges-beijing-2026-2027.yaml",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 365
    assert rows[0] == {
        "date": "2026-06-15", "weekday": "mon", "kind": "workday", "holiday_name": "", "provisional": False,
        "surges": "汛期",
    }  # fmt: skip
    assert all(list(r) == COLUMNS for r in rows)
    by_date = {r["date"]: r for r in rows}
    assert by_date["2026-07-25"]["surges"] == "汛期;主汛期（七下八上）"
    assert by_date["2027-02-08"]["provisional"] is True
    assert Counter(r["kind"] for r in rows) == {"workday": 247, "restday": 104, "holiday": 14}


def test_calendar_with_a_2027_override_is_not_provisional(tmp_path: Path) -> None:
    (tmp_path / "cn-2027.yaml").write_text(
        "year: 2027\nnotice: {title: 测试用通知（虚构）, date: 2026-11-01}\nholidays: {2027-01-01: 元旦}\n",
        encoding="utf-8",
    )
    contract = ROOT / "scenarios" / "contract-2026.yaml"
    (tmp_path / "official.yaml").write_text(
        f"extends: {contract}\ncalendar: {{overrides: [cn-2027.yaml]}}\n", encoding="utf-8"
    )
    result = invoke(
        "calendar", *CONTRACT_PERIOD, "--format", "csv", "--scenario", str(tmp_path / "official.yaml")
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["provisional"] for r in rows} == {"false"}
    assert [r["date"] for r in rows if r["kind"] == "holiday" and r["date"] >= "2027"] == ["2027-01-01"]


def test_calendar_table_marks_provisional_dates() -> None:
    result = invoke("calendar", "--start", "2026-12-31", "--end", "2027-01-01")
    assert result.exit_code == 0, result.output
    assert table_rows(result.stdout, "日历 2026-12-31 .. 2027-01-01") == [
        ["2026-12-31", "周四", "工作日", "", "", ""],
        ["2027-01-01", "周五", "法定节假日", "元旦", "暂定", ""],
    ]
    assert "注意：标为暂定的日期" in result.stdout
    only_2026 = invoke("calendar", "--start", "2026-12-30", "--end", "2026-12-31")
    assert only_2026.exit_code == 0 and "注意" not in only_2026.stdout


def test_calendar_end_before_start_exits_2() -> None:
    result = invoke("calendar", "--start", "2026-06-15", "--end", "2026-06-14")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == "错误 error: --end 2026-06-14 is before --start 2026-06-15: an impossible date range\n"
    )


def test_calendar_horizon_over_three_years_exits_2() -> None:
    result = invoke("calendar", "--start", "2026-01-01", "--end", "2030-01-01")
    assert result.exit_code == 2
    assert result.stderr == (
        "错误 error: --start 2026-01-01 --end 2030-01-01: "
        "a horizon longer than three years is not supported\n"
    )


@pytest.mark.parametrize(("option", "value"), [("--start", "2026-13-15"), ("--end", "tomorrow")])
def test_calendar_bad_date_exits_2(option: str, value: str) -> None:
    args = {"--start": "2026-06-15", "--end": "2026-06-30", option: value}
    result = invoke("calendar", *[x for pair in args.items() for x in pair])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"'{value}' is not a date (YYYY-MM-DD)" in result.stderr
    assert "Traceback" not in result.output


def test_calendar_with_a_bad_scenario_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- not a mapping\n", encoding="utf-8")
    result = invoke("calendar", *CONTRACT_PERIOD, "--scenario", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"错误 error: {path.resolve()}: a scenario must be a YAML mapping of keys\n"
