"""Contract risk of a roster: each uncovered slot mapped to the clause it breaks, the contract's
money penalties, and the projected annual assessment score and payment tier.

Sources (../shared/contract-facts.md and the signed contract in ../shared/seeds/):
- Coverage promises: 附件二 一 1-5 (服务质量承诺), per role; the service plan repeats them for video
  (2.1.3), image (2.3.3) and AV (2.4.3), each adding "重大活动及特殊时期需要增加驻场人员，增加人数以
  采购人实际工作需求为准": the legal ground of a surge.
- Money: contract 9.1 charges 1% of the contract value for each staff change without approval
  (擅自更换人员) or with unqualified people; three or more let the buyer terminate with a 10%
  penalty. Those checks are planner.contract.replacement'; this module only picks the period's changes. The
  contract names no money penalty for an uncovered shift as such, so none is counted (`NOTES`).
- Points: 附件八 第七条 starts at 100; 第八条 2 takes 3 points per replacement and 5 more when the
  replacement fails the onboarding check; 第八条 3 turns a quarter with more than 10 (20) points
  deducted into -5 (-10) annual points. 第九条 pays the last 20% of the contract value in full at
  >=85, 75% at 60-84 and 50% below 60.
- The contract gives no points per uncovered shift. ASSUMPTION (假设, named below): each missing
  person on a shift is one attendance/handover deduction of 1 point (附件八 附件1 1.1 考勤: 1-10 points
  per person; 3.2 交接班: a missing handover costs 1 point each time).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from planner.check.score import PersonMonth
from planner.check.validate import OfSlot, SlotResult
from planner.contract.replacement import ChangeReport, Check, check_changes
from planner.problem.horizon import quarter_key, quarter_range
from planner.problem.instance import Instance
from planner.rules import label

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
# Surges: "重大活动及特殊时期需要增加驻场人员，增加人数以采购人实际工作需求为准".
SURGE_CLAUSES: dict[str, str] = {"video": "服务方案 2.1.3", "image": "服务方案 2.3.3", "av": "服务方案 2.4.3"}
SURGE_FALLBACK_CLAUSE = "服务方案 2.1.3"
SURGE_CLAUSE_TEXT = "重大活动及特殊时期增加驻场人员，人数以采购人实际需求为准"

# -- money ------------------------------------------------------------------------------------
# Staff changes and their contract 9.1 penalties are checked by planner.contract.replacement.
FINAL_PAYMENT_SHARE = 0.20  # 附件八 第六条: the assessment decides the last 20%
# 附件八 第九条: (lowest score, share of the last 20% paid), best tier first.
PAYMENT_TIERS: tuple[tuple[int, float], ...] = ((85, 1.0), (60, 0.75), (0, 0.5))

# -- points (附件八) ---------------------------------------------------------------------------
INITIAL_SCORE = 100  # 第七条
# 第八条 3: (quarterly points deducted more than, annual points lost), largest first.
QUARTER_STEPS: tuple[tuple[int, int], ...] = ((20, 10), (10, 5))
# ASSUMPTION (假设): the contract gives no points per uncovered shift; each missing person on a
# shift counts as one attendance/handover deduction (附件八 附件1 1.1 and 3.2).
POINTS_PER_MISSING_PERSON_SHIFT = 1
# ASSUMPTION (假设) for the full-year projection: four quarterly reviews a year, each like the
# report period's average day.
REVIEWS_PER_YEAR = 4
DAYS_PER_QUARTER = 365.25 / 4

ASSUMPTION_ZH = "假设"
NOTES = (
    "合同未就单个班次缺员约定金额违约金，本表不计缺员的违约金。",
    "潜在风险：合同 9.1 第三款——提供的技术服务人员不符合要求，经甲方通知后10日内未改正的，"
    "按合同总金额1%支付违约金；累计3次以上甲方可解除合同并收取10%违约金。是否触发取决于甲方书面通知。",
    "合同 5.3：日常考核未达标的，按最终评分核算后的金额支付违约金（即下表的尾款档位）。",
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


def annual_points_for_quarter(points: float) -> int:
    """Annual points a quarter's deductions cost (附件八 第八条 3)."""
    return next((lost for above, lost in QUARTER_STEPS if points > above), 0)


@dataclass(frozen=True)
class ShortfallRisk(OfSlot):
    """One uncovered slot and the promise it breaks; figures are the validator's."""

    slot: SlotResult
    base_short: int  # missing against the contract's minimum (附件二 一)
    surge_short: int  # missing against surge additions (2.1.3 "as the buyer actually needs")
    surges: tuple[str, ...]
    clause: str
    clause_text: str
    points: int  # POINTS_PER_MISSING_PERSON_SHIFT × shortfall (假设)


@dataclass(frozen=True)
class QuarterDeduction:
    quarter: str  # e.g. 2026Q4
    start: dt.date  # the part of the quarter inside the report period
    end: dt.date
    whole: bool  # the period covers the whole quarter
    missing: int  # missing person-shifts
    points: int
    annual_points: int  # 附件八 第八条 3


@dataclass(frozen=True)
class Projection:
    label: str
    score: float
    share: float
    tier: str
    payment_cny: float | None  # of the last 20%
    loss_cny: float | None  # against paying it in full


@dataclass
class RiskReport:
    shortfalls: list[ShortfallRisk]
    quarters: list[QuarterDeduction]
    changes: list[ChangeReport]  # planner.contract.replacement, for changes whose last day is in the period
    termination: Check  # contract 9.1: three breaches over the whole scenario allow termination
    overtime_over_cap: list[PersonMonth]  # 劳动法 41: labour-law risk, no contract money
    projections: list[Projection]
    contract_value: float | None
    assumptions: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = NOTES

    @property
    def penalty_total_cny(self) -> float | None:
        """Contract 9.1 penalties of the period's changes; None if the contract value is unknown."""
        if any(c.breach and c.penalty_cny is None for c in self.changes):
            return None
        return sum(c.penalty_cny or 0 for c in self.changes)

    @staticmethod
    def change_points(change: ChangeReport) -> int:
        """Points a change costs (附件八 第八条 2), the onboarding −5 counted when unqualified (假设)."""
        return -(change.points + change.points_at_risk)

    @property
    def missing_total(self) -> int:
        return sum(s.shortfall for s in self.shortfalls)


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
    out = []
    for slot in slots:
        if slot.shortfall <= 0:
            continue
        surge, names = surge_additions(instance, slot.date, slot.shift, slot.role)
        surge_short = min(slot.shortfall, surge)
        base_short = slot.shortfall - surge_short
        clauses, texts = [], []
        if base_short:
            clause, text = role_clause(slot.role)
            clauses.append(clause)
            texts.append(text)
        if surge_short:
            clauses.append(SURGE_CLAUSES.get(slot.role, SURGE_FALLBACK_CLAUSE) + "（特殊时期增派）")
            texts.append(f"{'、'.join(names)}：{SURGE_CLAUSE_TEXT}")
        out.append(
            ShortfallRisk(
                slot=slot,
                base_short=base_short,
                surge_short=surge_short,
                surges=names,
                clause="；".join(clauses),
                clause_text="；".join(texts),
                points=POINTS_PER_MISSING_PERSON_SHIFT * slot.shortfall,
            )
        )
    return out


def quarter_deductions(
    start: dt.date, end: dt.date, shortfalls: list[ShortfallRisk]
) -> list[QuarterDeduction]:
    """Assumed points per calendar quarter touched by start..end, and what they cost a year."""
    missing: dict[str, int] = defaultdict(int)
    for s in shortfalls:
        missing[quarter_key(s.date)] += s.shortfall
    out = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while True:
        q_start, q_end = quarter_range(year, quarter)
        if q_start > end:
            break
        key = f"{year}Q{quarter}"
        points = POINTS_PER_MISSING_PERSON_SHIFT * missing[key]
        out.append(
            QuarterDeduction(
                quarter=key,
                start=max(q_start, start),
                end=min(q_end, end),
                whole=start <= q_start and q_end <= end,
                missing=missing[key],
                points=points,
                annual_points=annual_points_for_quarter(points),
            )
        )
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
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


def build_risk(
    instance: Instance, slots: list[SlotResult], months: list[PersonMonth], start: dt.date, end: dt.date
) -> RiskReport:
    """The Risk sheet's data for the period start..end (the instance's horizon)."""
    scenario = instance.scenario
    value = scenario.contract.value_cny if scenario.contract else None
    shortfalls = shortfall_risks(instance, slots)
    quarters = quarter_deductions(start, end, shortfalls)
    checked = check_changes(scenario)
    changes = [c for c in checked.changes if start <= c.last_day <= end]
    change_points = sum(RiskReport.change_points(c) for c in changes)

    # A: only what happened in the period; every other quarter assumed clean.
    score_period = INITIAL_SCORE - sum(q.annual_points for q in quarters) - change_points
    # B: every quarterly review of the year like the period's average day.
    days = (end - start).days + 1
    missing = sum(s.shortfall for s in shortfalls)
    quarter_points = POINTS_PER_MISSING_PERSON_SHIFT * missing * DAYS_PER_QUARTER / days
    score_year = INITIAL_SCORE - REVIEWS_PER_YEAR * annual_points_for_quarter(quarter_points) - change_points

    assumptions = [
        f"{ASSUMPTION_ZH}：合同未规定每个缺员班次扣几分；按每缺 1 人次计 {POINTS_PER_MISSING_PERSON_SHIFT} 分"
        "（比照附件八附件1 1.1 考勤、3.2 未交接班每次扣1分）。",
        f"附件八 第八条 3：单季度减分大于 {QUARTER_STEPS[1][0]} 分，年度 -{QUARTER_STEPS[1][1]} 分；"
        f"大于 {QUARTER_STEPS[0][0]} 分，年度 -{QUARTER_STEPS[0][1]} 分。季度按自然季度划分。",
        f"{ASSUMPTION_ZH}：“仅计本期”假设其余季度无任何扣分或加分；“全年按本期推算”假设全年 "
        f"{REVIEWS_PER_YEAR} 次季度考核的缺员扣分均与本期日均水平相同（每季度约 {quarter_points:.1f} 分）。",
        "人员更换按附件八 第八条 2 每人次扣 3 分；"
        f"{ASSUMPTION_ZH}：替换人员资质不符（{label('qualified')}"
        "未通过）时按“未通过上岗考核”再扣 5 分。"
        "违约金按合同 9.1：未提前通知（擅自更换）或人员不符合要求，每次 1%。",
        "本表只计排班可见的事项；会议保障、文档、设备监控等其他考核项不在排班数据中，未计入。",
    ]
    overtime_over_cap = [m for m in months if m.excess_minutes > 0]
    return RiskReport(
        shortfalls=shortfalls,
        quarters=quarters,
        changes=changes,
        overtime_over_cap=overtime_over_cap,
        projections=[
            _projection("仅计本期（其余季度按无扣分）", score_period, value),
            _projection(f"全年按本期推算（{ASSUMPTION_ZH}）", score_year, value),
        ],
        contract_value=value,
        termination=checked.termination,
        assumptions=assumptions,
    )
