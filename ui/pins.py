"""Pins: what the service manager fixes on the roster page before re-solving.

A pin is a cell of the people × dates grid with a wanted value:
- a shift id: the person works that shift that day (`fixed` entry, hard rule 6);
- "off": the person has that day off (`fixed` with `shift: off`);
- "absent": the person is not available that day (an absence of kind `other`, hard rule 2;
  unlike a day off it also lowers the person's standard hours for the month).
Pins never touch the scenario file: they are applied to a copy of the loaded scenario
(`model_copy`), and the solver re-plans around them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.roster import Roster
from models.scenario import Absence, Fixed, Scenario, selector_matches
from planner.check.reasons import unavailable
from planner.problem.labels import DAY_KIND_ZH
from ui.labels import PIN_ABSENT, PIN_OFF

ABSENCE_REASON = "排班页面标记不在岗"


@dataclass(frozen=True)
class Pin:
    staff: str
    date: dt.date
    value: str  # a shift id, PIN_OFF or PIN_ABSENT

    @property
    def key(self) -> tuple[str, dt.date]:
        return self.staff, self.date


def set_pin(pins: list[Pin], pin: Pin) -> list[Pin]:
    """The pins with `pin` added; a pin of the same person and date is replaced."""
    return sorted([p for p in pins if p.key != pin.key] + [pin], key=lambda p: (p.date, p.staff))


def remove_pin(pins: list[Pin], staff: str, date: dt.date) -> list[Pin]:
    return [p for p in pins if p.key != (staff, date)]


def current_value(roster: Roster | None, staff: str, date: dt.date) -> str:
    """What the roster has in a cell: the shift id, or "off" when the person is not on."""
    if roster is not None:
        for a in roster.assignments:
            if a.staff_id == staff and a.date == date:
                return a.shift
    return PIN_OFF


def pin_problem(scenario: Scenario, pin: Pin, kind: str) -> str | None:
    """Why a pin cannot hold, in Chinese, or None. `kind` is the date's kind of day."""
    people = scenario.staff_by_id
    if pin.staff not in people:
        return f"没有工号为 {pin.staff} 的人员"
    person = people[pin.staff]
    if pin.value in (PIN_OFF, PIN_ABSENT):
        return None
    shifts = scenario.shifts_by_id
    if pin.value not in shifts:
        return f"没有班次 {pin.value}"
    reason = unavailable(scenario, person, pin.date)
    if reason is not None and reason.absence is None:
        return f"{person.name} {pin.date} 不在职，不能固定上班"
    if reason is not None and reason.absence is not None:
        a = reason.absence
        return f"{person.name} {pin.date} 在请假（{a.start} 至 {a.end}），不能固定上班"
    shift = shifts[pin.value]
    if not selector_matches(shift.days, kind, pin.date):
        return f"{shift.name}在{DAY_KIND_ZH.get(kind, kind)}不开（{pin.date}）"
    return None


def apply_pins(scenario: Scenario, pins: list[Pin]) -> Scenario:
    """A copy of the scenario with the pins as `fixed` entries and one-day absences.

    A pin replaces the scenario's own `fixed` entry for the same person and date (the loader
    refuses two entries for one cell), and an absence pin also drops such an entry.
    """
    if not pins:
        return scenario
    keys = {p.key for p in pins}
    fixed = [f for f in scenario.fixed if (f.staff, f.date) not in keys]
    fixed += [Fixed(staff=p.staff, date=p.date, shift=p.value) for p in pins if p.value != PIN_ABSENT]
    absences = list(scenario.absences)
    absences += [
        Absence(staff=p.staff, start=p.date, end=p.date, kind="other", reason=ABSENCE_REASON)
        for p in pins
        if p.value == PIN_ABSENT
    ]
    return scenario.model_copy(update={"fixed": tuple(fixed), "absences": tuple(absences)})
