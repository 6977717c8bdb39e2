"""The catalogue of rules and objective levels: one row each, read by every label, table and check.

A row says what the rule is called in code (`key`), where it comes from (the legal or contract
clause, or "scenario rule" when the scenario's `rules` set it), what users read (`label_zh`),
and whether it is a hard rule, an objective level or a contract rule on replacing staff. Levels
also carry the solver's integer divisor, their share of the solve's time limit and their unit.

Nothing here imports the solver: the engine, the validator, the CLI, the reports and the UI all
read the same rows, so a rule has one name everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["hard", "level", "replacement"]


@dataclass(frozen=True)
class Rule:
    key: str
    kind: Kind
    label_zh: str  # the rule's name where it is broken, or the level's name
    source: str  # the clause it comes from
    # why_empty: the words for "this rule stops the person from taking the empty slot"
    blocker_zh: str = ""
    # levels only
    unit_zh: str = ""
    divisor: int = 1  # the solver works in integers; the reported value is the integer / divisor
    time_share: float = 0.0  # share of the solve's time limit; time a level does not use passes on


_SCENARIO = "scenario rule (format spec, rules)"

_REST = f"{_SCENARIO}: min_rest_hours (a reasonable rule, not a clause of 劳动法)"
_WEEK = f"劳动法 38 (at least one rest day a week); {_SCENARIO}: max_consecutive_days"
_CAP = "劳动法 41 (at most 36 h of overtime a month)"

CATALOGUE: tuple[Rule, ...] = (
    # Hard rules (format spec, "Hard rules"), in the validator's reporting order.
    Rule("one_shift_per_day", "hard", "一天多班", "format spec, hard rule 1", blocker_zh="当天已有班"),
    Rule("duplicate", "hard", "重复行", "roster file: one row per person, date, shift and role"),
    Rule("availability", "hard", "不在岗", "format spec, hard rule 2", blocker_zh="不在岗"),
    Rule(
        "daily_hours",
        "hard",
        "超过每日工时上限",
        "劳动法 36, 41 (standard hours: 8 h + at most 3 h overtime a day); comprehensive: the "
        "approval's max_hours_per_day (劳动法 39)",
        blocker_zh="班次超过每日工时上限",
    ),
    Rule("skill", "hard", "技能不符", "format spec, hard rule 3", blocker_zh="技能不符"),
    Rule("rest", "hard", "休息不足", _REST, blocker_zh="休息不足"),
    Rule("consecutive_days", "hard", "连续上班过长", _WEEK, blocker_zh="连续上班过长"),
    Rule("fixed", "hard", "固定安排未遵守", "scenario fixed entries", blocker_zh="已固定安排"),
    Rule("max_coverage", "hard", "超过人数上限", "scenario coverage max", blocker_zh="已达人数上限"),
    Rule("overtime_cap", "hard", "超过加班上限", f"{_CAP}, overtime_cap: hard", blocker_zh="超过加班上限"),
    Rule("shift_exists", "hard", "班次不存在", "scenario shifts"),
    Rule(
        "presence_overlap",
        "hard",
        "驻场与上班时间重叠",
        "a presence duty (附件八 附件1 1.1) and a working shift of one person never overlap",
        blocker_zh="与驻场时间重叠",
    ),
    Rule(
        "presence_cap",
        "hard",
        "驻场次数超过每月上限",
        "rules.max_presence_per_month",
        blocker_zh="本月驻场已满",
    ),
    Rule(
        "min_duty",
        "hard",
        "夜间及休息日值班不足",
        "tender 2.2.3(1): 驻场所有工程师均需参加值班 (rules.min_duty_shifts_per_month)",
    ),
    # Per-person limits over the horizon (the Curtois & Qu benchmark's rules, also for part-time staff).
    Rule(
        "succession",
        "hard",
        "班次衔接不允许",
        "scenario shifts[].not_followed_by (a forbidden succession of shift types, the day after)",
        blocker_zh="与前后一天的班次衔接不允许",
    ),
    Rule(
        "max_shifts",
        "hard",
        "该班次次数超过上限",
        "rules.max_shifts (per shift type, over the horizon)",
        blocker_zh="该班次次数已满",
    ),  # fmt: skip
    Rule(
        "total_minutes",
        "hard",
        "总工时超出范围",
        "rules.min_total_minutes / max_total_minutes (over the horizon)",
        blocker_zh="总工时已满",
    ),
    Rule(
        "min_consecutive",
        "hard",
        "连续上班或连续休息过短",
        "rules.min_consecutive_days / min_consecutive_days_off (blocks touching the horizon's ends "
        "exempt unless min_consecutive_border_exempt: false)",
        blocker_zh="连续天数过短",
    ),
    Rule(
        "weekends",
        "hard",
        "上班周末数超过上限",
        "rules.max_weekends (over the horizon)",
        blocker_zh="上班周末数已满",
    ),  # fmt: skip
    # Objective levels in strict priority (format spec, "Objective"); a re-plan adds stability
    # just below coverage.
    Rule(
        "coverage",
        "level",
        "覆盖缺口",
        "附件二 一: per-role minimum staffing (scenario coverage)",
        unit_zh="缺人数×岗位权重",
        divisor=1,
        time_share=0.3,
    ),
    Rule(
        "stability",
        "level",
        "相对已发布排班的改动",
        "re-plan: change as few published cells as possible",
        unit_zh="处",
        divisor=1,
        time_share=0.15,
    ),
    Rule(
        "overtime",
        "level",
        "超出法定加班上限",
        f"{_CAP}, overtime_cap: soft",
        unit_zh="小时",
        divisor=60,
        time_share=0.3,
    ),
    Rule(
        "substitutes",
        "level",
        "替岗次数",
        "the named staff work their own roles (scenario roles)",
        blocker_zh="非本岗（替岗）",
        unit_zh="次",
        divisor=1,
        time_share=0.1,
    ),
    Rule(
        "requests",
        "level",
        "未满足的申请",
        "scenario requests",
        blocker_zh="本人申请休息",
        unit_zh="权重合计",
        divisor=1,
        time_share=0.1,
    ),
    Rule(
        "fairness",
        "level",
        "公平性差距",
        "scenario fairness",
        unit_zh="按在岗天数折算的次数差",
        divisor=1000,
        time_share=0.2,
    ),
    # objective: weighted (format spec): one level instead of the strict ones.
    Rule(
        "weighted",
        "level",
        "加权总罚分",
        "objective: weighted (coverage under/over weights + request weights, one sum)",
        unit_zh="罚分",
        divisor=1,
        time_share=1.0,
    ),
    # The rules for replacing a named person (planner/contract/replacement.py).
    Rule("notice", "replacement", "提前30天通知", "tender 3.4: 至少提前30天书面通知"),
    Rule("approved", "replacement", "采购人书面同意", "tender 3.3: 得到采购人认可; 3.4: 书面报请采购人同意"),
    Rule("on_time", "replacement", "替补7天内到岗", "tender 3.3: 一周内到岗"),
    Rule("qualified", "replacement", "替补资质相符", "tender 3.3/3.4, 附件二 二.1: 同等的资质和能力"),
    Rule("headcount", "replacement", "岗位人数不断档", "tender 3.3: the plan keeps the headcount"),
    Rule("termination", "replacement", "累计3次可解除合同", "contract 9.1: 累计3次（含3次）甲方有权解除合同"),
)

RULES: dict[str, Rule] = {r.key: r for r in CATALOGUE}


def keys(kind: Kind) -> tuple[str, ...]:
    return tuple(r.key for r in CATALOGUE if r.kind == kind)


# The validator's hard rules, in its reporting order.
HARD_RULES = keys("hard")
# The objective levels of a plain solve, in strict priority order; a re-plan uses `levels_for`.
LEVELS = tuple(k for k in keys("level") if k not in ("stability", "weighted"))
# The replacement rules checked for each staff change ("termination" is a verdict over all of them).
REPLACEMENT_RULES = tuple(k for k in keys("replacement") if k != "termination")
# Keys that stop a person from taking an empty slot: hard rules, and two soft levels under
# the names why_empty has always used for them.
BLOCKER_KEYS = {"request": "requests", "substitute": "substitutes"}


def levels_for(replan: bool, objective: str = "levels") -> tuple[str, ...]:
    """The levels in priority order; a re-plan puts "stability" just below coverage. Under
    `objective: weighted` one level, "weighted" (a re-plan keeps stability below it)."""
    if objective == "weighted":
        return ("weighted", "stability") if replan else ("weighted",)
    return (LEVELS[0], "stability", *LEVELS[1:]) if replan else LEVELS


def label(key: str) -> str:
    """The Chinese name of a rule or level, or the key itself when it is not in the catalogue."""
    rule = RULES.get(key)
    return rule.label_zh if rule else key


def blocker_label(key: str) -> str:
    """The Chinese words for what stops a person from taking an empty slot (why_empty)."""
    return RULES[BLOCKER_KEYS.get(key, key)].blocker_zh


def divisor(level: str) -> int:
    return RULES[level].divisor


def time_share(level: str) -> float:
    return RULES[level].time_share


def unit(level: str) -> str:
    return RULES[level].unit_zh
