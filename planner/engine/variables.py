"""The decision variables, with the indexing hidden behind a few questions.

One Boolean per (person, date, shift, role) for every role among the person's skills and every
shift that exists on the date. Unavailable cells are created too and then fixed to 0 by the
availability rule, so each rule stays one small, testable unit; presolve removes them.

A presence duty's cells (Shift kind presence) are not work: `works()` leaves them out, so the
rules of working days never see them; `presence()` has them. A side role (Role side) has no
cells of its own: its coverage counts everyone on the shift who has it among their skills.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ortools.sat.python import cp_model

from models.roster import Assignment, Roster
from planner.problem.instance import Instance

Cell = tuple[str, dt.date, str, str]  # (staff_id, date, shift_id, role_id)


class RosterVars:
    def __init__(self, model: cp_model.CpModel, inst: Instance):
        self.model, self.inst = model, inst
        self.x: dict[Cell, cp_model.IntVar] = {}
        self._by_person_date: dict[tuple[str, dt.date], list[cp_model.IntVar]] = defaultdict(list)
        self._by_person_date_shift: dict[tuple[str, dt.date, str], list[cp_model.IntVar]] = defaultdict(list)
        self._by_slot: dict[tuple[dt.date, str, str], list[cp_model.IntVar]] = defaultdict(list)
        self._presence: dict[tuple[str, dt.date], list[cp_model.IntVar]] = defaultdict(list)
        self._worked: dict[tuple[str, dt.date], cp_model.IntVar | int] = {}
        for person in inst.staff:
            roles = [r for r in person.all_skills if r not in inst.side_roles]
            sides = [r for r in person.all_skills if r in inst.side_roles]
            for date in inst.dates:
                for shift in inst.shifts:
                    if not inst.shift_on(shift, date):
                        continue
                    for role in roles:
                        var = model.new_bool_var(f"x[{person.id},{date},{shift.id},{role}]")
                        self.x[person.id, date, shift.id, role] = var
                        (self._by_person_date if shift.works else self._presence)[person.id, date].append(var)
                        self._by_person_date_shift[person.id, date, shift.id].append(var)
                        self._by_slot[date, shift.id, role].append(var)
                        if shift.works:
                            # A side duty is met by being on the shift, in whatever role.
                            for side in sides:
                                self._by_slot[date, shift.id, side].append(var)

    def cells(self) -> list[Cell]:
        return list(self.x)

    def assigned(self, staff_id: str, date: dt.date, shift: str, role: str) -> cp_model.IntVar | None:
        return self.x.get((staff_id, date, shift, role))

    def works(self, staff_id: str, date: dt.date) -> list[cp_model.IntVar]:
        """Variables whose sum is 1 when the person works any shift starting on the date."""
        return self._by_person_date.get((staff_id, date), [])

    def on_shift(self, staff_id: str, date: dt.date, shift: str) -> list[cp_model.IntVar]:
        """Variables whose sum is 1 when the person works that shift (in any role)."""
        return self._by_person_date_shift.get((staff_id, date, shift), [])

    def covering(self, date: dt.date, shift: str, role: str) -> list[cp_model.IntVar]:
        """Variables whose sum is the number of people covering the role on that shift."""
        return self._by_slot.get((date, shift, role), [])

    def presence(self, staff_id: str, date: dt.date) -> list[cp_model.IntVar]:
        """Variables whose sum is 1 when the person takes a presence duty starting on the date."""
        return self._presence.get((staff_id, date), [])

    def worked(self, staff_id: str, date: dt.date) -> cp_model.IntVar | int:
        """One literal, true when the person works any shift starting on the date (0 when no
        cell exists). Made once per (person, date), for the rules on blocks of days."""
        key = (staff_id, date)
        if key not in self._worked:
            cells = self.works(staff_id, date)
            if not cells:
                self._worked[key] = 0
            else:
                var = self.model.new_bool_var(f"worked[{staff_id},{date}]")
                self.model.add_max_equality(var, cells)
                self._worked[key] = var
        return self._worked[key]

    def fix_off(self, staff_id: str, date: dt.date) -> None:
        for var in (*self.works(staff_id, date), *self.presence(staff_id, date)):
            self.model.add(var == 0)

    def extract(self, solver: cp_model.CpSolver) -> Roster:
        assignments = [
            Assignment(date=d, shift=s, staff_id=p, role=r)
            for (p, d, s, r), var in self.x.items()
            if solver.boolean_value(var)
        ]
        return Roster(start=self.inst.start, end=self.inst.end, assignments=tuple(assignments)).sorted()

    def hint(self, roster: Roster) -> None:
        """Warm start from a roster (the previous level's solution or a published roster)."""
        chosen = {(a.staff_id, a.date, a.shift, a.role) for a in roster.assignments}
        self.model.clear_hints()
        for cell, var in self.x.items():
            self.model.add_hint(var, cell in chosen)
