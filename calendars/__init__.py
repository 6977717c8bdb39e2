"""The kind of every date (workday, restday, holiday), holiday names, provisional years, surges."""

from __future__ import annotations

import datetime as dt

from calendars.cn import ChinaCalendar, calendar_days, date_runs, daterange
from models.calendar import DayInfo
from models.scenario import Scenario

__all__ = ["ChinaCalendar", "DayInfo", "calendar_for", "date_runs", "daterange", "scenario_days"]


def calendar_for(scenario: Scenario | None) -> ChinaCalendar:
    return ChinaCalendar(scenario.calendar.overrides if scenario else ())


def scenario_days(scenario: Scenario | None, start: dt.date, end: dt.date) -> list[DayInfo]:
    """One DayInfo per date from start to end inclusive, with the scenario's active surges."""
    return calendar_days(calendar_for(scenario), start, end, scenario.surges if scenario else ())
