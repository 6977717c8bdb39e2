"""Benchmarks: `python -m planner.engine.bench` prints the figures issue 3 asks for.

Runs (each timed as wall-clock seconds, including building the model):
- contract, one month (2026-12): levels 1-2 alone, then the whole staged solve;
- contract, full year (2026-06-15..2027-06-14): level 1 alone, then levels 1-2;
- a synthetic 10-site, 150-person, 28-day instance: the whole solve, with every level's gap;
each against a plain baseline: one variable per cell, pairwise rest clauses, no decomposition
and CP-SAT's default parameters, solving the same levels in the same order.

`--portfolio` measures worker counts and subsolver sets on levels 1-2 instead, and names the
subsolver that found each final bound, read from CP-SAT's search log.
Timings are for this machine (2 cores); nothing here runs in the unit tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from models.loader import load_scenario
from planner.engine.solve import solve
from planner.engine.synthetic import SYNTHETIC_END, SYNTHETIC_START, synthetic_scenario
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions, SolveResult

CONTRACT = Path(__file__).resolve().parents[2] / "scenarios" / "contract-2026.yaml"
MONTH = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
YEAR = (dt.date(2026, 6, 15), dt.date(2027, 6, 14))
console = Console(width=240)


@dataclass
class Run:
    label: str
    target: str
    target_seconds: float | None
    result: SolveResult | None
    seconds: float
    levels_needed: tuple[str, ...]
    baseline: SolveResult | None = None
    baseline_seconds: float | None = None

    def met(self) -> bool:
        if self.result is None:
            return False
        # A SKIPPED level has nothing to optimise (no requests, one-person roles): nothing to prove.
        proven = all(self.result.level(n).status in ("OPTIMAL", "SKIPPED") for n in self.levels_needed)
        in_time = self.target_seconds is None or self.seconds <= self.target_seconds
        return (proven or not self.levels_needed) and in_time


def baseline_options(time_limit: float, last_level: str | None) -> SolveOptions:
    # CP-SAT defaults: all cores, default portfolio (no max_lp added), no decomposition.
    return SolveOptions(
        time_limit=time_limit,
        workers=0,
        extra_subsolvers=(),
        decompose=False,
        plain=True,
        last_level=last_level,
    )


def timed(inst: Instance, options: SolveOptions) -> tuple[SolveResult | None, float]:
    started = time.monotonic()
    try:
        result = solve(inst, options)
    except Exception as exc:  # a baseline that finds nothing is a result too
        console.print(f"[yellow]{type(exc).__name__}: {exc}[/]")
        result = None
    return result, time.monotonic() - started


def measure(
    label: str,
    target: str,
    target_seconds: float | None,
    inst: Instance,
    options: SolveOptions,
    needed: tuple[str, ...],
    baseline_limit: float | None,
) -> Run:
    console.print(f"[bold]{label}[/] …")
    result, seconds = timed(inst, options)
    run = Run(label, target, target_seconds, result, seconds, needed)
    if baseline_limit:
        run.baseline, run.baseline_seconds = timed(inst, baseline_options(baseline_limit, options.last_level))
    return run


def ratio(run: Run) -> str:
    """Our wall time against the baseline's; '≤' when the baseline did not prove the levels."""
    if run.baseline_seconds is None:
        return "—"
    base_proven = run.baseline is not None and all(
        run.baseline.level(n).status == "OPTIMAL" for n in run.levels_needed
    )
    if base_proven:
        return f"{run.seconds / run.baseline_seconds:.3f}"
    return f"≤ {run.seconds / run.baseline_seconds:.3f} (baseline unproven at {run.baseline_seconds:.0f}s)"


def fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def print_runs(runs: list[Run]) -> None:
    table = Table(
        title="planner.engine.bench — levels: status, value, best bound, gap, seconds", title_justify="left"
    )
    for col in ("run", "level", "status", "value", "bound", "gap", "level s", "run wall s", "target", "met",
                "baseline status/bound", "ratio ours/baseline"):  # fmt: skip
        table.add_column(col)
    for run in runs:
        if run.result is None:
            table.add_row(
                run.label, "—", "FAILED", "", "", "", "", f"{run.seconds:.1f}", run.target, "no", "", ""
            )
            continue
        for i, lv in enumerate(run.result.levels):
            base = ""
            if run.baseline is not None:
                b = run.baseline.level(lv.name)
                base = f"{b.status} {fmt(b.value)}/{fmt(b.bound)}"
            first = i == 0
            table.add_row(
                run.label if first else "", lv.name, lv.status, fmt(lv.value), fmt(lv.bound), fmt(lv.gap),
                f"{lv.seconds:.2f}", f"{run.seconds:.1f}" if first else "", run.target if first else "",
                ("yes" if run.met() else "NO") if first else "", base, ratio(run) if first else "",
            )  # fmt: skip
        table.add_section()
    console.print(table)


def main_runs(args: argparse.Namespace) -> None:
    contract = load_scenario(CONTRACT)
    month = Instance(contract, *MONTH)
    year = Instance(contract, *YEAR)
    synthetic = Instance(synthetic_scenario(), SYNTHETIC_START, SYNTHETIC_END)

    def base(seconds: float) -> float | None:
        return None if args.no_baseline else seconds

    runs = [
        measure("contract 2026-12, levels 1-2", "L1+L2 proven ≤ 10 s", 10, month,
                SolveOptions(time_limit=60, last_level="overtime"), ("coverage", "overtime"), base(60)),
        measure("contract 2026-12, whole solve", "whole solve < 60 s", 60, month,
                SolveOptions(time_limit=60), ("coverage", "overtime"), base(60)),
        measure("contract year, level 1", "L1 proven ≤ 30 s", 30, year,
                SolveOptions(time_limit=120, last_level="coverage"), ("coverage",), base(args.year_baseline)),
        measure("contract year, levels 1-2", "L2 proven ≤ 300 s", 300, year,
                SolveOptions(time_limit=600, last_level="overtime"), ("coverage", "overtime"),
                base(args.year_baseline)),
        measure("synthetic 10 sites, 150 people, 28 days", "feasible ≤ 60 s, gap reported", 60, synthetic,
                SolveOptions(time_limit=55), (), base(60)),
    ]  # fmt: skip
    print_runs(runs)


# -- portfolio study ----------------------------------------------------------------------
BOUND_LINE = re.compile(r"^#Bound\s+\S+\s+best:\S+\s+next:\[\S+\]\s+(\S+)")
SOLUTION_LINE = re.compile(r"^#\d+\s+\S+\s+best:\S+\s+next:\[\S+\]\s+([A-Za-z_/]+)")
DONE_LINE = re.compile(r"^#Done\s+\S+\s+(\S+)")


class LogWatch:
    """Per CP-SAT call, the subsolvers named on its last bound line and last solution line."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []

    def __call__(self, line: str) -> None:
        for raw in line.splitlines():
            if raw.startswith("Starting CP-SAT solver"):
                self.calls.append({"bound": "—", "solution": "—"})
            elif not self.calls:
                continue
            elif m := BOUND_LINE.match(raw) or DONE_LINE.match(raw):
                self.calls[-1]["bound"] = m.group(1)
            elif m := SOLUTION_LINE.match(raw):
                self.calls[-1]["solution"] = m.group(1)

    def last(self) -> str:
        bounds = Counter(c["bound"] for c in self.calls)
        sols = Counter(c["solution"] for c in self.calls)
        show = lambda c: ", ".join(f"{k}×{n}" for k, n in c.most_common())  # noqa: E731
        return f"bound: {show(bounds)}; solution: {show(sols)}"


PORTFOLIOS = {
    "default, 2 workers": dict(workers=2, extra_subsolvers=()),
    "default, 1 worker": dict(workers=1, extra_subsolvers=()),
    "default, 4 workers": dict(workers=4, extra_subsolvers=()),
    "default, 8 workers": dict(workers=8, extra_subsolvers=()),
    "2 workers + max_lp (ours)": dict(workers=2, extra_subsolvers=("max_lp",)),
    "2 workers, only max_lp": dict(workers=2, subsolvers=("max_lp",), extra_subsolvers=()),
    "2 workers + core": dict(workers=2, extra_subsolvers=("core",)),
    # With one worker the lists are ignored; the solver sets linearization_level 2 instead.
    "1 worker + max_lp (ours)": dict(workers=1, extra_subsolvers=("max_lp",)),
}


def portfolio_study(args: argparse.Namespace) -> None:
    contract = load_scenario(CONTRACT)
    cases = [("contract 2026-12", Instance(contract, *MONTH), args.portfolio_limit)]
    if args.portfolio_year:
        cases.append(("contract year", Instance(contract, *YEAR), args.portfolio_year))
    table = Table(title="CP-SAT portfolio study, levels 1-2 (decomposed)", title_justify="left")
    for col in ("case", "portfolio", "L1 status", "L1 value/bound", "L2 status", "L2 value/bound", "wall s",
                "last bound / solution found by"):  # fmt: skip
        table.add_column(col)
    for case, inst, limit in cases:
        for name, params in PORTFOLIOS.items():
            watch = LogWatch()
            options = SolveOptions(time_limit=limit, last_level="overtime", log_callback=watch, **params)
            result, seconds = timed(inst, options)
            if result is None:
                table.add_row(case, name, "FAILED", "", "", "", f"{seconds:.1f}", watch.last())
                continue
            l1, l2 = result.level("coverage"), result.level("overtime")
            table.add_row(case, name, l1.status, f"{fmt(l1.value)}/{fmt(l1.bound)}", l2.status,
                          f"{fmt(l2.value)}/{fmt(l2.bound)}", f"{seconds:.1f}", watch.last())  # fmt: skip
            console.print(f"  {case} / {name}: {seconds:.1f}s")
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m planner.engine.bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain baseline runs")
    parser.add_argument(
        "--year-baseline", type=float, default=120, help="baseline time limit on the year (s)"
    )
    parser.add_argument("--portfolio", action="store_true", help="worker counts and subsolver sets instead")
    parser.add_argument(
        "--portfolio-limit", type=float, default=30, help="seconds per month run in the study"
    )
    parser.add_argument("--portfolio-year", type=float, default=0, help="also the year, with this limit (s)")
    args = parser.parse_args()
    if args.portfolio:
        portfolio_study(args)
    else:
        main_runs(args)


if __name__ == "__main__":
    main()
