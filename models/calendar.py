"""Calendar types: the kind of every date, and official override files (one per year)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from models.scenario import Frozen

DayKind = Literal["workday", "restday", "holiday"]


class DayInfo(Frozen):
    date: dt.date
    kind: DayKind
    # The holiday's Chinese name; also set on adjusted days off (调休) and make-up workdays.
    holiday_name: str | None = None
    # True when no official notice covers the year: the kinds are computed from rules.
    provisional: bool = False
    surges: tuple[str, ...] = ()

    @property
    def weekday(self) -> str:
        return ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[self.date.weekday()]


class Notice(Frozen):
    title: str
    date: dt.date
    number: str | None = None  # e.g. 国办发明电〔2025〕7号
    url: str | None = None


class CalendarOverride(Frozen):
    """One year's official arrangement, transcribed from the State Council notice it cites."""

    year: int = Field(ge=2000, le=2100)
    notice: Notice
    holidays: dict[dt.date, str]  # statutory days (法定节假日) -> name
    days_off: dict[dt.date, str] = {}  # adjusted and substitute days off (调休/补假): rest days
    makeup_workdays: dict[dt.date, str] = {}  # weekend days worked (调休上班)

    @field_validator("days_off", "makeup_workdays", mode="before")
    @classmethod
    def _list_to_mapping(cls, value: object) -> object:
        # A plain list of dates is accepted; the name is then generic.
        if isinstance(value, list):
            return {d: "" for d in value}
        return value
