"""Why is this slot empty? For each short slot, who could have taken it and what stops each person.

A "score analysis" in the Timefold sense, done the way a person checks a printed roster: the
roster stays as it is, and for every person we ask whether adding them to the slot would break a
hard rule (format spec, "Hard rules") or cost something at a softer objective level. No solver:
plain Python over `Instance` facts and the roster's assignments, so it can run on any roster,
including one a person edited by hand.

Blockers use the validator's rule keys (planner.check.validate.RULES) where they are hard rules, so the
UI can show the same Chinese name for the same rule everywhere:
  skill              hard rule 3: the role is not one of the person's skills
  availability       hard rule 2: not employed yet, left, or absent (leave, sickness, training)
  daily_hours        hard rule 9: the shift is longer than the person's working-time system allows
  fixed              hard rule 6: a `fixed` entry pins the person elsewhere or off that day
  one_shift_per_day  hard rule 1: already on a shift that date
  rest               hard rule 4: too little rest before or after a neighbouring shift
  consecutive_days   hard rule 5: the date would make the run of working days too long
  max_coverage       hard rule 7: the slot is at its `max` already
  overtime_cap       hard rule 8 (cap `hard`) or objective level 2 (cap `soft`, then not hard)
  request            objective level 4: the person asked for that day off (soft)
  substitute         objective level 3: the role is not the person's primary one (soft)
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from models.roster import Assignment, Roster
from models.scenario import Staff
from planner.check.reasons import unavailable
from planner.check.score import in_horizon, person_months, request_met
from planner.check.validate import OfSlot, SlotResult
from planner.problem.instance import Instance
from planner.problem.labels import WORKING_TIME_ZH
from planner.problem.numbers import plain
from planner.rules import blocker_label

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Blocker:
    rule: str  # a hard rule's key (planner.rules), or request / substitute
    text: str  # plain Chinese, with the numbers
    hard: bool  # True: taking the slot would break a hard rule

    @property
    def label(self) -> str:
        return blocker_label(self.rule)


@dataclass(frozen=True)
class Candidate:
    staff_id: str
    name: str
    primary_role: str
    blockers: tuple[Blocker, ...]

    @property
    def hard_blockers(self) -> tuple[Blocker, ...]:
        return tuple(b for b in self.blockers if b.hard)

    @property
    def could_take(self) -> bool:
        """Nothing hard stops this person (soft costs may remain)."""
        return not self.hard_blockers


@dataclass(frozen=True)
class EmptySlot(OfSlot):
    slot: SlotResult  # who covers it now, and how many are missing
    candidates: tuple[Candidate, ...]  # everyone else, those who could take it first
    slot_blockers: tuple[Blocker, ...] = ()  # reasons that hold for everybody (max coverage)

    @property
    def could_take(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if c.could_take) if not self.slot_blockers else ()


def _md(d: dt.date) -> str:
    return f"{d.month:02d}-{d.day:02d}"


class _Index:
    """The roster and history by person, for the per-person checks."""

    def __init__(self, inst: Instance, roster: Roster):
        self.inst = inst
        self.assignments = in_horizon(inst, roster)
        history = [a for a in inst.history if a.staff_id in inst.staff_by_id and a.shift in inst.shift_by_id]
        self.by_person: dict[str, list[Assignment]] = defaultdict(list)
        self.by_day: dict[tuple[str, dt.date], list[Assignment]] = defaultdict(list)
        for a in (*history, *self.assignments):
            self.by_person[a.staff_id].append(a)
            self.by_day[a.staff_id, a.date].append(a)
        self.worked_dates: dict[str, set[dt.date]] = {
            p: {a.date for a in rows} for p, rows in self.by_person.items()
        }
        self.months = {(r.staff_id, r.month.key): r for r in person_months(inst, self.assignments)}
        self.fixed = {(f.staff, f.date): f for f in inst.scenario.fixed}
        self.role_names = {r.id: r.name for r in inst.roles}

    def shift_name(self, shift_id: str) -> str:
        return self.inst.shift_by_id[shift_id].name

    def role_name(self, role_id: str) -> str:
        return self.role_names.get(role_id, role_id)


def _availability(inst: Instance, person: Staff, date: dt.date) -> Blocker | None:
    if inst.available(person.id, date):
        return None
    reason = unavailable(inst.scenario, person, date)
    text = reason.text(brief=True) if reason is not None else "不可排班"
    return Blocker("availability", text, True)


def _rest(ix: _Index, person: Staff, date: dt.date, shift_id: str) -> list[Blocker]:
    """Neighbouring shifts (other dates) that leave less than min_rest_hours either side."""
    inst = ix.inst
    shift = inst.shift_by_id[shift_id]
    start, end = shift.start_on(date), shift.end_on(date)
    min_rest = person.effective_rules.min_rest_hours
    out = []
    for other in ix.by_person.get(person.id, []):
        if other.date == date:
            continue  # the same date is one_shift_per_day
        o = inst.shift_by_id[other.shift]
        o_start, o_end = o.start_on(other.date), o.end_on(other.date)
        if o_start < start:
            gap = (start - o_end).total_seconds() / 3600
            where = f"前一个班 {_md(other.date)} {o.name}"
        else:
            gap = (o_start - end).total_seconds() / 3600
            where = f"后一个班 {_md(other.date)} {o.name}"
        if gap < min_rest:
            if gap < 0:
                text = f"与{where}时间重叠"
            else:
                text = f"与{where}之间只休息 {gap:g} 小时，少于 {min_rest:g} 小时"
            out.append(Blocker("rest", text, True))
    return out


def _consecutive(ix: _Index, person: Staff, date: dt.date) -> Blocker | None:
    worked = ix.worked_dates.get(person.id, set())
    if date in worked:
        return None  # already working that date: one_shift_per_day says so
    one = dt.timedelta(days=1)
    before = 0
    while date - (before + 1) * one in worked:
        before += 1
    after = 0
    while date + (after + 1) * one in worked:
        after += 1
    run = before + 1 + after
    limit = person.effective_rules.max_consecutive_days
    if run <= limit:
        return None
    first, last = date - before * one, date + after * one
    return Blocker(
        "consecutive_days",
        f"加上这天将从 {_md(first)} 到 {_md(last)} 连续上班 {run} 天，超过 {limit} 天",
        True,
    )


def _overtime(ix: _Index, person: Staff, date: dt.date, shift_id: str) -> Blocker | None:
    inst = ix.inst
    month = inst.month_of(date)
    row = ix.months.get((person.id, month.key))
    if row is None:
        return None
    paid = row.paid_minutes + inst.paid_minutes[shift_id]
    overtime = max(0, paid - row.standard_minutes)
    if overtime <= row.cap_minutes:
        return None
    hard = row.cap_kind == "hard"
    text = (
        f"{month.month} 月已排 {plain(row.paid_minutes / 60)} 小时"
        f"（标准 {plain(row.standard_minutes / 60)} 小时），"
        f"再上这个班加班将达 {plain(overtime / 60)} 小时，超过上限 {plain(row.cap_minutes / 60)} 小时"
    )
    return Blocker("overtime_cap", text, hard)


def _fixed(ix: _Index, person: Staff, date: dt.date, shift_id: str) -> Blocker | None:
    f = ix.fixed.get((person.id, date))
    if f is None or f.shift == shift_id:
        return None
    if f.shift == "off":
        return Blocker("fixed", "这天固定休息", True)
    return Blocker("fixed", f"这天固定上{ix.shift_name(f.shift)}", True)


def candidate_blockers(ix: _Index, person: Staff, date: dt.date, shift_id: str, role: str) -> list[Blocker]:
    """Everything that stops `person` from covering `role` on `shift_id` of `date` in this roster."""
    inst = ix.inst
    out: list[Blocker] = []
    if role not in person.all_skills:
        skills = "、".join(ix.role_name(r) for r in person.all_skills)
        out.append(Blocker("skill", f"不会{ix.role_name(role)}（技能：{skills}）", True))
    availability = _availability(inst, person, date)
    if availability:
        out.append(availability)
    if not inst.within_daily_limit(person.id, shift_id):
        rules = person.effective_rules
        text = (
            f"{ix.shift_name(shift_id)}计薪 {inst.paid_minutes[shift_id] / 60:g} 小时，超过"
            f"{WORKING_TIME_ZH[rules.working_time.system]}每日最多 {rules.max_hours_per_day or 0:g} 小时"
        )
        out.append(Blocker("daily_hours", text, True))
    fixed = _fixed(ix, person, date, shift_id)
    if fixed:
        out.append(fixed)
    same_day = ix.by_day.get((person.id, date), [])
    if same_day:
        names = "、".join(f"{ix.shift_name(a.shift)}（{ix.role_name(a.role)}）" for a in same_day)
        out.append(Blocker("one_shift_per_day", f"当天已排{names}", True))
    out.extend(_rest(ix, person, date, shift_id))
    consecutive = _consecutive(ix, person, date)
    if consecutive:
        out.append(consecutive)
    overtime = _overtime(ix, person, date, shift_id)
    if overtime:
        out.append(overtime)
    for r in inst.scenario.requests:
        if r.staff == person.id and r.date == date and not request_met(r, {shift_id}):
            out.append(Blocker("request", f"申请这天休息（权重 {r.weight}）", False))
    if role in person.all_skills and role != person.role:
        out.append(Blocker("substitute", f"本岗是{ix.role_name(person.role)}，顶岗计为替岗", False))
    return out


def why_empty(inst: Instance, roster: Roster) -> list[EmptySlot]:
    """Every slot short of its requirement, in date, shift and role order, with its candidates.

    Candidates are everyone not already covering the slot; those nothing hard stops come first,
    then people with the role as a skill, then by the number of hard blockers.
    """
    ix = _Index(inst, roster)
    counts: dict[tuple[dt.date, str, str], list[str]] = defaultdict(list)
    for a in ix.assignments:
        counts[a.date, a.shift, a.role].append(a.staff_id)
    shift_order = {s.id: i for i, s in enumerate(inst.shifts)}
    role_order = {r.id: i for i, r in enumerate(inst.roles)}
    out = []
    for slot in sorted(inst.slots, key=lambda s: (s.date, shift_order[s.shift], role_order[s.role])):
        staffed = counts.get((slot.date, slot.shift, slot.role), [])
        if len(staffed) >= slot.required:
            continue
        slot_blockers: tuple[Blocker, ...] = ()
        if slot.max is not None and len(staffed) >= slot.max:
            slot_blockers = (
                Blocker("max_coverage", f"这个班次已排 {len(staffed)} 人，达到上限 {slot.max} 人", True),
            )
        candidates = []
        for person in inst.staff:
            if person.id in staffed:
                continue
            blockers = candidate_blockers(ix, person, slot.date, slot.shift, slot.role)
            candidates.append(Candidate(person.id, person.name, person.role, tuple(blockers)))
        candidates.sort(
            key=lambda c: (
                not c.could_take,
                slot.role not in inst.staff_by_id[c.staff_id].all_skills,
                len(c.hard_blockers),
                c.staff_id,
            )
        )
        out.append(
            EmptySlot(
                SlotResult.of(inst, slot, tuple(sorted(staffed)), len(staffed)),
                tuple(candidates),
                slot_blockers,
            )
        )
    log.debug("why_empty: %d short slots", len(out))
    return out


def blocker_summary(slots: list[EmptySlot], skilled_only: bool = True) -> dict[str, int]:
    """How often each hard rule stops a person, over all short slots (people with the skill only)."""
    totals: dict[str, int] = defaultdict(int)
    for slot in slots:
        for c in slot.candidates:
            if skilled_only and any(b.rule == "skill" for b in c.blockers):
                continue
            for rule in {b.rule for b in c.hard_blockers}:
                totals[rule] += 1
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))
