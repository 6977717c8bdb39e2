"""Pydantic models of a scenario file (format version 1, see ../shared/scenario-format.md).

Every model is frozen and refuses unknown keys. The loader (`models.loader`) merges `extends`
chains, resolves defaults and per-person rules, and only then builds a `Scenario`, so every
later layer reads one immutable, fully resolved object.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

Id = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")]


def _no_number_dates(value: object) -> object:
    """Pydantic would read 1781481600 as a Unix timestamp; a scenario's dates are written as dates."""
    if isinstance(value, int | float):
        raise ValueError("a date is written YYYY-MM-DD, not as a number")
    return value


Date = Annotated[dt.date, BeforeValidator(_no_number_dates)]

# Bounds that keep every objective term inside CP-SAT's 64-bit integers, far above any real
# roster: a slot for 1,000 people, a role or request weight of 1,000.
MAX_PEOPLE_PER_SLOT = 1000
MAX_WEIGHT = 1000

DAY_KINDS = ("workday", "restday", "holiday")
DaySelectorName = Literal["workday", "restday", "holiday", "offday", "all"]
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DaySelector = DaySelectorName | tuple[Weekday, ...]
AbsenceKind = Literal["annual", "sick", "training", "personal", "other"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def selector_matches(selector: DaySelector, kind: str, date: dt.date) -> bool:
    """Whether a `days` selector matches a date of the given kind."""
    if isinstance(selector, tuple):
        return WEEKDAY_NAMES[date.weekday()] in selector
    if selector == "all":
        return True
    if selector == "offday":
        return kind in ("restday", "holiday")
    return selector == kind


def _parse_hhmm(value: object) -> object:
    # YAML 1.1 readers turn 08:00 into the sexagesimal integer 480; insist on text.
    if isinstance(value, int | float):
        # A number would be read as seconds since midnight (1.5 -> 00:00:01.5).
        raise ValueError("write times as quoted 'HH:MM' text")
    if isinstance(value, str):
        parts = value.split(":")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise ValueError("expected HH:MM")
        hour, minute = int(parts[0]), int(parts[1])
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValueError("expected HH:MM with hours 00-23 and minutes 00-59")
        return dt.time(hour, minute)
    return value


class Role(Frozen):
    id: Id
    name: str
    weight: int = Field(1, ge=0, le=MAX_WEIGHT)
    # A side duty (兼任): nobody is rostered in this role; anyone on a shift who has it among
    # their skills meets its coverage without leaving their own role (the desk phone at night).
    side: bool = False


ShiftKind = Literal["work", "presence"]


class Shift(Frozen):
    """A working shift, or with `kind: presence` a presence duty: being on the premises over the
    window without working (the manager's night stay, 附件八 附件1 1.1). A presence duty is not
    working time (Beijing practice treats on-site duty with sleep, with no tasks given, as not
    working time): it has no paid hours and takes no part in rest, consecutive-day, hours,
    overtime or fairness rules; it must not overlap a working shift of the same person, and
    `rules.max_presence_per_month` limits it. Whoever reads the duty as work writes it as an
    ordinary shift instead (then all those rules apply)."""

    id: Id
    name: str
    start: dt.time
    end: dt.time
    paid_hours: float | None = Field(None, gt=0, le=24)
    days: DaySelector = "all"
    kind: ShiftKind = "work"
    # Shifts that may not be worked on the day after this one (a forbidden succession, e.g. no
    # early shift after a night), by the same person, whatever the rest rule says.
    not_followed_by: tuple[Id, ...] = ()

    _hhmm = field_validator("start", "end", mode="before")(_parse_hhmm)

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in ("off", "any"):
            raise ValueError(f"'{value}' is a reserved word and cannot be a shift id")
        return value

    @model_validator(mode="after")
    def _paid_hours_by_kind(self) -> Shift:
        if self.kind == "work" and self.paid_hours is None:
            raise ValueError("a working shift needs paid_hours")
        if self.kind == "presence" and self.paid_hours is not None:
            raise ValueError("a presence duty is not working time: it has no paid_hours")
        return self

    @property
    def works(self) -> bool:
        return self.kind == "work"

    @property
    def paid(self) -> float:
        """Paid hours: 0 for a presence duty."""
        return self.paid_hours or 0.0

    @property
    def crosses_midnight(self) -> bool:
        """A shift whose end is not after its start ends the next day (format spec)."""
        return self.end <= self.start

    def start_on(self, date: dt.date) -> dt.datetime:
        return dt.datetime.combine(date, self.start)

    def end_on(self, date: dt.date) -> dt.datetime:
        end_date = date + dt.timedelta(days=1) if self.crosses_midnight else date
        return dt.datetime.combine(end_date, self.end)


WorkingTimeSystem = Literal["standard", "comprehensive", "flexible"]


class WorkingTime(Frozen):
    """The working-time system a person's hours are counted under (劳动法 36, 39, 41).

    - standard (标准工时): 8 h a day, 40 h a week; overtime at most 3 h a day (41), so no shift
      may be longer than standard_hours_per_day + max_overtime_hours_per_day (8 + 3 = 11 h).
    - comprehensive (综合计算工时): hours are totalled over `period` (calendar months, quarters
      or years inside the horizon); the period's standard hours and overtime cap are the sums
      of its months'. The longest working day is what the approval states (`max_hours_per_day`).
    - flexible (不定时工作制): no daily limit and no overtime count, usually for managers.
    The last two are lawful only with the labour authority's approval (劳动法 39;
    劳部发〔1994〕503号): `approval` is its number, empty until there is one.
    A plain string (`working_time: comprehensive`) means that system with these defaults.
    """

    system: WorkingTimeSystem = "standard"
    period: Literal["month", "quarter", "year"] = "month"
    approval: str = ""
    max_hours_per_day: float | None = Field(None, gt=0, le=24)

    @model_validator(mode="before")
    @classmethod
    def _plain_system(cls, value: object) -> object:
        return {"system": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check(self) -> WorkingTime:
        if self.system != "comprehensive" and self.period != "month":
            raise ValueError("period is only for the comprehensive system (综合计算工时)")
        return self

    @property
    def needs_approval(self) -> bool:
        return self.system != "standard"


class LabourRules(Frozen):
    """Labour rules; defaults follow PRC labour law (劳动法 36, 38, 41), except the 12 h rest,
    which is a reasonable scenario rule and not a clause of 劳动法."""

    min_rest_hours: float = Field(12, ge=0, le=72)
    max_consecutive_days: int = Field(6, ge=1, le=366)
    max_overtime_hours_per_month: float = Field(36, ge=0, le=744)
    max_overtime_hours_per_day: float = Field(3, ge=0, le=16)
    overtime_cap: Literal["soft", "hard"] = "soft"
    standard_hours_per_day: float = Field(8, gt=0, le=24)
    working_time: WorkingTime = WorkingTime()
    # Presence duties (kind: presence) a person may take in a calendar month; None: no limit.
    max_presence_per_month: int | None = Field(None, ge=0, le=31)
    # "驻场所有工程师均需参加值班" (tender 2.2.3(1)): working shifts a person must take each
    # calendar month at night (a shift crossing midnight) or on a rest day or holiday; prorated
    # to the days the person is available in the month's part of the horizon.
    min_duty_shifts_per_month: int = Field(0, ge=0, le=31)
    # Limits over the whole horizon (the Curtois & Qu benchmark's rules; a contract user sets
    # them per person for part-time staff): shifts of each type, paid minutes, worked weekends.
    max_shifts: dict[Id, Annotated[int, Field(ge=0, le=10000)]] | None = None
    min_total_minutes: int | None = Field(None, ge=0, le=10_000_000)
    max_total_minutes: int | None = Field(None, ge=0, le=10_000_000)
    max_weekends: int | None = Field(None, ge=0, le=1000)
    # Every block of consecutive working days, and of days off, lasts at least this long.
    min_consecutive_days: int | None = Field(None, ge=1, le=366)
    min_consecutive_days_off: int | None = Field(None, ge=1, le=366)
    # A block touching the first or last date of the horizon is exempt (what lies beyond is
    # unknown; the benchmark's own reading); False holds it to the minimum too.
    min_consecutive_border_exempt: bool = True

    @model_validator(mode="after")
    def _totals_in_order(self) -> LabourRules:
        lo, hi = self.min_total_minutes, self.max_total_minutes
        if lo is not None and hi is not None and hi < lo:
            raise ValueError(f"max_total_minutes {hi} is below min_total_minutes {lo}")
        return self

    @property
    def max_hours_per_day(self) -> float | None:
        """The longest shift this person may work, in hours; None: no daily limit (flexible, or
        comprehensive without a stated limit)."""
        wt = self.working_time
        if wt.system == "standard":
            return self.standard_hours_per_day + self.max_overtime_hours_per_day
        return wt.max_hours_per_day if wt.system == "comprehensive" else None


class RuleOverrides(Frozen):
    """Per-person overrides: any subset of `LabourRules`."""

    min_rest_hours: float | None = Field(None, ge=0, le=72)
    max_consecutive_days: int | None = Field(None, ge=1, le=366)
    max_overtime_hours_per_month: float | None = Field(None, ge=0, le=744)
    max_overtime_hours_per_day: float | None = Field(None, ge=0, le=16)
    overtime_cap: Literal["soft", "hard"] | None = None
    standard_hours_per_day: float | None = Field(None, gt=0, le=24)
    working_time: WorkingTime | None = None
    max_presence_per_month: int | None = Field(None, ge=0, le=31)
    min_duty_shifts_per_month: int | None = Field(None, ge=0, le=31)
    max_shifts: dict[Id, Annotated[int, Field(ge=0, le=10000)]] | None = None
    min_total_minutes: int | None = Field(None, ge=0, le=10_000_000)
    max_total_minutes: int | None = Field(None, ge=0, le=10_000_000)
    max_weekends: int | None = Field(None, ge=0, le=1000)
    min_consecutive_days: int | None = Field(None, ge=1, le=366)
    min_consecutive_days_off: int | None = Field(None, ge=1, le=366)
    min_consecutive_border_exempt: bool | None = None


class Staff(Frozen):
    id: Id
    name: str
    role: Id
    skills: tuple[Id, ...] = ()
    title: str | None = None
    years: float | None = Field(None, ge=0)
    education: str | None = None
    # Tender 3.3 "中标后生活基础或常住地址在北京市区域内"; None: not recorded.
    lives_in_beijing: bool | None = None
    # Tender 3.2: the manager's years as a resident service manager (驻地服务经理经验), with proof.
    resident_manager_years: float | None = Field(None, ge=0)
    phone: str | None = None
    hourly_rate: float | None = Field(None, ge=0)
    start_date: Date | None = None
    end_date: Date | None = None
    # Paid annual leave (职工带薪年休假条例 第三条): days a year given outright, or the start of
    # cumulative service (all employers) from which 5/10/15 days follow; else `years` is used.
    annual_leave_days: int | None = Field(None, ge=0, le=30)
    service_start: Date | None = None
    # In a loaded scenario these are the person's effective rules (scenario rules + overrides).
    rules: RuleOverrides | LabourRules = Field(RuleOverrides(), union_mode="left_to_right")

    @property
    def all_skills(self) -> tuple[str, ...]:
        """Primary role first, then the other skills (the primary role is always a skill)."""
        return (self.role, *[s for s in self.skills if s != self.role])

    @property
    def effective_rules(self) -> LabourRules:
        assert isinstance(self.rules, LabourRules), "scenario not resolved by the loader"
        return self.rules

    def employed_on(self, date: dt.date) -> bool:
        return (self.start_date is None or date >= self.start_date) and (
            self.end_date is None or date <= self.end_date
        )


class Coverage(Frozen):
    role: Id
    shift: Id
    days: DaySelector = "all"
    min: int = Field(0, ge=0, le=MAX_PEOPLE_PER_SLOT)
    max: int | None = Field(None, ge=0, le=MAX_PEOPLE_PER_SLOT)
    # Only on these dates (besides `days`); empty: every date `days` matches.
    dates: tuple[Date, ...] = ()
    # Soft coverage weights: each person short costs under_weight (default: the role's weight),
    # each person beyond `min` costs over_weight (default 0: over-cover is free up to `max`).
    under_weight: int | None = Field(None, ge=0, le=MAX_WEIGHT)
    over_weight: int = Field(0, ge=0, le=MAX_WEIGHT)

    def matches(self, kind: str, date: dt.date) -> bool:
        return selector_matches(self.days, kind, date) and (not self.dates or date in self.dates)

    @model_validator(mode="after")
    def _max_not_below_min(self) -> Coverage:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class SurgeAdd(Frozen):
    role: Id
    shift: Id
    count: int = Field(ge=0, le=MAX_PEOPLE_PER_SLOT)


class Surge(Frozen):
    name: str
    start: Date
    end: Date
    add: tuple[SurgeAdd, ...] = ()

    def active_on(self, date: dt.date) -> bool:
        return self.start <= date <= self.end


class Absence(Frozen):
    staff: Id
    start: Date
    end: Date
    kind: AbsenceKind = "other"
    reason: str | None = None  # personal data (PIPL): kept local, never sent anywhere

    def covers(self, date: dt.date) -> bool:
        return self.start <= date <= self.end


class Request(Frozen):
    staff: Id
    date: Date
    shift: str = "any"
    # "leave": the person would like annual leave that day (roster leave places it there when it
    # can); in a roster it counts like "off".
    want: Literal["on", "off", "leave"]
    weight: int = Field(1, ge=0, le=MAX_WEIGHT)


class Fixed(Frozen):
    staff: Id
    date: Date
    shift: str  # a shift id, or "off" to pin a day off


class Change(Frozen):
    """Replacing a named person (tender 3.3/3.4, contract 9.1, 附件八 第八条)."""

    staff: Id
    notice_date: Date
    plan_date: Date | None = None
    last_day: Date
    replacement: Staff | None = None
    # The buyer's written consent ("得到采购人认可" tender 3.3; "书面报请采购人同意" 3.4): when it
    # was asked for, whether it was given (None: not yet recorded) and when.
    approval_requested: Date | None = None
    approved: bool | None = None
    approval_date: Date | None = None
    # The buyer's own onboarding check of the replacement (附件八 第八条 2: −5 more when failed);
    # None until the buyer has checked.
    onboarding_passed: bool | None = None

    @property
    def effective_plan_date(self) -> dt.date:
        return self.plan_date or self.notice_date


class Contract(Frozen):
    start: Date
    end: Date
    value_cny: float | None = Field(None, ge=0)
    # The day the contract was signed: the 60% payment follows it (合同 付款方式). None: `start`.
    signed: Date | None = None
    # The contract's one handover time (附件八 附件1 3.2 "一般交班时间为每日16时"); None: every
    # shift change is a handover.
    handover_time: dt.time | None = None
    # How staffing below 附件二 counts toward contract 9.1's pooled counter ("提供的技术服务人员或
    # 服务方式不符合要求"): once per calendar month with any shortfall, once per day, or not at all.
    # The contract does not say; the buyer decides by its notices.
    staffing_breach_count: Literal["per_month", "per_day", "none"] = "per_month"
    # ASSUMPTION, off by default: no annex item deducts points per empty shift. A user who expects
    # the buyer to deduct anyway sets points per missing person-shift here.
    assumed_points_per_missing_shift: float = Field(0, ge=0, le=10)
    # ASSUMPTION, off by default: 附件八 2.6 deducts 1-5 points per unanswered call ("来电未及时
    # 接听"), but a roster cannot know the calls. Calls expected on each shift without anyone to
    # answer the desk phone (a side duty left uncovered).
    assumed_calls_per_unanswered_shift: float = Field(0, ge=0, le=100)

    _hhmm = field_validator("handover_time", mode="before")(_parse_hhmm)

    @property
    def first_payment_date(self) -> dt.date:
        return self.signed or self.start


class CalendarConfig(Frozen):
    country: Literal["CN"] = "CN"
    # Resolved by the loader to absolute paths.
    overrides: tuple[str, ...] = ()


class Scenario(Frozen):
    version: Literal[1]
    name: str
    contract: Contract | None = None
    calendar: CalendarConfig = CalendarConfig()
    roles: tuple[Role, ...]
    shifts: tuple[Shift, ...]
    staff: tuple[Staff, ...]
    coverage: tuple[Coverage, ...]
    surges: tuple[Surge, ...] = ()
    rules: LabourRules = LabourRules()
    absences: tuple[Absence, ...] = ()
    requests: tuple[Request, ...] = ()
    fixed: tuple[Fixed, ...] = ()
    changes: tuple[Change, ...] = ()
    # "levels": the strict priority levels (format spec, Objective); "weighted": one weighted sum
    # of coverage (under and over weights) and requests, for problems defined that way.
    objective: Literal["levels", "weighted"] = "levels"
    # Set by the loader: the files this scenario was read from, base first.
    sources: tuple[str, ...] = ()

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def shift(self, shift_id: str) -> Shift:
        return next(s for s in self.shifts if s.id == shift_id)

    def person(self, staff_id: str) -> Staff:
        return next(p for p in self.staff if p.id == staff_id)

    @property
    def staff_by_id(self) -> dict[str, Staff]:
        return {p.id: p for p in self.staff}

    @property
    def shifts_by_id(self) -> dict[str, Shift]:
        return {s.id: s for s in self.shifts}

    def absent(self, staff_id: str, date: dt.date) -> bool:
        return any(a.staff == staff_id and a.covers(date) for a in self.absences)

    def available(self, staff_id: str, date: dt.date) -> bool:
        """Employed on the date and not absent (hard rule 2)."""
        return self.person(staff_id).employed_on(date) and not self.absent(staff_id, date)
