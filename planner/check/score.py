"""The five objective levels, recomputed from a roster's assignments alone (format spec, "Objective").

This module never imports OR-Tools, directly or through anything it imports: every solve re-scores
its own roster here, and a difference from the solver's objective is a failure. So each level is
computed the plain way, straight from the assignments, sharing with the model only the facts in
`Instance` (slots, availability, months, standard minutes, caps, fairness weights).

Only assignments dated inside the horizon (instance.start..instance.end) count, and a row that
appears twice in a roster counts once (the validator reports it as `duplicate`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from models.errors import InputError
from models.roster import Assignment, Roster
from models.scenario import Request
from planner.problem.instance import FAIRNESS_KINDS, FAIRNESS_SCALE, HoursPeriod, Instance

# A solver's objective and ours are integers in the same units; this only absorbs float printing.
LEVEL_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Scores:
    """Objective levels in strict priority order, as integers in their exact units."""

    coverage: int  # level 1: Σ shortfall × role weight over instance.slots
    overtime_minutes: int  # level 2: Σ max(0, overtime − cap) over soft-capped people and months
    substitutes: int  # level 3: assignments covering a role other than the person's primary one
    requests: int  # level 4: Σ weight of unmet requests dated inside the horizon
    fairness: int  # level 5: Σ spreads of prorated counts, in thousandths (FAIRNESS_SCALE)

    @property
    def weighted(self) -> int:
        """objective: weighted: the one sum of coverage (under and over weights) and requests."""
        return self.coverage + self.requests

    def level_values(self) -> dict[str, float]:
        """Values in each level's display unit, keyed like `planner.rules.LEVELS`."""
        return {
            "coverage": self.coverage,
            "overtime": self.overtime_minutes / 60,
            "substitutes": self.substitutes,
            "requests": self.requests,
            "fairness": self.fairness / FAIRNESS_SCALE,
            "weighted": self.weighted,
        }

    def mismatches(self, claimed: dict[str, float | None]) -> list[str]:
        """Levels whose claimed value (display units, e.g. a solver's) differs from ours.

        A level missing from `claimed` or given as None is not compared.
        """
        ours = self.level_values()
        return [
            name
            for name, value in claimed.items()
            if value is not None and name in ours and abs(ours[name] - value) > LEVEL_TOLERANCE
        ]


@dataclass(frozen=True)
class PersonMonth:
    """One person's hours in one hours period inside the horizon (labour rules): a calendar
    month, or under the comprehensive system its quarter or year (Instance.hour_periods)."""

    staff_id: str
    month: HoursPeriod
    shifts: int  # assignments starting in the month's horizon dates
    paid_minutes: int
    standard_minutes: int
    overtime_minutes: int  # max(0, paid − standard)
    cap_minutes: int  # the prorated cap, whole hours
    cap_kind: str  # "soft" (objective level 2), "hard" (hard rule 8), "flexible" (not counted)
    excess_minutes: int  # max(0, overtime − cap)
    restday_minutes: int  # paid minutes falling (by the clock) on rest days (劳动法 44: 200%)
    holiday_minutes: int  # paid minutes falling on statutory holidays (300%)
    nights: int
    presence: int = 0  # presence duties (not working time, Shift kind presence)

    @property
    def month_key(self) -> str:
        return self.month.key


# -- assignments ------------------------------------------------------------------------------
def check_references(instance: Instance, assignments: Iterable[Assignment], what: str = "roster") -> None:
    """Refuse assignments naming a person or shift the scenario does not have.

    Such a roster belongs to another scenario: nothing about it can be checked or scored. (An
    unknown *role* is checkable: it is simply not one of the person's skills.)
    """
    for a in assignments:
        if a.staff_id not in instance.staff_by_id:
            raise InputError(
                f"{what}: {a.date} {a.shift}: unknown person '{a.staff_id}', not in the scenario's staff"
            )
        if a.shift not in instance.shift_by_id:
            shifts = ", ".join(instance.shift_by_id)
            raise InputError(
                f"{what}: {a.date} {a.staff_id}: unknown shift '{a.shift}'; the scenario has {shifts}"
            )


def in_horizon(instance: Instance, roster: Roster) -> list[Assignment]:
    """The roster's assignments dated inside the horizon, each distinct row once, in roster order."""
    rows = [a for a in roster.assignments if instance.start <= a.date <= instance.end]
    check_references(instance, rows)
    return list(dict.fromkeys(rows))


def covered_roles(instance: Instance, a: Assignment) -> list[str]:
    """The roles an assignment covers: its own, and on a working shift every side role (Role
    side) among the person's skills, whatever role they work in."""
    if not instance.side_roles or not instance.is_work(a.shift):
        return [a.role]
    return [a.role, *(r for r in instance.staff_by_id[a.staff_id].all_skills if r in instance.side_roles)]


def coverage_counts(
    instance: Instance, assignments: Iterable[Assignment]
) -> Counter[tuple[dt.date, str, str]]:
    """Number of assignments covering each (date, shift, role)."""
    return Counter((a.date, a.shift, role) for a in assignments for role in covered_roles(instance, a))


# -- level 1: coverage ------------------------------------------------------------------------
def coverage_level(instance: Instance, assignments: list[Assignment]) -> int:
    """Σ shortfall × under-weight + Σ people beyond the requirement × over-weight."""
    counts = coverage_counts(instance, assignments)
    total = 0
    for slot in instance.slots:
        n = counts[slot.date, slot.shift, slot.role]
        total += max(0, slot.required - n) * slot.under_weight + max(0, n - slot.required) * slot.over_weight
    return total


# -- level 2: overtime ------------------------------------------------------------------------
def person_months(instance: Instance, assignments: list[Assignment]) -> list[PersonMonth]:
    """Like `person_month_hours`, for assignments already passed through `in_horizon`."""
    by_person_date: dict[tuple[str, dt.date], list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_person_date[a.staff_id, a.date].append(a)
    rows = []
    for p in instance.staff:
        counted = instance.counts_overtime(p.id)
        for period in instance.hour_periods(p.id):
            days = [a for d in period.dates for a in by_person_date.get((p.id, d), [])]
            worked = [a for a in days if instance.is_work(a.shift)]
            paid = sum(instance.paid_minutes[a.shift] for a in worked)
            standard = instance.standard_minutes(p.id, period)
            overtime = max(0, paid - standard) if counted else 0
            cap = instance.overtime_cap_minutes(p.id, period)
            rows.append(
                PersonMonth(
                    staff_id=p.id,
                    month=period,
                    shifts=len(worked),
                    paid_minutes=paid,
                    standard_minutes=standard,
                    overtime_minutes=overtime,
                    cap_minutes=cap,
                    cap_kind=p.effective_rules.overtime_cap if counted else "flexible",
                    excess_minutes=max(0, overtime - cap),
                    restday_minutes=_minutes_on(instance, worked, "restday"),
                    holiday_minutes=_minutes_on(instance, worked, "holiday"),
                    nights=sum(1 for a in worked if instance.is_night(a.shift)),
                    presence=len(days) - len(worked),
                )
            )
    return rows


def _minutes_on(instance: Instance, worked: list[Assignment], kind: str) -> int:
    """Paid minutes that fall, by the clock, on dates of `kind` (the pay premiums of 劳动法 44):
    a night starting on 12-31 puts its hours after midnight on 元旦. They stay in the row of the
    period the shift starts in."""
    return sum(
        minutes
        for a in worked
        for date, minutes in instance.minutes_by_date(a.date, a.shift)
        if instance.day_info(date).kind == kind
    )


def person_month_hours(instance: Instance, roster: Roster) -> list[PersonMonth]:
    """One row per person (scenario order) per horizon month (calendar order)."""
    return person_months(instance, in_horizon(instance, roster))


def overtime_level(rows: Iterable[PersonMonth]) -> int:
    """Minutes beyond the cap, only where the cap is soft (a hard cap is hard rule 8)."""
    return sum(r.excess_minutes for r in rows if r.cap_kind == "soft")


# -- level 3: substitutes ---------------------------------------------------------------------
def substitutes_level(instance: Instance, assignments: list[Assignment]) -> int:
    return sum(1 for a in assignments if a.role != instance.staff_by_id[a.staff_id].role)


# -- level 4: requests ------------------------------------------------------------------------
def request_met(request: Request, shifts_that_day: set[str]) -> bool:
    """Whether a request holds, given the shifts its person works on its date."""
    if request.want == "on":
        return bool(shifts_that_day) if request.shift == "any" else request.shift in shifts_that_day
    return not shifts_that_day if request.shift == "any" else request.shift not in shifts_that_day


def unmet_requests(instance: Instance, assignments: list[Assignment]) -> list[Request]:
    """Requests dated inside the horizon that the assignments do not meet, in scenario order."""
    worked: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    for a in assignments:
        worked[a.staff_id, a.date].add(a.shift)
    return [
        r
        for r in instance.scenario.requests
        if instance.start <= r.date <= instance.end
        and not request_met(r, worked.get((r.staff, r.date), set()))
    ]


def requests_level(instance: Instance, assignments: list[Assignment]) -> int:
    return sum(r.weight for r in unmet_requests(instance, assignments))


# -- level 5: fairness ------------------------------------------------------------------------
def fairness_counts(instance: Instance, assignments: list[Assignment]) -> dict[str, dict[str, int]]:
    """Per person: raw counts of night shifts, off-day shifts and holiday shifts in the horizon.

    All of a person's assignments count, whichever role they cover.
    """
    counts = {p.id: dict.fromkeys(FAIRNESS_KINDS, 0) for p in instance.staff}
    for a in assignments:
        if not instance.is_work(a.shift):
            continue  # a presence duty is not a shift worked
        c = counts[a.staff_id]
        c["nights"] += instance.is_night(a.shift)
        c["offday_shifts"] += instance.is_offday(a.date)
        c["holiday_shifts"] += instance.is_holiday(a.date)
    return counts


def fairness_spreads(instance: Instance, assignments: list[Assignment]) -> dict[tuple[str, str], int]:
    """(role, kind) -> max − min of count × fairness weight over the role's primary people.

    People never employed in the horizon (weight 0) are left out; a role with fewer than two
    people has spread 0. Values are in thousandths.
    """
    counts = fairness_counts(instance, assignments)
    weights = {p.id: instance.fairness_weight(p.id) for p in instance.staff}
    spreads = {}
    for role in instance.roles:
        people = [p.id for p in instance.staff if p.role == role.id and weights[p.id] > 0]
        for kind in FAIRNESS_KINDS:
            values = [counts[pid][kind] * weights[pid] for pid in people]
            spreads[role.id, kind] = max(values) - min(values) if values else 0
    return spreads


def fairness_level(instance: Instance, assignments: list[Assignment]) -> int:
    return sum(fairness_spreads(instance, assignments).values())


# -- all levels -------------------------------------------------------------------------------
def score_assignments(instance: Instance, assignments: list[Assignment]) -> Scores:
    """Scores of assignments already restricted to the horizon and deduplicated (`in_horizon`)."""
    return Scores(
        coverage=coverage_level(instance, assignments),
        overtime_minutes=overtime_level(person_months(instance, assignments)),
        substitutes=substitutes_level(instance, assignments),
        requests=requests_level(instance, assignments),
        fairness=fairness_level(instance, assignments),
    )


def score(instance: Instance, roster: Roster) -> Scores:
    """All five objective levels of a roster over the instance's horizon."""
    return score_assignments(instance, in_horizon(instance, roster))


def changed_assignments(reference: Roster, roster: Roster, start: dt.date, end: dt.date) -> int:
    """The replan level: assignments added or removed against a reference roster, from `start`.

    Each (person, date, shift, role) present in one roster and not the other counts once, so
    moving a person from a day to a night shift counts 2 (one shift cancelled, one added).
    """

    def cells(r: Roster) -> set[tuple[str, dt.date, str, str]]:
        return {(a.staff_id, a.date, a.shift, a.role) for a in r.assignments if start <= a.date <= end}

    return len(cells(reference) ^ cells(roster))
