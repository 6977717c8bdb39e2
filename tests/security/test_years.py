"""Dates outside the supported years (2000..2100, models/dates.py) are refused where they are read,
with one line; year 1 once overflowed the date arithmetic (exit 70 at publish and solve). And a
bad option on the real command line is one line and exit 2, like any other bad input."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from models.errors import InputError
from models.loader import load_scenario
from models.summary import check_solve_summary
from planner.cli import main
from planner.files.roster_csv import parse_roster_csv

CONTRACT = Path(__file__).resolve().parents[2] / "scenarios" / "contract-2026.yaml"
TEXT = CONTRACT.read_text(encoding="utf-8")


@pytest.mark.parametrize("written", ["0001-06-15", '"0001-06-15"', "2206-06-15", "'1999-12-31'"])
def test_a_contract_start_outside_the_years_is_refused(tmp_path: Path, written: str) -> None:
    assert "  start: 2026-06-15\n" in TEXT
    file = tmp_path / "contract.yaml"
    file.write_text(TEXT.replace("  start: 2026-06-15\n", f"  start: {written}\n", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"is outside 2000\.\.2100") as refused:
        load_scenario(file)
    assert "contract.yaml" in str(refused.value) and "\n" not in str(refused.value)


def test_the_edge_years_are_accepted(tmp_path: Path) -> None:
    file = tmp_path / "contract.yaml"
    file.write_text(TEXT.replace("  start: 2026-06-15\n", "  start: 2000-01-01\n", 1), encoding="utf-8")
    assert load_scenario(file).contract.start.year == 2000


def test_a_roster_csv_date_in_year_1_is_not_a_date() -> None:
    scenario = load_scenario(CONTRACT)
    data = b"date,shift,staff_id\n0001-01-01,D,S01\n"
    with pytest.raises(InputError, match=r"roster\.csv:2: column date = '0001-01-01'"):
        parse_roster_csv(data, "roster.csv", scenario)


def test_a_summary_in_year_1_is_refused() -> None:
    with pytest.raises(InputError, match=r"start = '0001-01-01': year 1 is outside"):
        check_solve_summary({"start": "0001-01-01", "end": "0001-01-03"}, "summary.json")


SOLVE = ["solve", str(CONTRACT), "--out", "unused"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([*SOLVE, "--start", "0001-01-01", "--end", "0001-01-02"], "--start: '0001-01-01'"),
        ([*SOLVE, "--start", "2026-12-01", "--end", "2026-12-32"], "--end: '2026-12-32'"),
        (["solve", str(CONTRACT), "--time-limit", "nan"], "'--time-limit': nan"),
        (["solve", str(CONTRACT), "--bogus"], "No such option: --bogus"),
        (["nosuch"], "No such command 'nosuch'"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(monkeypatch, capsys, args: list[str], says: str) -> None:
    monkeypatch.setattr(sys, "argv", ["roster", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("错误 error: roster")
    assert says in lines[0] and "Traceback" not in err and "╭" not in err
    assert not Path("unused").exists()
