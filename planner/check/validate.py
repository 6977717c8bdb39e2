"""The independent validator: re-checks every hard rule of a roster and re-scores it.

It never imports OR-Tools, directly or through anything it imports, and it shares with the model
only the facts in `Instance`. Each check works from the assignments themselves, the way a person
would check a printed roster: rest from real start and end datetimes (`Shift.start_on/end_on`),
consecutive days from the dates worked, including the history before the horizon. Every solve
runs it on its own result; a hard violation or a score that differs from the solver's objective
is a failure.

Hard rules (format spec, "Hard rules"), one check function each, keyed by a stable `rule`:
  one_shift_per_day  1  at most one shift per person per date
  duplicate          1  the same row twice in the roster
  availability       2  employed (start_date..end_date, change last_day) and not absent
  daily_hours        -  no shift longer than the working-time system allows (劳动法 36, 41; 39)
  skill              3  the covered role is one of the person's skills
  rest               4  min_rest_hours between the end of a shift and the start of the next
  consecutive_days   5  at most max_consecutive_days dates in a row with a shift
  fixed              6  `fixed` entries hold
  max_coverage       7  coverage `max` holds
  overtime_cap       8  with overtime_cap: hard, overtime within the month's cap
  shift_exists       -  the shift exists on that date (`shifts[].days`)
  presence_overlap  10  a presence duty and a working shift of one person do not overlap
  presence_cap      11  max_presence_per_month
  min_duty          12  min_duty_shifts_per_month
  succession        13  a shift in another's not_followed_by is not worked the day after it
  max_shifts        14  max_shifts per shift type over the horizon
  total_minutes     14  min_total_minutes .. max_total_minutes over the horizon
  min_consecutive   15  blocks of working days and of days off at least their minimum
  weekends          16  at most max_weekends worked weekends
Messages are plain Simplified Chinese for the people who read the roster; the keys stay English.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from models.roster import Assignment, Roster
from models.scenario import Staff
from planner.check.reasons import unavailable
from planner.check.score import (
    PersonMonth,
    Scores,
    check_references,
    coverage_counts,
    covered_roles,
    in_horizon,
    person_months,
    score_assignments,
)
from planner.problem.horizon import runs_of
from planner.problem.instance import Instance, Slot
from planner.problem.labels import DAY_KIND_ZH, WORKING_TIME_ZH, period_zh
from planner.problem.numbers import plain
from planner.rules import HARD_RULES

log = logging.getLogger(__name__)

# The hard rules in reporting order; their names and sources are in planner.rules.
RULES = HARD_RULES


@dataclass(frozen=True)
class Violation:
    rule: str  # one of RULES
    staff_id: str | None
    date: dt.date | None  # for overtime_cap: the month's first date in the horizon
    shift: str | None
    message: str  # plain Chinese, with the numbers

    @property
    def hard(self) -> bool:
        return self.rule in HARD_RULES


@dataclass(frozen=True)
class SlotResult:
    date: dt.date
    shift: str
    role: str
    required: int
    assigned: int
    staff_ids: tuple[str, ...]
    substitutes: tuple[str, ...]  # ids covering the role off their primary role
    shortfall: int

    @staticmethod
    def of(instance: Instance, slot: Slot, staff_ids: tuple[str, ...], assigned: int) -> SlotResult:
        # A side duty is answered from one's own post: nobody substitutes for it.
        side = slot.role in instance.side_roles
        subs = () if side else tuple(pid for pid in staff_ids if instance.staff_by_id[pid].role != slot.role)
        required = slot.required
        return SlotResult(
            slot.date, slot.shift, slot.role, required, assigned, staff_ids, subs, max(0, required - assigned)
        )


class OfSlot:
    """A record about one slot (a report row, a risk, an explanation) that carries the
    validator's `SlotResult` and reads the slot's facts from it, rather than copying them."""

    slot: SlotResult

    @property
    def date(self) -> dt.date:
        return self.slot.date

    @property
    def shift(self) -> str:
        return self.slot.shift

    @property
    def role(self) -> str:
        return self.slot.role

    @property
    def required(self) -> int:
        return self.slot.required

    @property
    def assigned(self) -> int:
        return self.slot.assigned

    @property
    def staff_ids(self) -> tuple[str, ...]:
        return self.slot.staff_ids

    @property
    def substitutes(self) -> tuple[str, ...]:
        return self.slot.substitutes

    @property
    def shortfall(self) -> int:
        return self.slot.shortfall


@dataclass
class ValidationReport:
    violations: list[Violation]
    slots: list[SlotResult]  # one per instance.slots entry, same order
    scores: Scores
    ignored_outside_horizon: int = 0  # roster rows dated outside instance.start..instance.end

    @property
    def hard_violations(self) -> list[Violation]:
        return [v for v in self.violations if v.hard]

    @property
    def ok(self) -> bool:
        """No hard rule is broken."""
        return not self.hard_violations

    @property
    def shortfall_slots(self) -> list[SlotResult]:
        return [s for s in self.slots if s.shortfall > 0]

    def by_rule(self) -> dict[str, list[Violation]]:
        out: dict[str, list[Violation]] = {}
        for v in self.violations:
            out.setdefault(v.rule, []).append(v)
        return out


# -- wording ----------------------------------------------------------------------------------
class _Words:
    """Chinese names for people, shifts, roles and dates in messages."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.role_names = {r.id: r.name for r in instance.roles}

    def who(self, staff_id: str) -> str:
        return f"{staff_id} {self.instance.staff_by_id[staff_id].name}"

    def shift(self, shift_id: str) -> str:
        return self.instance.shift_by_id[shift_id].name

    def role(self, role_id: str) -> str:
        return self.role_names.get(role_id, role_id)

    def shift_role(self, a: Assignment) -> str:
        return f"{self.shift(a.shift)}（{self.role(a.role)}）"


def _date(d: dt.date, ref: dt.date | None = None) -> str:
    """ISO date; a second date in the same year as `ref` is shortened to MM-DD."""
    return f"{d.month:02d}-{d.day:02d}" if ref is not None and d.year == ref.year else d.isoformat()


# -- the checks, one per rule -----------------------------------------------------------------
def _duplicates(w: _Words, rows: list[Assignment]) -> list[Violation]:
    counts: dict[Assignment, int] = defaultdict(int)
    for a in rows:
        counts[a] += 1
    return [
        Violation(
            "duplicate",
            a.staff_id,
            a.date,
            a.shift,
            f"{w.who(a.staff_id)} {a.date} {w.shift_role(a)}在排班表里重复出现 {n} 次",
        )
        for a, n in counts.items()
        if n > 1
    ]


def _one_shift_per_day(w: _Words, assignments: list[Assignment]) -> list[Violation]:
    """Working shifts only: a presence duty is not a shift worked (duties.py checks its own)."""
    by_day: dict[tuple[str, dt.date], list[Assignment]] = defaultdict(list)
    for a in assignments:
        if w.instance.is_work(a.shift):
            by_day[a.staff_id, a.date].append(a)
    out = []
    for (staff_id, date), day in by_day.items():
        if len(day) > 1:
            listed = "、".join(w.shift_role(a) for a in day)
            out.append(
                Violation(
                    "one_shift_per_day",
                    staff_id,
                    date,
                    day[1].shift,
                    f"{w.who(staff_id)} {date} 排了 {len(day)} 个班：{listed}，每人每天最多 1 个班",
                )
            )
    return out


def _not_available_reason(instance: Instance, person: Staff, date: dt.date) -> str:
    reason = unavailable(instance.scenario, person, date)
    return reason.text() if reason is not None else "不可排班"


def _availability(w: _Words, assignments: list[Assignment]) -> list[Violation]:
    instance = w.instance
    out = []
    for a in assignments:
        if not instance.available(a.staff_id, a.date):
            reason = _not_available_reason(instance, instance.staff_by_id[a.staff_id], a.date)
            out.append(
                Violation(
                    "availability",
                    a.staff_id,
                    a.date,
                    a.shift,
                    f"{w.who(a.staff_id)} {a.date} {reason}，却排了{w.shift(a.shift)}",
                )
            )
    return out


def _skill(w: _Words, assignments: list[Assignment]) -> list[Violation]:
    out = []
    for a in assignments:
        person = w.instance.staff_by_id[a.staff_id]
        if a.role in w.instance.side_roles:
            text = (
                f"{w.who(a.staff_id)} {a.date} 被排为{w.role(a.role)}，但这是兼任职责，"
                "由当班且具备该技能的人员兼顾，不能单独排班"
            )
        elif a.role not in person.all_skills:
            skills = "、".join(w.role(r) for r in person.all_skills)
            text = (
                f"{w.who(a.staff_id)} {a.date} {w.shift(a.shift)}顶{w.role(a.role)}岗位，"
                f"但不具备这项技能（只会：{skills}）"
            )
        else:
            continue
        out.append(Violation("skill", a.staff_id, a.date, a.shift, text))
    return out


@dataclass(frozen=True)
class _Worked:
    """An assignment with its real start and end (China Standard Time, no DST)."""

    a: Assignment
    start: dt.datetime
    end: dt.datetime
    history: bool


def _worked(instance: Instance, a: Assignment, history: bool) -> _Worked:
    shift = instance.shift_by_id[a.shift]
    return _Worked(a, shift.start_on(a.date), shift.end_on(a.date), history)


def _rest(w: _Words, assignments: list[Assignment], history: list[Assignment]) -> list[Violation]:
    instance = w.instance
    by_person: dict[str, list[_Worked]] = defaultdict(list)
    for a in history:
        if instance.is_work(a.shift):
            by_person[a.staff_id].append(_worked(instance, a, True))
    for a in assignments:
        if instance.is_work(a.shift):
            by_person[a.staff_id].append(_worked(instance, a, False))
    out = []
    for staff_id, items in by_person.items():
        min_rest = dt.timedelta(hours=instance.staff_by_id[staff_id].effective_rules.min_rest_hours)
        # A shift lasts at most 24 h, so one starting 24 h + min_rest before another cannot clash.
        reach = dt.timedelta(hours=24) + min_rest
        items.sort(key=lambda x: (x.start, x.end))
        for j, later in enumerate(items):
            for i in range(j - 1, -1, -1):
                earlier = items[i]
                if earlier.start <= later.start - reach:
                    break
                if earlier.history and later.history:
                    continue  # the past is not ours to judge
                if (earlier.a.date, earlier.a.shift) == (later.a.date, later.a.shift):
                    continue  # the same shift twice: one_shift_per_day or duplicate says so
                rest = later.start - earlier.end
                if rest >= min_rest:
                    continue
                first = f"{w.who(staff_id)} {earlier.a.date} {w.shift(earlier.a.shift)}"
                second = f"{_date(later.a.date, earlier.a.date)} {w.shift(later.a.shift)}"
                hours = rest.total_seconds() / 3600
                if hours < 0:
                    text = f"{first}与 {second}时间重叠 {plain(-hours)} 小时"
                else:
                    limit = plain(min_rest.total_seconds() / 3600)
                    text = f"{first}后到 {second}只休息 {plain(hours)} 小时，少于 {limit} 小时"
                if earlier.history:
                    text += "（前一个班来自历史排班）"
                out.append(Violation("rest", staff_id, later.a.date, later.a.shift, text))
    return out


def _consecutive_days(w: _Words, assignments: list[Assignment], history: list[Assignment]) -> list[Violation]:
    instance = w.instance
    dates: dict[str, set[dt.date]] = defaultdict(set)
    for a in (*history, *assignments):
        if instance.is_work(a.shift):
            dates[a.staff_id].add(a.date)
    out = []
    one = dt.timedelta(days=1)
    for staff_id, worked in dates.items():
        limit = instance.staff_by_id[staff_id].effective_rules.max_consecutive_days
        ordered = sorted(worked)
        runs: list[list[dt.date]] = []
        for d in ordered:
            if runs and runs[-1][-1] + one == d:
                runs[-1].append(d)
            else:
                runs.append([d])
        for run in runs:
            # Only a run reaching into the horizon is this roster's doing (history counts toward it).
            if len(run) <= limit or run[-1] < instance.start:
                continue
            before = sum(1 for d in run if d < instance.start)
            note = f"（其中 {before} 天在历史排班里）" if before else ""
            first_over = max(run[limit], instance.start)
            out.append(
                Violation(
                    "consecutive_days",
                    staff_id,
                    first_over,
                    None,
                    f"{w.who(staff_id)} 从 {run[0]} 到 {_date(run[-1], run[0])} 连续 {len(run)} 天有班，"
                    f"超过 {limit} 天{note}",
                )
            )
    return out


def _fixed(w: _Words, assignments: list[Assignment]) -> list[Violation]:
    instance = w.instance
    worked: dict[tuple[str, dt.date], list[Assignment]] = defaultdict(list)
    for a in assignments:
        worked[a.staff_id, a.date].append(a)
    out = []
    for f in instance.scenario.fixed:
        if not instance.start <= f.date <= instance.end:
            continue
        day = worked.get((f.staff, f.date), [])
        names = "、".join(w.shift(a.shift) for a in day)
        who = f"{w.who(f.staff)} {f.date}"
        if f.shift == "off":
            if day:
                out.append(
                    Violation("fixed", f.staff, f.date, day[0].shift, f"{who} 固定休息，却排了{names}")
                )
            continue
        others = [a for a in day if a.shift != f.shift]
        if not any(a.shift == f.shift for a in day):
            got = f"（排的是{names}）" if day else ""
            text = f"{who} 固定上{w.shift(f.shift)}，却没有排这个班{got}"
            out.append(Violation("fixed", f.staff, f.date, f.shift, text))
        elif others:
            extra = "、".join(w.shift(a.shift) for a in others)
            text = f"{who} 固定只上{w.shift(f.shift)}，却另外还排了{extra}"
            out.append(Violation("fixed", f.staff, f.date, f.shift, text))
    return out


def _slot_results(instance: Instance, assignments: list[Assignment]) -> list[SlotResult]:
    staffed: dict[tuple[dt.date, str, str], list[str]] = defaultdict(list)
    for a in assignments:
        for role in covered_roles(instance, a):
            staffed[a.date, a.shift, role].append(a.staff_id)
    counts = coverage_counts(instance, assignments)
    out = []
    for slot in instance.slots:
        ids = tuple(sorted(staffed.get((slot.date, slot.shift, slot.role), [])))
        out.append(SlotResult.of(instance, slot, ids, counts[slot.date, slot.shift, slot.role]))
    return out


def _max_coverage(w: _Words, slots: list[SlotResult]) -> list[Violation]:
    out = []
    for slot, result in zip(w.instance.slots, slots, strict=True):
        if slot.max is not None and result.assigned > slot.max:
            out.append(
                Violation(
                    "max_coverage",
                    None,
                    slot.date,
                    slot.shift,
                    f"{slot.date} {w.shift(slot.shift)} {w.role(slot.role)} 排了 {result.assigned} 人"
                    f"（{'、'.join(result.staff_ids)}），超过上限 {slot.max} 人",
                )
            )
    return out


def _overtime_cap(w: _Words, rows: list[PersonMonth]) -> list[Violation]:
    return [
        Violation(
            "overtime_cap",
            r.staff_id,
            r.month.dates[0],
            None,
            f"{w.who(r.staff_id)} {period_zh(r.month.key)}（排班期内 {len(r.month.dates)} 天）"
            f"加班 {plain(r.overtime_minutes / 60)} 小时，超过硬性上限 {plain(r.cap_minutes / 60)} 小时"
            f"（多 {plain(r.excess_minutes / 60)} 小时）",
        )
        for r in rows
        if r.cap_kind == "hard" and r.excess_minutes > 0
    ]


def _daily_hours(w: _Words, assignments: list[Assignment]) -> list[Violation]:
    instance = w.instance
    out = []
    for a in assignments:
        if instance.within_daily_limit(a.staff_id, a.shift):
            continue
        rules = instance.staff_by_id[a.staff_id].effective_rules
        out.append(
            Violation(
                "daily_hours",
                a.staff_id,
                a.date,
                a.shift,
                f"{w.who(a.staff_id)} {a.date} 排了{w.shift(a.shift)}"
                f"（{plain(instance.paid_minutes[a.shift] / 60)} 小时），超过"
                f"{WORKING_TIME_ZH[rules.working_time.system]}下每日最多 "
                f"{plain(rules.max_hours_per_day or 0)} 小时",
            )
        )
    return out


def _shift_exists(w: _Words, assignments: list[Assignment]) -> list[Violation]:
    instance = w.instance
    return [
        Violation(
            "shift_exists",
            a.staff_id,
            a.date,
            a.shift,
            f"{w.who(a.staff_id)} {a.date}（{DAY_KIND_ZH[instance.kind(a.date)]}）排了{w.shift(a.shift)}，"
            f"但这一天没有这个班次",
        )
        for a in assignments
        if not instance.shift_on(a.shift, a.date)
    ]


def _successions(w: _Words, assignments: list[Assignment], history: list[Assignment]) -> list[Violation]:
    instance = w.instance
    shifts_on: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    for a in (*history, *assignments):
        shifts_on[a.staff_id, a.date].add(a.shift)
    one = dt.timedelta(days=1)
    out = []
    for a in assignments:
        for before in shifts_on.get((a.staff_id, a.date - one), ()):
            if before in instance.shift_by_id and a.shift in instance.shift_by_id[before].not_followed_by:
                out.append(
                    Violation(
                        "succession",
                        a.staff_id,
                        a.date,
                        a.shift,
                        f"{w.who(a.staff_id)} {a.date - one} 上{w.shift(before)}，次日 {a.date} "
                        f"不能上{w.shift(a.shift)}",
                    )
                )
    return out


def _horizon_limits(w: _Words, assignments: list[Assignment]) -> list[Violation]:
    """Per-person limits over the horizon: shifts of each type, total minutes, block lengths,
    worked weekends (rules max_shifts, min/max_total_minutes, min_consecutive_*, max_weekends)."""
    instance = w.instance
    mine: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        if instance.is_work(a.shift):
            mine[a.staff_id].append(a)
    out = []
    last = instance.end
    for p in instance.staff:
        rules = p.effective_rules
        rows = mine.get(p.id, [])
        counts: dict[str, int] = defaultdict(int)
        for a in rows:
            counts[a.shift] += 1
        for shift_id, limit in (rules.max_shifts or {}).items():
            if counts[shift_id] > limit:
                said = f"{w.who(p.id)} 上{w.shift(shift_id)} {counts[shift_id]} 次，超过上限 {limit} 次"
                out.append(Violation("max_shifts", p.id, last, shift_id, said))
        minutes = sum(instance.paid_minutes[a.shift] for a in rows)
        lo, hi = rules.min_total_minutes, rules.max_total_minutes
        if (lo is not None and minutes < lo) or (hi is not None and minutes > hi):
            span = f"{'' if lo is None else lo} 至 {'' if hi is None else hi}"
            said = f"{w.who(p.id)} 总工时 {minutes} 分钟，不在 {span} 分钟之内"
            out.append(Violation("total_minutes", p.id, last, None, said))
        worked_dates = {a.date for a in rows}
        flags = [d in worked_dates for d in instance.dates]
        for start, length, on in runs_of(flags):
            minimum = rules.min_consecutive_days if on else rules.min_consecutive_days_off
            if not minimum or length >= minimum or len(flags) == length:
                continue
            at_edge = start == 0 or start + length == len(flags)
            if at_edge and rules.min_consecutive_border_exempt:
                continue
            what = "连续上班" if on else "连续休息"
            d0 = instance.dates[start]
            said = f"{w.who(p.id)} 从 {d0} 起{what} {length} 天，少于 {minimum} 天"
            out.append(Violation("min_consecutive", p.id, d0, None, said))
        if rules.max_weekends is not None:
            worked_weekends = [days for days in instance.weekends if any(d in worked_dates for d in days)]
            if len(worked_weekends) > rules.max_weekends:
                said = f"{w.who(p.id)} 上班的周末 {len(worked_weekends)} 个，超过上限 {rules.max_weekends} 个"
                first_over = worked_weekends[rules.max_weekends][0]
                out.append(Violation("weekends", p.id, first_over, None, said))
    return out


# -- entry point ------------------------------------------------------------------------------
def _duties(w: _Words, assignments: list[Assignment]) -> list[Violation]:
    """Presence duties never overlap a working shift of the same person, stay within the
    monthly cap; every person takes their monthly share of night and off-day duty."""
    instance = w.instance
    known = [a for a in assignments if a.shift in instance.shift_by_id]
    work = {(a.staff_id, a.date, a.shift) for a in known if instance.is_work(a.shift)}
    out = []
    presence_by_month: dict[tuple[str, str], int] = defaultdict(int)
    for a in known:
        if instance.is_work(a.shift):
            continue
        presence_by_month[a.staff_id, f"{a.date:%Y-%m}"] += 1
        for d, s in instance.overlapping_work(a.date, a.shift):
            if (a.staff_id, d, s) in work:
                out.append(
                    Violation(
                        "presence_overlap",
                        a.staff_id,
                        a.date,
                        a.shift,
                        f"{w.who(a.staff_id)} {a.date} {w.shift(a.shift)}与 {d} {w.shift(s)}时间重叠",
                    )
                )
    for month in instance.months:
        for p in instance.staff:
            cap = instance.presence_cap(p.id)
            n = presence_by_month.get((p.id, month.key), 0)
            if cap is not None and n > cap:
                out.append(
                    Violation(
                        "presence_cap",
                        p.id,
                        month.dates[-1],
                        None,
                        f"{w.who(p.id)} {month.key} 驻场 {n} 次，超过每月上限 {cap} 次",
                    )
                )
            wanted = instance.min_duty_shifts(p.id, month)
            if wanted:
                done = sum(1 for a in known if a.staff_id == p.id and a.date in month.dates
                           and instance.is_duty(a.date, a.shift))  # fmt: skip
                if done < wanted:
                    out.append(
                        Violation(
                            "min_duty",
                            p.id,
                            month.dates[-1],
                            None,
                            f"{w.who(p.id)} {month.key} 夜间及休息日、节假日值班 {done} 次，"
                            f"少于要求的 {wanted} 次（采购需求 2.2.3(1)：驻场所有工程师均需参加值班）",
                        )
                    )
    return out


def validate(instance: Instance, roster: Roster) -> ValidationReport:
    """Check every hard rule over the instance's horizon and score the roster.

    Rows dated outside the horizon are ignored (and counted); the history before the horizon is
    `instance.history`. A roster row naming a person or shift the scenario does not have, or a
    history row naming an unknown shift, raises `InputError`.
    """
    rows = [a for a in roster.assignments if instance.start <= a.date <= instance.end]
    ignored = len(roster.assignments) - len(rows)
    assignments = in_horizon(instance, roster)
    # History of someone no longer in the scenario (a what-if's remove_staff) binds nobody.
    history = list(dict.fromkeys(a for a in instance.history if a.staff_id in instance.staff_by_id))
    check_references(instance, history, "history")
    w = _Words(instance)
    months = person_months(instance, assignments)
    slots = _slot_results(instance, assignments)
    violations = [
        *_duplicates(w, rows),
        *_one_shift_per_day(w, assignments),
        *_availability(w, assignments),
        *_daily_hours(w, assignments),
        *_skill(w, assignments),
        *_rest(w, assignments, history),
        *_consecutive_days(w, assignments, history),
        *_fixed(w, assignments),
        *_max_coverage(w, slots),
        *_overtime_cap(w, months),
        *_shift_exists(w, assignments),
        *_duties(w, assignments),
        *_successions(w, assignments, history),
        *_horizon_limits(w, assignments),
    ]
    violations.sort(
        key=lambda v: (v.date or instance.start, v.staff_id or "", RULES.index(v.rule), v.shift or "")
    )
    if violations:
        log.info("validation: %d violation(s) of %s", len(violations), sorted({v.rule for v in violations}))
    return ValidationReport(
        violations=violations,
        slots=slots,
        scores=score_assignments(instance, assignments),
        ignored_outside_horizon=ignored,
    )
