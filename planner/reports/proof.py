"""The coverage proof for the quarterly review (contract 5.2, 附件八): the report's data.

Everything here is plain dataclasses built from an `Instance`, a `Roster` and the validator's
`ValidationReport`; the file formats (xlsx.py, pdf.py) only lay it out. Per-slot figures
(required, assigned, names on duty, shortfall, substitutes) are the validator's own
`SlotResult`s, and hours are `planner.check.score.person_months`: the proof never counts coverage a
second way, so it cannot disagree with `roster validate`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from calendars import scenario_days
from models.errors import InputError
from models.loader import MAX_YAML_BYTES
from models.reading import FileRefused, read_bounded
from models.roster import Assignment, Roster
from models.scenario import Staff
from planner.check.score import PersonMonth, Scores, in_horizon, person_months
from planner.check.validate import OfSlot, SlotResult, ValidationReport, Violation
from planner.contract.handover import Handover, handovers
from planner.contract.risk import OCCURRENCE_ZH, STAFFING_COUNT_ZH, RiskReport, build_risk
from planner.files.roster_csv import roster_csv_text
from planner.problem.instance import Instance
from planner.problem.labels import (
    DAY_KIND_ZH,
    PROVISIONAL_ZH,
    WEEKDAY_ZH,
    working_time_lines,
    working_time_summary,
)
from planner.problem.numbers import plain

STATUS_MET, STATUS_SHORT, STATUS_SUBSTITUTE = "met", "short", "substitute"
SLOT_STATUS_ZH = {STATUS_MET: "达标", STATUS_SHORT: "缺员", STATUS_SUBSTITUTE: "替岗"}

# Overtime pay (劳动法 44; 工资支付暂行规定 13): multipliers of the hourly base rate.
WORKDAY_OVERTIME_RATE = 1.5
RESTDAY_RATE = 2.0  # unless time off in lieu is given; the roster records none
HOLIDAY_RATE = 3.0
COMPREHENSIVE_RATE = 1.5  # 综合计算工时: hours beyond the period's standard
PAY_FORMULAS = (
    "标准工时制（劳动法 44）：加班工资 = 小时工资基数 × (1.5 × 工作日延长工时 + 2 × 休息日工时"
    " + 3 × 法定节假日工时)；工作日延长工时 = 各工作日班次的 max(0, 计薪工时 - 每日标准工时 8 小时) 之和"
    "（按日计算，劳动法 36、41）。",
    "综合计算工时制（以自然月为周期）：加班工资 = 小时工资基数 × (1.5 × max(0, 实际计薪工时"
    " - 法定节假日工时 - 当月标准工时) + 3 × 法定节假日工时)；法定节假日工时单独按 300% 计，"
    "不再计入 150% 部分。",
    "工时按钟点在午夜拆分：夜班跨入次日的小时按次日的日类型计（如 12-31 夜班有 8 小时在元旦，计 300%）；"
    "班次仍按开始日期归入月份；休息日工作按未安排补休计 200%。月份后标“*暂定”的，其中有工时落在"
    "节假日安排尚无官方通知的日期。",
    "情景未提供小时工资基数的人员只列工时，不计金额。",
)
# 职工带薪年休假条例 3: 5, 10 or 15 days for cumulative service of 1-10, 10-20, 20+ years.
ANNUAL_LEAVE_STEPS = ((20, 15), (10, 10), (1, 5))
ANNUAL_LEAVE_NOTE = (
    "假设：以人员的工作年限作为累计工作年限计算年休假天数（职工带薪年休假条例 3："
    "满1年5天、满10年10天、满20年15天）；年休假按自然年计，只计工作日（条例 4，法定节假日、"
    "休息日不计入）。"
)


@dataclass(frozen=True)
class DailyRow(OfSlot):
    """One date × shift × role with a requirement: the validator's SlotResult, labelled."""

    slot: SlotResult
    kind: str  # workday, restday, holiday
    holiday_name: str | None
    provisional: bool
    surges: tuple[str, ...]

    @property
    def status(self) -> str:
        if self.shortfall > 0:
            return STATUS_SHORT
        return STATUS_SUBSTITUTE if self.substitutes else STATUS_MET


@dataclass(frozen=True)
class ComplianceRow:
    """Compliance of one role on one shift and kind of day; kind 'all' for a role's total."""

    role: str
    shift: str  # a shift id, or "" for a role's or the grand total
    kind: str  # workday, restday, holiday, or "all"
    slots: int
    met_slots: int
    required: int
    shortfall: int
    substitutes: int

    @property
    def slot_rate(self) -> float:
        return self.met_slots / self.slots if self.slots else 1.0

    @property
    def person_rate(self) -> float:
        return (self.required - self.shortfall) / self.required if self.required else 1.0


@dataclass(frozen=True)
class SurgeRow:
    name: str
    start: dt.date  # the surge's dates inside the period
    end: dt.date
    adds: tuple[tuple[str, str, int], ...]  # (role, shift, count)
    slots: int  # slots on those dates for the roles and shifts it adds to
    short_slots: int
    shortfall: int


@dataclass(frozen=True)
class HoursRow:
    """One person's hours in one month of the period (planner.check.score.PersonMonth), in hours."""

    staff_id: str
    month: str  # YYYY-MM
    days_in_period: int
    shifts: int
    standard: float
    paid: float
    overtime: float  # max(0, paid − standard): the planner's monthly overtime (format spec)
    cap: float
    cap_kind: str
    excess: float  # overtime beyond the legal cap (劳动法 41)
    restday: float
    holiday: float
    nights: int
    presence: int  # presence duties (the manager's night stays): on the premises, not working time
    annual_leave_days: int  # annual-leave workdays in the month's part of the period
    annual_leave_year_to_date: int  # since 1 January, up to the end of the month
    annual_leave_entitlement: int | None  # None: years unknown


@dataclass(frozen=True)
class PayRow:
    """Overtime pay of one person in one month under both working-time systems (劳动法 44)."""

    staff_id: str
    month: str
    rate: float | None
    workday_overtime: float  # standard system: hours beyond the standard day on workdays
    restday: float
    holiday: float
    comprehensive_excess: float  # comprehensive system: hours beyond the month's standard
    standard_pay: float | None
    comprehensive_pay: float | None
    provisional: bool = False  # some of these hours fall on dates whose holiday status is provisional


@dataclass(frozen=True)
class Digest:
    """SHA-256 of the canonical roster CSV followed by the scenario files, in `scenario.sources` order.

    Reproducible with standard tools: `cat roster.csv scenario.yaml | sha256sum`, where roster.csv
    is the roster as `roster solve` writes it (planner.files.roster_csv.roster_csv_text).
    """

    combined: str
    roster: str  # SHA-256 of the canonical roster CSV alone
    files: tuple[tuple[str, str], ...]  # (scenario file, its SHA-256)


@dataclass
class CoverageProof:
    scenario_name: str
    start: dt.date
    end: dt.date
    generated: dt.date
    team: list[Staff]  # employed on some date of the period, scenario order
    staff_names: dict[str, str]  # every person of the scenario
    role_names: dict[str, str]
    shift_names: dict[str, str]
    shift_times: dict[str, str]  # "08:00-16:00"
    days: dict[dt.date, tuple[str, str | None, bool, tuple[str, ...]]]  # kind, holiday, provisional, surges
    daily: list[DailyRow]
    compliance: list[ComplianceRow]
    surges: list[SurgeRow]
    handovers: list[Handover]
    hours: list[HoursRow]
    pay: list[PayRow]
    risk: RiskReport
    digest: Digest
    provisional_dates: list[dt.date]
    working_time: list[str]  # the working-time systems relied on, with the approval warning
    violations: list[Violation]
    scores: Scores
    unrequired_assignments: int  # assignments in the period on a date × shift × role with no requirement
    roster_rows: int  # assignments in the period
    notes: list[str] = field(default_factory=list)

    # -- convenience ----------------------------------------------------------------------
    def who(self, staff_id: str) -> str:
        return self.staff_names.get(staff_id, staff_id)

    def names(self, ids: tuple[str, ...]) -> str:
        return "、".join(self.who(i) for i in ids)

    def date_label(self, date: dt.date) -> str:
        kind, holiday, provisional, _ = self.days[date]
        text = f"{date.isoformat()} {WEEKDAY_ZH[_weekday(date)]} {DAY_KIND_ZH[kind]}"
        if holiday:
            text += f"（{holiday}）"
        if provisional:
            text += f" [{PROVISIONAL_ZH}]"
        return text

    @property
    def shortfall_slots(self) -> list[DailyRow]:
        return [r for r in self.daily if r.shortfall > 0]

    @property
    def substitute_count(self) -> int:
        """Substitute assignments over the Daily rows (people covering a role off their primary one)."""
        return sum(len(r.substitutes) for r in self.daily)

    @property
    def total(self) -> ComplianceRow:
        return next(r for r in self.compliance if r.role == "" and r.kind == "all")


def _weekday(date: dt.date) -> str:
    return ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[date.weekday()]


# -- digest -----------------------------------------------------------------------------------
def digest(roster: Roster, instance: Instance) -> Digest:
    """SHA-256 over the roster's canonical CSV, then each scenario file's bytes (sources order)."""
    csv_bytes = roster_csv_text(roster, instance.scenario).encode("utf-8")
    combined = hashlib.sha256(csv_bytes)
    files = []
    for source in instance.scenario.sources:
        try:
            data = read_bounded(source, MAX_YAML_BYTES)
        except (OSError, FileRefused) as exc:
            raise InputError(f"{source}: cannot read the scenario file for the digest: {exc}") from None
        combined.update(data)
        files.append((source, hashlib.sha256(data).hexdigest()))
    return Digest(combined.hexdigest(), hashlib.sha256(csv_bytes).hexdigest(), tuple(files))


# -- sections ---------------------------------------------------------------------------------
def daily_rows(instance: Instance, slots: list[SlotResult]) -> list[DailyRow]:
    return [
        DailyRow(
            slot=s,
            kind=instance.day[s.date].kind,
            holiday_name=instance.day[s.date].holiday_name,
            provisional=instance.day[s.date].provisional,
            surges=instance.day[s.date].surges,
        )
        for s in slots
    ]


def _compliance(role: str, shift: str, kind: str, rows: list[DailyRow]) -> ComplianceRow:
    return ComplianceRow(
        role=role,
        shift=shift,
        kind=kind,
        slots=len(rows),
        met_slots=sum(1 for r in rows if r.shortfall == 0),
        required=sum(r.required for r in rows),
        shortfall=sum(r.shortfall for r in rows),
        substitutes=sum(len(r.substitutes) for r in rows),
    )


def compliance_rows(instance: Instance, daily: list[DailyRow]) -> list[ComplianceRow]:
    """Per role × shift × kind of day (the promises differ by all three), role totals, grand total."""
    groups: dict[tuple[str, str, str], list[DailyRow]] = defaultdict(list)
    for r in daily:
        groups[r.role, r.shift, r.kind].append(r)
    out = []
    kinds = ("workday", "restday", "holiday")
    for role in instance.roles:
        rows = [r for r in daily if r.role == role.id]
        if not rows:
            continue
        for shift in instance.shifts:
            for kind in kinds:
                if groups.get((role.id, shift.id, kind)):
                    out.append(_compliance(role.id, shift.id, kind, groups[role.id, shift.id, kind]))
        out.append(_compliance(role.id, "", "all", rows))
    out.append(_compliance("", "", "all", daily))
    return out


def surge_rows(instance: Instance, daily: list[DailyRow]) -> list[SurgeRow]:
    out = []
    for surge in instance.scenario.surges:
        start, end = max(surge.start, instance.start), min(surge.end, instance.end)
        if start > end:
            continue
        adds = tuple((a.role, a.shift, a.count) for a in surge.add)
        keys = {(role, shift) for role, shift, _ in adds}
        rows = [r for r in daily if start <= r.date <= end and (r.role, r.shift) in keys]
        out.append(
            SurgeRow(
                name=surge.name,
                start=start,
                end=end,
                adds=adds,
                slots=len(rows),
                short_slots=sum(1 for r in rows if r.shortfall > 0),
                shortfall=sum(r.shortfall for r in rows),
            )
        )
    return out


def annual_leave_entitlement(years: float | None) -> int | None:
    if years is None:
        return None
    return next((days for least, days in ANNUAL_LEAVE_STEPS if years >= least), 0)


def _annual_leave_workdays(instance: Instance, staff_id: str, first: dt.date, last: dt.date) -> int:
    """Workdays first..last inside the person's annual leave (条例 4: rest days and holidays don't count)."""
    spans = [a for a in instance.scenario.absences if a.staff == staff_id and a.kind == "annual"]
    if not spans or last < first:
        return 0
    lo, hi = max(first, min(a.start for a in spans)), min(last, max(a.end for a in spans))
    if lo > hi:
        return 0
    days = scenario_days(instance.scenario, lo, hi)
    return sum(1 for d in days if d.kind == "workday" and any(a.covers(d.date) for a in spans))


def hours_rows(instance: Instance, months: list[PersonMonth]) -> list[HoursRow]:
    out = []
    for m in months:
        first, last = m.month.dates[0], m.month.dates[-1]
        person = instance.staff_by_id[m.staff_id]
        out.append(
            HoursRow(
                staff_id=m.staff_id,
                month=m.month_key,
                days_in_period=len(m.month.dates),
                shifts=m.shifts,
                standard=m.standard_minutes / 60,
                paid=m.paid_minutes / 60,
                overtime=m.overtime_minutes / 60,
                cap=m.cap_minutes / 60,
                cap_kind=m.cap_kind,
                excess=m.excess_minutes / 60,
                restday=m.restday_minutes / 60,
                holiday=m.holiday_minutes / 60,
                nights=m.nights,
                presence=m.presence,
                annual_leave_days=_annual_leave_workdays(instance, m.staff_id, first, last),
                annual_leave_year_to_date=_annual_leave_workdays(
                    instance, m.staff_id, dt.date(first.year, 1, 1), last
                ),
                annual_leave_entitlement=annual_leave_entitlement(person.years),
            )
        )
    return out


def pay_rows(instance: Instance, assignments: list[Assignment], months: list[PersonMonth]) -> list[PayRow]:
    """Overtime pay per person and month under both systems; formulas in PAY_FORMULAS."""
    # Standard system: overtime on a workday is what a shift pays beyond the standard day (劳动法
    # 36, 41), so a 16-hour workday night is 8 hours of 150% overtime.
    # Hours count on the date they fall on by the clock (Instance.minutes_by_date); a shift's
    # hours stay with the period it starts in. Any hour on a provisional date flags the row.
    workday_ot: dict[tuple[str, str], int] = defaultdict(int)
    provisional: set[tuple[str, str]] = set()
    period_of = {(m.staff_id, d): m.month_key for m in months for d in m.month.dates}
    for a in assignments:
        key = (a.staff_id, period_of.get((a.staff_id, a.date), ""))
        parts = instance.minutes_by_date(a.date, a.shift)
        if any(instance.day_info(d).provisional for d, _ in parts):
            provisional.add(key)
        on_workdays = sum(m for d, m in parts if instance.day_info(d).kind == "workday")
        day = round(instance.staff_by_id[a.staff_id].effective_rules.standard_hours_per_day * 60)
        workday_ot[key] += max(0, on_workdays - day)
    out = []
    for m in months:
        rate = instance.staff_by_id[m.staff_id].hourly_rate
        w = workday_ot[m.staff_id, m.month_key] / 60
        r, h = m.restday_minutes / 60, m.holiday_minutes / 60
        # Comprehensive system: holiday hours are paid at 300% on their own, so they are left out
        # of the hours compared with the month's standard (no hour is paid twice).
        excess = max(0, m.paid_minutes - m.holiday_minutes - m.standard_minutes) / 60
        out.append(
            PayRow(
                staff_id=m.staff_id,
                month=m.month_key,
                rate=rate,
                workday_overtime=w,
                restday=r,
                holiday=h,
                comprehensive_excess=excess,
                standard_pay=None
                if rate is None
                else rate * (WORKDAY_OVERTIME_RATE * w + RESTDAY_RATE * r + HOLIDAY_RATE * h),
                comprehensive_pay=None
                if rate is None
                else rate * (COMPREHENSIVE_RATE * excess + HOLIDAY_RATE * h),
                provisional=(m.staff_id, m.month_key) in provisional,
            )
        )
    return out


# -- entry point ------------------------------------------------------------------------------
def build_proof(
    instance: Instance,
    roster: Roster,
    report: ValidationReport,
    generated: dt.date | None = None,
    unpublished: Iterable[dt.date] = (),
    citations: Iterable[str] = (),
) -> CoverageProof:
    """The whole proof for the instance's horizon; `report` is `validate(instance, roster)`.

    `unpublished` dates (the store's actual roster: no published roster covers them) are no data,
    not "nobody on duty": their slots are left out of every count, and the proof says so."""
    if len(report.slots) != len(instance.slots):
        raise ValueError("the validation report is not for this instance")
    no_data = frozenset(unpublished)
    slots = [s for s in report.slots if s.date not in no_data]
    assignments = in_horizon(instance, roster)
    months = person_months(instance, assignments)
    daily = daily_rows(instance, slots)
    slot_keys = {(s.date, s.shift, s.role) for s in instance.slots}
    team = [p for p in instance.staff if any(p.employed_on(d) for d in instance.dates)]
    notes = []
    if no_data:
        first, last = min(no_data), max(no_data)
        notes.append(
            f"{len(no_data)} 天（{first} 至 {last} 之间）没有已发布的排班：这些日期不计为缺员，"
            "也不能证明有人值守；考核扣分与合同 9.1 次数均未计入。"
        )
    # Where the roster came from, from the store's audit trail (issue 15): who published each
    # version and recorded each change, when, with the audit row's number.
    notes += list(citations)
    if report.ignored_outside_horizon:
        notes.append(
            f"排班表中报告期以外的 {report.ignored_outside_horizon} 行未计入本报告"
            "（摘要值仍覆盖整个排班文件）。"
        )
    return CoverageProof(
        scenario_name=instance.scenario.name,
        start=instance.start,
        end=instance.end,
        generated=generated or dt.date.today(),
        team=team,
        staff_names={p.id: p.name for p in instance.staff},
        role_names={r.id: r.name for r in instance.roles},
        shift_names={s.id: s.name for s in instance.shifts},
        shift_times={s.id: f"{s.start:%H:%M}-{s.end:%H:%M}" for s in instance.shifts},
        days={d.date: (d.kind, d.holiday_name, d.provisional, d.surges) for d in instance.days},
        daily=daily,
        compliance=compliance_rows(instance, daily),
        surges=surge_rows(instance, daily),
        handovers=handovers(instance, assignments, {(r.date, r.shift, r.role): r.required for r in daily}),
        hours=hours_rows(instance, months),
        pay=pay_rows(instance, assignments, months),
        risk=build_risk(instance, slots, months, instance.start, instance.end, assignments, no_data),
        digest=digest(roster, instance),
        provisional_dates=instance.provisional_dates,
        working_time=working_time_lines(working_time_summary(instance.scenario)),
        violations=report.hard_violations,
        scores=report.scores,
        unrequired_assignments=sum(1 for a in assignments if (a.date, a.shift, a.role) not in slot_keys),
        roster_rows=len(assignments),
        notes=notes,
    )


# -- the risk, in words: the same lines in the PDF, the workbook and the command line ----------
DATA_ZH = {"whole": "全季度", "partial": "部分", "none": "无排班数据（未计入）"}


def _cny(x: float | None) -> str:
    return "—（情景无合同金额）" if x is None else f"{x:,.0f} 元"


def quarter_rows(risk: RiskReport) -> list[tuple]:
    """The quarter table: one row per calendar quarter of the contract year."""
    rows: list[tuple] = [
        (
            "季度",
            "合同期内日期",
            "排班数据",
            "低于附件二（人次）",
            "驻场住宿无人（晚）",
            "服务台电话无人（班次）",
            "交接班缺失（次）",
            "季度扣分（分）",
            "年度扣分 读法一（分）",
            "年度扣分 读法二（分）",
        )  # fmt: skip
    ]
    for q in risk.quarters:
        counted = q.data != "none"
        rows.append(
            (
                q.quarter,
                f"{q.start} 至 {q.end}",
                DATA_ZH[q.data],
                *(
                    (
                        q.missing,
                        q.stays_missing,
                        q.unanswered_shifts,
                        q.missed_handovers,
                        points_span(q),
                        q.annual_favourable,
                        q.annual_strict,
                    )
                    if counted
                    else ("—",) * 7
                ),
            )
        )
    return rows


def points_span(q) -> str:
    """A quarter's points, "3" or "3–12" when the two ends of the "视情" ranges differ."""
    low, high = q.points_range
    return plain(low) if low == high else f"{plain(low)}–{plain(high)}"


def over_cap_text(p: CoverageProof) -> str:
    """Overtime beyond the legal cap (劳动法 41), a breach whether the solver's cap is soft or hard."""
    over = [h for h in p.hours if h.excess > 0]
    if not over:
        return "无"
    return f"{len(over)} 人次（人×月），共超出 {plain(sum(h.excess for h in over))} 小时"


def score_headline(risk: RiskReport) -> str:
    low, high = risk.score_range
    tiers = {x.tier for x in risk.projections}
    tier = (
        next(iter(tiers))
        if len(tiers) == 1
        else "至".join(x.tier for x in sorted(risk.projections, key=lambda x: x.score))
    )
    uncounted = [q.quarter for q in risk.quarters if q.data == "none"]
    rest = f"；{'、'.join(uncounted)} 无排班数据，未计入" if uncounted else ""
    span = f"{plain(low)} 分" if low == high else f"{plain(low)}–{plain(high)} 分"
    return f"年度考核得分（仅计排班可见的考核项）：{span}，尾款档位 {tier}{rest}。"


def pooled_lines(risk: RiskReport) -> list[str]:
    """Contract 9.1's pooled counter and the money at risk, in sentences."""
    c = risk.pooled
    lines = [
        "合同 9.1 将“提供的技术服务人员或服务方式不符合要求、擅自更换人员等”合并累计："
        f"本排班期间及人员更换记录中共 {c.count} 次（{STAFFING_COUNT_ZH[c.counting]}），"
        f"每次违约金为合同总金额的 1%（{_cny(c.penalty_each_cny)}），合计 {_cny(c.penalties_cny)}。"
    ]
    if c.third is not None:
        lines.append(
            f"第 3 次发生于 {c.third.date}（{OCCURRENCE_ZH[c.third.kind]}）：甲方可解除合同，"
            "乙方须返还甲方已支付的全部款项"
            f"（至该日已付合同总金额的 {c.paid_share_at_third:.0%}：{_cny(c.refund_cny)}），"
            f"并支付 10% 违约金（{_cny(c.termination_penalty_cny)}）。资金风险合计 {_cny(c.at_risk_cny)}。"
        )
    else:
        lines.append(
            "未达到 3 次（含 3 次即可解除合同并返还已付全部款项、另付 10%）；"
            f"当前资金风险 {_cny(c.at_risk_cny)}。"
        )
    lines.append("付款节点（合同付款方式）：签订后付 60%，8 个月后付 20%，其余 20% 按年度考核得分支付。")
    return lines
