"""python -m planner.bench --curtois [--limit S] [--instances 1-12] [--workers N] [--subsolvers …]
python -m planner.bench --curtois --portfolio   (worker counts and subsolver sets, on the instances)
python -m planner.bench --contract              (the contract's rows of issue 14, against the plain model)

Every Curtois value printed is the benchmark scorer's, computed from the solution file written
for it; the engine's own figure must agree or the run fails. Timings are this machine's.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from planner.bench.curtois import DATA, CurtoisRow, run_one
from planner.problem.results import SolveOptions

console = Console(width=200)
COLUMNS = ("instance", "size", "ours", "our bound", "best-known", "lower bound", "gap to best-known",
           "status", "s to best", "s to proof", "benchmark rules")  # fmt: skip


def instance_names(spec: str) -> list[str]:
    """'1-4,7' -> Instance1..Instance4, Instance7."""
    out = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        if not a.isdigit() or (b and not b.isdigit()):
            raise SystemExit(f"--instances: {spec!r} is not like 1-7 or 1,3,5")
        out += [f"Instance{i}" for i in range(int(a), int(b or a) + 1)]
    return out


def fmt(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{x:.{digits}f}" if isinstance(x, float) and x != int(x) else f"{x:g}"


def row_cells(r: CurtoisRow) -> tuple[str, ...]:
    return (r.instance, r.size, fmt(r.ours), fmt(r.bound), fmt(r.best_known), fmt(r.lower_bound), r.gap,
            r.status, fmt(r.to_best), fmt(r.to_proof), "kept" if r.feasible else "BROKEN")  # fmt: skip


def options_from(args: argparse.Namespace, **over) -> SolveOptions:
    params = dict(
        time_limit=args.limit,
        workers=args.workers,
        subsolvers=tuple(s for s in args.subsolvers.split(",") if s),
        sequence_automaton=not args.no_automaton,
    )
    if args.extra_subsolvers is not None:
        params["extra_subsolvers"] = tuple(s for s in args.extra_subsolvers.split(",") if s)
    params.update(over)
    return SolveOptions(**params)


def curtois_table(args: argparse.Namespace) -> None:
    folder = Path(args.data)
    how = "clauses only" if args.no_automaton else "clauses + sequence automaton"
    title = f"Curtois & Qu, {args.limit:g} s each, {args.workers} workers, {how}"
    table = Table(title=title, title_justify="left")
    for col in COLUMNS:
        table.add_column(col)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        for name in instance_names(args.instances):
            console.print(f"  {name} …", highlight=False)
            row = run_one(folder, name, options_from(args), work)
            table.add_row(*row_cells(row))
            console.print("  " + " | ".join(row_cells(row)), highlight=False)
    console.print(table)


PORTFOLIOS = {
    "2 workers, default + max_lp (ours)": dict(workers=2),
    "2 workers, default": dict(workers=2, extra_subsolvers=()),
    "1 worker (linearization 2)": dict(workers=1),
    "2 workers + core": dict(workers=2, extra_subsolvers=("max_lp", "core")),
    "2 workers: max_lp, core only": dict(workers=2, subsolvers=("max_lp", "core"), extra_subsolvers=()),
    "4 workers + max_lp": dict(workers=4),
    "8 workers + max_lp": dict(workers=8),
}


def portfolio_table(args: argparse.Namespace) -> None:
    from planner.engine.bench import LogWatch

    folder = Path(args.data)
    table = Table(title=f"Curtois & Qu portfolio study, {args.limit:g} s each", title_justify="left")
    columns = ("instance", "portfolio", "status", "ours / bound", "s to best", "s", "last bound/solution by")
    for col in columns:
        table.add_column(col)
    with tempfile.TemporaryDirectory() as tmp:
        for name in instance_names(args.instances):
            for label, params in PORTFOLIOS.items():
                watch = LogWatch()
                row = run_one(folder, name, options_from(args, log_callback=watch, **params), Path(tmp))
                cells = (name, label, row.status, f"{fmt(row.ours)} / {fmt(row.bound)}", fmt(row.to_best),
                         fmt(row.seconds), watch.last())  # fmt: skip
                table.add_row(*cells)
                console.print("  " + " | ".join(cells), highlight=False)
            table.add_section()
    console.print(table)


def contract_table(args: argparse.Namespace) -> None:
    from planner.bench.contract import contract_runs

    contract_runs(baseline=not args.no_baseline, year_baseline=args.year_baseline)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m planner.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--curtois", action="store_true", help="the Curtois & Qu table")
    parser.add_argument("--portfolio", action="store_true", help="--curtois: workers and subsolvers")
    parser.add_argument("--contract", action="store_true", help="the contract's rows")
    parser.add_argument("--limit", type=float, default=60, help="seconds per Curtois instance (default 60)")
    parser.add_argument("--instances", default="1-12", help="which instances, e.g. 1-7 or 1,3 (default 1-12)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-automaton", action="store_true", help="min-consecutive rules as clauses only")
    parser.add_argument("--subsolvers", default="", help="CP-SAT subsolvers, a,b,c (default: its own)")
    parser.add_argument("--extra-subsolvers", default=None, help="added subsolvers (default: max_lp)")
    parser.add_argument("--data", default=str(DATA), help="folder with instances/ and best_known.csv")
    parser.add_argument("--keep", default=None, help="keep scenarios and solutions here")
    parser.add_argument("--no-baseline", action="store_true", help="--contract: skip the plain model")
    parser.add_argument("--year-baseline", type=float, default=120, help="--contract: plain model year limit")
    args = parser.parse_args()
    if not (args.curtois or args.contract):
        parser.error("give --curtois or --contract (or both)")
    if args.curtois:
        (portfolio_table if args.portfolio else curtois_table)(args)
    if args.contract:
        contract_table(args)


if __name__ == "__main__":
    main()
