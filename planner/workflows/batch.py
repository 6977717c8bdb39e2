"""Batch solving: many scenarios over one horizon, in parallel, one folder each.

Every scenario is loaded here first (a bad file is its row's INPUT_ERROR, and the others go on),
then each solve is one task on an engine (planner.engine.tasks): a pool of local processes, or a Ray
cluster. The task carries the loaded scenario, not its path, and returns its result; the outputs
are written here, atomically, to DIR/<scenario-stem>/ through
planner.workflows.solve_folder.write_solve_outputs, and one row per scenario goes to
DIR/summary.csv, written last. A scenario that fails (bad YAML, rules that cannot hold, a
crash, a worker lost) is reported in its row and does not stop the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models.errors import InputError
from planner.engine.tasks import SOLVE_FAILED, Counts, Engine, LocalPool, SolveOutcome, TaskFailed, solve_task
from planner.files.atomic import atomic_write_text, ensure_folder
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions
from planner.rules import LEVELS
from planner.workflows.jobs import available_cores

log = logging.getLogger(__name__)

SUMMARY_COLUMNS = ("file", "out_dir", "status", *LEVELS, "proven", "seconds", "error")
# Status of a scenario in summary.csv: planner.engine.tasks.SolveOutcome's, or NOT_RUN (interrupted).
FAILED = SOLVE_FAILED
SCENARIO_SUFFIXES = (".yaml", ".yml")


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


def scenario_files(paths: list[Path]) -> list[Path]:
    """The files to solve: each file given, and the *.yaml / *.yml files of each folder given
    (not its sub-folders), sorted by name. A path that does not exist is bad input."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES and p.is_file())
            if not inside:
                raise InputError(f"{path}: a folder with no scenario files (*.yaml, *.yml)")
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def _load(path: Path, start: dt.date, end: dt.date) -> Instance:
    from models.loader import load_scenario

    return Instance(load_scenario(path), start, end)


def _record(item: BatchItem, outcome: SolveOutcome | TaskFailed, inst: Instance) -> None:
    """A task's result into its row, and its roster's files into its folder (written here)."""
    from planner.workflows.solve_folder import write_solve_outputs

    if isinstance(outcome, TaskFailed):
        item.status, item.error = "ERROR", outcome.message
        return
    item.status, item.error, item.seconds = outcome.status, outcome.error, outcome.seconds
    if outcome.result is None:
        return
    try:
        write_solve_outputs(item.out_dir, outcome.result, inst)
    except OSError as exc:
        item.status, item.error = "ERROR", f"could not write {item.out_dir}: {exc}"
        return
    item.levels = {lv.name: lv.value for lv in outcome.result.levels}
    item.proven = outcome.result.proven


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
    engine: Engine | None = None,
    on_progress: Callable[[Counts], None] | None = None,
) -> list[BatchItem]:
    """Solve every scenario on `engine` (default: a pool of `jobs` local processes); write
    DIR/summary.csv last.

    The items come back in the order of `paths`. `on_done` is called as each scenario finishes
    (the progress bar), `on_progress` with the counts of tasks done, running and failed.
    """
    options = options or SolveOptions()
    engine = engine or LocalPool(jobs)
    ensure_folder(out)
    dirs = out_dirs(paths, out)
    items = [BatchItem(file=str(p), out_dir=str(d)) for p, d in zip(paths, dirs, strict=True)]
    loaded: list[tuple[int, Instance]] = []
    for i, path in enumerate(paths):
        try:
            loaded.append((i, _load(path, start, end)))
        except InputError as exc:
            items[i].status, items[i].error = "INPUT_ERROR", str(exc)
            if on_done:
                on_done(items[i])
    try:
        tasks = [(inst, options) for _, inst in loaded]
        for k, outcome in engine.run(solve_task, tasks, cpus=options.workers, on_progress=on_progress):
            i, inst = loaded[k]
            _record(items[i], outcome, inst)
            if on_done:
                on_done(items[i])
    finally:
        # Scenarios not finished (Ctrl-C) stay NOT_RUN in summary.csv.
        atomic_write_text(out / "summary.csv", summary_csv_text(items))
    return items
