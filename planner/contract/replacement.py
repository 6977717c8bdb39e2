"""Replacing a named person: the checks and costs of every `changes` entry of a scenario.

The rules come from the tender and the contract (see ../shared/contract-facts.md):
  notice     tender 3.4: at least 30 days' written notice before the last day
  on_time    tender 3.3: the replacement is on site within one week (7 days) of the plan
  qualified  tender 3.2-3.4 and 附件二 二.1: same primary role; the role's minimum years (附件二
             二.1) and for everyone 2 years of relevant work, an associate degree (大专) or above
             and a home in Beijing (tender 3.3); the manager also an intermediate (中级) or higher
             title and a year as a resident service manager (tender 3.2). A fact not recorded
             is "unknown", never assumed met.
  headcount  tender 3.3: the replacement plan keeps the total headcount, so no gap days
and the costs:
  approved   tender 3.3/3.4: the buyer's written consent (unknown until recorded)
  −3 annual assessment points per replacement (附件八 第八条 2, 更换技术人员每人次 −3 分), −5
  more when the buyer's onboarding check fails (an input: `onboarding_passed: false`);
  1% of the contract value per breach of contract 9.1 (擅自更换人员, or 提供的技术服务人员不符合要求);
  three or more breaches let the buyer terminate the contract with a 10% penalty (contract 9.1).

The loader has already applied every change to the staff (the leaver's `end_date` is the last day,
the replacement is appended), so this module only reads the resolved scenario. It never imports
OR-Tools.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from models.scenario import Change, Scenario, Staff
from planner.rules import REPLACEMENT_RULES

Verdict = Literal["kept", "broken", "unknown"]

NOTICE_DAYS = 30  # tender 3.4: 提前30天书面通知
ON_SITE_DAYS = 7  # tender 3.3: 一周内到岗
POINTS_PER_REPLACEMENT = -3  # 附件八 第八条 2: 更换技术人员 每人次 −3 分
POINTS_FAILED_ONBOARDING = -5  # 附件八 第八条 2: 更换的技术人员未通过上岗考核 每人次 −5 分
PENALTY_SHARE = 0.01  # contract 9.1: 按合同总金额的 1% 支付违约金, each time
TERMINATION_COUNT = 3  # contract 9.1: 累计发生 3 次以上（含 3 次）甲方有权解除合同
TERMINATION_SHARE = 0.10  # contract 9.1: 支付合同总金额 10% 的违约金

MINIMUMS_SOURCE = "附件二 二.1；采购需求 3.2、3.3"


@dataclass(frozen=True)
class RoleMinimum:
    """What a person needs to fill a role (附件二 二.1; tender 3.2, 3.3)."""

    years: float | None = None  # minimum years of experience
    associate_degree: bool = True  # 大专及以上学历 (tender 3.3: every team member)
    lives_in_beijing: bool = True  # 生活基础或常住地址在北京市区域内 (tender 3.3)
    intermediate_title: bool = False  # 中级或以上职称 (tender 3.2: the manager)
    resident_manager_years: float | None = None  # 驻地服务经理经验 (tender 3.2: at least one year)


TEAM_YEARS = 2  # tender 3.3: 具备 2 年以上相关工作经验, for everyone
# 附件二 二.1 (years per role) with tender 3.2/3.3. A role not listed has only the team minimums.
ROLE_MINIMUMS: dict[str, RoleMinimum] = {
    "manager": RoleMinimum(years=5, intermediate_title=True, resident_manager_years=1),
    "video": RoleMinimum(years=3),
    "image": RoleMinimum(years=2),
    "av": RoleMinimum(years=2),
    "desk": RoleMinimum(years=TEAM_YEARS),
}
TEAM_MINIMUM = RoleMinimum(years=TEAM_YEARS)
_INTERMEDIATE_OR_ABOVE = ("中级", "高级", "副高", "正高", "副研究员", "研究员", "教授")
_BELOW_INTERMEDIATE = ("初级", "助理", "员级", "技术员")

# Words for an education at or above an associate degree (大专), and for one below it.
_ASSOCIATE_OR_ABOVE = (
    "大专", "专科", "高职", "本科", "学士", "硕士", "研究生", "博士",
    "associate", "bachelor", "master", "doctor", "phd",
)  # fmt: skip
_BELOW_ASSOCIATE = ("高中", "中专", "职高", "技校", "初中", "小学", "high school", "secondary")

RULES = REPLACEMENT_RULES
VERDICT_ZH = {"kept": "✓ 符合", "broken": "✗ 违反", "unknown": "? 无法判断"}


@dataclass(frozen=True)
class Check:
    rule: str  # one of RULES, or "termination"
    verdict: Verdict
    detail: str  # plain Chinese, with the dates and numbers


@dataclass(frozen=True)
class ChangeReport:
    index: int  # position in scenario.changes
    staff_id: str
    staff_name: str
    role: str
    notice_date: dt.date
    plan_date: dt.date
    last_day: dt.date
    replacement_id: str | None
    replacement_name: str | None
    replacement_start: dt.date | None
    checks: tuple[Check, ...]
    # Days the post stands empty: from the day after the last day until the replacement is on
    # site, on which the role has fewer people than its contracted headcount. None: open-ended
    # (no replacement and no contract end).
    gap_days: int | None
    gap_first: dt.date | None
    gap_last: dt.date | None
    points: int  # annual assessment points, −3 for every replacement
    points_at_risk: int  # −5 more if the replacement fails the onboarding check (unqualified)
    breach: bool  # counts under contract 9.1 (notice broken, or an unqualified replacement)
    penalty_cny: float | None  # 1% of the contract value per breach; None if the value is unknown

    def check(self, rule: str) -> Check:
        return next(c for c in self.checks if c.rule == rule)

    @property
    def ok(self) -> bool:
        return all(c.verdict != "broken" for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("notice_date", "plan_date", "last_day", "replacement_start", "gap_first", "gap_last"):
            out[key] = out[key].isoformat() if out[key] else None
        out["checks"] = {c.rule: {"verdict": c.verdict, "detail": c.detail} for c in self.checks}
        out["ok"] = self.ok
        return out


@dataclass
class ChangesReport:
    changes: list[ChangeReport]
    contract_value: float | None
    contracted_headcount: dict[str, int]  # role -> people of that primary role, before changes
    termination: Check
    notes: list[str] = field(default_factory=list)

    @property
    def breaches(self) -> int:
        return sum(1 for c in self.changes if c.breach)

    @property
    def ok(self) -> bool:
        """Every rule kept (an undecidable check is not a broken one)."""
        return all(c.ok for c in self.changes) and self.termination.verdict != "broken"

    @property
    def points(self) -> int:
        return sum(c.points for c in self.changes)

    @property
    def points_at_risk(self) -> int:
        return sum(c.points_at_risk for c in self.changes)

    @property
    def penalty_cny(self) -> float | None:
        """Contract 9.1 penalties for the breaches (1% each); None if the value is unknown."""
        if not self.breaches:
            return 0.0
        if self.contract_value is None:
            return None
        return round(self.breaches * PENALTY_SHARE * self.contract_value, 2)

    @property
    def termination_penalty_cny(self) -> float | None:
        """The 10% penalty the buyer may claim when terminating (0 below the threshold)."""
        if self.termination.verdict != "broken":
            return 0.0
        return None if self.contract_value is None else round(TERMINATION_SHARE * self.contract_value, 2)

    @property
    def exposure_cny(self) -> float | None:
        """All contract money at risk from the changes: the 1% penalties plus a termination's 10%."""
        if self.penalty_cny is None or self.termination_penalty_cny is None:
            return None
        return round(self.penalty_cny + self.termination_penalty_cny, 2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": [c.to_dict() for c in self.changes],
            "contract_value_cny": self.contract_value,
            "contracted_headcount": self.contracted_headcount,
            "breaches": self.breaches,
            "termination": {"verdict": self.termination.verdict, "detail": self.termination.detail},
            "points": self.points,
            "points_at_risk": self.points_at_risk,
            "penalty_cny": self.penalty_cny,
            "termination_penalty_cny": self.termination_penalty_cny,
            "exposure_cny": self.exposure_cny,
            "ok": self.ok,
            "notes": self.notes,
        }


# -- the checks, one per rule -----------------------------------------------------------------
def _notice(change: Change) -> Check:
    latest = change.last_day - dt.timedelta(days=NOTICE_DAYS)
    days = (change.last_day - change.notice_date).days
    if change.notice_date <= latest:
        return Check(
            "notice", "kept", f"{change.notice_date} 通知，距最后工作日 {change.last_day} 有 {days} 天"
        )
    return Check(
        "notice",
        "broken",
        f"{change.notice_date} 通知，距最后工作日 {change.last_day} 只有 {days} 天，"
        f"应不晚于 {latest} 通知（提前 {NOTICE_DAYS} 天）",
    )


def _approved(change: Change) -> Check:
    if change.approved is None:
        asked = f"，{change.approval_requested} 已报请" if change.approval_requested else ""
        return Check("approved", "unknown", f"未记录采购人是否书面同意{asked}")
    if not change.approved:
        return Check("approved", "broken", "采购人未同意此次更换（擅自更换人员，合同 9.1）")
    when = change.approval_date
    if when is not None and when > change.last_day:
        return Check("approved", "broken", f"采购人 {when} 才同意，晚于最后工作日 {change.last_day}")
    return Check("approved", "kept", f"采购人已书面同意{f'（{when}）' if when else ''}")


def _on_time(change: Change) -> Check:
    plan = change.effective_plan_date
    latest = plan + dt.timedelta(days=ON_SITE_DAYS)
    r = change.replacement
    if r is None:
        return Check("on_time", "broken", "没有安排替补人员")
    if r.start_date is None:
        return Check("on_time", "kept", f"替补 {r.id} 从排班期开始就在岗")
    if r.start_date <= latest:
        return Check(
            "on_time", "kept", f"替补 {r.id} {r.start_date} 到岗，不晚于方案日 {plan} 后 {ON_SITE_DAYS} 天"
        )
    late = (r.start_date - latest).days
    return Check(
        "on_time",
        "broken",
        f"替补 {r.id} {r.start_date} 才到岗，应不晚于 {latest}"
        f"（方案日 {plan} 后 {ON_SITE_DAYS} 天），晚了 {late} 天",
    )


def education_verdict(education: str | None) -> Verdict:
    """Whether an education meets the desk's associate-degree minimum (附件二 二.1)."""
    if not education:
        return "unknown"
    text = education.strip().lower()
    if any(word in text for word in _ASSOCIATE_OR_ABOVE):
        return "kept"
    if any(word in text for word in _BELOW_ASSOCIATE):
        return "broken"
    return "unknown"


def at_least(value: float | None, need: float) -> str:
    return "unknown" if value is None else ("kept" if value >= need else "broken")


def title_verdict(title: str | None) -> str:
    """Whether a title is intermediate (中级) or above (tender 3.2): kept, broken or unknown."""
    if not title:
        return "unknown"
    if any(w in title for w in _BELOW_INTERMEDIATE):
        return "broken"
    return "kept" if any(w in title for w in _INTERMEDIATE_OR_ABOVE) else "unknown"


def _qualified(change: Change, leaver: Staff, role_names: dict[str, str]) -> Check:
    r = change.replacement
    if r is None:
        return Check("qualified", "broken", "没有安排替补人员")
    if r.role != leaver.role:
        return Check(
            "qualified",
            "broken",
            f"替补 {r.id} 的岗位是{role_names.get(r.role, r.role)}，与离岗人员的"
            f"{role_names.get(leaver.role, leaver.role)}不同",
        )
    minimum = ROLE_MINIMUMS.get(leaver.role, TEAM_MINIMUM)
    problems: list[str] = []
    unknown: list[str] = []
    met: list[str] = []

    def judge(verdict: str, ok: str, bad: str, missing: str) -> None:
        {"kept": met, "broken": problems, "unknown": unknown}[verdict].append(
            {"kept": ok, "broken": bad, "unknown": missing}[verdict]
        )

    def years(what: str, value: float | None, need: float, proof: str = "") -> None:
        judge(
            at_least(value, need),
            f"{what} {value or 0:g} 年（要求至少 {need:g} 年）",
            f"{what} {value or 0:g} 年，少于 {need:g} 年",
            f"未填写{what}（要求至少 {need:g} 年{proof}）",
        )

    if minimum.years is not None:
        years("工作年限", r.years, max(minimum.years, TEAM_YEARS))
    if minimum.associate_degree:
        shown = f"“{r.education}”" if r.education else "未填写"
        judge(
            education_verdict(r.education),
            f"学历{shown}（要求大专及以上）",
            f"学历{shown}低于大专",
            f"学历{shown}，无法确认是否大专及以上",
        )
    if minimum.lives_in_beijing:
        judge(
            {True: "kept", False: "broken", None: "unknown"}[r.lives_in_beijing],
            "生活基础或常住地址在北京",
            "生活基础或常住地址不在北京",
            "未记录是否在北京有生活基础或常住地址",
        )
    if minimum.intermediate_title:
        shown = f"“{r.title}”" if r.title else "未填写"
        judge(
            title_verdict(r.title),
            f"职称{shown}（要求中级及以上）",
            f"职称{shown}低于中级",
            f"职称{shown}，无法确认是否中级及以上",
        )
    if minimum.resident_manager_years is not None:
        years("驻地服务经理经验", r.resident_manager_years, minimum.resident_manager_years, "，并有证明")
    source = f"（{MINIMUMS_SOURCE}）"
    if problems:
        return Check("qualified", "broken", f"替补 {r.id}：" + "；".join(problems) + source)
    if unknown:
        return Check("qualified", "unknown", f"替补 {r.id}：" + "；".join(unknown) + source)
    return Check("qualified", "kept", f"替补 {r.id} 岗位相同，" + "，".join(met) + source)


def contracted_headcount(scenario: Scenario) -> dict[str, int]:
    """Per role: people with it as primary role in the scenario's own staff, before any change.

    That is the headcount the plan promises to keep (tender 3.3 保持总人数): the staff list as
    written, counting the people who leave and not the replacements the changes add.
    """
    replacements = {c.replacement.id for c in scenario.changes if c.replacement}
    counts = {role.id: 0 for role in scenario.roles}
    for p in scenario.staff:
        if p.id not in replacements:
            counts[p.role] = counts.get(p.role, 0) + 1
    return counts


def _gap(
    change: Change, leaver: Staff, scenario: Scenario, headcount: dict[str, int]
) -> tuple[Check, int | None, dt.date | None, dt.date | None]:
    """Gap days: after the last day and before the replacement is on site, fewer people than promised."""
    first = change.last_day + dt.timedelta(days=1)
    r = change.replacement
    end = scenario.contract.end if scenario.contract else None
    # A replacement for another role does not fill this post.
    if r is not None and r.role == leaver.role:
        if r.start_date is None or r.start_date <= first:
            return Check("headcount", "kept", "替补在离岗次日或之前到岗，岗位人数没有断档"), 0, None, None
        window_end = r.start_date - dt.timedelta(days=1)
        end = window_end if end is None else min(end, window_end)
    if end is None:
        return (
            Check("headcount", "broken", f"{first} 起没有替补，岗位人数一直少于合同人数"),
            None,
            first,
            None,
        )
    role = leaver.role
    promised = headcount.get(role, 0)
    gap_dates = []
    day = first
    while day <= end:
        employed = sum(1 for p in scenario.staff if p.role == role and p.employed_on(day))
        if employed < promised:
            gap_dates.append(day)
        day += dt.timedelta(days=1)
    if not gap_dates:
        return Check("headcount", "kept", "岗位在岗人数始终不少于合同人数"), 0, None, None
    detail = (
        f"{gap_dates[0]} 至 {gap_dates[-1]} 中有 {len(gap_dates)} 天，"
        f"在岗人数少于合同约定的 {promised} 人（采购需求 3.3 要求保持总人数）"
    )
    return Check("headcount", "broken", detail), len(gap_dates), gap_dates[0], gap_dates[-1]


def check_changes(scenario: Scenario) -> ChangesReport:
    """Check every `changes` entry of a loaded scenario and total the costs."""
    role_names = {r.id: r.name for r in scenario.roles}
    headcount = contracted_headcount(scenario)
    value = scenario.contract.value_cny if scenario.contract else None
    staff = scenario.staff_by_id
    reports: list[ChangeReport] = []
    for i, change in enumerate(scenario.changes):
        leaver = staff[change.staff]
        r = change.replacement
        checks = [
            _notice(change),
            _approved(change),
            _on_time(change),
            _qualified(change, leaver, role_names),
        ]
        gap_check, gap_days, gap_first, gap_last = _gap(change, leaver, scenario, headcount)
        checks.append(gap_check)
        verdicts = {c.rule: c.verdict for c in checks}
        # Contract 9.1 counts 擅自更换人员 (no proper notice, or the buyer refused) and replacements
        # who do not meet the requirements (提供的技术服务人员不符合要求).
        breach = "broken" in (verdicts["notice"], verdicts["approved"], verdicts["qualified"])
        penalty = 0.0 if not breach else None if value is None else round(PENALTY_SHARE * value, 2)
        reports.append(
            ChangeReport(
                index=i,
                staff_id=leaver.id,
                staff_name=leaver.name,
                role=leaver.role,
                notice_date=change.notice_date,
                plan_date=change.effective_plan_date,
                last_day=change.last_day,
                replacement_id=r.id if r else None,
                replacement_name=r.name if r else None,
                replacement_start=r.start_date if r else None,
                checks=tuple(checks),
                gap_days=gap_days,
                gap_first=gap_first,
                gap_last=gap_last,
                points=POINTS_PER_REPLACEMENT,
                # The onboarding check is the buyer's own (附件八 第八条 2), an input of the change.
                points_at_risk=POINTS_FAILED_ONBOARDING if change.onboarding_passed is False else 0,
                breach=breach,
                penalty_cny=penalty,
            )
        )
    breaches = sum(1 for c in reports if c.breach)
    if breaches >= TERMINATION_COUNT:
        termination = Check(
            "termination",
            "broken",
            f"违约更换 {breaches} 次，达到合同 9.1 的 {TERMINATION_COUNT} 次：甲方有权解除合同，"
            f"并要求支付合同总金额 {TERMINATION_SHARE:.0%} 的违约金",
        )
    else:
        termination = Check(
            "termination",
            "kept",
            f"违约更换 {breaches} 次，少于合同 9.1 的 {TERMINATION_COUNT} 次（人员更换共 {len(reports)} 次）",
        )
    notes = []
    if value is None and breaches:
        notes.append("场景没有合同金额（contract.value_cny），违约金无法计算")
    return ChangesReport(reports, value, headcount, termination, notes)
