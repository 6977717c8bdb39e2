"""planner.whatif.compare: two small scenarios side by side, the overtime premium, and the files.

Base: one video engineer, one day shift a day, 2026-12-07 (Mon) .. 12-13 (Sun). Six consecutive
days at most, so one day stays uncovered. The variant adds a second engineer; the third scenario
is the base with a staff change made with 5 days' notice (a contract 9.1 breach).
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from openpyxl import load_workbook

from models.errors import InputError
from models.loader import load_scenario
from models.roster import Assignment, Roster
from planner.check.score import person_month_hours
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions
from planner.reports.comparison import check_output_path
from planner.whatif.compare import comparison_rows, overtime_premium_cny, solve_outcomes, unique_labels
from planner.workflows.save import write_comparison

MON, SUN = dt.date(2026, 12, 7), dt.date(2026, 12, 13)

BASE = """
version: 1
name: 对比基准
contract: {start: 2026-06-15, end: 2027-06-14, value_cny: 2993700}
roles:
  - {id: video, name: 视频会议}
shifts:
  - {id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}
staff:
  - {id: V1, name: 甲, role: video, years: 5, hourly_rate: 100}
coverage:
  - {role: video, shift: D, days: all, min: 1}
"""
MORE = """
version: 1
name: 增加一人
extends: base.yaml
staff:
  - {id: V2, name: 乙, role: video, years: 5, hourly_rate: 100}
"""
LATE = """
version: 1
name: 临时换人
extends: base.yaml
changes:
  - staff: V1
    notice_date: 2026-12-08
    last_day: 2026-12-13
    replacement: {id: V9, name: 替补, role: video, years: 5, start_date: 2026-12-14}
"""


@pytest.fixture
def outcomes(write_yaml):
    paths = [write_yaml(BASE, "base.yaml"), write_yaml(MORE, "more.yaml"), write_yaml(LATE, "late.yaml")]
    items = []
    for label, path in zip(unique_labels(paths), paths, strict=True):
        s = load_scenario(path)
        items.append((label, s, Instance(s, MON, SUN)))
    return solve_outcomes(items, SolveOptions(time_limit=5, workers=2))


def row(rows, key):
    return next(r for r in rows if r.key == key)


@pytest.mark.slow
def test_two_scenarios_side_by_side(outcomes):
    rows = comparison_rows(outcomes)
    assert [o.label for o in outcomes] == ["base", "more", "late"]
    assert row(rows, "status").values == ("OPTIMAL", "OPTIMAL", "OPTIMAL")
    assert row(rows, "shortfall:video").values == (1, 0, 1)
    assert row(rows, "shortfall_total").values == (1, 0, 1)
    # The lone engineer works 6 days = 48 h against 40 standard hours: 8 h at 150% of 100 CNY.
    assert row(rows, "overtime_premium_cny").values[0] == pytest.approx(1200)
    assert row(rows, "overtime_excess_hours").values == (0, 0, 0)  # 8 h is within the week's 8-h cap
    assert row(rows, "substitutes").values == (0, 0, 0)
    assert row(rows, "replacements").values == (0, 0, 1)
    # Contract 9.1's pooled counter: a month with a base shortfall counts once (base, late), and
    # late's 5 days' notice is an unapproved replacement; 1% of 2,993,700 each.
    assert row(rows, "breaches_9_1").values == (1, 0, 2)
    assert row(rows, "penalty_cny").values == (pytest.approx(29937), 0, pytest.approx(2 * 29937))
    assert row(rows, "penalty_cny").cells[2] == "59,874"
    assert row(rows, "money_at_risk_cny").values == row(rows, "penalty_cny").values  # fewer than 3
    # 附件八: 100, minus 3 for the replacement (its last day is in the period); no tier reached.
    assert row(rows, "score_low").values == (100, 100, 97) == row(rows, "score_high").values


@pytest.mark.slow
def test_comparison_files(outcomes, tmp_path):
    rows = comparison_rows(outcomes)
    write_comparison(tmp_path / "cmp.csv", outcomes, rows)
    text = (tmp_path / "cmp.csv").read_text(encoding="utf-8-sig")
    table = list(csv.reader(text.splitlines()))
    assert table[0] == ["指标", "key", "base", "more", "late"]
    by_key = {r[1]: r[2:] for r in table[1:]}
    assert by_key["shortfall:video"] == ["1", "0", "1"]
    assert by_key["penalty_cny"] == ["29937", "0", "59874"]

    write_comparison(tmp_path / "cmp.xlsx", outcomes, rows)
    ws = load_workbook(tmp_path / "cmp.xlsx")["情景对比"]
    cells = {r[1]: r[2:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert cells["shortfall:video"] == (1, 0, 1)
    assert cells["status"] == ("最优",) * 3
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary file


def test_output_path_must_be_csv_or_xlsx(tmp_path):
    assert check_output_path(tmp_path / "a.XLSX").suffix == ".XLSX"
    with pytest.raises(InputError, match=r"\.pdf"):
        check_output_path(tmp_path / "a.pdf")


def test_unique_labels_number_repeated_stems(tmp_path):
    paths = [tmp_path / "a" / "x.yaml", tmp_path / "b" / "x.yaml", tmp_path / "y.yaml"]
    assert unique_labels(paths) == ["x", "x-2", "y"]


def test_overtime_premium_pays_holidays_at_300_and_other_overtime_at_150(write_yaml):
    """National Day week 2026: 10-01 is a statutory holiday, 10-04 a rest day; no workday at all.

    So standard hours are 0: the holiday shift (8 h) is paid at 300% and the rest-day shift (8 h)
    is overtime at 150% (comprehensive hours): 100 × (3 × 8 + 1.5 × 8) = 3,600 CNY.
    """
    s = load_scenario(write_yaml(BASE))
    inst = Instance(s, dt.date(2026, 10, 1), dt.date(2026, 10, 7))
    assert inst.kind(dt.date(2026, 10, 1)) == "holiday"
    assert inst.kind(dt.date(2026, 10, 4)) == "restday"
    roster = Roster(
        start=inst.start,
        end=inst.end,
        assignments=(
            Assignment(date=dt.date(2026, 10, 1), shift="D", staff_id="V1", role="video"),
            Assignment(date=dt.date(2026, 10, 4), shift="D", staff_id="V1", role="video"),
        ),
    )
    assert overtime_premium_cny(inst, person_month_hours(inst, roster)) == pytest.approx(3600)


def test_overtime_premium_is_unknown_without_a_rate(write_yaml):
    s = load_scenario(write_yaml(BASE.replace(", hourly_rate: 100", "")))
    inst = Instance(s, MON, SUN)
    days = [MON + dt.timedelta(days=i) for i in range(6)]
    roster = Roster(
        start=MON,
        end=SUN,
        assignments=tuple(Assignment(date=d, shift="D", staff_id="V1", role="video") for d in days),
    )
    assert overtime_premium_cny(inst, person_month_hours(inst, roster)) is None
    # No overtime at all needs no rate.
    short = Roster(start=MON, end=SUN, assignments=roster.assignments[:5])
    assert overtime_premium_cny(inst, person_month_hours(inst, short)) == 0


# -- variants saved as `extends` files --------------------------------------------------------
def test_save_variant_writes_only_the_differences(write_yaml, tmp_path):
    from planner.files.variant_file import VariantEdits
    from planner.workflows.save import save_variant

    base = write_yaml(
        BASE.replace("hourly_rate: 100}", "hourly_rate: 100, rules: {min_rest_hours: 11}}"), "base.yaml"
    )
    edits = VariantEdits(
        name="假设：全部改动",
        absences=[{"staff": "V1", "start": MON, "end": MON, "kind": "sick"}],
        surges=[
            {"name": "会议", "start": MON, "end": SUN, "add": [{"role": "video", "shift": "D", "count": 1}]}
        ],
        new_staff=[{"id": "V2", "name": "乙", "role": "video", "years": 3, "start_date": None}],
        leaving=[
            {
                "staff": "V1",
                "notice_date": dt.date(2026, 11, 1),
                "last_day": dt.date(2026, 12, 10),
                "replacement": {"id": "V3", "name": "丙", "years": 4, "start_date": dt.date(2026, 12, 11)},
            }
        ],
        skills=[{"staff": "V1", "skill": "video"}],  # already the primary role: nothing added
    )
    target = tmp_path / "whatif" / "all.yaml"
    s = save_variant(base, target, edits)
    text = target.read_text(encoding="utf-8")
    assert "extends: ../base.yaml" in text
    assert "coverage" not in text and "shifts" not in text  # only what differs
    # V1 is restated in full (staff merge by id replaces the entry), keeping its own rule override.
    assert "{id: V1, name: 甲, role: video, years: 5, hourly_rate: 100, rules: {min_rest_hours: 11}}" in text
    assert s.person("V1").effective_rules.min_rest_hours == 11
    assert s.person("V1").end_date == dt.date(2026, 12, 10)
    assert s.person("V3").role == "video"  # a replacement takes the leaver's role
    assert [p.id for p in s.staff] == ["V1", "V2", "V3"]
    assert [a.kind for a in s.absences] == ["sick"]
    assert s.surges[0].add[0].count == 1


def test_save_variant_refusals_write_nothing(write_yaml, tmp_path):
    from planner.files.variant_file import VariantEdits
    from planner.workflows.save import save_variant

    base = write_yaml(BASE, "base.yaml")
    one = VariantEdits(name="假设", absences=[{"staff": "V1", "start": MON, "end": MON, "kind": "sick"}])
    with pytest.raises(InputError, match="exists already"):
        save_variant(base, base, one)
    with pytest.raises(InputError, match="file name"):
        save_variant(base, tmp_path / "bad name.yaml", one)
    with pytest.raises(InputError, match="changes nothing"):
        save_variant(base, tmp_path / "empty.yaml", VariantEdits(name="假设"))
    unknown = VariantEdits(name="假设", absences=[{"staff": "V7", "start": MON, "end": MON, "kind": "sick"}])
    with pytest.raises(InputError, match=r"absences\[0\]\.staff.*V7.*unknown staff id") as err:
        save_variant(base, tmp_path / "who.yaml", unknown)
    assert "who.yaml" in str(err.value)  # the error names the file being saved, not a temporary copy
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.yaml"]
