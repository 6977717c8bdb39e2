"""China's kinds of day, from the `holidays` package and official override files.

The State Council publishes each year's arrangement (节假日安排) in a notice, usually in
November of the year before. The `holidays` package encodes those notices up to the last one it
knows; a later year it only computes from rules, without make-up workdays, so such a year is
*provisional* until an override file transcribing the official notice is given.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import holidays
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from models.calendar import CalendarOverride, DayInfo, DayKind
from models.loader import ScenarioError, parse_yaml, read_yaml
from models.scenario import Scenario

# Years whose official notice is encoded in holidays==0.109 (checked: make-up workdays present
# for every year 2001-2026; 2027 has none). Raise this when the pinned package learns a year.
PACKAGE_OFFICIAL_YEARS = range(2001, 2027)
OVERRIDE_DIR = Path(__file__).parent / "cn"


class YearArrangement:
    """One year's statutory holidays, days off and make-up workdays."""

    def __init__(
        self,
        year: int,
        holidays_: dict[dt.date, str],
        days_off: dict[dt.date, str],
        makeup: dict[dt.date, str],
        provisional: bool,
        source: str,
    ):
        self.year, self.holidays, self.days_off, self.makeup = year, holidays_, days_off, makeup
        self.provisional, self.source = provisional, source

    def day(self, date: dt.date) -> tuple[DayKind, str | None]:
        if date in self.holidays:
            return "holiday", self.holidays[date]
        if date in self.makeup:
            return "workday", self.makeup[date] or "调休上班"
        if date in self.days_off:
            return "restday", self.days_off[date] or "调休放假"
        return ("restday" if date.weekday() >= 5 else "workday"), None


@functools.lru_cache(maxsize=64)
def package_year(year: int) -> YearArrangement:
    """A year as the `holidays` package knows it (zh_CN names)."""
    cn = holidays.China(years=year, language="zh_CN")
    statutory: dict[dt.date, str] = {}
    days_off: dict[dt.date, str] = {}
    for date, name in cn.items():
        # The package lists substitute days (补假) and adjusted days (休息日（由…调休）) among its
        # holidays; by law they are rest days, not statutory days (劳动法 44; 2025 rules).
        if "补假" in name or name.startswith("休息日"):
            days_off[date] = name
        else:
            statutory[date] = name
    makeup = {d: "调休上班" for d in cn.weekend_workdays if d.year == year}
    provisional = year not in PACKAGE_OFFICIAL_YEARS
    source = f"holidays {holidays.__version__}" + (
        " (computed from rules, provisional)" if provisional else ""
    )
    return YearArrangement(year, statutory, days_off, makeup, provisional, source)


# Override files read on another machine: a task sent to a worker carries the files its scenario
# names (their content, by the driver's path), since the worker may not have them (issue 16).
_CARRIED: dict[str, CalendarOverride] = {}


def carried_overrides(paths: Iterable[str]) -> dict[str, CalendarOverride]:
    """The override files behind `paths`, read here, to travel with a task."""
    return {str(path): read_override(str(path)) for path in paths}


def carry_overrides(overrides: dict[str, CalendarOverride]) -> None:
    """In a worker: use these overrides for their paths instead of reading files."""
    _CARRIED.update(overrides)


def read_override(path: str) -> CalendarOverride:
    return _CARRIED.get(path) or _read_override_file(path)


@functools.lru_cache(maxsize=64)
def _read_override_file(path: str) -> CalendarOverride:
    return _override(read_yaml(Path(path)), path)


def parse_override(text: str, name: str) -> CalendarOverride:
    """An override from text (an upload); errors name `name`. Nothing is written."""
    return _override(parse_yaml(text, name), name)


def _override(data: Any, path: str) -> CalendarOverride:
    from pydantic import ValidationError

    if not isinstance(data, dict) or "year" not in data:
        # Nothing of a file that is not a calendar is shown (it could be any file on the machine).
        raise ScenarioError(path, "", None, None, "not a calendar override file (no 'year' key)")
    try:
        override = CalendarOverride.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        key = ".".join(str(x) for x in loc)
        if err["type"] == "missing":  # its input is the whole file, not a value worth showing
            raise ScenarioError(path, key, None, None, f"missing required key '{loc[-1]}'") from None
        line = _line(data, loc[0]) if loc else None
        raise ScenarioError(path, key, line, err.get("input"), err["msg"]) from None
    for kind, dates in (("holidays", override.holidays), ("days_off", override.days_off),
                        ("makeup_workdays", override.makeup_workdays)):  # fmt: skip
        for date in dates:
            if date.year != override.year:
                line = _line(data[kind], date)
                raise ScenarioError(path, kind, line, date, f"date is not in the file's year {override.year}")
    # One date, one kind: a holiday or day off cannot also be a make-up workday (the day would be
    # both worked and not), and make-up workdays (调休上班) are weekend days by definition.
    lists = {"holidays": override.holidays, "days_off": override.days_off}
    for date in override.makeup_workdays:
        line = _line(data["makeup_workdays"], date)
        for kind, dates in lists.items():
            if date in dates:
                raise ScenarioError(path, "makeup_workdays", line, date, f"date is also in {kind}")
        if date.weekday() < 5:
            raise ScenarioError(
                path,
                "makeup_workdays",
                line,
                date,
                "a make-up workday (调休上班) falls on a Saturday or Sunday",
            )
    for date in override.days_off:
        if date in override.holidays:
            raise ScenarioError(
                path, "days_off", _line(data["days_off"], date), date, "date is also in holidays"
            )
    return override


def _line(node: Any, key: Any) -> int | None:
    """1-based line of a mapping key, or of a list item given by value, in round-trip YAML."""
    try:
        if isinstance(node, CommentedMap):
            return node.lc.key(key)[0] + 1
        if isinstance(node, CommentedSeq):
            return node.lc.item(node.index(key))[0] + 1
    except (KeyError, ValueError):
        pass
    return None


def override_year(override: CalendarOverride, path: str) -> YearArrangement:
    source = f"{override.notice.title} ({override.notice.date.isoformat()}), {Path(path).name}"
    return YearArrangement(
        override.year,
        dict(override.holidays),
        dict(override.days_off),
        dict(override.makeup_workdays),
        False,
        source,
    )


class ChinaCalendar:
    """Kinds of day for China; an override file replaces the package's data for its year."""

    def __init__(self, override_paths: Iterable[str] = ()):
        self.overrides: dict[int, YearArrangement] = {}
        for path in override_paths:
            override = read_override(str(path))
            if override.year in self.overrides:
                raise ScenarioError(path, "year", None, override.year, "a second override file for this year")
            self.overrides[override.year] = override_year(override, str(path))

    def year(self, year: int) -> YearArrangement:
        return self.overrides.get(year) or package_year(year)

    def day(self, date: dt.date) -> tuple[DayKind, str | None, bool]:
        arrangement = self.year(date.year)
        kind, name = arrangement.day(date)
        return kind, name, arrangement.provisional

    def provisional_years(self, years: Iterable[int]) -> list[int]:
        return [y for y in sorted(set(years)) if self.year(y).provisional]


def daterange(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def date_runs(dates: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted dates as runs of consecutive days: (first, last) each."""
    runs: list[tuple[dt.date, dt.date]] = []
    for d in sorted(dates):
        if runs and (d - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def calendar_days(calendar: ChinaCalendar, start: dt.date, end: dt.date, surges=()) -> list[DayInfo]:
    days = []
    for date in daterange(start, end):
        kind, name, provisional = calendar.day(date)
        active = tuple(s.name for s in surges if s.active_on(date))
        days.append(DayInfo(date=date, kind=kind, holiday_name=name, provisional=provisional, surges=active))
    return days


def replaced_by(paths: Iterable[str], new: str) -> list[str]:
    """The override files among `paths` that `new` replaces: one file per year, the newest wins."""
    year = read_override(new).year
    return [p for p in paths if p == new or read_override(p).year == year]


def with_overrides(scenario: Scenario, extra: Iterable[str]) -> Scenario:
    """The scenario with more override files (an upload on the 日历 page); each replaces the
    files for its year that came before it, the scenario's own included."""
    files = list(scenario.calendar.overrides)
    extra = list(extra)
    if not extra:
        return scenario
    for new in extra:
        files = [p for p in files if p not in replaced_by(files, new)] + [new]
    calendar = scenario.calendar.model_copy(update={"overrides": tuple(files)})
    return scenario.model_copy(update={"calendar": calendar})
