"""`roster publish / record / actual / history / replan / backup / restore` through CliRunner.

Exit codes: 0 done, 1 refused (hard violations; a failed re-plan), 2 bad input (one line).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.loader import load_scenario
from planner.cli import app
from planner.files.roster_csv import read_roster_csv
from planner.store import service
from planner.store.db import Store
from tests.cli.helpers import one_line_error
from tests.planner.store.conftest import START, TINY, hand_roster, write_solve_folder

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny scenario file, a solve folder of a valid 5-day roster, and ROSTER_DB in tmp_path."""
    monkeypatch.setenv("ROSTER_DB", str(tmp_path / "store.db"))
    scenario_file = tmp_path / "tiny.yaml"
    scenario_file.write_text(TINY, encoding="utf-8")
    write_solve_folder(tmp_path / "solved", hand_roster(), load_scenario(scenario_file))
    return tmp_path


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_publish_then_publish_again_supersedes(env: Path) -> None:
    first = run("publish", env / "solved", "--author", "张经理")
    assert first.exit_code == 0, first.output
    assert "已发布 版本 #1" in first.output and "15 个排班" in first.output and "张经理" in first.output
    second = run("publish", env / "solved")
    assert second.exit_code == 0
    assert "已发布 版本 #2" in second.output
    assert "取代版本 #1 的 5 天" in second.output


def test_publish_refuses_hard_violations_unless_forced(env: Path) -> None:
    folder = env / "solved" / "roster.csv"
    with folder.open("a", encoding="utf-8") as fh:
        fh.write(f"{START},N,,,P1,张一,a,a,16\n")  # P1 already works the day shift then
    refused = run("publish", env / "solved")
    assert refused.exit_code == 1
    assert "一天多班" in refused.output and "拒绝发布" in refused.output
    assert "roster.csv 在求解后被修改过" in refused.output
    forced = run("publish", env / "solved", "--force")
    assert forced.exit_code == 0 and "已强制发布（--force）" in forced.output
    history = run("history")
    assert "已发布（强制）" in history.output


def test_publish_bad_input_is_one_line(env: Path) -> None:
    line = one_line_error(run("publish", env / "nowhere"))
    assert "nowhere: not a folder" in line


def test_record_and_the_actual_roster(env: Path) -> None:
    assert run("publish", env / "solved").exit_code == 0
    sick = run("record", "sick", "--staff", "P2", "--date", START, "--by", "组长", "--reason", "发烧")
    assert sick.exit_code == 0, sick.output
    assert "已登记 #1 病假：P2 李二" in sick.output
    assert f"P2 李二 {START}：夜班 N（甲岗） → 休息" in sick.output
    assert f"roster replan --from {START}" in sick.output
    swap = run(
        "record",
        "swap",
        "--staff",
        "P1",
        "--with",
        "P3",
        "--date",
        START + dt.timedelta(days=2),
        "--reason",
        "私事",
    )
    assert swap.exit_code == 0 and "已登记 #2 换班" in swap.output
    # Recorded as it happened, with a warning: P3 worked the night before (rest rule).
    assert "⚠ 实际排班违反硬性规则 休息不足" in swap.output and "P3 王三" in swap.output

    # The actual roster breaks the rest rule: it is re-checked, and written only when asked.
    out = env / "actual"
    refused = run("actual", "--start", START, "--end", START + dt.timedelta(days=4), "--out", out)
    assert refused.exit_code == 1, refused.output
    assert "实际排班违反硬性规则 1 条" in refused.output and "--allow-violations" in refused.output
    assert not out.exists()
    result = run(
        "actual", "--start", START, "--end", START + dt.timedelta(days=4), "--out", out, "--allow-violations"
    )
    assert result.exit_code == 0, result.output
    assert "已按 --allow-violations 写出" in result.output
    marked = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert marked["ok"] is False and marked["written_despite_violations"] is True
    assert [v["rule"] for v in marked["hard_violations"]] == ["rest"]
    assert "已计入 2 条变动" in result.output
    rows = list(csv.DictReader((out / "roster.csv").open(encoding="utf-8")))
    assert len(rows) == 14
    assert not [r for r in rows if r["staff_id"] == "P2" and r["date"] == str(START)]
    third = {(r["staff_id"], r["shift"]) for r in rows if r["date"] == str(START + dt.timedelta(days=2))}
    assert third == {("P2", "N"), ("P3", "D"), ("P4", "D")}  # P3 took P1's day shift; P1 is off
    assert rows[0]["staff_name"] and rows[0]["paid_hours"]
    end = START + dt.timedelta(days=4)
    checked = run("validate", env / "tiny.yaml", out / "roster.csv", "--start", START, "--end", end)
    assert checked.exit_code == 1 and "休息不足" in checked.output  # the actual roster shows what happened

    # The scenario it was worked under: the published one plus the recorded sick day, without the
    # reason (personal data). It loads, and knows P2 was absent on the first day.
    scenario_file = out / "scenario" / f"actual-{START}-{end}.yaml"
    assert f"scenario: {scenario_file}" in result.output.replace("\n", "")
    text = scenario_file.read_text(encoding="utf-8")
    assert f"{{staff: P2, start: {START}, end: {START}, kind: sick}}" in text and "发烧" not in text
    worked_under = load_scenario(scenario_file)
    assert [(a.staff, a.start, a.kind) for a in worked_under.absences] == [("P2", START, "sick")]
    assert [p.id for p in worked_under.staff] == [p.id for p in load_scenario(env / "tiny.yaml").staff]
    # Writing it again replaces the folder whole (nothing half-written is left beside it).
    again = run("actual", "--start", START, "--end", end, "--out", out, "--allow-violations")
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in out.iterdir()) == ["roster.csv", "scenario", "validation.json"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["sick", "--staff", "S99", "--date", str(START), "--reason", "x"], "--staff S99: 未知人员"),
        (
            ["extra", "--staff", "P5", "--date", str(START), "--shift", "X", "--reason", "x"],
            "--shift X: 未知班次",
        ),
        (
            ["cancel", "--staff", "P1", "--date", "2027-01-01", "--reason", "x"],
            "--date 2027-01-01: 这一天没有已发布的排班",
        ),
        (
            ["sick", "--staff", "P1", "--date", "2026-12-05", "--until", "2026-12-01", "--reason", "x"],
            "before --date",
        ),
        (["sick", "--staff", "P1", "--date", "2026-13-01", "--reason", "x"], "not a date"),
    ],
)
def test_record_bad_input_is_one_line_and_records_nothing(env: Path, args: list[str], expected: str) -> None:
    assert run("publish", env / "solved").exit_code == 0
    result = run("record", *args)
    if result.exit_code == 2 and "Usage" in result.output:  # typer's own parameter errors
        assert expected in result.output
    else:
        assert expected in one_line_error(result)
    assert service.records(Store(str(env / "store.db"))) == []


def test_history_hides_reasons_unless_asked(env: Path) -> None:
    assert run("publish", env / "solved", "--author", "张经理").exit_code == 0
    assert run("record", "sick", "--staff", "P2", "--date", START, "--reason", "流感就医").exit_code == 0
    plain = run("history")
    assert plain.exit_code == 0
    for header in ("排班版本", "版本", "状态", "生效天数", "登记的变动", "记录人", "原因"):
        assert header in plain.output
    assert "流感就医" not in plain.output and "（已隐藏）" in plain.output
    shown = run("history", "--reasons")
    assert "流感就医" in shown.output


def test_backup_and_restore(env: Path) -> None:
    assert run("publish", env / "solved").exit_code == 0
    assert run("record", "sick", "--staff", "P2", "--date", START, "--reason", "发烧").exit_code == 0
    file = env / "backup.json"
    made = run("backup", file)
    assert made.exit_code == 0 and "版本 1，排班行 15，变动 1" in made.output
    assert "个人信息" in made.output
    assert "存储不为空" in one_line_error(run("restore", file))
    other = env / "other.db"
    restored = run("restore", file, "--db", other)
    assert restored.exit_code == 0, restored.output
    assert "版本 1，排班行 15，变动 1" in restored.output
    a, b = env / "a", env / "b"
    end = START + dt.timedelta(days=4)
    run("actual", "--start", START, "--end", end, "--out", a)
    run("actual", "--start", START, "--end", end, "--out", b, "--db", other)
    assert (a / "roster.csv").read_bytes() == (b / "roster.csv").read_bytes()
    assert "not a store backup" in one_line_error(run("restore", env / "tiny.yaml", "--db", env / "x.db"))


@pytest.mark.slow
def test_replan_publish_then_actual_passes_validate(env: Path) -> None:
    assert run("publish", env / "solved").exit_code == 0
    sick_day = START + dt.timedelta(days=2)
    assert run("record", "sick", "--staff", "P2", "--date", sick_day, "--reason", "发烧").exit_code == 0
    out = env / "replanned"
    result = run(
        "replan", "--from", sick_day, "--out", out, "--publish", "--time-limit", "4", "--workers", "1"
    )
    assert result.exit_code == 0, result.output
    assert "缺勤：P2 李二" in result.output and "相对当前实际排班改动" in result.output
    assert "已发布版本 #2（基于 #1" in result.output
    notices = list(csv.reader((out / "notices.csv").open(encoding="utf-8")))
    assert notices[0] == ["工号", "姓名", "日期", "原安排", "新安排"]
    end = START + dt.timedelta(days=4)
    act = env / "actual"
    assert run("actual", "--start", START, "--end", end, "--out", act).exit_code == 0
    scenario = load_scenario(env / "tiny.yaml")
    actual = read_roster_csv(act / "roster.csv", scenario, START, end)
    published = read_roster_csv(out / "roster.csv", scenario, START, end)
    assert set(actual.assignments) == set(published.assignments)
    checked = run("validate", env / "tiny.yaml", act / "roster.csv", "--start", START, "--end", end)
    assert checked.exit_code == 0, checked.output


def test_replan_bad_input_is_one_line(env: Path) -> None:
    assert run("publish", env / "solved").exit_code == 0
    assert "write it as STAFF:" in one_line_error(run("replan", "--from", START, "--absence", "P2"))
    assert "没有已发布的排班" in one_line_error(run("replan", "--from", "2027-03-01"))
    assert "unknown staff id" in one_line_error(
        run(
            "replan",
            "--from",
            START + dt.timedelta(days=1),
            "--absence",
            f"P9:{START + dt.timedelta(days=1)}",
        )
    )


@pytest.mark.slow
def test_solve_takes_history_from_the_store(env: Path) -> None:
    assert run("publish", env / "solved").exit_code == 0
    first = START + dt.timedelta(days=5)
    out = env / "next"
    result = run(
        "solve", env / "tiny.yaml", "--start", first, "--end", first + dt.timedelta(days=2),
        "--out", out, "--history-from-store", "--time-limit", "4", "--workers", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "历史排班取自存储" in result.output and "15 个排班" in result.output
    # The new roster respects the published days before it: check it against them.
    hist = env / "hist"
    assert (
        run("actual", "--start", START, "--end", START + dt.timedelta(days=4), "--out", hist).exit_code == 0
    )
    last = first + dt.timedelta(days=2)
    checked = run(
        "validate", env / "tiny.yaml", out / "roster.csv", "--start", first, "--end", last,
        "--history", hist / "roster.csv",
    )  # fmt: skip
    assert checked.exit_code == 0, checked.output
    both = run("solve", env / "tiny.yaml", "--start", first, "--end", first, "--out", out,
               "--history", hist / "roster.csv", "--history-from-store")  # fmt: skip
    assert "give only one of them" in one_line_error(both)


def test_report_without_files_uses_the_actual_roster(env: Path) -> None:
    assert run("publish", env / "solved").exit_code == 0
    assert run("record", "sick", "--staff", "P2", "--date", START, "--reason", "发烧").exit_code == 0
    out = env / "report"
    result = run("report", "--quarter", "2026Q4", "--out", out, "--clip")
    assert result.exit_code == 0, result.output
    assert "实际排班取自存储" in result.output and "计入变动 1 条" in result.output
    assert (out / "coverage-proof.xlsx").exists() and (out / "coverage-proof.pdf").exists()
    assert "give both FILE and ROSTER" in one_line_error(
        run("report", env / "tiny.yaml", "--quarter", "2026Q4", "--out", out)
    )
