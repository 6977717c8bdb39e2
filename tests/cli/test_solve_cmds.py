"""`roster solve` and `roster explain` through the CLI: outputs, proofs, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.roster import ROSTER_COLUMNS
from planner.cli import app

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = str(ROOT / "scenarios" / "contract-2026.yaml")
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.slow
def test_solve_writes_csv_xlsx_summary_and_the_roster_validates(tmp_path: Path) -> None:
    """A 3-day contract solve is proved on levels 1-2 and passes `roster validate`."""
    out = tmp_path / "out"
    result = invoke("solve", CONTRACT, "--start", "2026-12-01", "--end", "2026-12-03", "--out", str(out),
                    "--time-limit", "30")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"roster.csv", "roster.xlsx", "summary.json"}
    with (out / "roster.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == ROSTER_COLUMNS
    assert all(r["start"].startswith(r["date"]) for r in rows)
    night = next(r for r in rows if r["shift"] == "N")
    assert (
        night["end"].startswith("2026-12-0")
        and night["end"].endswith("T08:00")
        and night["paid_hours"] == "16"
    )

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    levels = {lv["name"]: lv for lv in summary["levels"]}
    assert [lv["name"] for lv in summary["levels"]] == [
        "coverage",
        "overtime",
        "substitutes",
        "requests",
        "fairness",
    ]
    for name in ("coverage", "overtime"):
        assert levels[name]["status"] == "OPTIMAL" and levels[name]["gap"] == 0
    assert summary["validation"]["ok"] is True
    assert summary["validation"]["scores"]["coverage"] == levels["coverage"]["value"]
    assert summary["assignments"] == len(rows)
    assert {e["role"] for e in summary["explanation"]} == {"manager", "video", "image", "av", "desk"}

    check = invoke(
        "validate", CONTRACT, str(out / "roster.csv"), "--start", "2026-12-01", "--end", "2026-12-03"
    )
    assert check.exit_code == 0, check.output


@pytest.mark.slow
def test_history_carries_a_night_on_the_last_day_into_the_next_month(tmp_path: Path) -> None:
    """Everyone who worked the night of Nov 30 has no shift on Dec 1."""
    history = tmp_path / "nov.csv"
    history.write_text(
        "date,shift,staff_id,role\n2026-11-30,N,S01,manager\n2026-11-30,N,S02,video\n", encoding="utf-8"
    )
    out = tmp_path / "dec"
    result = invoke("solve", CONTRACT, "--start", "2026-12-01", "--end", "2026-12-02", "--out", str(out),
                    "--history", str(history), "--time-limit", "20")  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "roster.csv").open(encoding="utf-8") as fh:
        dec1 = [r for r in csv.DictReader(fh) if r["date"] == "2026-12-01"]
    worked = {r["staff_id"] for r in dec1 if r["shift"] != "NS"}
    assert "S01" not in worked and "S02" not in worked
    # Sleeping on the premises is not work (docs/scenario-format.md): the night stay may follow.
    assert {r["shift"] for r in dec1 if r["staff_id"] == "S01"} <= {"NS"}
    # The manager is the only one who can cover the manager post: Dec 1 is therefore short.
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["validation"]["shortfall_total"] >= 1


def test_solve_refuses_an_impossible_date_range(tmp_path: Path) -> None:
    result = invoke(
        "solve", CONTRACT, "--start", "2026-12-05", "--end", "2026-12-01", "--out", str(tmp_path / "o")
    )
    assert result.exit_code == 2
    assert "impossible date range" in result.stderr
    assert not (tmp_path / "o").exists()


def test_solve_refuses_a_corrupt_history_file(tmp_path: Path) -> None:
    bad = tmp_path / "history.csv"
    bad.write_bytes(b"\x00\x01\x02garbage")
    out = str(tmp_path / "o")
    result = invoke("solve", CONTRACT, "--start", "2026-12-01", "--end", "2026-12-02", "--out", out,
                    "--history", str(bad))  # fmt: skip
    assert result.exit_code == 2
    assert "history.csv" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_explain_names_the_binding_rule_for_the_manager() -> None:
    """One manager, at most 6 days in a row and 10 night stays a month: 2 of 14 days and 4 of 14
    nights are uncovered, and the text says why."""
    result = invoke("explain", CONTRACT, "--start", "2026-12-01", "--end", "2026-12-14")
    assert result.exit_code == 0, result.output
    manager = next(line for line in result.stdout.splitlines() if line.startswith("驻场服务经理 (manager)"))
    assert "至少 6 个班次岗位无法覆盖（已证明最少）" in manager
    assert "取消「最多连续工作天数」规则可降至 4" in manager
    assert "取消「驻场每月次数上限」规则可降至 2" in manager
    assert (
        "驻场住宿：需要 14 次，1 名驻场服务经理每人每月最多 10 次（场景规则 每月驻场次数上限）：至少 4 次无人"
        in result.stdout
    )
    assert "最多连续上班 6 天：14 天内最多出勤 12 人次，需要 14 个班次：至少 2 个班次无人" in result.stdout
