"""`roster report` (coverage proof for the quarterly review) and `roster ics` (one calendar per person).

Exit codes: 0 written; 1 the roster breaks a hard rule (`report` still writes the proof, marked;
`ics` writes nothing, since people would follow a roster that cannot stand); 2 bad input (one
line, no traceback).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from models.errors import InputError
from models.roster import Roster
from models.scenario import Scenario
from planner.cli.common import (
    DbOpt,
    HistoryOpt,
    ScenarioArg,
    console,
    date_range,
    handle_input_errors,
    lazy_module,
    load,
    parse_date,
    print_violations,
    warn_uncovered,
)
from planner.files.roster_csv import read_roster_csv
from planner.problem.horizon import clip_to, parse_quarter
from planner.problem.instance import Instance
from planner.problem.labels import PROVISIONAL_ZH

# The writers (openpyxl, ReportLab) and the store (SQLAlchemy) are imported where they are used,
# and the checker and the proof on first use, so that other commands start without them (issue 13).
checker = lazy_module("planner.check.validate")
proofs = lazy_module("planner.reports.proof")

EXIT_VIOLATIONS = 1

RosterArg = Annotated[Path, typer.Argument(help="roster CSV", show_default=False)]
OutOpt = Annotated[Path, typer.Option("--out", help="output folder (created if missing)", show_default=False)]
QuarterOpt = Annotated[str | None, typer.Option("--quarter", help="calendar quarter, e.g. 2026Q4")]
OptStart = Annotated[str | None, typer.Option("--start", help="first date, YYYY-MM-DD")]
OptEnd = Annotated[str | None, typer.Option("--end", help="last date, YYYY-MM-DD")]


def _period(quarter: str | None, start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    if quarter is not None:
        if start is not None or end is not None:
            raise InputError(f"--quarter {quarter}: give either --quarter or --start/--end, not both")
        return parse_quarter(quarter)
    if start is None or end is None:
        missing = "--start" if start is None else "--end"
        raise InputError(f"{missing} is missing: give --quarter YYYYQn, or both --start and --end")
    return date_range(start, end)


def _out_dir(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a folder")
    return out


def _history(history: Path | None, scenario: Scenario, first: dt.date) -> Roster | None:
    if history is None:
        return None
    # Only the days before the period are history; the span is open to the past.
    return read_roster_csv(history, scenario, dt.date.min, first - dt.timedelta(days=1))


@handle_input_errors
def report(
    out: OutOpt,
    file: Annotated[Path | None, typer.Argument(help="scenario YAML (omit both: use the store)")] = None,
    roster: Annotated[Path | None, typer.Argument(help="roster CSV (omit both: the store's actual)")] = None,
    quarter: QuarterOpt = None,
    start: OptStart = None,
    end: OptEnd = None,
    clip: Annotated[
        bool, typer.Option("--clip", help="shrink the period to the dates the roster has rows for")
    ] = False,
    history: HistoryOpt = None,
    db: DbOpt = None,
) -> None:
    """Write the coverage proof (coverage-proof.xlsx and .pdf) for a quarter or a date range (覆盖证明)."""
    first, last = _period(quarter, start, end)
    out = _out_dir(out)
    store_roster, unpublished, cited = None, [], []
    if file is None or roster is None:
        if file is not None or roster is not None or history is not None:
            raise InputError("give both FILE and ROSTER, or neither (and no --history) to use the store")
        scenario, rows, store_roster, unpublished, cited = _store_inputs(db, first, last)
    else:
        scenario = load(file)
        rows = read_roster_csv(roster, scenario, first, last)
    if clip:
        dates = [a.date for a in rows.assignments]
        first, last = clip_to(first, last, min(dates, default=None), max(dates, default=None))
        rows = rows.model_copy(update={"start": first, "end": last})
    past = store_roster if file is None else _history(history, scenario, first)
    instance = Instance(scenario, first, last, past)
    checked = checker.validate(instance, rows)
    proof = proofs.build_proof(
        instance, rows, checked, unpublished=[d for d in unpublished if first <= d <= last], citations=cited
    )
    from planner.workflows.coverage_proof import write_report

    xlsx_path, pdf_path = write_report(out, proof)

    total = proof.total
    console.print(
        f"覆盖证明：{escape(scenario.name)}，{first} 至 {last}（{(last - first).days + 1} 天）",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"有人数要求的班次 {total.slots} 个，达标 {total.met_slots} 个；"
        f"缺员班次 {len(proof.shortfall_slots)} 个，共缺 {total.shortfall} 人次；"
        f"替岗 {proof.substitute_count} 人次",
        highlight=False,
        soft_wrap=True,
    )
    console.print(proofs.score_headline(proof.risk), highlight=False, soft_wrap=True)
    for q in proof.risk.quarters:
        counted = q.data != "none"
        console.print(
            f"  {q.quarter}（{q.start} 至 {q.end}，{proofs.DATA_ZH[q.data]}）"
            + (
                f"：低于附件二 {q.missing} 人次，驻场住宿无人 {q.stays_missing} 晚，"
                f"服务台电话无人 {q.unanswered_shifts} 个班次，交接班缺失 {q.missed_handovers} 次，"
                f"季度扣分 {proofs.points_span(q)} 分，"
                f"年度扣分 读法一 {q.annual_favourable} / 读法二 {q.annual_strict} 分"
                if counted
                else ""
            ),
            highlight=False,
            soft_wrap=True,
        )
    for p in proof.risk.projections:
        console.print(f"  {p.label}：{p.score:g} 分，{p.tier}", highlight=False, soft_wrap=True)
    for line in proofs.pooled_lines(proof.risk):
        console.print(line, highlight=False, soft_wrap=True)
    console.print(f"SHA-256 摘要：{proof.digest.combined}", highlight=False, soft_wrap=True)
    if proof.provisional_dates:
        console.print(
            f"[bold yellow]注意：{len(proof.provisional_dates)} 天的节假日安排为{PROVISIONAL_ZH}，"
            f"报告中已标注[/]",
            highlight=False,
            soft_wrap=True,
        )
    console.print(f"已写入 {escape(str(xlsx_path))}", highlight=False, soft_wrap=True)
    console.print(f"已写入 {escape(str(pdf_path))}", highlight=False, soft_wrap=True)
    if not checked.ok:
        print_violations(checked.hard_violations, "排班表违反硬性规则", limit=5)
        console.print("[bold red]报告已生成，但排班表不通过校验，报告中已列出违反的规则[/]", highlight=False)
        raise typer.Exit(EXIT_VIOLATIONS)


@handle_input_errors
def ics(
    file: ScenarioArg,
    roster: RosterArg,
    out: OutOpt,
    start: OptStart = None,
    end: OptEnd = None,
    history: HistoryOpt = None,
) -> None:
    """Write one .ics calendar per person from a roster (每人一个日历文件).

    Without --start/--end the calendars cover every date the roster has rows for.
    """
    out = _out_dir(out)
    if start is not None and end is not None:
        first, last = date_range(start, end)
    else:
        first, last = parse_date(start), parse_date(end, "--end")
    scenario = load(file)
    rows = read_roster_csv(roster, scenario, first, last)
    first, last = first or rows.start, last or rows.end
    if last < first:
        raise InputError(f"--start {first} --end {last}: the roster has no rows in this range")
    instance = Instance(scenario, first, last, _history(history, scenario, first))
    # Every roster that leaves the planner is re-checked first.
    checked = checker.validate(instance, rows)
    if not checked.ok:
        print_violations(checked.hard_violations, "排班表违反硬性规则", limit=5)
        console.print("[bold red]未生成日历：请先修正排班表[/]", highlight=False)
        raise typer.Exit(EXIT_VIOLATIONS)
    from planner.workflows.save import write_person_calendars

    paths = write_person_calendars(out, instance, rows)
    shifts = sum(1 for a in rows.assignments if first <= a.date <= last)
    console.print(
        f"已为 {len(paths)} 人写入日历（{first} 至 {last}，共 {shifts} 个班次）：{escape(str(out))}",
        highlight=False,
        soft_wrap=True,
    )


def _store_inputs(
    db: str | None, first: dt.date, last: dt.date
) -> tuple[Scenario, Roster, Roster | None, list[dt.date], list[str]]:
    """The store's actual roster of the period, its scenario (with the recorded sick days), the
    actual roster before it as history (planner.workflows.actual.report_inputs), and the audit
    rows the proof cites."""
    from planner.workflows.actual import report_inputs
    from planner.workflows.coverage_proof import citations
    from planner.workflows.records import open_store

    store = open_store(db)
    found = report_inputs(store, first, last)
    versions = "、".join(f"#{v.id}" for v in found.actual.versions)
    applied = len(found.actual.applied)
    console.print(
        f"实际排班取自存储 {escape(store.location)}：版本 {versions}，计入变动 {applied} 条", highlight=False
    )
    warn_uncovered(found.actual.uncovered)
    return found.scenario, found.roster, found.history, found.actual.uncovered, citations(store, found.actual)
