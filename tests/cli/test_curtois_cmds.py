"""`roster import-curtois`, `solve`, `export-curtois` and `score-curtois`, end to end on Instance1."""

from __future__ import annotations

from typer.testing import CliRunner

from planner.bench.curtois import DATA
from planner.cli import app

runner = CliRunner()
INSTANCE1 = str(DATA / "instances" / "Instance1.txt")


def test_import_solve_export_score(tmp_path):
    scenario, out, sol = tmp_path / "i1.yaml", tmp_path / "out", tmp_path / "i1.sol"
    run = runner.invoke(app, ["import-curtois", INSTANCE1, "--out", str(scenario)])
    assert run.exit_code == 0, run.output
    assert "8 人 staff" in run.output and scenario.exists()
    run = runner.invoke(app, ["solve", str(scenario), "--start", "2024-01-01", "--end", "2024-01-14",
                              "--out", str(out), "--time-limit", "30"])  # fmt: skip
    assert run.exit_code == 0, run.output
    assert "加权总罚分" in run.output and "607" in run.output
    run = runner.invoke(app, ["export-curtois", INSTANCE1, str(out / "roster.csv"), "--out", str(sol)])
    assert run.exit_code == 0, run.output
    assert "罚分 penalty 607" in run.output
    # A hand edit that breaks the benchmark's rules: exit 1, and the rule in words.
    lines = sol.read_text().splitlines()
    assert "A,0," in lines  # A's day off (SECTION_DAYS_OFF)
    sol.write_text("\n".join("A,0,D" if x == "A,0," else x for x in lines) + "\n")
    run = runner.invoke(app, ["score-curtois", INSTANCE1, str(sol)])
    assert run.exit_code == 1, run.output
    assert "A day 0: works D on a day off" in run.output


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("SECTION_HORIZON\r\n14\r\n")
    target = tmp_path / "never.yaml"
    run = runner.invoke(app, ["import-curtois", str(bad), "--out", str(target)])
    assert run.exit_code == 2
    assert "missing SECTION_SHIFTS" in run.output and "Traceback" not in run.output
    assert not target.exists()
    run = runner.invoke(app, ["score-curtois", INSTANCE1, str(tmp_path / "nope.sol")])
    assert run.exit_code == 2 and "solution file not found" in run.output
