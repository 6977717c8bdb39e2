"""`roster import-curtois`, `roster export-curtois` and `roster score-curtois`: the Curtois & Qu
staff scheduling benchmark (../shared/curtois/FORMAT.md) in and out of the scenario format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.common import console, fail, handle_input_errors

InstanceArg = Annotated[Path, typer.Argument(help="a Curtois & Qu instance file (InstanceN.txt)")]


def _print_score(score, what: str) -> None:
    console.print(
        f"{what}: 罚分 penalty {score.penalty} (覆盖 cover {score.cover} + 申请 requests {score.requests})",
        highlight=False,
    )
    for line in score.violations[:20]:
        console.print(f"  硬性规则违反 hard rule broken: {line}", highlight=False, markup=False)
    if score.violations:
        fail(f"{len(score.violations)} hard rule(s) of the benchmark broken", code=1)


@handle_input_errors
def import_curtois(
    file: InstanceArg, out: Annotated[Path, typer.Option("--out", help="the scenario file to write")]
) -> None:
    """Import a benchmark instance as a scenario (objective: weighted)."""
    from planner.files.curtois import DAY_ZERO
    from planner.workflows.curtois import import_curtois as run

    inst, _ = run(file, out)
    console.print(
        f"[bold green]OK[/] {out}: {inst.name}, {inst.horizon} 天 days, {len(inst.staff)} 人 staff, "
        f"{len(inst.shifts)} 班次 shifts; day 0 = {DAY_ZERO}",
        highlight=False,
    )


@handle_input_errors
def export_curtois(
    file: InstanceArg,
    roster: Annotated[Path, typer.Argument(help="roster.csv solved on the imported scenario")],
    out: Annotated[Path, typer.Option("--out", help="the solution file to write")],
) -> None:
    """Write a roster in the benchmark's solution form (employee,day,shift per line) and score it."""
    from planner.workflows.curtois import export_curtois as run

    _print_score(run(file, roster, out), str(out))


@handle_input_errors
def score_curtois(
    file: InstanceArg, solution: Annotated[Path, typer.Argument(help="a solution file (employee,day,shift)")]
) -> None:
    """Score a solution file by the benchmark's own model; exit 1 if it breaks a hard rule."""
    from planner.workflows.curtois import read_instance, score_file

    _print_score(score_file(read_instance(file), solution), str(solution))
