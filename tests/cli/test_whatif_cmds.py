"""`roster staffing`, `compare`, `changes` and `batch` through typer's CliRunner: outputs and exit codes."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.cli.helpers import one_line_error

runner = CliRunner()
WEEK = ("--start", "2026-12-07", "--end", "2026-12-13")

BASE = """
version: 1
name: 命令行基准
contract: {start: 2026-06-15, end: 2027-06-14, value_cny: 2993700}
roles:
  - {id: video, name: 视频会议}
  - {id: desk, name: 服务台}
shifts:
  - {id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}
staff:
  - {id: V1, name: 甲, role: video, years: 5}
  - {id: K1, name: 乙, role: desk, years: 8}
coverage:
  - {role: video, shift: D, days: all, min: 1}
  - {role: desk, shift: D, days: workday, min: 1}
rules: {overtime_cap: hard}
"""
GOOD_CHANGE = """
version: 1
name: 按规定换人
extends: base.yaml
changes:
  - staff: V1
    notice_date: 2027-01-20
    plan_date: 2027-02-20
    last_day: 2027-03-01
    approval_requested: 2027-01-20
    approved: true
    approval_date: 2027-01-25
    replacement: {id: V9, name: 替补, role: video, years: 5, education: 本科, lives_in_beijing: true,
                  start_date: 2027-02-25}
"""
BAD_CHANGE = """
version: 1
name: 临时换人
extends: base.yaml
changes:
  - staff: V1
    notice_date: 2027-02-20
    last_day: 2027-03-01
    replacement: {id: V9, name: 替补, role: video, years: 2, start_date: 2027-03-10}
"""


def invoke(*args: str):
    return runner.invoke(app, list(args))


# -- changes ----------------------------------------------------------------------------------
def test_changes_all_kept_exits_0(write_yaml):
    write_yaml(BASE, "base.yaml")
    result = invoke("changes", str(write_yaml(GOOD_CHANGE, "good.yaml")))
    assert result.exit_code == 0, result.output
    assert "全部符合" in result.stdout
    assert "年度考核 -3 分" in result.stdout
    assert "违约金风险 0 元" in result.stdout


def test_changes_with_unrecorded_facts_do_not_say_all_kept(write_yaml):
    """No approval and no education recorded: nothing broken, but not "全部符合" either."""
    write_yaml(BASE, "base.yaml")
    vague = GOOD_CHANGE.replace(
        "    approval_requested: 2027-01-20\n    approved: true\n    approval_date: 2027-01-25\n", ""
    )
    vague = vague.replace(" education: 本科,", "")
    result = invoke("changes", str(write_yaml(vague, "vague.yaml")))
    assert result.exit_code == 0, result.output
    assert "全部符合" not in result.stdout
    assert "没有违反的规则；2 项无法判断（未记录），需补充后再确认" in result.stdout


def test_changes_broken_exits_1_and_lists_each_rule(write_yaml):
    write_yaml(BASE, "base.yaml")
    result = invoke("changes", str(write_yaml(BAD_CHANGE, "bad.yaml")), "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    [change] = data["changes"]
    assert {k: v["verdict"] for k, v in change["checks"].items()} == {
        "notice": "broken", "approved": "unknown", "on_time": "broken", "qualified": "broken",
        "headcount": "broken",
    }  # fmt: skip
    assert change["gap_days"] == 8  # 03-02 .. 03-09
    assert change["penalty_cny"] == pytest.approx(29937)
    assert change["points"] == -3 and change["points_at_risk"] == 0  # onboarding not yet checked
    assert data["ok"] is False


def test_changes_without_any_change_exits_0(write_yaml):
    result = invoke("changes", str(write_yaml(BASE, "base.yaml")))
    assert result.exit_code == 0
    assert "没有人员更换" in result.stdout


def test_changes_bad_file_is_one_line_exit_2(write_yaml):
    bad = write_yaml("version: 1\nname: [oops\n", "bad.yaml")
    line = one_line_error(invoke("changes", str(bad)), "stderr")
    assert "bad.yaml" in line and "malformed YAML" in line


def test_changes_unknown_person_names_file_key_and_value(write_yaml):
    write_yaml(BASE, "base.yaml")
    path = write_yaml(GOOD_CHANGE.replace("staff: V1", "staff: V7"), "who.yaml")
    line = one_line_error(invoke("changes", str(path)), "stderr")
    assert "who.yaml" in line and "changes[0].staff" in line and "V7" in line


# -- staffing ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_staffing_json_is_a_list_of_roles(write_yaml):
    result = invoke(
        "staffing", str(write_yaml(BASE, "base.yaml")), *WEEK, "--format", "json", "--time-limit", "5"
    )
    assert result.exit_code == 0, result.output
    # One video engineer covers 6 of 7 days; a second closes the gap. The desk needs its one person.
    assert json.loads(result.stdout) == [
        {"role": "video", "current": 1, "minimum": 2, "shortfall_now": 1, "proven": True},
        {"role": "desk", "current": 1, "minimum": 1, "shortfall_now": 0, "proven": True},
    ]


@pytest.mark.slow
def test_staffing_table_with_cross_training(write_yaml):
    result = invoke("staffing", str(write_yaml(BASE, "base.yaml")), *WEEK, "--time-limit", "5")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "各岗位最少人数" in out and "视频会议" in out
    assert "1→1 2→0" in out  # the curve: 1 person short by 1, 2 people short by 0
    assert "交叉培训" in out and "K1 乙" in out  # the desk person trained on video closes the gap
    assert "共试算 1 种" in out


def test_staffing_impossible_range_exits_2(write_yaml):
    path = write_yaml(BASE, "base.yaml")
    result = invoke("staffing", str(path), "--start", "2026-12-13", "--end", "2026-12-07")
    line = one_line_error(result, "stderr")
    assert "--end 2026-12-07" in line and "before --start" in line


def test_staffing_rejects_an_unknown_cap_mode(write_yaml):
    result = invoke("staffing", str(write_yaml(BASE, "base.yaml")), *WEEK, "--overtime-cap", "maybe")
    assert result.exit_code == 2


# -- compare ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_compare_two_small_scenarios_with_csv(write_yaml, tmp_path):
    base = write_yaml(BASE, "base.yaml")
    second = "  - {id: V2, name: 丙, role: video, years: 5}\n  - {id: K1"
    more = write_yaml(BASE.replace("  - {id: K1", second).replace("命令行基准", "多一人"), "more.yaml")
    out = tmp_path / "cmp.csv"
    result = invoke("compare", str(base), str(more), *WEEK, "--out", str(out), "--time-limit", "5")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "情景对比" in text and "base" in text and "more" in text
    assert "缺口·视频会议" in text
    assert "合同9.1累计次数" in text and "资金风险·含解约退款" in text
    assert "考核分·读法一" in text and "考核分·读法二" in text
    rows = {r[1]: r[2:] for r in csv.reader(out.read_text(encoding="utf-8-sig").splitlines())}
    assert rows["key"] == ["base", "more"]
    assert rows["shortfall:video"] == ["1", "0"]
    assert rows["overtime_premium_cny"] == ["—", "—"]  # no hourly_rate in these files


def test_compare_needs_two_scenarios(write_yaml):
    line = one_line_error(invoke("compare", str(write_yaml(BASE, "base.yaml")), *WEEK), "stderr")
    assert "BASE VARIANT" in line


def test_compare_bad_out_type_exits_2_before_solving(write_yaml, tmp_path):
    base = write_yaml(BASE, "base.yaml")
    result = invoke("compare", str(base), str(base), *WEEK, "--out", str(tmp_path / "x.pdf"))
    line = one_line_error(result, "stderr")
    assert "x.pdf" in line and ".csv or .xlsx" in line


def test_compare_bad_variant_exits_2(write_yaml):
    base = write_yaml(BASE, "base.yaml")
    line = one_line_error(invoke("compare", str(base), str(base.parent / "missing.yaml"), *WEEK), "stderr")
    assert "missing.yaml" in line and "file not found" in line


# -- batch ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_batch_reports_the_broken_file_and_exits_1(write_yaml, tmp_path):
    good = write_yaml(BASE, "base.yaml")
    broken = write_yaml("version: 1\nname: [oops\n", "broken.yaml")
    out = tmp_path / "runs"
    result = invoke(
        "batch", str(good), str(broken), *WEEK, "--out", str(out), "--jobs", "2", "--time-limit", "5"
    )
    assert result.exit_code == 1, result.output
    assert "broken.yaml" in result.stderr and "INPUT_ERROR" in result.stderr
    assert "完成 1 个，失败 1 个" in result.stdout
    rows = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines()))
    assert [(r["file"].rsplit("/", 1)[-1], r["status"]) for r in rows] == [
        ("base.yaml", "OPTIMAL"), ("broken.yaml", "INPUT_ERROR"),
    ]  # fmt: skip
    assert (out / "base" / "roster.csv").exists()


def test_batch_out_must_be_a_folder(write_yaml, tmp_path):
    good = write_yaml(BASE, "base.yaml")
    clash = tmp_path / "file.txt"
    clash.write_text("x", encoding="utf-8")
    line = one_line_error(invoke("batch", str(good), *WEEK, "--out", str(clash)), "stderr")
    assert "file.txt" in line and "not a folder" in line
