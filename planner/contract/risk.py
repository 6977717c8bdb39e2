"""Contract risk of a roster, read as the buyer reads it: each uncovered slot and the promise it
breaks, the assessment by the contract's own items per calendar quarter, and contract 9.1's
pooled counter with the money at risk, the refund included.

Sources (../shared/contract-facts.md and the signed contract in ../shared/seeds/):
- Coverage promises: 附件二 一 1-5 (服务质量承诺), per role; the service plan repeats them for video
  (2.1.3), image (2.3.3) and AV (2.4.3), each adding "重大活动及特殊时期需要增加驻场人员，增加人数以
  采购人实际工作需求为准": the legal ground of a surge.
- Assessment (附件八): 第七条 starts at 100, reviewed per calendar quarter ("下个季度第一个月15日前"),
  so the contract year touches five quarters (2026Q2 from 06-15 … 2027Q2 to 06-14). The items a
  roster can cause: a missed 16:00 handover, 1 point each (附件1 3.2, planner.contract.handover);
  nights without the manager's stay on the premises (附件1 1.1 "驻场经理晚间应在办公区内住宿", under
  考勤管理 "视情每人扣1-10分": 1 or 10 per quarter, the two ends); shifts with nobody to answer
  the desk phone (附件八 2.6 "来电未及时接听，视情况每次扣1-5分": per call, so only with
  `contract.assumed_calls_per_unanswered_shift`, off by default); replacements, −3 each and −5
  more when the buyer's onboarding check fails (第八条 2; the check is the buyer's, an input of
  the change). 第八条 3: a quarter with more than 10 points deducted
  costs 5 annual points, more than 20 costs 10 ("按季度累计"): read as one tier (the higher) or as
  both tiers adding up (−15). Two readings are shown, as a range: the favourable one (one tier,
  the low end of every "视情" range) and the strict one (both tiers, the high end). No annex
  item deducts points per empty shift: that is `contract.assumed_points_per_missing_shift`, off by default.
- Payment (附件八 第九条): the last 20% is paid in full at >=85, 75% at 60-84, 50% below 60.
- Contract 9.1 pools "提供的技术服务人员或服务方式不符合要求、擅自更换人员等" into one counter:
  1% of the contract value each time; at the third occurrence (含3次) the buyer may terminate, and
  the supplier returns everything already paid ("返还甲方已经支付的全部款项") and pays 10%. The
  counter here: replacements without the buyer's approval or without 30 days' notice (擅自更换),
  unqualified replacements, replacements placed later than a week after the plan, and staffing
  below 附件二 on working shifts (presence and side duties are other clauses;
  `contract.staffing_breach_count`: once per month with a shortfall, per day, or not counted;
  the contract does not say, the buyer's notices decide).
- Payments made by a date (合同 付款方式): 60% after signing, 20% after 8 months, the last 20% by
  the score at the end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from models.roster import Assignment
from planner.check.score import PersonMonth
from planner.check.validate import OfSlot, SlotResult
from planner.contract.handover import POINTS_PER_MISSED_HANDOVER, Handover, handovers
from planner.contract.replacement import (
    ON_SITE_DAYS,
    PENALTY_SHARE,
    TERMINATION_COUNT,
    TERMINATION_SHARE,
    ChangeReport,
    Check,
    check_changes,
)
from planner.problem.horizon import quarter_key, quarter_range
from planner.problem.instance import Instance

# -- contract clauses -------------------------------------------------------------------------
# The promise each role's minimum comes from (附件二 一; service plan 2.1.3, 2.3.3, 2.4.3).
ROLE_CLAUSES: dict[str, tuple[str, str]] = {
    "manager": ("附件二 一.1", "工作日、公休日、节假日白天不少于1名驻场服务经理"),
    "video": (
        "附件二 一.2；服务方案 2.1.3",
        "工作日白天不少于3名、工作日夜间及公休日节假日不少于1名视频会议工程师",
    ),
    "image": (
        "附件二 一.3；服务方案 2.3.3",
        "工作日白天不少于2名、工作日夜间及公休日节假日不少于1名图像工程师",
    ),
    "av": (
        "附件二 一.4；服务方案 2.4.3",
        "工作日白天不少于2名、工作日夜间及公休日节假日不少于1名音视频工程师",
    ),
    "desk": ("附件二 一.5；服务方案 2.6", "工作日白天不少于1名服务台保障人员"),
}
FALLBACK_CLAUSE = ("附件二 一", "服务内容承诺：全年365天每天24小时值守")
# Not 附件二 staffing: a presence duty is attendance (考勤), a side duty the desk's own item.
PRESENCE_CLAUSE = (
    "附件八 附件1 1.1",
    "驻场经理晚间应在办公区内住宿，不得私自离院（考勤管理，视情每人扣1-10分）",
)
SIDE_CLAUSE = ("附件一 2.6；附件八 2.6", "服务台全年365天*24小时；来电未及时接听，视情况每次扣1-5分")
ATTENDANCE_POINTS = (1, 10)  # 附件八 附件1 1.1: 视情每人扣 1-10 分 (favourable, strict)
CALL_POINTS = (1, 5)  # 附件八 2.6: 来电未及时接听，视情况每次扣 1-5 分
# Surges: "重大活动及特殊时期需要增加驻场人员，增加人数以采购人实际工作需求为准".
SURGE_CLAUSES: dict[str, str] = {"video": "服务方案 2.1.3", "image": "服务方案 2.3.3", "av": "服务方案 2.4.3"}
SURGE_FALLBACK_CLAUSE = "服务方案 2.1.3"
SURGE_CLAUSE_TEXT = "重大活动及特殊时期增加驻场人员，人数以采购人实际需求为准"

# -- money ------------------------------------------------------------------------------------
FINAL_PAYMENT_SHARE = 0.20  # 附件八 第六条: the assessment decides the last 20%
FIRST_PAYMENT_SHARE = 0.60  # 合同 付款方式: 60% after signing
SECOND_PAYMENT_SHARE = 0.20  # 合同 付款方式: 20% after 8 months
SECOND_PAYMENT_MONTHS = 8
# 附件八 第九条: (lowest score, share of the last 20% paid), best tier first.
PAYMENT_TIERS: tuple[tuple[int, float], ...] = ((85, 1.0), (60, 0.75), (0, 0.5))

# -- points (附件八) ---------------------------------------------------------------------------
INITIAL_SCORE = 100  # 第七条
# 第八条 3: (quarterly points deducted more than, annual points lost), largest first.
QUARTER_STEPS: tuple[tuple[int, int], ...] = ((20, 10), (10, 5))

ASSUMPTION_ZH = "假设"
STAFFING_COUNT_ZH = {"per_month": "每月有缺员计 1 次", "per_day": "每日有缺员计 1 次", "none": "缺员不计入"}
OCCURRENCE_ZH = {
    "unapproved": "擅自更换人员（未获采购人书面同意或未提前30天通知）",
    "unqualified": "更换人员资质不符合要求",
    "late": "替换人员未在方案后一周内到岗",
    "staffing": "驻场人数低于附件二承诺",
}
NOTES = (
    "合同 5.3：考核未达标，经通知后10日内未改正的，甲方可解除合同，后果同 9.1。",
    "本报告只计排班可见的考核项；会议保障、文档、设备监控等其他考核项不在排班数据中，未计入。",
)


def role_clause(role: str) -> tuple[str, str]:
    return ROLE_CLAUSES.get(role, FALLBACK_CLAUSE)


def payment_share(score: float) -> float:
    """Share of the last 20% paid for an annual score (附件八 第九条)."""
    return next(share for lowest, share in PAYMENT_TIERS if score >= lowest)


def tier_label(score: float) -> str:
    if score >= PAYMENT_TIERS[0][0]:
        return f"≥{PAYMENT_TIERS[0][0]} 分：支付尾款 100%"
    if score >= PAYMENT_TIERS[1][0]:
        return f"{PAYMENT_TIERS[1][0]}-{PAYMENT_TIERS[0][0] - 1} 分：支付尾款 75%"
    return f"<{PAYMENT_TIERS[1][0]} 分：支付尾款 50%"


def annual_points_for_quarter(points: float, both_tiers: bool = False) -> int:
    """Annual points a quarter's deductions cost (附件八 第八条 3): the higher tier only, or with
    `both_tiers` every tier passed added up (more than 20 points: 5 + 10 = 15)."""
    passed = [lost for above, lost in QUARTER_STEPS if points > above]
    if both_tiers:
        return sum(passed)
    return max(passed, default=0)


def payments_made_by(contract, date: dt.date) -> float:
    """Share of the contract value paid by `date` under the payment schedule (合同 付款方式);
    the final 20% is paid only after the year's assessment, so never before the end."""
    share = FIRST_PAYMENT_SHARE if date >= contract.first_payment_date else 0.0
    if date >= add_months(contract.start, SECOND_PAYMENT_MONTHS):
        share += SECOND_PAYMENT_SHARE
    return share


def add_months(date: dt.date, months: int) -> dt.date:
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last))


@dataclass(frozen=True)
class ShortfallRisk(OfSlot):
    """One uncovered slot and the promise it breaks; figures are the validator's."""

    slot: SlotResult
    kind: str  # "staffing" (附件二), "presence" (附件八 附件1 1.1) or "side" (附件一 2.6)
    base_short: int  # missing against the contract's minimum (附件二 一)
    surge_short: int  # missing against surge additions (2.1.3 "as the buyer actually needs")
    surges: tuple[str, ...]
    clause: str
    clause_text: str
    points: float  # contract.assumed_points_per_missing_shift × shortfall (假设; 0 when off)


@dataclass(frozen=True)
class QuarterDeduction:
    """One calendar quarter of the contract year (or of the period, without a contract)."""

    quarter: str  # e.g. 2026Q4
    start: dt.date  # the quarter's days inside the contract year
    end: dt.date
    data: str  # "whole", "partial" or "none": how much of it this roster covers
    missing: int  # missing person-shifts against 附件二 in the roster's part of the quarter
    missed_handovers: int  # 附件八 附件1 3.2
    handover_points: int
    assumed_points: float  # contract.assumed_points_per_missing_shift × missing (假设; 0 when off)
    replacement_points: int  # −3 / −5 of replacements leaving in the quarter (shown, not tiered)
    stays_missing: int = 0  # presence duties with nobody (the manager's night stay), person-nights
    presence_roles_short: int = 0  # roles with any such night: 1-10 points each (附件1 1.1)
    unanswered_shifts: int = 0  # side-duty slots nobody covers (the desk phone)
    assumed_calls: float = 0  # contract.assumed_calls_per_unanswered_shift (假设; 0 when off)

    def points_at(self, end: int) -> float:
        """Points deducted in the quarter by items a roster can cause (tiered by 第八条 3), at the
        low (0, favourable) or high (1, strict) end of every "视情" range."""
        attendance = ATTENDANCE_POINTS[end] * self.presence_roles_short
        calls = CALL_POINTS[end] * self.assumed_calls * self.unanswered_shifts
        return self.handover_points + self.assumed_points + attendance + calls

    @property
    def points_range(self) -> tuple[float, float]:
        return self.points_at(0), self.points_at(1)

    @property
    def annual_favourable(self) -> int:
        """Reading one: the low end of each range, the higher tier only."""
        return annual_points_for_quarter(self.points_at(0))

    @property
    def annual_strict(self) -> int:
        """Reading two: the high end of each range, both tiers added up."""
        return annual_points_for_quarter(self.points_at(1), both_tiers=True)


@dataclass(frozen=True)
class Projection:
    label: str
    score: float
    share: float
    tier: str
    payment_cny: float | None  # of the last 20%
    loss_cny: float | None  # against paying it in full


@dataclass(frozen=True)
class Occurrence:
    """One count on contract 9.1's pooled counter."""

    date: dt.date
    kind: str  # OCCURRENCE_ZH key
    detail: str


@dataclass
class PooledCounter:
    """Contract 9.1: every occurrence, its 1%, and what the third one would cost."""

    counting: str  # contract.staffing_breach_count
    occurrences: list[Occurrence]
    contract_value: float | None
    first_payment: dt.date | None
    second_payment: dt.date | None
    alternatives: dict[str, int]  # occurrences under each way of counting staffing
    unrecorded_approvals: int  # changes without a recorded approval: counted only if refused

    @property
    def count(self) -> int:
        return len(self.occurrences)

    @property
    def penalty_each_cny(self) -> float | None:
        return None if self.contract_value is None else round(PENALTY_SHARE * self.contract_value, 2)

    @property
    def penalties_cny(self) -> float | None:
        each = self.penalty_each_cny
        return None if each is None else round(each * self.count, 2)

    @property
    def third(self) -> Occurrence | None:
        return self.occurrences[TERMINATION_COUNT - 1] if self.count >= TERMINATION_COUNT else None

    @property
    def paid_share_at_third(self) -> float:
        if self.third is None or self.first_payment is None:
            return 0.0
        share = FIRST_PAYMENT_SHARE if self.third.date >= self.first_payment else 0.0
        if self.second_payment and self.third.date >= self.second_payment:
            share += SECOND_PAYMENT_SHARE
        return share

    @property
    def refund_cny(self) -> float | None:
        """Everything paid by the third occurrence, returned on termination (9.1)."""
        if self.third is None:
            return 0.0
        return (
            None if self.contract_value is None else round(self.paid_share_at_third * self.contract_value, 2)
        )

    @property
    def termination_penalty_cny(self) -> float | None:
        if self.third is None:
            return 0.0
        return None if self.contract_value is None else round(TERMINATION_SHARE * self.contract_value, 2)

    @property
    def at_risk_cny(self) -> float | None:
        """The 1% penalties, and on termination the refund and the 10%."""
        parts = (self.penalties_cny, self.refund_cny, self.termination_penalty_cny)
        return None if any(x is None for x in parts) else round(sum(parts), 2)


@dataclass
class RiskReport:
    shortfalls: list[ShortfallRisk]
    quarters: list[QuarterDeduction]
    changes: list[ChangeReport]  # planner.contract.replacement, for changes whose last day is in the period
    termination: Check  # contract 9.1: three breaches over the whole scenario allow termination
    overtime_over_cap: list[PersonMonth]  # 劳动法 41: labour-law risk, no contract money
    projections: list[Projection]  # [one tier (the higher end), both tiers (the lower end)]
    contract_value: float | None
    pooled: PooledCounter
    handovers_missed: int
    assumptions: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = NOTES

    @property
    def penalty_total_cny(self) -> float | None:
        """Contract 9.1 penalties of every occurrence counted (1% each)."""
        return self.pooled.penalties_cny

    @staticmethod
    def change_points(change: ChangeReport) -> int:
        """Points a change costs (附件八 第八条 2): −3, and −5 more when the buyer's check failed."""
        return -(change.points + change.points_at_risk)

    @property
    def missing_total(self) -> int:
        return sum(s.shortfall for s in self.shortfalls)

    @property
    def score_range(self) -> tuple[float, float]:
        """(lowest, highest) annual score over the two readings of 按季度累计."""
        return min(p.score for p in self.projections), max(p.score for p in self.projections)


def surge_additions(instance: Instance, date: dt.date, shift: str, role: str) -> tuple[int, tuple[str, ...]]:
    """How much of a slot's requirement comes from active surges, and their names."""
    count, names = 0, []
    for surge in instance.scenario.surges:
        if not surge.active_on(date):
            continue
        add = sum(a.count for a in surge.add if a.role == role and a.shift == shift)
        if add:
            count += add
            names.append(surge.name)
    return count, tuple(names)


def shortfall_risks(instance: Instance, slots: list[SlotResult]) -> list[ShortfallRisk]:
    """Every short slot, its missing people split into the base promise first, surge second.

    A slot short by k with s surge additions is s' = min(k, s) short of the surge and k - s' short
    of the base minimum: the base promise is met before any surge addition is.
    """
    contract = instance.scenario.contract
    assumed = contract.assumed_points_per_missing_shift if contract else 0
    out = []
    for slot in slots:
        if slot.shortfall <= 0:
            continue
        surge, names = surge_additions(instance, slot.date, slot.shift, slot.role)
        surge_short = min(slot.shortfall, surge)
        base_short = slot.shortfall - surge_short
        kind = slot_kind(instance, slot)
        clauses, texts = [], []
        if base_short:
            clause, text = {"presence": PRESENCE_CLAUSE, "side": SIDE_CLAUSE}.get(kind) or role_clause(
                slot.role
            )
            clauses.append(clause)
            texts.append(text)
        if surge_short:
            clauses.append(SURGE_CLAUSES.get(slot.role, SURGE_FALLBACK_CLAUSE) + "（特殊时期增派）")
            texts.append(f"{'、'.join(names)}：{SURGE_CLAUSE_TEXT}")
        out.append(
            ShortfallRisk(
                slot=slot,
                kind=kind,
                base_short=base_short,
                surge_short=surge_short,
                surges=names,
                clause="；".join(clauses),
                clause_text="；".join(texts),
                points=assumed * slot.shortfall if kind == "staffing" else 0,
            )
        )
    return out


def slot_kind(instance: Instance, slot: SlotResult) -> str:
    """Which promise a slot is: 附件二 staffing, a presence duty, or a side duty."""
    if not instance.is_work(slot.shift):
        return "presence"
    return "side" if slot.role in instance.side_roles else "staffing"


def quarters_of(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Every calendar quarter touched by start..end: (key, first day inside, last day inside)."""
    out = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while True:
        q_start, q_end = quarter_range(year, quarter)
        if q_start > end:
            return out
        out.append((f"{year}Q{quarter}", max(q_start, start), min(q_end, end)))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_deductions(
    instance: Instance,
    start: dt.date,
    end: dt.date,
    shortfalls: list[ShortfallRisk],
    missed: list[Handover],
    changes: list[ChangeReport],
    no_data: frozenset[dt.date] = frozenset(),
) -> list[QuarterDeduction]:
    """Points per calendar quarter of the contract year (the period's, without a contract)."""
    contract = instance.scenario.contract
    year_start, year_end = (contract.start, contract.end) if contract else (start, end)
    assumed = contract.assumed_points_per_missing_shift if contract else 0
    calls = contract.assumed_calls_per_unanswered_shift if contract else 0
    missing: dict[str, int] = defaultdict(int)
    stays: dict[str, int] = defaultdict(int)
    stay_roles: dict[str, set[str]] = defaultdict(set)
    unanswered: dict[str, int] = defaultdict(int)
    for s in shortfalls:
        key = quarter_key(s.date)
        if s.kind == "presence":
            stays[key] += s.shortfall
            stay_roles[key].add(s.role)
        elif s.kind == "side":
            unanswered[key] += s.shortfall
        else:
            missing[key] += s.shortfall
    handovers: dict[str, int] = defaultdict(int)
    for h in missed:
        handovers[quarter_key(h.at.date())] += 1
    replaced: dict[str, int] = defaultdict(int)
    for c in changes:
        replaced[quarter_key(c.last_day)] += RiskReport.change_points(c)
    out = []
    for key, q_start, q_end in quarters_of(min(year_start, start), max(year_end, end)):
        lo, hi = max(q_start, start), min(q_end, end)
        with_data = sum(1 for i in range((hi - lo).days + 1) if lo + dt.timedelta(days=i) not in no_data)
        whole = (q_end - q_start).days + 1
        data = "none" if with_data <= 0 else ("whole" if with_data == whole else "partial")
        out.append(
            QuarterDeduction(
                quarter=key,
                start=q_start,
                end=q_end,
                data=data,
                missing=missing[key],
                missed_handovers=handovers[key],
                handover_points=POINTS_PER_MISSED_HANDOVER * handovers[key],
                assumed_points=assumed * missing[key],
                replacement_points=replaced[key],
                stays_missing=stays[key],
                presence_roles_short=len(stay_roles[key]),
                unanswered_shifts=unanswered[key],
                assumed_calls=calls,
            )
        )
    return out


def _projection(label: str, score: float, value: float | None) -> Projection:
    share = payment_share(score)
    final = None if value is None else FINAL_PAYMENT_SHARE * value
    return Projection(
        label=label,
        score=score,
        share=share,
        tier=tier_label(score),
        payment_cny=None if final is None else final * share,
        loss_cny=None if final is None else final * (1 - share),
    )


def staffing_occurrences(shortfalls: list[ShortfallRisk], counting: str) -> list[Occurrence]:
    """Staffing below 附件二 (the base promise of working posts, not surges) as 9.1 occurrences."""
    days = sorted({s.date for s in shortfalls if s.base_short > 0 and s.kind == "staffing"})
    if counting == "none":
        return []
    if counting == "per_day":
        return [Occurrence(d, "staffing", f"{d} 驻场人数低于附件二承诺") for d in days]
    firsts: dict[str, dt.date] = {}
    for d in days:
        firsts.setdefault(f"{d:%Y-%m}", d)
    short_days = defaultdict(int)
    for d in days:
        short_days[f"{d:%Y-%m}"] += 1
    return [
        Occurrence(d, "staffing", f"{m} 有 {short_days[m]} 天低于附件二承诺（首日 {d}）")
        for m, d in firsts.items()
    ]


def change_occurrences(changes: list[ChangeReport], scenario) -> tuple[list[Occurrence], int]:
    """Replacements that count on 9.1's counter, and how many have no recorded approval."""
    out, unrecorded = [], 0
    for c, change in ((c, scenario.changes[c.index]) for c in changes):
        who = f"{c.staff_id} {c.staff_name}"
        if change.approved is False or c.check("notice").verdict == "broken":
            why = "采购人未同意" if change.approved is False else "未提前30天书面通知"
            out.append(Occurrence(c.last_day, "unapproved", f"更换 {who}：{why}"))
        elif change.approved is None:
            unrecorded += 1
        if c.check("qualified").verdict == "broken":
            out.append(
                Occurrence(c.replacement_start or c.last_day, "unqualified", f"更换 {who}：替换人员资质不符")
            )
        if c.check("on_time").verdict == "broken":
            late = c.plan_date + dt.timedelta(days=ON_SITE_DAYS + 1)
            out.append(Occurrence(late, "late", f"更换 {who}：替换人员未在 {c.plan_date} 后一周内到岗"))
    return out, unrecorded


def build_risk(
    instance: Instance,
    slots: list[SlotResult],
    months: list[PersonMonth],
    start: dt.date,
    end: dt.date,
    assignments: list[Assignment] | tuple[Assignment, ...] = (),
    no_data: frozenset[dt.date] = frozenset(),
) -> RiskReport:
    """The Risk sheet's data for a roster of start..end (the instance's horizon); `slots` leave out
    the `no_data` dates (no published roster), which count as days without data."""
    scenario = instance.scenario
    contract = scenario.contract
    value = contract.value_cny if contract else None
    shortfalls = shortfall_risks(instance, slots)
    required = {(s.date, s.shift, s.role): s.required for s in slots}
    missed = [h for h in handovers(instance, assignments, required) if h.missing]
    checked = check_changes(scenario)
    changes = [c for c in checked.changes if start <= c.last_day <= end]
    quarters = quarter_deductions(instance, start, end, shortfalls, missed, checked.changes, no_data)
    change_points = sum(RiskReport.change_points(c) for c in changes)

    # 按季度累计, two readings: one tier per quarter (the higher) at the low end of each "视情"
    # range, or every tier passed added up at the high end.
    one = INITIAL_SCORE - sum(q.annual_favourable for q in quarters) - change_points
    both = INITIAL_SCORE - sum(q.annual_strict for q in quarters) - change_points

    counting = contract.staffing_breach_count if contract else "per_month"
    from_changes, unrecorded = change_occurrences(checked.changes, scenario)
    alternatives = {
        mode: len(from_changes) + len(staffing_occurrences(shortfalls, mode)) for mode in STAFFING_COUNT_ZH
    }
    occurrences = sorted([*from_changes, *staffing_occurrences(shortfalls, counting)], key=lambda o: o.date)
    pooled = PooledCounter(
        counting=counting,
        occurrences=occurrences,
        contract_value=value,
        first_payment=contract.first_payment_date if contract else None,
        second_payment=add_months(contract.start, SECOND_PAYMENT_MONTHS) if contract else None,
        alternatives=alternatives,
        unrecorded_approvals=unrecorded,
    )
    no_data = [q.quarter for q in quarters if q.data == "none"]
    assumed = contract.assumed_points_per_missing_shift if contract else 0
    calls = contract.assumed_calls_per_unanswered_shift if contract else 0
    assumptions = [
        f"附件八 第八条 3（按季度累计）：单季度扣分大于 {QUARTER_STEPS[1][0]} 分"
        f"年度 -{QUARTER_STEPS[1][1]} 分，大于 {QUARTER_STEPS[0][0]} 分年度 -{QUARTER_STEPS[0][1]} 分。"
        "读法一（有利）：只扣较高一档，视情扣分取下限；"
        f"读法二（从严）：两档相加（-{QUARTER_STEPS[0][1] + QUARTER_STEPS[1][1]} 分），视情扣分取上限。"
        "两种读法都列出，得分为区间。",
        "计入的考核项：未按时交接班（附件八 附件1 3.2，每日 16 时，每岗位每次 1 分）；"
        "驻场经理夜间未在办公区住宿（附件1 1.1 考勤管理，视情每人扣 1-10 分：季度内有无人住宿的夜晚，"
        "读法一按 1 分、读法二按 10 分）；人员更换每人次 -3 分，"
        "采购人上岗考核未通过再 -5 分（第八条 2，以更换记录中的考核结果为准）。",
        (
            f"{ASSUMPTION_ZH}（用户设置）：服务台电话无人接听的每个班次按 {calls:g} 通来电计，"
            "每通扣 1-5 分（附件八 2.6，读法一取 1 分、读法二取 5 分）。"
            if calls
            else "服务台电话无人接听的班次单独列出；附件八 2.6 按每通未接来电扣 1-5 分，"
            "排班无法知道来电数，未计入扣分（如需估算，可在情景中设置每班次来电数的假设）。"
        ),
        (
            f"{ASSUMPTION_ZH}（用户设置）：低于附件二每缺 1 人次扣 {assumed:g} 分；"
            "附件八没有按缺员班次扣分的条款。"
            if assumed
            else "附件八没有按缺员班次扣分的条款，缺员本身不计考核扣分"
            "（如需估算，可在情景中设置每人次扣分的假设）。"
        ),
        f"合同 9.1 累计次数：{STAFFING_COUNT_ZH[counting]}（情景设置；合同未规定，以采购人书面通知为准；"
        "只计附件二的岗位人数，驻场住宿与兼任电话另按考核项计）。"
        f"按其他计法：" + "，".join(f"{STAFFING_COUNT_ZH[m]} {n} 次" for m, n in alternatives.items()) + "。",
    ]
    if no_data:
        assumptions.append(
            f"{'、'.join(no_data)} 没有本排班的数据，未计入任何扣分；得分区间只反映有排班数据的季度。"
        )
    if unrecorded:
        assumptions.append(
            f"{unrecorded} 次人员更换未记录采购人是否书面同意：未计入 9.1；若采购人不认可，每次再计 1 次。"
        )
    overtime_over_cap = [m for m in months if m.excess_minutes > 0]
    return RiskReport(
        shortfalls=shortfalls,
        quarters=quarters,
        changes=changes,
        overtime_over_cap=overtime_over_cap,
        projections=[
            _projection("读法一（有利）：每季度只扣较高一档，视情扣分取下限", one, value),
            _projection("读法二（从严）：两档相加，视情扣分取上限", both, value),
        ],
        contract_value=value,
        pooled=pooled,
        handovers_missed=len(missed),
        termination=checked.termination,
        assumptions=assumptions,
    )
