"""Reading and writing the roster CSV (columns in `models.roster.ROSTER_COLUMNS`).

Reading is forgiving of what spreadsheets do (a BOM, rows in any order, blank lines, spaces,
empty start/end cells, dates reformatted as 2026/12/1, the GB18030 encoding Chinese Excel and WPS
use for a plain "CSV" save) and strict about meaning: an unknown person, shift or role, or a date
that is not a date, is refused with the file, row, column and value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

from models.dates import year_problem
from models.errors import InputError, shown
from models.reading import MIB, FileRefused, read_bounded
from models.roster import ROSTER_COLUMNS, Assignment, Roster
from models.scenario import Scenario
from planner.files.atomic import atomic_write_text


class RosterFileError(InputError):
    pass


def assignment_row(a: Assignment, scenario: Scenario) -> dict[str, str]:
    shift = scenario.shifts_by_id[a.shift]
    person = scenario.staff_by_id.get(a.staff_id)
    return {
        "date": a.date.isoformat(),
        "shift": a.shift,
        "start": shift.start_on(a.date).isoformat(timespec="minutes"),
        "end": shift.end_on(a.date).isoformat(timespec="minutes"),
        "staff_id": a.staff_id,
        "staff_name": person.name if person else "",
        "role": a.role,
        "primary_role": person.role if person else "",
        "paid_hours": f"{shift.paid:g}",
    }


def roster_csv_text(roster: Roster, scenario: Scenario) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(ROSTER_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for a in roster.sorted().assignments:
        writer.writerow(assignment_row(a, scenario))
    return buf.getvalue()


def write_roster_csv(path: str | os.PathLike, roster: Roster, scenario: Scenario) -> None:
    atomic_write_text(path, roster_csv_text(roster, scenario))


# ISO dates, and what a spreadsheet turns them into when it saves: 2026/12/1, 2026-12-1, 2026.12.1.
_SPREADSHEET_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")


class _CsvRow:
    """One data row of a roster CSV: its cells by column name, and errors that name them."""

    def __init__(self, file: object, line_no: int, row: list[str], col: dict[str, int]):
        self.file, self.line_no, self.row, self.col = file, line_no, row, col

    def __call__(self, name: str) -> str:
        i = self.col.get(name)
        return self.row[i].strip() if i is not None and i < len(self.row) else ""

    def error(self, name: str, message: str) -> RosterFileError:
        return RosterFileError(f"{self.file}:{self.line_no}: column {name} = {shown(self(name))}: {message}")


def parse_csv_date(text: str) -> dt.date | None:
    """A date cell as written by us or re-saved by a spreadsheet; None if it is not a date."""
    match = _SPREADSHEET_DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        date = dt.date(int(match[1]), int(match[3]), int(match[4]))
    except ValueError:
        return None
    return None if year_problem(date) else date


# A year of the contract's roster is about 0.2 MB; three years of a hundred people stay far below.
MAX_ROSTER_CSV_BYTES = 16 * MIB


def read_roster_csv(
    path: str | os.PathLike, scenario: Scenario, start: dt.date | None = None, end: dt.date | None = None
) -> Roster:
    """Read a roster CSV. Without start/end the roster spans the dates it contains."""
    file = Path(path)
    try:
        data = read_bounded(file, MAX_ROSTER_CSV_BYTES)
    except FileNotFoundError:
        raise RosterFileError(f"{file}: roster file not found") from None
    except FileRefused as exc:
        raise RosterFileError(f"{file}: {exc}") from None
    return parse_roster_csv(data, str(file), scenario, start, end)


def parse_roster_csv(
    data: bytes, file: str, scenario: Scenario, start: dt.date | None = None, end: dt.date | None = None
) -> Roster:
    """A roster from a CSV file's bytes (a file, or an upload); errors name `file`."""
    if b"\x00" in data:
        raise RosterFileError(f"{file}: not a CSV file (binary content); save it as CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Chinese Excel and WPS save a plain "CSV" in the local code page (GBK, a subset of GB18030).
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            message = f"not a UTF-8 CSV file (byte {exc.start}); save it as CSV UTF-8"
            raise RosterFileError(f"{file}: {message}") from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise RosterFileError(f"{file}: malformed CSV: {exc}") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise RosterFileError(f"{file}: empty roster file (expected a header: {','.join(ROSTER_COLUMNS)})")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ("date", "shift", "staff_id") if c not in header]
    if missing:
        raise RosterFileError(
            f"{file}:1: missing column(s) {', '.join(missing)}; header is {shown(','.join(header), 120)}"
        )
    col = {name: header.index(name) for name in header if name}
    staff, shifts = scenario.staff_by_id, scenario.shifts_by_id
    roles = {r.id for r in scenario.roles}
    assignments: list[Assignment] = []
    for line_no, row in enumerate(rows[1:], start=2):
        cell = _CsvRow(file, line_no, row, col)
        bad = cell.error
        date = parse_csv_date(cell("date"))
        if date is None:
            raise bad("date", "not a date (YYYY-MM-DD)")
        staff_id = cell("staff_id")
        if staff_id not in staff:
            raise bad("staff_id", "unknown person: not in the scenario's staff")
        shift = cell("shift")
        if shift not in shifts:
            raise bad("shift", f"unknown shift; the scenario has {', '.join(shifts)}")
        role = cell("role") or staff[staff_id].role
        if role not in roles:
            raise bad("role", "unknown role")
        assignments.append(Assignment(date=date, shift=shift, staff_id=staff_id, role=role))
    if start is None or end is None:
        dates = [a.date for a in assignments]
        if not dates and (start is None or end is None):
            raise RosterFileError(f"{file}: the roster has no rows, so give --start and --end")
        start = start or min(dates)
        end = end or max(dates)
    return Roster(start=start, end=end, assignments=tuple(assignments))
