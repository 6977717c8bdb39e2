"""The roster as a workbook: people × dates with shift codes and colours, the assignment list,
and a legend of the shifts."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from models.roster import ROSTER_COLUMNS, Roster
from planner.files.roster_csv import assignment_row
from planner.problem.instance import Instance
from planner.problem.labels import DAY_KIND_ZH, WEEKDAY_ZH

# Shift colours: day shifts light, night shifts dark, so a month reads at a glance.
DAY_FILL, NIGHT_FILL = "FFF2CC", "1F3864"
KIND_FILL = {"workday": "FFFFFF", "restday": "E7E6E6", "holiday": "F8CBAD"}


def roster_xlsx_bytes(roster: Roster, inst: Instance) -> bytes:
    """People × dates with shift codes and colours, plus the assignment list."""
    wb = Workbook()
    grid = wb.active
    grid.title = "排班表"
    grid.append(["工号", "姓名", "岗位", *[f"{d.month}/{d.day}" for d in inst.dates]])
    grid.append(["", "", "", *[WEEKDAY_ZH[inst.day[d].weekday] for d in inst.dates]])
    grid.append(["", "", "", *[DAY_KIND_ZH[inst.kind(d)] for d in inst.dates]])
    by_cell = {(a.staff_id, a.date): a for a in roster.assignments}
    role_names = {r.id: r.name for r in inst.roles}
    for person in inst.staff:
        row = [person.id, person.name, role_names.get(person.role, person.role)]
        for d in inst.dates:
            a = by_cell.get((person.id, d))
            code = "" if a is None else a.shift + ("" if a.role == person.role else f"({a.role})")
            row.append(code)
        grid.append(row)
    for col, d in enumerate(inst.dates, start=4):
        fill = PatternFill("solid", fgColor=KIND_FILL[inst.kind(d)])
        for r in (1, 2, 3):
            grid.cell(row=r, column=col).fill = fill
        grid.column_dimensions[get_column_letter(col)].width = 6
    for row in grid.iter_rows(min_row=4, min_col=4):
        for cell in row:
            if cell.value:
                night = inst.is_night(str(cell.value).split("(")[0])
                cell.fill = PatternFill("solid", fgColor=NIGHT_FILL if night else DAY_FILL)
                cell.font = Font(color="FFFFFF" if night else "000000", bold=True)
                cell.alignment = Alignment(horizontal="center")
    grid.column_dimensions["B"].width = 10
    grid.column_dimensions["C"].width = 22
    grid.freeze_panes = "D4"

    detail = wb.create_sheet("明细")
    detail.append(list(ROSTER_COLUMNS))
    for a in roster.sorted().assignments:
        row = assignment_row(a, inst.scenario)
        detail.append([row[c] for c in ROSTER_COLUMNS])

    legend = wb.create_sheet("说明")
    for shift in inst.shifts:
        end = shift.end.strftime("%H:%M") + ("（次日）" if shift.crosses_midnight else "")
        legend.append([shift.id, shift.name, f"{shift.start:%H:%M}–{end}", _paid_zh(shift)])
    if inst.provisional_dates:
        legend.append(["注意", f"{inst.provisional_dates[0].year} 年节假日尚无官方通知，按规则推算（暂定）"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _paid_zh(shift) -> str:
    return f"计 {shift.paid:g} 小时" if shift.works else "驻场，非工作时间"
