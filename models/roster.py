"""A roster: who works which shift on which date, covering which role."""

from __future__ import annotations

import datetime as dt

from models.scenario import Frozen

# The roster CSV's columns, in order: a public interface (`roster solve` writes it, `roster
# validate` and spreadsheets read it).
ROSTER_COLUMNS = (
    "date",
    "shift",
    "start",
    "end",
    "staff_id",
    "staff_name",
    "role",
    "primary_role",
    "paid_hours",
)


class Assignment(Frozen):
    """The person works `shift` starting on `date`, covering `role` (format spec, Shifts)."""

    date: dt.date
    shift: str
    staff_id: str
    role: str


class Roster(Frozen):
    start: dt.date
    end: dt.date
    assignments: tuple[Assignment, ...]

    def sorted(self) -> Roster:
        key = lambda a: (a.date, a.shift, a.role, a.staff_id)  # noqa: E731
        return self.model_copy(update={"assignments": tuple(sorted(self.assignments, key=key))})

    def dates(self) -> list[dt.date]:
        n = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=i) for i in range(n)]
