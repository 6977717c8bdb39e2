"""The people × dates roster grid, as a model (for tests) and as an HTML table (for the page).

The grid is HTML rather than a data-grid widget so each cell can carry its own colour, its pin
mark and the validator's messages as a tooltip right on the cell, and so a browser test can find
the cells in the DOM. Colours follow the Excel export (planner.reports.roster_xlsx): day shifts
light, night shifts dark, so a month reads at a glance.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from dataclasses import dataclass

from models.roster import Roster
from planner.check.validate import ValidationReport
from planner.problem.instance import Instance
from planner.problem.labels import DAY_KIND_ZH, WEEKDAY_ZH
from planner.rules import label
from ui.labels import CELL_ABSENT, CELL_OFF, PIN_ABSENT, PIN_MARK, PIN_OFF, WARN_MARK
from ui.pins import Pin

DAY_BG, DAY_FG = "#FFF2CC", "#000000"
NIGHT_BG, NIGHT_FG = "#1F3864", "#FFFFFF"
ABSENT_BG, ABSENT_FG = "#D9D9D9", "#555555"
PRESENCE_BG, PRESENCE_FG = "#D9D2E9", "#3F3151"  # on the premises, not working (presence duty)
KIND_BG = {"workday": "#FFFFFF", "restday": "#E7E6E6", "holiday": "#F8CBAD"}
VIOLATION_BORDER = "#C00000"


@dataclass(frozen=True)
class Cell:
    staff_id: str
    date: dt.date
    code: str  # shift ids ("D", "D+NS"), "D→视频图" for a substitute, CELL_OFF or CELL_ABSENT
    shift: str | None  # the working shift, if any
    presence: tuple[str, ...]  # presence duties that day (the manager's night stay)
    role: str | None
    pinned: bool
    night: bool
    absent: bool
    violations: tuple[str, ...]  # the validator's messages for this person and date


def short_role_names(inst: Instance) -> dict[str, str]:
    """Each role's name cut to the shortest prefix (two characters at least) that no other role's
    name shares: 视频会议保障工程师 and 视频图像保障工程师 become 视频会 and 视频图, small enough
    for a grid cell. The cell's tooltip carries the full name."""
    names = {r.id: r.name for r in inst.roles}
    short = {}
    for rid, name in names.items():
        others = [n for other, n in names.items() if other != rid]
        length = 2
        while length < len(name) and any(o.startswith(name[:length]) for o in others):
            length += 1
        short[rid] = name[:length]
    return short


def roster_cells(
    inst: Instance, roster: Roster, report: ValidationReport, pins: list[Pin]
) -> list[list[Cell]]:
    """One row per person (scenario order), one cell per date of the horizon."""
    short = short_role_names(inst)
    by_cell: dict[tuple[str, dt.date], list] = defaultdict(list)
    for a in roster.assignments:
        by_cell[a.staff_id, a.date].append(a)
    messages: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for v in report.violations:
        if v.staff_id is not None and v.date is not None:
            messages[v.staff_id, v.date].append(f"{label(v.rule)}：{v.message}")
    pinned = {p.key: p for p in pins}
    fixed = {(f.staff, f.date) for f in inst.scenario.fixed}
    rows = []
    for person in inst.staff:
        row = []
        for d in inst.dates:
            worked = by_cell.get((person.id, d), [])
            absent = not inst.available(person.id, d)
            works = [a for a in worked if inst.is_work(a.shift)]
            presence = tuple(a.shift for a in worked if not inst.is_work(a.shift))
            if worked:
                code = "+".join(x.shift for x in worked)
                shift, role, night = None, None, False
                if works:
                    a = works[0]
                    if a.role != person.role:
                        code += f"→{short.get(a.role, a.role)}"
                    shift, role, night = a.shift, a.role, inst.is_night(a.shift)
            else:
                code = CELL_ABSENT if absent else CELL_OFF
                shift, role, night = None, None, False
            pin = pinned.get((person.id, d))
            row.append(
                Cell(
                    staff_id=person.id,
                    date=d,
                    code=code,
                    shift=shift,
                    presence=presence,
                    role=role,
                    pinned=pin is not None or (person.id, d) in fixed,
                    night=night,
                    absent=absent or (pin is not None and pin.value == PIN_ABSENT),
                    violations=tuple(messages.get((person.id, d), [])),
                )
            )
        rows.append(row)
    return rows


def shortfall_by_date(report: ValidationReport) -> dict[dt.date, int]:
    out: dict[dt.date, int] = defaultdict(int)
    for s in report.slots:
        out[s.date] += s.shortfall
    return dict(out)


def _cell_html(inst: Instance, cell: Cell, name: str) -> str:
    if cell.shift is not None:
        bg, fg = (NIGHT_BG, NIGHT_FG) if cell.night else (DAY_BG, DAY_FG)
    elif cell.presence:
        bg, fg = PRESENCE_BG, PRESENCE_FG
    elif cell.absent:
        bg, fg = ABSENT_BG, ABSENT_FG
    else:
        bg, fg = KIND_BG[inst.kind(cell.date)], "#999999"
    role_names = {r.id: r.name for r in inst.roles}
    if cell.shift is not None:
        what = f"{inst.shift_by_id[cell.shift].name}（{role_names.get(cell.role or '', cell.role)}）"
    elif not cell.presence:
        what = "不在岗" if cell.absent else "休息"
    else:
        what = ""
    stays = [f"{inst.shift_by_id[p].name}（驻场，不计工时）" for p in cell.presence]
    what = "、".join(x for x in (what, *stays) if x)
    tip = [f"{cell.staff_id} {name} {cell.date.isoformat()} {what}"]
    if cell.pinned:
        tip.append("已固定")
    tip += list(cell.violations)
    style = f"background:{bg};color:{fg};"
    if cell.violations:
        style += f"outline:2px solid {VIOLATION_BORDER};outline-offset:-2px;"
    text = html.escape(cell.code)
    if cell.pinned:
        text = f"{text}<sup>{PIN_MARK}</sup>"
    if cell.violations:
        text = f"{text}<span class='rg-warn'>{WARN_MARK}</span>"
    attrs = (
        f'data-staff="{html.escape(cell.staff_id)}" data-date="{cell.date.isoformat()}" '
        f'data-shift="{html.escape(cell.shift or "")}" '
        f'data-presence="{html.escape("+".join(cell.presence))}" '
        f'data-violations="{len(cell.violations)}"'
    )
    return f'<td class="rg-cell" style="{style}" title="{html.escape(chr(10).join(tip))}" {attrs}>{text}</td>'


GRID_CSS = """
<style>
.rg-wrap{overflow-x:auto;max-width:100%;}
table.rg{border-collapse:collapse;font-size:12px;white-space:nowrap;}
table.rg th,table.rg td{border:1px solid #d0d0d0;padding:2px 4px;text-align:center;min-width:26px;}
table.rg .rg-person{text-align:left;position:sticky;left:0;background:#fafafa;z-index:1;}
table.rg td.rg-cell{font-weight:600;}
table.rg .rg-warn{color:#C00000;margin-left:1px;}
table.rg sup{color:#C55A11;font-size:9px;}
table.rg tr.rg-short td{color:#C00000;font-weight:600;}
.rg-legend span{display:inline-block;padding:1px 8px;margin-right:6px;border:1px solid #ccc;font-size:12px;}
</style>
"""


def legend_html(inst: Instance) -> str:
    parts = [
        f'<span style="background:{DAY_BG};color:{DAY_FG}">白班类</span>',
        f'<span style="background:{NIGHT_BG};color:{NIGHT_FG}">夜班类</span>',
        *(
            [f'<span style="background:{PRESENCE_BG};color:{PRESENCE_FG}">仅驻场（不计工时）</span>']
            if inst.presence_shifts
            else []
        ),
        f'<span style="background:{KIND_BG["restday"]}">{CELL_OFF} 休息日</span>',
        f'<span style="background:{KIND_BG["holiday"]}">法定节假日</span>',
        f'<span style="background:{ABSENT_BG}">{CELL_ABSENT} 不在岗</span>',
        f"<span>{PIN_MARK} 已固定</span>",
        f'<span style="outline:2px solid {VIOLATION_BORDER}">{WARN_MARK} 违反硬性规则</span>',
        "<span>D→视频图 顶其他岗位（岗位名称缩写）</span>",
    ]
    shifts = "；".join(
        f"{html.escape(s.id)} {html.escape(s.name)} {s.start:%H:%M}–{s.end:%H:%M}" for s in inst.shifts
    )
    return f'<div class="rg-legend">{"".join(parts)}<br><small>班次：{shifts}</small></div>'


def roster_grid_html(inst: Instance, roster: Roster, report: ValidationReport, pins: list[Pin]) -> str:
    """The whole grid as one HTML table (id="roster-grid"), styles and legend included."""
    cells = roster_cells(inst, roster, report, pins)
    role_names = {r.id: r.name for r in inst.roles}
    head1 = ['<th class="rg-person">人员</th>']
    head2 = ['<th class="rg-person">星期</th>']
    for day in inst.days:
        bg = KIND_BG[day.kind]
        tip = DAY_KIND_ZH[day.kind] + (f" {day.holiday_name}" if day.holiday_name else "")
        tip += " 暂定" if day.provisional else ""
        tip += (" " + "、".join(day.surges)) if day.surges else ""
        head1.append(f'<th style="background:{bg}" title="{html.escape(tip)}">{day.date.day}</th>')
        head2.append(f'<th style="background:{bg}">{WEEKDAY_ZH[day.weekday][1]}</th>')
    body = []
    for person, row in zip(inst.staff, cells, strict=True):
        label = f"{html.escape(person.id)} {html.escape(person.name)}"
        role = html.escape(role_names.get(person.role, person.role))
        tds = [f'<td class="rg-person" title="{role}">{label}</td>']
        tds += [_cell_html(inst, c, person.name) for c in row]
        body.append(f'<tr data-staff="{html.escape(person.id)}">{"".join(tds)}</tr>')
    short = shortfall_by_date(report)
    short_tds = ['<td class="rg-person">缺人次</td>']
    short_tds += [f"<td>{short.get(d, 0) or ''}</td>" for d in inst.dates]
    body.append(f'<tr class="rg-short">{"".join(short_tds)}</tr>')
    table = (
        f'<table class="rg" id="roster-grid"><thead>'
        f"<tr>{''.join(head1)}</tr><tr>{''.join(head2)}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    return f'{GRID_CSS}{legend_html(inst)}<div class="rg-wrap">{table}</div>'


def cells_with_violations(cells: list[list[Cell]]) -> list[Cell]:
    return [c for row in cells for c in row if c.violations]


def pinned_value(cell: Cell) -> str:
    """What pinning this cell as it is would fix: its shift, or a day off."""
    return cell.shift if cell.shift is not None else (PIN_ABSENT if cell.absent else PIN_OFF)
