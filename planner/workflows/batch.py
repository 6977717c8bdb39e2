"""Batch solving: many scenarios over one horizon, in parallel processes, one folder each.

Each scenario is solved in a worker process (spawn start method, so it behaves the same on every
platform and never inherits the parent's solver state). Its outputs go to DIR/<scenario-stem>/
through planner.workflows.solve_folder.write_solve_outputs, and one row per scenario goes to DIR/summary.csv.
A scenario that fails (bad YAML, rules that cannot hold, a crash) is reported in its row and does
not stop the others.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import logging
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from planner.files.atomic import atomic_write_text
from planner.problem.results import SolveOptions
from planner.rules import LEVELS
from planner.workflows.jobs import available_cores

log = logging.getLogger(__name__)

SUMMARY_COLUMNS = ("file", "out_dir", "status", *LEVELS, "proven", "seconds", "error")
# Status of a scenario in summary.csv. OPTIMAL: every level proven; FEASIBLE: a roster, some level
# not proven in time; INFEASIBLE: the hard rules cannot all hold; INPUT_ERROR: bad file; ERROR: other.
FAILED = ("INFEASIBLE", "INPUT_ERROR", "ERROR")


@dataclass
class BatchItem:
    file: str
    out_dir: str
    status: str = "NOT_RUN"
    levels: dict[str, float | None] = field(default_factory=dict)
    proven: bool = False
    seconds: float = 0.0
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status in FAILED or self.status == "NOT_RUN"

    def row(self) -> dict[str, str]:
        values = {name: "" if self.levels.get(name) is None else f"{self.levels[name]:g}" for name in LEVELS}
        return {
            "file": self.file,
            "out_dir": self.out_dir,
            "status": self.status,
            **values,
            "proven": str(self.proven).lower(),
            "seconds": f"{self.seconds:.2f}",
            "error": self.error,
        }


def out_dirs(paths: list[Path], out: Path) -> list[Path]:
    """DIR/<stem> per scenario; a stem seen before gets -2, -3, …"""
    seen: set[str] = set()
    dirs = []
    for path in paths:
        name, n = path.stem, 2
        while name in seen:
            name, n = f"{path.stem}-{n}", n + 1
        seen.add(name)
        dirs.append(out / name)
    return dirs


def solve_one(path: str, start: dt.date, end: dt.date, out_dir: str, options: SolveOptions) -> BatchItem:
    """Load, solve, check and write one scenario (runs in a worker process; never raises)."""
    # Imported here so that a spawned worker pays for the solver imports only when it works.
    from models.errors import InputError
    from models.loader import load_scenario
    from planner.engine.solve import InfeasibleError, SolveError, solve
    from planner.problem.instance import Instance
    from planner.workflows.solve_folder import write_solve_outputs

    item = BatchItem(file=path, out_dir=out_dir)
    started = time.monotonic()
    try:
        scenario = load_scenario(path)
        inst = Instance(scenario, start, end)
        result = solve(inst, options)  # solve() re-checks the roster with planner.check.validate
        write_solve_outputs(out_dir, result, inst)
        item.levels = {lv.name: lv.value for lv in result.levels}
        item.proven = result.proven
        item.status = "OPTIMAL" if result.proven else "FEASIBLE"
    except InputError as exc:
        item.status, item.error = "INPUT_ERROR", str(exc)
    except InfeasibleError as exc:
        item.status, item.error = "INFEASIBLE", str(exc)
    except SolveError as exc:
        item.status, item.error = "ERROR", str(exc)
    except Exception as exc:  # noqa: BLE001 - one scenario's crash must not stop the batch
        log.exception("batch: %s crashed", path)
        item.status, item.error = "ERROR", f"{type(exc).__name__}: {exc}"
    item.seconds = time.monotonic() - started
    return item


def summary_csv_text(items: list[BatchItem]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(SUMMARY_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for item in items:
        writer.writerow(item.row())
    return buf.getvalue()


def capped_jobs(jobs: int, workers: int, force: bool = False) -> int:
    """How many scenarios to solve at once: `jobs`, lowered so that jobs x workers threads fit
    the machine's cores, unless forced. Each solve process takes hundreds of MiB, and more
    processes than cores only share the same cores more slowly (issue 17, resource bounds)."""
    if force:
        return max(1, jobs)
    return max(1, min(jobs, available_cores() // max(1, workers)))


def run_batch(
    paths: list[Path],
    start: dt.date,
    end: dt.date,
    out: Path,
    jobs: int = 1,
    options: SolveOptions | None = None,
    on_done: Callable[[BatchItem], None] | None = None,
) -> list[BatchItem]:
    """Solve every scenario with up to `jobs` worker processes; write DIR/summary.csv last.

    The items come back in the order of `paths`. `on_done` is called in the parent as each
    scenario finishes (the progress bar).
    """
    options = options or SolveOptions()
    if any(f.name == "log_callback" for f in dataclasses.fields(options)):
        # A callback cannot cross a process boundary; the workers report by their result.
        options = dataclasses.replace(options, log_callback=None)
    out.mkdir(parents=True, exist_ok=True)
    dirs = out_dirs(paths, out)
    items = [BatchItem(file=str(p), out_dir=str(d)) for p, d in zip(paths, dirs, strict=True)]
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
            futures: dict[Future, int] = {
                pool.submit(solve_one, str(p), start, end, str(d), options): i
                for i, (p, d) in enumerate(zip(paths, dirs, strict=True))
            }
            try:
                for future in as_completed(futures):
                    i = futures[future]
                    try:
                        items[i] = future.result()
                    except BrokenProcessPool as exc:
                        items[i].status, items[i].error = "ERROR", f"worker process died: {exc}"
                    if on_done:
                        on_done(items[i])
            except KeyboardInterrupt:
                # Scenarios not finished stay NOT_RUN in summary.csv.
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        atomic_write_text(out / "summary.csv", summary_csv_text(items))
    return items
