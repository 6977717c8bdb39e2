"""A scenario over a horizon: the facts every layer needs, computed once, in plain Python.

The solver, the validator, the scorer and the reports all read the same `Instance`, so they agree
on what is required when. It holds no solver objects and never imports ortools: the *checks*
(rest, consecutive days, coverage) are done independently by the model and by the validator.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import functools
import math
from dataclasses import dataclass

from calendars import scenario_days
from models.calendar import DayInfo
from models.roster import Assignment, Roster
from models.scenario import Scenario, Shift, Staff, selector_matches
from planner.rules import levels_for

# Fairness spreads are prorated by employment: a count is multiplied by horizon_days /
# employed_days. To keep the objective integral, that factor is held in thousandths.
FAIRNESS_SCALE = 1000
FAIRNESS_KINDS = ("nights", "offday_shifts", "holiday_shifts")


@dataclass(frozen=True)
class Month:
    """The part of one calendar month inside the horizon (labour rules, overtime)."""

    year: int
    month: int
    dates: tuple[dt.date, ...]

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def days_in_month(self) -> int:
        return pycal.monthrange(self.year, self.month)[1]


@dataclass(frozen=True)
class HoursPeriod:
    """A period whose hours are totalled against its standard and overtime cap: one calendar
    month under the standard system (as the format defines level 2), or the comprehensive
    system's month, quarter or year (综合计算工时), each the part inside the horizon."""

    key: str  # 2026-12, 2026Q4, 2027
    months: tuple[Month, ...]

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(d for m in self.months for d in m.dates)


def period_key(month: Month, period: str) -> str:
    if period == "quarter":
        return f"{month.year:04d}Q{(month.month - 1) // 3 + 1}"
    return str(month.year) if period == "year" else month.key


@dataclass(frozen=True)
class Slot:
    """One coverage requirement: `required` people covering `role` on `shift` of `date`."""

    date: dt.date
    shift: str
    role: str
    required: int
    max: int | None
    under_weight: int = 1  # per person short (the role's weight unless the entry sets one)
    over_weight: int = 0  # per person beyond `required`


class Instance:
    def __init__(self, scenario: Scenario, start: dt.date, end: dt.date, history: Roster | None = None):
        self.scenario = scenario
        self.start, self.end = start, end
        self.days: list[DayInfo] = scenario_days(scenario, start, end)
        self.dates: list[dt.date] = [d.date for d in self.days]
        self.day: dict[dt.date, DayInfo] = {d.date: d for d in self.days}
        self.staff: tuple[Staff, ...] = scenario.staff
        self.staff_by_id: dict[str, Staff] = {p.id: p for p in scenario.staff}
        self.shifts: tuple[Shift, ...] = scenario.shifts
        self.shift_by_id: dict[str, Shift] = {s.id: s for s in scenario.shifts}
        # Working shifts (rest, consecutive days, hours, fairness) and presence duties apart.
        self.work_shifts: tuple[Shift, ...] = tuple(s for s in scenario.shifts if s.works)
        self.presence_shifts: tuple[Shift, ...] = tuple(s for s in scenario.shifts if not s.works)
        self.roles = scenario.roles
        self.side_roles: frozenset[str] = frozenset(r.id for r in scenario.roles if r.side)
        # History: only what happened before the horizon counts (rest and consecutive days).
        self.history: tuple[Assignment, ...] = tuple(
            a for a in (history.assignments if history else ()) if a.date < start
        )
        self._available = {
            (p.id, d): p.employed_on(d) and not scenario.absent(p.id, d)
            for p in self.staff
            for d in self.dates
        }
        self.slots: list[Slot] = self._slots()
        self._slot_index = {(s.date, s.shift, s.role): s for s in self.slots}
        self.months: list[Month] = self._months()
        self._outside_days: dict[dt.date, DayInfo] = {}

    # -- calendar -------------------------------------------------------------------------
    def kind(self, date: dt.date) -> str:
        return self.day[date].kind

    def shift_on(self, shift: Shift | str, date: dt.date) -> bool:
        """Whether the shift exists on the date (`shifts[].days`)."""
        sh = self.shift_by_id[shift] if isinstance(shift, str) else shift
        return selector_matches(sh.days, self.kind(date), date)

    @property
    def provisional_dates(self) -> list[dt.date]:
        return [d.date for d in self.days if d.provisional]

    # -- people ---------------------------------------------------------------------------
    def available(self, staff_id: str, date: dt.date) -> bool:
        """Employed and not absent on the date (hard rule 2)."""
        return self._available.get((staff_id, date), False)

    def employed_days(self, staff_id: str) -> int:
        person = self.staff_by_id[staff_id]
        return sum(person.employed_on(d) for d in self.dates)

    def fairness_weight(self, staff_id: str) -> int:
        """Prorating factor horizon_days / employed_days, in thousandths (0 if never employed)."""
        employed = self.employed_days(staff_id)
        return round(FAIRNESS_SCALE * len(self.dates) / employed) if employed else 0

    # -- coverage -------------------------------------------------------------------------
    def _slots(self) -> list[Slot]:
        s = self.scenario
        slots = []
        for day in self.days:
            for shift in self.shifts:
                if not selector_matches(shift.days, day.kind, day.date):
                    continue
                for role in self.roles:
                    matching = [
                        c
                        for c in s.coverage
                        if c.role == role.id and c.shift == shift.id and c.matches(day.kind, day.date)
                    ]
                    required = max((c.min for c in matching), default=0)
                    # The weights of the entry that sets the requirement; any entry's over-weight.
                    setting = max(matching, key=lambda c: c.min, default=None)
                    under = role.weight
                    if setting is not None and setting.under_weight is not None:
                        under = setting.under_weight
                    over = max((c.over_weight for c in matching), default=0)
                    required += sum(
                        a.count
                        for g in s.surges
                        if g.active_on(day.date)
                        for a in g.add
                        if a.role == role.id and a.shift == shift.id
                    )
                    maxes = [c.max for c in matching if c.max is not None]
                    if required > 0 or maxes or over:
                        top = min(maxes) if maxes else None
                        slots.append(Slot(day.date, shift.id, role.id, required, top, under, over))
        return slots

    def required(self, date: dt.date, shift: str, role: str) -> int:
        slot = self._slot_index.get((date, shift, role))
        return slot.required if slot else 0

    # -- hours ----------------------------------------------------------------------------
    def _months(self) -> list[Month]:
        months: dict[tuple[int, int], list[dt.date]] = {}
        for d in self.dates:
            months.setdefault((d.year, d.month), []).append(d)
        return [Month(y, m, tuple(ds)) for (y, m), ds in months.items()]

    def month_of(self, date: dt.date) -> Month:
        return next(m for m in self.months if m.year == date.year and m.month == date.month)

    def hour_periods(self, staff_id: str) -> list[HoursPeriod]:
        """The periods the person's overtime is counted over (WorkingTime): calendar months, or
        the comprehensive system's quarters or years, each cut to the horizon."""
        wt = self.staff_by_id[staff_id].effective_rules.working_time
        period = wt.period if wt.system == "comprehensive" else "month"
        groups: dict[str, list[Month]] = {}
        for month in self.months:
            groups.setdefault(period_key(month, period), []).append(month)
        return [HoursPeriod(key, tuple(months)) for key, months in groups.items()]

    def counts_overtime(self, staff_id: str) -> bool:
        """False under the flexible system (不定时工作制): no overtime count, no cap."""
        return self.staff_by_id[staff_id].effective_rules.working_time.system != "flexible"

    def standard_minutes(self, staff_id: str, period: Month | HoursPeriod) -> int:
        """Standard time: standard day × workdays employed and not absent (format spec); for a
        period, the sum of its months'."""
        if isinstance(period, HoursPeriod):
            return sum(self.standard_minutes(staff_id, m) for m in period.months)
        rules = self.staff_by_id[staff_id].effective_rules
        workdays = sum(1 for d in period.dates if self.kind(d) == "workday" and self.available(staff_id, d))
        return round(rules.standard_hours_per_day * 60 * workdays)

    def overtime_cap_minutes(self, staff_id: str, period: Month | HoursPeriod) -> int:
        """The cap prorated to the month's days in the horizon, rounded down to whole hours; for
        a period, the sum of its months' (劳动法 41's 36 h a month, averaged over the period)."""
        if isinstance(period, HoursPeriod):
            return sum(self.overtime_cap_minutes(staff_id, m) for m in period.months)
        rules = self.staff_by_id[staff_id].effective_rules
        hours = math.floor(
            rules.max_overtime_hours_per_month * len(period.dates) / period.days_in_month + 1e-9
        )
        return hours * 60

    def daily_limit_minutes(self, staff_id: str) -> int | None:
        """The longest shift the person may work (LabourRules.max_hours_per_day), or None."""
        hours = self.staff_by_id[staff_id].effective_rules.max_hours_per_day
        return None if hours is None else round(hours * 60)

    def within_daily_limit(self, staff_id: str, shift: str) -> bool:
        limit = self.daily_limit_minutes(staff_id)
        return limit is None or self.paid_minutes[shift] <= limit

    def day_info(self, date: dt.date) -> DayInfo:
        """The kind of any date, also the day after the horizon that a last night runs into."""
        if date in self.day:
            return self.day[date]
        if date not in self._outside_days:
            self._outside_days[date] = scenario_days(self.scenario, date, date)[0]
        return self._outside_days[date]

    def minutes_by_date(self, date: dt.date, shift: str) -> list[tuple[dt.date, int]]:
        """A shift's paid minutes split by the clock at midnight: (date, minutes) for each date its
        hours fall on, in proportion to its clock time there (whole minutes, summing to the paid
        minutes). A night from 12-31 16:00 to 01-01 08:00 has 8 h on 元旦 (劳动法 44: holiday
        hours are the hours worked on the holiday)."""
        sh = self.shift_by_id[shift]
        begin, end = sh.start_on(date), sh.end_on(date)
        total = (end - begin).total_seconds()
        paid = self.paid_minutes[shift]
        midnight = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(0))
        if end <= midnight or total <= 0:
            return [(date, paid)]
        first = round(paid * (midnight - begin).total_seconds() / total)
        return [(date, first), (date + dt.timedelta(days=1), paid - first)]

    @functools.cached_property
    def paid_minutes(self) -> dict[str, int]:
        return {s.id: round(s.paid * 60) for s in self.shifts}

    # -- assignments ----------------------------------------------------------------------
    def is_night(self, shift: str) -> bool:
        """A night shift is a working shift that runs past midnight (fairness level 5)."""
        sh = self.shift_by_id[shift]
        return sh.works and sh.crosses_midnight

    def is_work(self, shift: str) -> bool:
        return self.shift_by_id[shift].works

    def is_duty(self, date: dt.date, shift: str) -> bool:
        """A working shift at night or on a rest day or holiday (min_duty_shifts_per_month)."""
        return self.is_work(shift) and (self.is_night(shift) or self.is_offday(date))

    def overlapping_work(self, date: dt.date, shift: str) -> list[tuple[dt.date, str]]:
        """The working shifts (date, id) whose clock time overlaps `shift` on `date`."""
        sh = self.shift_by_id[shift]
        begin, end = sh.start_on(date), sh.end_on(date)
        out = []
        for offset in (-1, 0, 1):
            d = date + dt.timedelta(days=offset)
            for w in self.work_shifts:
                if w.start_on(d) < end and begin < w.end_on(d):
                    out.append((d, w.id))
        return out

    def presence_cap(self, staff_id: str) -> int | None:
        return self.staff_by_id[staff_id].effective_rules.max_presence_per_month

    def min_duty_shifts(self, staff_id: str, month: Month) -> int:
        """min_duty_shifts_per_month, prorated to the days the person is available in the
        month's part of the horizon (rounded down)."""
        wanted = self.staff_by_id[staff_id].effective_rules.min_duty_shifts_per_month
        if not wanted:
            return 0
        available = sum(1 for d in month.dates if self.available(staff_id, d))
        return math.floor(wanted * available / month.days_in_month + 1e-9)

    @functools.cached_property
    def weekends(self) -> list[tuple[dt.date, ...]]:
        """The horizon's weekends: each Saturday–Sunday pair's dates inside the horizon (max_weekends);
        a weekend cut by the horizon's start or end is the day that is inside."""
        out: dict[dt.date, list[dt.date]] = {}
        for d in self.dates:
            if d.weekday() >= 5:
                out.setdefault(d - dt.timedelta(days=d.weekday() - 5), []).append(d)
        return [tuple(ds) for ds in out.values()]

    @property
    def levels(self) -> tuple[str, ...]:
        """The objective levels of a plain solve of this scenario (objective mode)."""
        return levels_for(False, self.scenario.objective)

    def is_offday(self, date: dt.date) -> bool:
        return self.kind(date) in ("restday", "holiday")

    def is_holiday(self, date: dt.date) -> bool:
        return self.kind(date) == "holiday"
