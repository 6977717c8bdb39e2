"""The period a report covers: a calendar quarter (2026Q4) or any --start/--end range.

The buyer reviews the service once a quarter (contract 5.2; 附件八 附件 第七条: the quarterly review
is held before the 15th of the next quarter's first month), so quarters are calendar quarters.
"""

from __future__ import annotations

import datetime as dt
import re

from models.errors import InputError

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
