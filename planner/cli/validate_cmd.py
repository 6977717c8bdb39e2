"""`roster validate`: check a roster CSV against a scenario's hard rules and score it.

Exit codes: 0 no hard rule broken, 1 some broken, 2 bad input (one line, no traceback).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from planner.cli.common import (
    EndOpt,
    HistoryOpt,
    ScenarioArg,
    StartOpt,
    console,
    date_range,
    handle_input_errors,
    lazy_module,
    load,
)
from planner.files.roster_csv import read_roster_csv
from planner.problem.instance import Instance
from planner.problem.labels import PROVISIONAL_ZH
from planner.problem.numbers import plain
from planner.rules import LEVELS, label, unit

if TYPE_CHECKING:
    from planner.check.validate import ValidationReport

checker = lazy_module("planner.check.validate")  # loaded when `roster validate` runs (issue 13)

EXIT_VIOLATIONS = 1


def print_report(report: ValidationReport, instance: Instance) -> None:
    hard = report.hard_violations
    if report.violations:
        console.print(f"[bold red]违反硬性规则 {len(hard)} 条：[/]", highlight=False, soft_wrap=True)
        for v in report.violations:
            console.print(
                f"  ✗ {label(v.rule)} ({v.rule})：{escape(v.message)}", highlight=False, soft_wrap=True
            )
    else:
        console.print("[bold green]✓ 没有违反任何硬性规则[/]")

    table = Table(title="目标各层级（按优先级）", title_justify="left")
    for col in ("层级", "指标", "数值", "单位"):
        table.add_column(col)
    values = report.scores.level_values()
    for i, level in enumerate(LEVELS, start=1):
        table.add_row(str(i), label(level), plain(values[level], 3), unit(level))
    console.print(table)

    short = report.shortfall_slots
    missing = sum(s.shortfall for s in short)
    console.print(
        f"缺人的班次：{len(short)} 个（共缺 {missing} 人次；有人数要求的班次共 {len(report.slots)} 个）",
        highlight=False,
        soft_wrap=True,
    )
    provisional = instance.provisional_dates
    if provisional:
        console.print(
            f"[bold yellow]注意：{provisional[0]} 至 {provisional[-1]} 中有 {len(provisional)} 天的节假日安排"
            f"为{PROVISIONAL_ZH}，以上结果可能随官方通知变化[/]",
            highlight=False,
            soft_wrap=True,
        )


@handle_input_errors
def validate(
    file: ScenarioArg,
    roster: Annotated[Path, typer.Argument(help="roster CSV to check", show_default=False)],
    start: StartOpt,
    end: EndOpt,
    history: HistoryOpt = None,
) -> None:
    """Check a roster against the hard rules and print its objective levels (校验排班表)."""
    first, last = date_range(start, end)
    scenario = load(file)
    rows = read_roster_csv(roster, scenario, first, last)
    past = None
    if history is not None:
        # Only the days before --start are history; the span is open to the past.
        past = read_roster_csv(history, scenario, dt.date.min, first - dt.timedelta(days=1))
        late = sum(1 for a in past.assignments if a.date >= first)
        if late:
            console.print(f"历史排班中有 {late} 行不早于 {first}，已忽略", highlight=False, soft_wrap=True)
    instance = Instance(scenario, first, last, past)
    report = checker.validate(instance, rows)

    console.print(
        f"校验 {escape(str(roster))}：{scenario.name}，{first} 至 {last}", highlight=False, soft_wrap=True
    )
    if report.ignored_outside_horizon:
        console.print(
            f"排班期以外的 {report.ignored_outside_horizon} 行已忽略", highlight=False, soft_wrap=True
        )
    print_report(report, instance)
    if not report.ok:
        console.print(
            f"[bold red]不通过：{len(report.hard_violations)} 条硬性规则违反[/]",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_VIOLATIONS)
    console.print("[bold green]通过[/]")
