"""The years a date may fall in, anywhere the product reads one (scenario, override, CSV, summary,
backup, command line).

They are the years the holiday calendars cover (calendars/cn, CalendarOverride): a date outside
them is a typo (0001, 2206), and date arithmetic near year 1 or 9999 overflows.
"""

from __future__ import annotations

import datetime as dt

FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_problem(date: dt.date) -> str | None:
    """Why `date` is refused, or None when its year is supported."""
    if FIRST_YEAR <= date.year <= LAST_YEAR:
        return None
    return f"year {date.year} is outside {FIRST_YEAR}..{LAST_YEAR}, the years the holiday calendars cover"
