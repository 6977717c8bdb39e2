"""The Curtois & Qu instances, each imported as a scenario, solved by the ordinary engine
(objective: weighted), written in the benchmark's solution form and re-scored from that file by
the benchmark's own scorer (planner.check.curtois), which shares nothing with the engine."""

from __future__ import annotations

import csv
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from planner.engine.solve import SolveError, solve
from planner.files.curtois import DAY_ZERO
from planner.problem.instance import Instance
from planner.problem.results import Progress, SolveOptions
from planner.workflows.curtois import import_curtois, write_solution

# The benchmark's files, copied byte for byte from ../shared/curtois (FORMAT.md gives their origin
# and SHA-256), so that a fresh clone can run the benchmark.
DATA = Path(__file__).resolve().parents[2] / "scenarios" / "curtois"


@dataclass
class CurtoisRow:
    instance: str
    size: str  # staff × days × shift types
    ours: int | None  # re-scored from the written solution file
    bound: float | None  # CP-SAT's proven lower bound
    best_known: int | None
    lower_bound: int | None
    status: str
    to_best: float | None  # seconds until the final value was first found
    to_proof: float | None  # seconds until optimality was proven (None: not proven)
    seconds: float
    feasible: bool  # no hard rule of the benchmark broken (by its own scorer)

    @property
    def gap(self) -> str:
        """Gap to the best-known value, in percent of it."""
        if self.ours is None or not self.best_known:
            return "—"
        return f"{100 * (self.ours - self.best_known) / self.best_known:.2f}%"


def published(folder: Path) -> dict[str, tuple[int, int]]:
    """instance -> (lower bound, best known), from best_known.csv."""
    path = folder / "best_known.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return {r["instance"]: (int(r["lower_bound"]), int(r["best_known"])) for r in csv.DictReader(f)}


def run_one(folder: Path, name: str, options: SolveOptions, work: Path) -> CurtoisRow:
    path = folder / "instances" / f"{name}.txt"
    cq, scenario = import_curtois(path, work / f"{name}.yaml")
    inst = Instance(scenario, DAY_ZERO, DAY_ZERO + dt.timedelta(days=cq.horizon - 1))
    seen: list[tuple[float, float]] = []  # (elapsed, incumbent) of each improvement
    bounds: list[tuple[float, float]] = []

    def progress(p: Progress) -> None:
        if p.incumbent is not None:
            seen.append((p.elapsed, p.incumbent))
        if p.bound is not None:
            bounds.append((p.elapsed, p.bound))

    started = time.monotonic()
    lb, bk = published(folder).get(name, (None, None))
    size = f"{len(cq.staff)}×{cq.horizon}×{len(cq.shifts)}"
    try:
        result = solve(inst, options, progress=progress)
    except SolveError:
        # No roster within the limit is a result too: the row says so, the table goes on.
        best_bound = max((b for _, b in bounds), default=None)
        return CurtoisRow(name, size, None, best_bound, bk, lb, "NO ROSTER", None, None,
                          time.monotonic() - started, False)  # fmt: skip
    seconds = time.monotonic() - started
    level = result.levels[0]
    score = write_solution(cq, result.roster, work / f"{name}.sol")
    if level.value is not None and score.penalty != level.value:
        raise AssertionError(f"{name}: the engine says {level.value}, the benchmark scorer {score.penalty}")
    to_best = next((t for t, v in seen if v <= score.penalty), None)
    proven = level.status == "OPTIMAL"
    return CurtoisRow(
        instance=name,
        size=size,
        ours=score.penalty,
        bound=level.bound,
        best_known=bk,
        lower_bound=lb,
        status=level.status,
        to_best=to_best,
        to_proof=seconds if proven else None,
        seconds=seconds,
        feasible=score.feasible,
    )
