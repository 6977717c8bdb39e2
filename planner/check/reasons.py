"""Why a person cannot work on a date: the one place that decides it, for every check.

The validator (a roster breaks hard rule 2), why_empty (what stops a person from taking an
empty slot) and the app's pins (a pin that cannot hold) all ask the same question; each words
the answer for its own place, from the same facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from models.scenario import Absence, Scenario, Staff
from planner.problem.labels import ABSENCE_ZH


@dataclass(frozen=True)
class Unavailable:
    kind: Literal["not_started", "left", "absent"]
    person: Staff
    absence: Absence | None = None

    def text(self, brief: bool = False) -> str:
        """In Chinese; `brief` is the short form for a list of blockers."""
        p = self.person
        if self.kind == "not_started":
            return f"还未到岗（{p.start_date} 起）" if brief else f"还未到岗（{p.start_date} 起才能排班）"
        if self.kind == "left":
            return f"已离岗（最后工作日 {p.end_date}）"
        a = self.absence
        assert a is not None
        if brief:
            span = f"{a.start}" if a.start == a.end else f"{a.start} 至 {a.end}"
            return f"{ABSENCE_ZH[a.kind]}（{span}）"
        return f"在{ABSENCE_ZH[a.kind]}（{a.start} 至 {a.end}）"


def unavailable(scenario: Scenario, person: Staff, date: dt.date) -> Unavailable | None:
    """Not employed yet, left, or absent (leave, sickness, training) on `date`; None if available."""
    if person.start_date is not None and date < person.start_date:
        return Unavailable("not_started", person)
    if person.end_date is not None and date > person.end_date:
        return Unavailable("left", person)
    absence = next((a for a in scenario.absences if a.staff == person.id and a.covers(date)), None)
    return Unavailable("absent", person, absence) if absence is not None else None
