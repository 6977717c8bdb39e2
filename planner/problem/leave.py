"""Paid annual leave owed over a horizon (职工带薪年休假条例 第三条; 企业职工带薪年休假实施办法 第五条).

Cumulative service of at least 1 year gives 5 days, at least 10 years 10 days, at least 20 years
15 days a year. Statutory holidays and rest days do not count toward it, so leave is taken on
workdays. For a horizon other than a whole year, or a person employed for part of it, the days
are prorated by calendar days (remaining days ÷ 365 × the annual days, 实施办法 第五条), and a
part of a day is not owed.
"""

from __future__ import annotations

import datetime as dt
import math

from models.scenario import Staff
from planner.problem.instance import Instance

DAYS_BY_SERVICE = ((20, 15), (10, 10), (1, 5))  # (at least this many years, days a year)


def service_years(person: Staff, on: dt.date) -> float | None:
    """Cumulative service on a date: from `service_start`, else the scenario's `years`."""
    if person.service_start is not None:
        return (on - person.service_start).days / 365.25
    return person.years


def annual_days(person: Staff, on: dt.date) -> int:
    """Days a year the person is owed, as of `on`."""
    if person.annual_leave_days is not None:
        return person.annual_leave_days
    years = service_years(person, on)
    if years is None:
        return 0
    return next((days for least, days in DAYS_BY_SERVICE if years >= least), 0)


def entitlement(person: Staff, start: dt.date, end: dt.date) -> int:
    """Whole days owed over start..end: the annual days prorated by the calendar days employed."""
    first = max(start, person.start_date or start)
    last = min(end, person.end_date or end)
    if last < first:
        return 0
    days = (last - first).days + 1
    return math.floor(annual_days(person, first) * min(days, 365) / 365 + 1e-9)


def owed_days(inst: Instance) -> tuple[dict[str, int], dict[str, int]]:
    """Days still to place per person: the prorated entitlement minus the annual-leave workdays
    the scenario already has in the horizon; and those already given."""
    scenario = inst.scenario
    owed, taken = {}, {}
    for p in inst.staff:
        given = sum(
            1
            for a in scenario.absences
            if a.staff == p.id and a.kind == "annual"
            for d in inst.dates
            if a.covers(d) and inst.kind(d) == "workday"
        )
        taken[p.id] = given
        owed[p.id] = max(0, entitlement(p, inst.start, inst.end) - given)
    return owed, taken
