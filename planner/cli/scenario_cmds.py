"""`roster check-scenario` and `roster calendar`."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape
from rich.table import Table

from planner.cli.common import EndOpt, ScenarioArg, StartOpt, console, date_range, handle_input_errors, load
from planner.problem.labels import DAY_KIND_ZH, PROVISIONAL_ZH, WEEKDAY_ZH


@handle_input_errors
def check_scenario(file: ScenarioArg) -> None:
    """Validate a scenario and print a short summary of it."""
    # Names and paths are user text: escape() keeps a "[...]" in them from being read as rich markup.
    from calendars import calendar_for  # imported here: `roster --help` starts without it

    s = load(file)
    # The calendar override files are read when a calendar is built: read them before saying OK.
    calendar = calendar_for(s)
    console.print(
        f"[bold green]OK[/] {escape(str(file))}: {escape(s.name)}  (version {s.version})", highlight=False
    )
    if len(s.sources) > 1:
        console.print(escape("extends: " + " -> ".join(Path(p).name for p in s.sources)), highlight=False)
    if s.contract:
        value = f", {s.contract.value_cny:,.0f} CNY" if s.contract.value_cny else ""
        console.print(f"contract: {s.contract.start} .. {s.contract.end}{value}")

    people = Table(title="人员 people per role", title_justify="left")
    for col in ("role", "名称", "primary", "also skilled", "staff"):
        people.add_column(col)
    primary = Counter(p.role for p in s.staff)
    for role in s.roles:
        extra = [p.id for p in s.staff if role.id in p.skills and p.role != role.id]
        ids = [p.id for p in s.staff if p.role == role.id]
        people.add_row(role.id, escape(role.name), str(primary[role.id]), str(len(extra)), " ".join(ids))
    console.print(people)

    shifts = Table(title="班次 shifts", title_justify="left")
    for col in ("shift", "名称", "start", "end", "paid h", "days"):
        shifts.add_column(col)
    for sh in s.shifts:
        end = sh.end.strftime("%H:%M") + (" +1d" if sh.crosses_midnight else "")
        days = sh.days if isinstance(sh.days, str) else ",".join(sh.days)
        shifts.add_row(sh.id, escape(sh.name), sh.start.strftime("%H:%M"), end, _paid(sh), days)
    console.print(shifts)

    cov = Table(title="覆盖要求 coverage rules", title_justify="left")
    for col in ("role", "shift", "days", "min", "max"):
        cov.add_column(col)
    for c in s.coverage:
        days = c.days if isinstance(c.days, str) else ",".join(c.days)
        cov.add_row(c.role, c.shift, days, str(c.min), "" if c.max is None else str(c.max))
    console.print(cov)

    if s.surges:
        surges = Table(title="加强保障时段 surges", title_justify="left")
        for col in ("name", "start", "end", "adds"):
            surges.add_column(col)
        for g in s.surges:
            adds = ", ".join(f"+{a.count} {a.role} {a.shift}" for a in g.add) or "—"
            surges.add_row(escape(g.name), str(g.start), str(g.end), adds)
        console.print(surges)

    r = s.rules
    console.print(
        f"rules: rest ≥ {r.min_rest_hours:g} h, ≤ {r.max_consecutive_days} consecutive days, "
        f"overtime cap {r.max_overtime_hours_per_month:g} h/month ({r.overtime_cap}), "
        f"{r.standard_hours_per_day:g} h standard day",
        highlight=False,
    )
    counts = (
        f"absences {len(s.absences)}, requests {len(s.requests)}, "
        f"fixed {len(s.fixed)}, changes {len(s.changes)}"
    )
    console.print(counts)
    if s.contract:
        years = range(s.contract.start.year, s.contract.end.year + 1)
        provisional = calendar.provisional_years(years)
        if provisional:
            console.print(
                f"[bold yellow]provisional years {PROVISIONAL_ZH}:[/] {', '.join(map(str, provisional))}",
                highlight=False,
            )


@handle_input_errors
def calendar(
    start: StartOpt,
    end: EndOpt,
    scenario: Annotated[Path | None, typer.Option(help="scenario for its overrides and surges")] = None,
    format: Annotated[Literal["table", "csv", "json"], typer.Option(help="output format")] = "table",
) -> None:
    """One row per date: date, weekday, kind, holiday_name, provisional, surges."""
    from calendars import scenario_days

    first, last = date_range(start, end)
    days = scenario_days(load(scenario) if scenario else None, first, last)
    rows = [
        {
            "date": d.date.isoformat(),
            "weekday": d.weekday,
            "kind": d.kind,
            "holiday_name": d.holiday_name or "",
            "provisional": d.provisional,
            "surges": ";".join(d.surges),
        }
        for d in days
    ]
    if format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({**r, "provisional": str(r["provisional"]).lower()} for r in rows)
        print(buf.getvalue(), end="")
    else:
        table = Table(title=f"日历 {first} .. {last}", title_justify="left")
        for col in ("日期", "星期", "类型", "节日", "暂定", "加强保障"):
            table.add_column(col)
        for r in rows:
            style = "red" if r["kind"] == "holiday" else ("yellow" if r["kind"] == "restday" else None)
            table.add_row(
                r["date"], WEEKDAY_ZH[r["weekday"]], DAY_KIND_ZH[r["kind"]], escape(r["holiday_name"]),
                "暂定" if r["provisional"] else "", escape(r["surges"]), style=style,
            )  # fmt: skip
        console.print(table)
        if any(r["provisional"] for r in rows):
            console.print(f"[bold yellow]注意：标为暂定的日期 {PROVISIONAL_ZH}[/]")


def _paid(shift) -> str:
    return f"{shift.paid:g}" if shift.works else "驻场（非工作时间）"
