"""The contract's rows of issue 14, each against the plain model (planner.engine.bench's
baseline: one variable per cell, pairwise rest, no decomposition, CP-SAT's defaults on all
cores) in the same run."""

from __future__ import annotations

from models.loader import load_scenario
from planner.engine.bench import CONTRACT, MONTH, YEAR, measure, print_runs
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions


def contract_runs(baseline: bool = True, year_baseline: float = 120) -> None:
    contract = load_scenario(CONTRACT)
    month, year = Instance(contract, *MONTH), Instance(contract, *YEAR)
    every = tuple(month.levels)

    def base(seconds: float) -> float | None:
        return seconds if baseline else None

    runs = [
        measure("contract 2026-12, levels 1-2", "L1+L2 proven ≤ 0.5 s", 0.5, month,
                SolveOptions(time_limit=60, last_level="overtime"), ("coverage", "overtime"), base(60)),
        measure("contract 2026-12, all levels (the app's solve, without the page)", "all proven ≤ 3 s", 3,
                month, SolveOptions(time_limit=60), every, base(60)),
        measure("contract year, level 1", "L1 proven ≤ 5 s", 5, year,
                SolveOptions(time_limit=120, last_level="coverage"), ("coverage",), base(year_baseline)),
        measure("contract year, levels 1-2", "L1+L2 proven ≤ 60 s", 60, year,
                SolveOptions(time_limit=600, last_level="overtime"), ("coverage", "overtime"),
                base(year_baseline)),
    ]  # fmt: skip
    print_runs(runs)
