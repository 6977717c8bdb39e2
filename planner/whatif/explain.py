"""Why coverage falls short, in words and numbers that are true.

Two kinds of statement, both checkable:
- Arithmetic bounds per role, derived from the rules alone: people needed on a day once a
  night forbids the next day; person-days available under the consecutive-day limit; legal
  hours (standard + overtime cap) against the hours the coverage needs.
- Solver facts per group of roles: the proven minimum shortfall, and the minimum again with one
  hard rule relaxed, which shows which rule binds ("without the rest rule: 0").
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

from planner.engine.constraints.rest import conflicting_offsets
from planner.engine.solve import minimise_level
from planner.problem.decompose import split
from planner.problem.instance import Instance
from planner.problem.results import LevelResult, SolveOptions, SolveResult

log = logging.getLogger(__name__)

# A solve given less than this cannot even build its model; it is not started.
MIN_SOLVE_SECONDS = 0.5

# Hard-rule families whose relaxation is tried, with their Chinese names.
RELAXABLE = {
    "rest": "班次间休息时间",
    "consecutive_days": "最多连续工作天数",
    "availability": "请假与在职日期",
    "presence": "驻场每月次数上限",
}


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _night_blocks_next_day(inst: Instance, staff_ids: list[str]) -> list[str]:
    """Shifts after which the same person can work nothing the next day (by the rest rule)."""
    if not staff_ids:
        return []
    rest = min(inst.staff_by_id[p].effective_rules.min_rest_hours for p in staff_ids)
    table = conflicting_offsets(inst.shifts, rest)
    all_shifts = {s.id for s in inst.shifts}
    return [s.id for s in inst.shifts if set(table.get((s.id, 1), [])) >= all_shifts]


def role_facts(inst: Instance, role: str) -> dict[str, Any]:
    """Arithmetic facts for one role over the horizon; each is a true lower bound or count."""
    role_name = next(r.name for r in inst.roles if r.id == role)
    people = [p.id for p in inst.staff if role in p.all_skills]
    primary = [p.id for p in inst.staff if p.role == role]
    # Working shifts only: a presence duty is not work (rest, consecutive days, hours); its own
    # limit is fact 4.
    req = {(s.date, s.shift): s.required for s in inst.slots if s.role == role and inst.is_work(s.shift)}
    stays = {
        (s.date, s.shift): s.required for s in inst.slots if s.role == role and not inst.is_work(s.shift)
    }
    demand_days = sum(req.values())
    needed_hours = sum(r * inst.paid_minutes[sh] / 60 for (_, sh), r in req.items())
    facts: dict[str, Any] = {
        "role": role,
        "role_name": role_name,
        "people": len(people),
        "primary_people": len(primary),
        "required_shifts": demand_days,
        "needed_hours": needed_hours,
        "reasons": [],
    }
    _presence_cap_fact(inst, role_name, people, stays, facts)
    if demand_days == 0:
        return facts

    # 1. A shift that forbids the next day: on day d, everyone on d's shifts plus everyone on
    #    such a shift of d-1 is a different person (one shift a day; rest between shifts).
    blockers = _night_blocks_next_day(inst, people)
    worst_day, worst_need = None, 0
    tight_days = 0
    for d in inst.dates:
        prev = d - dt.timedelta(days=1)
        need = sum(req.get((d, s.id), 0) for s in inst.work_shifts) + sum(
            req.get((prev, b), 0) for b in blockers
        )
        if need > len(people):
            tight_days += 1
        if need > worst_need:
            worst_day, worst_need = d, need
    if blockers and worst_day is not None and worst_need > len(people):
        today = {s.id: req.get((worst_day, s.id), 0) for s in inst.work_shifts}
        parts = " + ".join(f"{today[s.id]} 人{s.name}" for s in inst.work_shifts if today[s.id])
        night_before = sum(req.get((worst_day - dt.timedelta(days=1), b), 0) for b in blockers)
        kind = {"workday": "工作日", "restday": "休息日", "holiday": "节假日"}[inst.kind(worst_day)]
        facts["reasons"].append(
            f"{len(people)} 名{role_name}；夜班后次日不能上班（休息时间规则）；{kind}{parts}，"
            f"再加前一晚夜班的 {night_before} 人，"
            f"共需 {worst_need} 人：{tight_days} 天人手不足"
        )
        facts["people_needed_per_day"] = worst_need
        facts["days_short_of_people"] = tight_days

    # 2. Consecutive-day limit: each person works at most n - floor(n / (k+1)) of n days
    #    (at most one shift a day), so person-days beyond that capacity are certainly short.
    n = len(inst.dates)
    capacity = 0
    for pid in people:
        k = inst.staff_by_id[pid].effective_rules.max_consecutive_days
        avail = sum(1 for d in inst.dates if inst.available(pid, d))
        capacity += min(avail, n - n // (k + 1))
    facts["person_days_available"] = capacity
    if demand_days > capacity:
        k = min(inst.staff_by_id[p].effective_rules.max_consecutive_days for p in people)
        facts["reasons"].append(
            f"{len(people)} 人，最多连续上班 {k} 天：{n} 天内最多出勤 {capacity} 人次，"
            f"需要 {demand_days} 个班次：至少 {demand_days - capacity} 个班次无人"
        )

    # 3. Legal hours: standard hours plus the overtime cap, month by month.
    legal = 0.0
    for pid in primary or people:
        for m in inst.months:
            legal += (inst.standard_minutes(pid, m) + inst.overtime_cap_minutes(pid, m)) / 60
    facts["legal_hours"] = legal
    if needed_hours > legal:
        facts["reasons"].append(
            f"法定工时：覆盖要求需要 {_num(needed_hours)} 小时，{len(primary or people)} 人在标准工时加每月 "
            f"{_num(inst.staff_by_id[(primary or people)[0]].effective_rules.max_overtime_hours_per_month)} "
            f"小时加班上限内只有 {_num(legal)} 小时"
        )
    return facts


def _presence_cap_fact(
    inst: Instance,
    role_name: str,
    people: list[str],
    stays: dict[tuple[dt.date, str], int],
    facts: dict[str, Any],
) -> None:
    """4. Presence duties: at most max_presence_per_month each a calendar month (the scenario's
    limit), so the nights beyond the people's limits in a month are certainly empty."""
    if not stays:
        return
    short, need, capacity = 0, 0, 0
    for month in inst.months:
        wanted = sum(r for (d, _), r in stays.items() if d in month.dates)
        caps = [inst.presence_cap(pid) for pid in people]
        room = sum(len(month.dates) if c is None else min(c, len(month.dates)) for c in caps)
        need, capacity, short = need + wanted, capacity + room, short + max(0, wanted - room)
    facts["presence_required"], facts["presence_capacity"] = need, capacity
    if short:
        limits = sorted({c for c in (inst.presence_cap(p) for p in people) if c is not None})
        limit = "、".join(str(c) for c in limits)
        names = "、".join(s.name for s in inst.presence_shifts)
        facts["reasons"].append(
            f"{names}：需要 {need} 次，{len(people)} 名{role_name}每人每月最多 {limit} 次"
            f"（场景规则 每月驻场次数上限）：至少 {short} 次无人"
        )


def explain(
    inst: Instance,
    result: SolveResult | None = None,
    time_limit: float = 30.0,
    per_solve: float = 10.0,
    stop: threading.Event | None = None,
) -> list[dict[str, Any]]:
    """One entry per role: the proven shortfall of its group and the reasons, in Chinese.

    Every solve here runs inside `time_limit` seconds in all (at most `per_solve` each), so an
    explanation never runs past the limit its caller promised (issue 17, resource bounds). What
    no time was left for is said, not guessed; the arithmetic reasons need no solve."""
    deadline = time.monotonic() + time_limit

    def bounded(sub: Instance, relax: frozenset[str] = frozenset()) -> LevelResult:
        left = min(per_solve, deadline - time.monotonic())
        if left < MIN_SOLVE_SECONDS or (stop is not None and stop.is_set()):
            return LevelResult("coverage", "SKIPPED", None, None, 0.0)
        return minimise_level(sub, "coverage", SolveOptions(time_limit=left), relax=relax)

    items: list[dict[str, Any]] = []
    for roles, sub in split(inst):
        base = bounded(sub)
        relaxed: dict[str, LevelResult] = {}
        if base.value:
            relaxed = {name: bounded(sub, frozenset({name})) for name in RELAXABLE}
            relaxed = {name: lv for name, lv in relaxed.items() if lv.status != "SKIPPED"}
        for role in roles:
            facts = role_facts(sub, role)
            role_short = _role_shortfall(result, role)
            group = "、".join(roles) if len(roles) > 1 else None
            if base.value == 0 and base.status == "OPTIMAL":
                text = "所有班次都能覆盖（已证明）"
            elif base.status == "SKIPPED":
                text = "时间限制已用完，未做求解分析（可单独运行 roster explain）"
            elif base.value is None:
                text = f"在 {time_limit:g} 秒内未能求出缺口下界"
            else:
                proof = (
                    "已证明最少"
                    if base.status == "OPTIMAL"
                    else f"当前最好，已证明下界 {_num(base.bound or 0)}"
                )
                scope = f"（与 {group} 合计）" if group else ""
                text = f"至少 {_num(base.value)} 个班次岗位无法覆盖{scope}（{proof}）"
                changes = []
                for name, lv in relaxed.items():
                    if lv.value is not None and lv.value < base.value:
                        exact = "" if lv.status == "OPTIMAL" else "约"
                        changes.append(f"取消「{RELAXABLE[name]}」规则可降至{exact} {_num(lv.value)}")
                if changes:
                    text += "；" + "，".join(changes)
            items.append(
                {
                    **facts,
                    "group": list(roles),
                    "shortfall_min": base.value,
                    "shortfall_bound": base.bound,
                    "status": base.status,
                    "shortfall_in_roster": role_short,
                    "relaxed": {k: {"value": v.value, "status": v.status} for k, v in relaxed.items()},
                    "text": f"{facts['role_name']}：{text}",
                }
            )
    return items


def _role_shortfall(result: SolveResult | None, role: str) -> int | None:
    if result is None:
        return None
    return sum(s.shortfall for s in result.validation.slots if s.role == role)
