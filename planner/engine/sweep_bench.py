"""`python -m planner.engine.sweep_bench`: 50 what-if month solves on the local process pool and
on Ray on this machine, one line each; the ratio is Ray's overhead (issue 16).

The sweep: the contract and each scenario in scenarios/whatif, for every month of the contract
from 2026-11 on, until there are `--tasks` solves. Each is a whole staged solve with one CP-SAT
worker (--workers), two at a time on a 2-core machine; both engines get the same tasks, and
the rosters must agree (each solve uses one worker, which CP-SAT runs deterministically).
Nothing here runs in the unit tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from models.loader import load_scenario
from planner.engine.tasks import LocalPool, RayEngine, TaskFailed, solve_task
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions

ROOT = Path(__file__).resolve().parents[2]
MONTHS = [(2026, 11), (2026, 12), *((2027, m) for m in range(1, 7))]


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    if (year, month) == (2027, 6):
        last = dt.date(2027, 6, 14)  # the contract's last day
    return first, last


def sweep_tasks(count: int, options: SolveOptions) -> tuple[list[str], list[tuple[Instance, SolveOptions]]]:
    files = [
        ROOT / "scenarios" / "contract-2026.yaml",
        *sorted((ROOT / "scenarios" / "whatif").glob("*.yaml")),
    ]
    scenarios = [(f.stem, load_scenario(f)) for f in files]
    labels, tasks = [], []
    for year, month in MONTHS:
        for stem, scenario in scenarios:
            if len(tasks) == count:
                return labels, tasks
            first, last = month_span(year, month)
            labels.append(f"{stem} {year}-{month:02d}")
            tasks.append((Instance(scenario, first, last), options))
    return labels, tasks


def run(engine, tasks, cpus: int) -> tuple[float, list]:
    started = time.monotonic()
    results = [None] * len(tasks)
    for i, value in engine.run(solve_task, tasks, cpus=cpus):
        results[i] = value
    return time.monotonic() - started, results


def fingerprint(value) -> str:
    if isinstance(value, TaskFailed) or value is None or value.result is None:
        return "failed"
    rows = sorted((a.date.isoformat(), a.staff_id, a.shift) for a in value.result.roster.assignments)
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m planner.engine.sweep_bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--tasks", type=int, default=50, help="month solves in the sweep")
    parser.add_argument(
        "--jobs", type=int, default=2, help="solves at once (local pool; Ray gets as many CPUs)"
    )
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers per solve")
    parser.add_argument("--time-limit", type=float, default=60, help="seconds per solve")
    args = parser.parse_args()
    console = Console()
    options = SolveOptions(time_limit=args.time_limit, workers=args.workers)
    labels, tasks = sweep_tasks(args.tasks, options)
    console.print(
        f"{len(tasks)} month solves: {labels[0]} … {labels[-1]}; jobs {args.jobs}, workers {args.workers}"
    )

    local_s, local = run(LocalPool(args.jobs), tasks, args.workers)
    ray_started = time.monotonic()
    engine = RayEngine(None, local_cpus=args.jobs * args.workers)
    ray_start_s = time.monotonic() - ray_started
    try:
        ray_s, on_ray = run(engine, tasks, args.workers)
    finally:
        engine.close()

    table = Table(title="what-if sweep: local process pool vs Ray (this machine)", title_justify="left")
    for col in ("engine", "tasks", "proven", "failed", "wall s", "s / task", "vs local"):
        table.add_column(col, justify="right")
    for name, seconds, results in (("local pool", local_s, local), ("ray (local runtime)", ray_s, on_ray)):
        proven = sum(1 for r in results if not isinstance(r, TaskFailed) and r.status == "OPTIMAL")
        failed = sum(1 for r in results if isinstance(r, TaskFailed) or r.result is None)
        table.add_row(name, str(len(results)), str(proven), str(failed), f"{seconds:.1f}",
                      f"{seconds / len(results):.2f}", f"{seconds / local_s:.2f}×")  # fmt: skip
    console.print(table)
    console.print(f"Ray runtime start-up (not in its wall time above): {ray_start_s:.1f} s")
    same = sum(1 for a, b in zip(local, on_ray, strict=True) if fingerprint(a) == fingerprint(b))
    console.print(f"identical rosters on both engines: {same} of {len(tasks)}")


if __name__ == "__main__":
    main()
