"""The coverage proof's data and workbook: the Daily sheet is the validator's, the digest pins the
inputs, a deliberate gap shows as exactly that gap with its clause, hours and pay follow the
stated formulas, and the risk figures follow 附件八 and contract 9.1."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math

import openpyxl
import pytest

from models.errors import InputError
from models.loader import load_scenario
from planner.check.validate import validate
from planner.contract import risk as R
from planner.files.roster_csv import roster_csv_text
from planner.problem.horizon import clip_to, parse_quarter, quarter_key
from planner.problem.instance import Instance
from planner.reports.proof import SLOT_STATUS_ZH, build_proof, digest, score_headline
from planner.reports.xlsx import DAILY_COLUMNS, SHEETS, xlsx_bytes
from tests.conftest import ROOT
from tests.planner.reports import sample
from tests.planner.reports.sample import FULL, roster, without

D = dt.date


def proof_of(tmp_path, rows=FULL, **changes):
    scenario = sample.load(tmp_path, **changes)
    inst = sample.instance(scenario)
    r = roster(rows)
    report = validate(inst, r)
    return inst, r, report, build_proof(inst, r, report, generated=D(2026, 10, 8))


def workbook(proof) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(proof)))


def sheet_rows(ws, header_row: int = 1) -> list[dict[str, object]]:
    """The table whose header is on `header_row`, down to the first blank row."""
    rows = list(ws.iter_rows(values_only=True))
    header = rows[header_row - 1]
    out = []
    for r in rows[header_row:]:
        if all(v is None for v in r):
            break
        out.append(dict(zip(header, r, strict=False)))
    return out


def test_sample_roster_is_clean_and_fully_covered(tmp_path):
    """The baseline the gap tests remove from: no hard violation, nothing short."""
    _, _, report, proof = proof_of(tmp_path)
    assert report.ok, report.violations
    assert proof.shortfall_slots == []
    assert proof.total.slot_rate == 1.0
    assert proof.substitute_count == 1  # S03 on the image night of 10-04


# -- Daily: the validator's numbers -----------------------------------------------------------
@pytest.mark.parametrize(
    "rows", [FULL, without(("2026-10-02", "D", "S04", "video"), ("2026-09-29", "N", "S07", "image"))]
)
def test_daily_sheet_equals_validator_slots(tmp_path, rows):
    """Every Daily row is one validator SlotResult: same order, required, assigned, shortfall, people."""
    inst, r, report, proof = proof_of(tmp_path, rows)
    daily = sheet_rows(workbook(proof)[SHEETS["daily"]])
    assert list(daily[0]) == list(DAILY_COLUMNS)
    assert len(daily) == len(report.slots) == len(inst.slots)
    for row, slot in zip(daily, report.slots, strict=True):
        assert row["日期"] == slot.date.isoformat()
        assert (row["班次"], row["岗位"]) == (slot.shift, slot.role)
        assert (row["要求人数"], row["实到人数"], row["缺员人数"]) == (
            slot.required,
            slot.assigned,
            slot.shortfall,
        )
        assert (row["在岗人员编号"] or "").split() == list(slot.staff_ids)
        expected = "short" if slot.shortfall else ("substitute" if slot.substitutes else "met")
        assert row["状态"] == SLOT_STATUS_ZH[expected]
    # The summary's totals are the Daily sheet's sums.
    assert proof.total.shortfall == sum(s.shortfall for s in report.slots) == report.scores.coverage


def test_substitute_is_named_on_its_row(tmp_path):
    _, _, _, proof = proof_of(tmp_path)
    daily = sheet_rows(workbook(proof)[SHEETS["daily"]])
    subs = [r for r in daily if r["状态"] == SLOT_STATUS_ZH["substitute"]]
    assert [(r["日期"], r["班次"], r["替岗人员"]) for r in subs] == [("2026-10-04", "N", "张炜霖")]


# -- a deliberate gap -------------------------------------------------------------------------
def test_base_gap_is_exactly_that_slot_with_its_role_clause(tmp_path):
    """Removing the image night of 09-29 leaves exactly that slot short, under 附件二 一.3 / 2.3.3."""
    gap = ("2026-09-29", "N", "S07", "image")
    _, _, _, proof = proof_of(tmp_path, without(gap))
    daily = sheet_rows(workbook(proof)[SHEETS["daily"]])
    short = [r for r in daily if r["状态"] == SLOT_STATUS_ZH["short"]]
    assert [(r["日期"], r["班次"], r["岗位"], r["缺员人数"]) for r in short] == [
        ("2026-09-29", "N", "image", 1)
    ]
    [risk] = proof.risk.shortfalls
    assert (risk.date, risk.shift, risk.role, risk.base_short, risk.surge_short) == (
        D(2026, 9, 29),
        "N",
        "image",
        1,
        0,
    )
    assert risk.clause == R.ROLE_CLAUSES["image"][0]
    assert "2.3.3" in risk.clause and "附件二 一.3" in risk.clause
    # The Risk sheet lists the same single row with that clause.
    ws = workbook(proof)[SHEETS["risk"]]
    rows = sheet_rows(ws, header_row=2)
    # No annex item deducts points per empty shift: the assumption is off unless the scenario sets it.
    assert [(r["日期"], r["违反条款"], r["考核扣分（假设）"]) for r in rows] == [
        ("2026-09-29", R.ROLE_CLAUSES["image"][0], 0)
    ]


def test_surge_gap_breaks_the_surge_clause_not_the_base_promise(tmp_path):
    """10-02 needs 1 video by day plus 1 for the holiday surge; with one there, the surge is short."""
    _, _, _, proof = proof_of(tmp_path, without(("2026-10-02", "D", "S04", "video")))
    [risk] = proof.risk.shortfalls
    assert (risk.date, risk.required, risk.assigned) == (D(2026, 10, 2), 2, 1)
    assert (risk.base_short, risk.surge_short) == (0, 1)
    assert risk.surges == ("国庆节假期",)
    assert risk.clause == "服务方案 2.1.3（特殊时期增派）"
    [surge] = proof.surges
    assert (surge.name, surge.slots, surge.short_slots, surge.shortfall) == ("国庆节假期", 3, 1, 1)


def test_both_parts_short_cite_both_clauses(tmp_path):
    _, _, _, proof = proof_of(
        tmp_path, without(("2026-10-02", "D", "S04", "video"), ("2026-10-02", "D", "S02", "video"))
    )
    [risk] = proof.risk.shortfalls
    assert (risk.shortfall, risk.base_short, risk.surge_short) == (2, 1, 1)
    assert risk.clause.startswith(R.ROLE_CLAUSES["video"][0]) and "特殊时期增派" in risk.clause
    assert risk.points == 0  # off by default: no annex item deducts per empty shift


# -- digest -----------------------------------------------------------------------------------
def test_digest_is_roster_csv_then_scenario_files(tmp_path):
    inst, r, _, proof = proof_of(tmp_path)
    csv_bytes = roster_csv_text(r, inst.scenario).encode("utf-8")
    files = b"".join(open(p, "rb").read() for p in inst.scenario.sources)
    assert proof.digest.combined == hashlib.sha256(csv_bytes + files).hexdigest()
    assert proof.digest.roster == hashlib.sha256(csv_bytes).hexdigest()


def test_digest_changes_when_one_assignment_changes(tmp_path):
    scenario = sample.load(tmp_path)
    inst = sample.instance(scenario)
    base = digest(roster(FULL), inst)
    # Same rows in another order: the canonical CSV is sorted, so the digest holds.
    assert digest(roster(tuple(reversed(FULL))), inst) == base
    # One person swapped on one night.
    changed = [("2026-10-04", "N", "S06", "image") if row == FULL[-1] else row for row in FULL]
    assert digest(roster(changed), inst).combined != base.combined
    # One role changed on one row.
    recast = [("2026-10-04", "N", "S03", "video") if row == FULL[-1] else row for row in FULL]
    assert digest(roster(recast), inst).combined != base.combined


def test_digest_changes_with_the_scenario_file(tmp_path):
    inst = sample.instance(sample.load(tmp_path))
    other = tmp_path / "other"
    other.mkdir()
    inst2 = sample.instance(sample.load(other, name="报告测试（改）"))
    assert digest(roster(), inst).roster == digest(roster(), inst2).roster
    assert digest(roster(), inst).combined != digest(roster(), inst2).combined


# -- hours and pay ----------------------------------------------------------------------------
def test_hours_rows_are_the_scorers_person_months(tmp_path):
    _, _, _, proof = proof_of(tmp_path)
    s06 = {h.month: h for h in proof.hours if h.staff_id == "S06"}
    # Sep: nights 28 and 30 (workdays): 32 h against 3 workdays × 8 h.
    assert (s06["2026-09"].paid, s06["2026-09"].standard, s06["2026-09"].overtime) == (32, 24, 8)
    assert s06["2026-09"].nights == 2
    # Oct: the night of 10-02, a statutory holiday; no workday in 10-01..04.
    assert (s06["2026-10"].paid, s06["2026-10"].holiday, s06["2026-10"].standard) == (16, 16, 0)
    # Caps prorate 36 h by the days of the month in the week, rounded down (3/30, 4/31 of 36).
    assert s06["2026-09"].cap == math.floor(36 * 3 / 30) and s06["2026-10"].cap == math.floor(36 * 4 / 31)
    assert s06["2026-10"].excess == 16 - s06["2026-10"].cap
    # S04's 10-04 is a rest day.
    s04 = next(h for h in proof.hours if h.staff_id == "S04" and h.month == "2026-10")
    assert (s04.restday, s04.holiday) == (8, 24)


def test_annual_leave_counts_workdays_against_entitlement(tmp_path):
    _, _, _, proof = proof_of(tmp_path)
    s07 = next(h for h in proof.hours if h.staff_id == "S07" and h.month == "2026-09")
    # Leave 09-01 (Tue) .. 09-05 (Sat): four workdays, none inside the week.
    assert (s07.annual_leave_days, s07.annual_leave_year_to_date) == (0, 4)
    assert s07.annual_leave_entitlement == 5  # 5 years' service
    assert next(h for h in proof.hours if h.staff_id == "S02").annual_leave_entitlement == 10  # 11 years


def test_pay_under_both_systems_follows_the_stated_formulas(tmp_path):
    _, _, _, proof = proof_of(tmp_path)
    pay = {(p.staff_id, p.month): p for p in proof.pay}
    # S06, 40/h. Sep: two 16 h nights, hours split by the clock. 09-28: 16 h on workdays, 8 h
    # beyond the 8 h day at 150% (standard system). 09-30: 8 h on the workday, 8 h after midnight
    # on 国庆 10-01 at 300% (in September's row, where the shift starts). Comprehensive:
    # 32 h − 8 h holiday − 24 h standard = 0 h at 150%.
    sep = pay["S06", "2026-09"]
    assert (sep.workday_overtime, sep.holiday, sep.comprehensive_excess) == (8, 8, 0)
    assert sep.standard_pay == pytest.approx(40 * (1.5 * 8 + 3 * 8))
    assert sep.comprehensive_pay == pytest.approx(40 * 3 * 8)
    # Oct: one holiday night, 300% under both, and not counted again at 150%.
    oct_ = pay["S06", "2026-10"]
    assert (oct_.holiday, oct_.comprehensive_excess) == (16, 0)
    assert oct_.standard_pay == oct_.comprehensive_pay == pytest.approx(40 * 3 * 16)
    # S02, 50/h: two holiday day shifts in October.
    assert pay["S02", "2026-10"].standard_pay == pytest.approx(50 * 3 * 16)
    # No rate: hours only.
    s04 = pay["S04", "2026-10"]
    assert s04.rate is None and s04.standard_pay is None and s04.comprehensive_pay is None
    assert (s04.restday, s04.holiday) == (8, 24)


def test_pay_sheet_states_formulas_and_leaves_money_blank_without_rate(tmp_path):
    _, _, _, proof = proof_of(tmp_path)
    ws = workbook(proof)[SHEETS["pay"]]
    text = "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    assert "1.5 × 工作日延长工时 + 2 × 休息日工时 + 3 × 法定节假日工时" in text
    assert "综合计算工时制" in text and "300%" in text
    rows = [r for r in ws.iter_rows(values_only=True) if r[0] == "S04"]
    assert rows and all(r[3] == "未设置" and r[7] == "—" for r in rows)


# -- risk -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("score", "share"), [(100, 1.0), (85, 1.0), (84.9, 0.75), (60, 0.75), (59, 0.5)])
def test_payment_tiers_follow_annex_8(score, share):
    assert R.payment_share(score) == share


@pytest.mark.parametrize(
    ("points", "one", "both"), [(0, 0, 0), (10, 0, 0), (11, 5, 5), (20, 5, 5), (21, 10, 15)]
)
def test_quarter_deduction_steps_under_both_readings(points, one, both):
    """附件八 第八条 3 "按季度累计": the higher tier only, or both tiers added up."""
    assert R.annual_points_for_quarter(points) == one
    assert R.annual_points_for_quarter(points, both_tiers=True) == both


def test_the_pooled_counter_the_third_occurrence_and_the_refund(tmp_path):
    """S04 leaves on 10-04 with 14 days' notice and a late replacement; one base gap in September.
    Contract 9.1 pools all three; the third (10-04) lets the buyer terminate and reclaim the 60%
    paid after signing, plus 10%."""
    _, _, _, proof = proof_of(tmp_path, without(("2026-09-29", "N", "S07", "image")))
    risk = proof.risk
    [change] = risk.changes
    assert change.staff_id == "S04" and change.breach
    assert risk.change_points(change) == 3
    pooled = risk.pooled
    assert [(o.date, o.kind) for o in pooled.occurrences] == [
        (D(2026, 9, 28), "late"),  # plan 09-20 + 7 days passed
        (D(2026, 9, 29), "staffing"),  # September: once per month with a shortfall (the default)
        (D(2026, 10, 4), "unapproved"),  # 14 days' notice, not 30
    ]
    value = sample.CONTRACT_VALUE
    assert pooled.penalties_cny == pytest.approx(3 * 0.01 * value) == risk.penalty_total_cny
    assert pooled.third.date == D(2026, 10, 4)
    assert pooled.paid_share_at_third == 0.6  # 8 months have not passed
    assert pooled.refund_cny == pytest.approx(0.6 * value)
    assert pooled.at_risk_cny == pytest.approx(0.03 * value + 0.6 * value + 0.1 * value)
    assert pooled.alternatives == {"per_month": 3, "per_day": 3, "none": 2}
    # Five calendar quarters; only Q3 and Q4 have data, the others say so and count nothing.
    assert [(q.quarter, q.data) for q in risk.quarters] == [
        ("2026Q2", "none"), ("2026Q3", "partial"), ("2026Q4", "partial"),
        ("2027Q1", "none"), ("2027Q2", "none"),
    ]  # fmt: skip
    q3 = risk.quarters[1]
    assert (q3.missing, q3.missed_handovers, q3.points_range) == (1, 2, (2, 2))  # the night's two handovers
    low, high = risk.score_range
    assert low == high == R.INITIAL_SCORE - 3
    assert "2026Q2、2027Q1、2027Q2 无排班数据，未计入" in score_headline(risk)


def test_only_the_contracts_handover_time_counts(tmp_path):
    """With 附件八's 16:00 handover named, the 08:00 change is not a handover: a missing night
    misses one handover, not two."""
    _, _, _, proof = proof_of(
        tmp_path,
        without(("2026-09-29", "N", "S07", "image")),
        contract={**sample.SCENARIO["contract"], "handover_time": "16:00"},
    )
    q3 = proof.risk.quarters[1]
    assert q3.missed_handovers == 1
    assert all(h.at.hour == 16 for h in proof.handovers)


def test_the_per_shift_deduction_is_a_named_assumption_the_user_sets(tmp_path):
    _, _, _, proof = proof_of(
        tmp_path,
        without(("2026-09-29", "N", "S07", "image")),
        contract={**sample.SCENARIO["contract"], "assumed_points_per_missing_shift": 10},
    )
    risk = proof.risk
    q3 = risk.quarters[1]
    assert q3.points_range == (2 + 10, 2 + 10)  # two handovers and the assumed 10 for the missing person
    assert (q3.annual_favourable, q3.annual_strict) == (5, 5)
    assert risk.score_range == (R.INITIAL_SCORE - 3 - 5, R.INITIAL_SCORE - 3 - 5)
    assert any(
        a.startswith(R.ASSUMPTION_ZH + "（用户设置）：低于附件二每缺 1 人次扣 10 分")
        for a in risk.assumptions
    )


def test_risk_sheet_states_the_readings_and_the_refund(tmp_path):
    _, _, _, proof = proof_of(tmp_path, without(("2026-09-29", "N", "S07", "image")))
    ws = workbook(proof)[SHEETS["risk"]]
    text = "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    assert "附件八没有按缺员班次扣分的条款" in text
    assert "读法一（有利）：每季度只扣较高一档" in text and "读法二（从严）：两档相加" in text
    assert "返还甲方已支付的全部款项" in text and "600,000 元" in text
    assert "staff[]" not in text and "contract." not in text  # no developer words for the buyer
    values = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert 0.03 * sample.CONTRACT_VALUE in values


def test_workbook_has_the_six_sheets_and_provisional_marker(tmp_path):
    """A 2027 week is provisional: every Daily row of it says so, and the summary lists the dates."""
    scenario = load_scenario(ROOT / "scenarios" / "contract-2026.yaml")
    inst = Instance(scenario, D(2027, 1, 4), D(2027, 1, 6))
    empty = roster([])
    proof = build_proof(inst, empty, validate(inst, empty))
    wb = workbook(proof)
    assert wb.sheetnames == list(SHEETS.values())
    daily = sheet_rows(wb[SHEETS["daily"]])
    assert daily and all(r["暂定"] == "暂定（尚无官方通知）" for r in daily)
    summary = "\n".join(str(c) for row in wb[SHEETS["summary"]].iter_rows(values_only=True) for c in row if c)
    assert "共 3 天为暂定（尚无官方通知）：2027-01-04 至 2027-01-06" in summary


# -- handover ---------------------------------------------------------------------------------
def test_handover_names_who_hands_to_whom(tmp_path):
    _, _, _, proof = proof_of(tmp_path, without(("2026-09-29", "N", "S07", "image")))
    image = {(h.at, h.from_shift): h for h in proof.handovers if h.role == "image"}
    # 09-28 night (S06) hands over to nobody on the image day shift, which has no requirement.
    morning = image[dt.datetime(2026, 9, 29, 8, 0), "N"]
    assert (morning.outgoing, morning.incoming, morning.status) == (("S06",), (), "无需交接")
    # Nobody takes the 09-29 image night: a missing handover at 16:00 (附件八 附件1 3.2).
    missing = [h for h in proof.handovers if h.missing]
    assert [(h.at, h.role, h.status) for h in missing] == [
        (dt.datetime(2026, 9, 29, 16, 0), "image", "无人接班"),
        (dt.datetime(2026, 9, 30, 8, 0), "image", "无人交班"),
    ]
    video = next(h for h in proof.handovers if h.role == "video" and h.at == dt.datetime(2026, 10, 2, 8, 0))
    assert set(video.incoming) == {"S02", "S04"}


# -- period -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026Q4", D(2026, 10, 1), D(2026, 12, 31)),
        ("2027q1", D(2027, 1, 1), D(2027, 3, 31)),
        ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30)),
        ("2028Q1", D(2028, 1, 1), D(2028, 3, 31)),
    ],
)
def test_parse_quarter(text, start, end):
    assert parse_quarter(text) == (start, end)
    assert quarter_key(start) == quarter_key(end)


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "Q4", "2026", "26Q4", "2026Q4x"])
def test_parse_quarter_refuses_bad_text(text):
    with pytest.raises(InputError, match="--quarter"):
        parse_quarter(text)


def test_clip_to_roster_dates():
    assert clip_to(D(2026, 10, 1), D(2026, 12, 31), D(2026, 9, 28), D(2026, 10, 4)) == (
        D(2026, 10, 1),
        D(2026, 10, 4),
    )
    with pytest.raises(InputError, match="no rows"):
        clip_to(D(2026, 10, 1), D(2026, 12, 31), None, None)


def test_dates_without_a_published_roster_are_no_data_not_no_service(tmp_path):
    """issue 12: the store's actual roster has nothing published for 09-28..09-29; the proof must
    not count those days as nobody on duty (no shortfall, no 9.1 occurrence), and says so."""
    scenario = sample.load(tmp_path)
    inst = sample.instance(scenario)
    gone = {D(2026, 9, 28), D(2026, 9, 29)}
    r = roster([row for row in FULL if D.fromisoformat(row[0]) not in gone])
    report = validate(inst, r)
    counted = build_proof(inst, r, report)
    proof = build_proof(inst, r, report, unpublished=sorted(gone))
    assert any(s.date in gone for s in counted.risk.shortfalls)  # read as no service: short
    assert not any(s.date in gone for s in proof.risk.shortfalls)
    assert not any(row.date in gone for row in proof.daily)
    assert proof.total.shortfall == counted.total.shortfall - sum(
        s.shortfall for s in report.slots if s.date in gone
    )
    # Replacements are records of their own (the late placement stays); staffing is not counted.
    assert "staffing" not in [o.kind for o in proof.risk.pooled.occurrences if o.date in gone]
    assert any(n.startswith("2 天（2026-09-28 至 2026-09-29 之间）没有已发布的排班") for n in proof.notes)
    q3 = next(q for q in proof.risk.quarters if q.quarter == "2026Q3")
    assert q3.data == "partial" and q3.missing == 0
