"""Horizons: the month a roster covers, and the period a report covers (a calendar quarter such
as 2026Q4, or any --start/--end range).

The buyer reviews the service once a quarter (contract 5.2; 附件八 附件 第七条: the quarterly review
is held before the 15th of the next quarter's first month), so quarters are calendar quarters.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import re

from models.errors import InputError
from models.scenario import Scenario

_QUARTER = re.compile(r"(\d{4})\s*-?\s*[Qq]([1-4])")


def quarter_key(date: dt.date) -> str:
    """The calendar quarter a date falls in, e.g. '2026Q4'."""
    return f"{date.year}Q{(date.month - 1) // 3 + 1}"


def quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first_month = 3 * (quarter - 1) + 1
    start = dt.date(year, first_month, 1)
    next_start = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, first_month + 3, 1)
    return start, next_start - dt.timedelta(days=1)


def parse_quarter(text: str, option: str = "--quarter") -> tuple[dt.date, dt.date]:
    """'2026Q4' (also '2026q4', '2026-Q4') -> (2026-10-01, 2026-12-31)."""
    match = _QUARTER.fullmatch(text.strip())
    if match is None:
        raise InputError(f"{option} = {text!r}: not a quarter; write it as YYYYQn, e.g. 2026Q4")
    year = int(match[1])
    if not 2000 <= year <= 2100:
        raise InputError(f"{option} = {text!r}: year {year} is outside 2000..2100")
    return quarter_range(year, int(match[2]))


def clip_to(
    start: dt.date, end: dt.date, first: dt.date | None, last: dt.date | None, what: str = "roster"
) -> tuple[dt.date, dt.date]:
    """The part of start..end inside first..last (the dates some data covers)."""
    if first is None or last is None or last < start or first > end:
        raise InputError(
            f"{start}..{end}: the {what} has no rows in this period, so there is nothing to clip to"
        )
    return max(start, first), min(end, last)


def month_options(scenario: Scenario | None) -> list[str]:
    """The calendar months of the contract period ("YYYY-MM"), or the next twelve months."""
    if scenario is not None and scenario.contract is not None:
        first, last = scenario.contract.start, scenario.contract.end
    else:
        today = dt.date.today()
        first, last = today.replace(day=1), (today.replace(day=1) + dt.timedelta(days=366))
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_horizon(scenario: Scenario | None, key: str) -> tuple[dt.date, dt.date]:
    """The month's dates inside the contract period (June 2026 starts on the 15th)."""
    year, month = (int(x) for x in key.split("-"))
    start = dt.date(year, month, 1)
    end = dt.date(year, month, pycal.monthrange(year, month)[1])
    if scenario is not None and scenario.contract is not None:
        start, end = max(start, scenario.contract.start), min(end, scenario.contract.end)
    return start, end


def runs_of(flags: list[bool]) -> list[tuple[int, int, bool]]:
    """Maximal runs of equal flags over a horizon's days: (first index, length, flag). The blocks
    of working days and days off that the minimum-block rules judge."""
    out: list[tuple[int, int, bool]] = []
    for i, f in enumerate(flags):
        if out and out[-1][2] == f:
            out[-1] = (out[-1][0], out[-1][1] + 1, f)
        else:
            out.append((i, 1, f))
    return out
