"""Where many independent solves run: in turn in this process, in a pool of local processes, or
as tasks on a Ray cluster (issue 16). `roster batch`, `compare`, `staffing` and `designs` hand
their solves to one of these and get the results back in the driver, which alone writes files.

What travels with a task (`Portable`): the scenario as loaded, never a path that a worker may
not have, with the content of its calendar override files; and never personal data. Staff
names become their ids, phone numbers and absence reasons are dropped (PIPL: they stay on the
machine that owns them; a solve needs none of them, and the driver writes every file with the
real scenario). The worker checks that it runs the driver's versions of this planner and of
the solver, since a roster must not depend on which machine happened to take the task.

Ray is an optional dependency (`pip install '.[ray]'`); `--engine local` needs nothing more.
Ray's usage statistics are switched off before Ray is imported (RAY_USAGE_STATS_ENABLED=0).
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Literal

from calendars.cn import carried_overrides, carry_overrides
from models.errors import InputError
from models.roster import Roster
from models.scenario import Scenario
from planner.problem.instance import Instance
from planner.problem.provenance import versions
from planner.problem.results import TaskError

log = logging.getLogger(__name__)

EngineName = Literal["local", "ray"]
ENGINES: tuple[str, ...] = ("local", "ray")
# The versions a worker must share with the driver (a roster depends on them).
MATCHED_VERSIONS = ("roster-planner", "ortools")


@dataclass
class Counts:
    """Progress of a run: tasks done (with a result), failed, running, and in all."""

    total: int
    done: int = 0
    failed: int = 0
    running: int = 0

    @property
    def waiting(self) -> int:
        return self.total - self.done - self.failed - self.running

    def zh(self) -> str:
        return f"完成 {self.done} · 运行中 {self.running} · 失败 {self.failed} · 等待 {self.waiting}"


@dataclass(frozen=True)
class TaskFailed:
    """A task that raised or whose worker died; the others go on."""

    message: str


# -- what travels -----------------------------------------------------------------------------
def without_personal_data(scenario: Scenario) -> Scenario:
    """The scenario a worker sees: ids for names, no phone numbers, no absence reasons."""

    def person(p):
        return p.model_copy(update={"name": p.id, "phone": None})

    return scenario.model_copy(
        update={
            "staff": tuple(person(p) for p in scenario.staff),
            "absences": tuple(a.model_copy(update={"reason": None}) for a in scenario.absences),
            "changes": tuple(
                c.model_copy(update={"replacement": person(c.replacement) if c.replacement else None})
                for c in scenario.changes
            ),
        }
    )


@dataclass(frozen=True)
class Portable:
    """A scenario or an instance made fit to travel (see the module's docstring)."""

    scenario: Scenario
    overrides: dict[str, Any]
    horizon: tuple[Any, Any, Roster] | None = None  # (start, end, history) of an Instance

    @classmethod
    def of(cls, value: Scenario | Instance) -> Portable:
        scenario = value.scenario if isinstance(value, Instance) else value
        overrides = carried_overrides(scenario.calendar.overrides)
        clean = without_personal_data(scenario)
        if isinstance(value, Instance):
            history = Roster(start=value.start, end=value.end, assignments=value.history)
            return cls(clean, overrides, (value.start, value.end, history))
        return cls(clean, overrides)

    def restore(self) -> Scenario | Instance:
        carry_overrides(self.overrides)
        if self.horizon is None:
            return self.scenario
        start, end, history = self.horizon
        return Instance(self.scenario, start, end, history)


def _portable(value: Any) -> Any:
    return Portable.of(value) if isinstance(value, (Scenario, Instance)) else value


def _restored(value: Any) -> Any:
    return value.restore() if isinstance(value, Portable) else value


def _options_fit_to_travel(value: Any) -> Any:
    """A callback cannot cross a process boundary; workers report through their result."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if any(f.name == "log_callback" for f in dataclasses.fields(value)):
            return dataclasses.replace(value, log_callback=None)
    return value


def run_task(fn: Callable[..., Any], args: tuple, expected: dict[str, str]) -> Any:
    """In the worker: check versions, unpack the arguments and call `fn`."""
    here = versions()
    wrong = [f"{k} {here.get(k)} (driver {v})" for k, v in expected.items() if here.get(k) != v]
    if wrong:
        raise RuntimeError("worker runs other versions than the driver: " + ", ".join(wrong))
    return fn(*(_restored(a) for a in args))


def _packed(args: tuple) -> tuple:
    return tuple(_options_fit_to_travel(_portable(a)) for a in args)


def _expected_versions() -> dict[str, str]:
    found = versions()
    return {k: found[k] for k in MATCHED_VERSIONS}


# -- engines ----------------------------------------------------------------------------------
It = Iterator[tuple[int, Any]]  # (index of the task, its result or a TaskFailed)
OnProgress = Callable[[Counts], None]


class InProcess:
    """Each task in turn, in this process: what `compare`, `staffing` and `designs` do by default.
    Arguments are passed as they are (nothing leaves the process)."""

    name = "local"

    def run(self, fn, tasks: Sequence[tuple], cpus: int = 1, on_progress: OnProgress | None = None) -> It:
        counts = Counts(len(tasks))
        for i, args in enumerate(tasks):
            counts.running = 1
            if on_progress:
                on_progress(counts)
            try:
                value = fn(*args)
            except (InputError, KeyboardInterrupt):
                raise
            except Exception as exc:  # noqa: BLE001 - one task's failure must not stop the others
                log.exception("task %d failed", i)
                value = TaskFailed(f"{type(exc).__name__}: {exc}")
            counts.running = 0
            _count(counts, value)
            if on_progress:
                on_progress(counts)
            yield i, value

    def close(self) -> None:
        pass


class LocalPool:
    """Up to `jobs` worker processes on this machine (spawned: the same on every platform, and
    never inheriting the parent's solver state)."""

    name = "local"

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)

    def run(self, fn, tasks: Sequence[tuple], cpus: int = 1, on_progress: OnProgress | None = None) -> It:
        counts = Counts(len(tasks))
        expected = _expected_versions()
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=self.jobs, mp_context=context) as pool:
            pending: dict[Future, int] = {
                pool.submit(run_task, fn, _packed(args), expected): i for i, args in enumerate(tasks)
            }
            try:
                yield from _drain(
                    pending,
                    lambda handles: wait(handles, return_when=FIRST_COMPLETED)[0],
                    lambda future: _outcome(future.result, BrokenProcessPool),
                    self.jobs,
                    counts,
                    on_progress,
                )
            except (KeyboardInterrupt, GeneratorExit):
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def close(self) -> None:
        pass


def _drain(
    pending: dict[Any, int],
    finished: Callable[[list], Iterable],
    value_of: Callable[[Any], Any],
    slots: int,
    counts: Counts,
    on_progress: OnProgress | None,
) -> It:
    """(index, value) of each task as it finishes: `finished` waits for some of the pending
    handles, `value_of` reads one (a result or a TaskFailed); the counts are reported before
    each wait (at most `slots` running) and once at the end."""
    while pending:
        counts.running = min(slots, len(pending))
        if on_progress:
            on_progress(counts)
        for handle in finished(list(pending)):
            i = pending.pop(handle)
            value = value_of(handle)
            _count(counts, value)
            yield i, value
    counts.running = 0
    if on_progress:
        on_progress(counts)


def _count(counts: Counts, value: Any) -> None:
    if isinstance(value, TaskFailed):
        counts.failed += 1
    else:
        counts.done += 1


def _outcome(get: Callable[[], Any], *died: type[BaseException]) -> Any:
    try:
        return get()
    except died as exc:
        return TaskFailed(f"worker process died: {exc}")
    except Exception as exc:  # noqa: BLE001 - a task's own error, reported in its row
        # Ray wraps a task's exception with the worker's traceback; the row wants the error.
        cause = getattr(exc, "cause", None)
        if isinstance(cause, BaseException):
            exc = cause
        return TaskFailed(f"{type(exc).__name__}: {exc}")


# -- the solve task ---------------------------------------------------------------------------
# Status of one solve: OPTIMAL every level proven; FEASIBLE a roster, some level not proven in
# time; INFEASIBLE the hard rules cannot all hold; INPUT_ERROR bad input; ERROR anything else.
SOLVE_FAILED = ("INFEASIBLE", "INPUT_ERROR", "ERROR")


@dataclass
class SolveOutcome:
    status: str
    result: Any = None  # planner.problem.results.SolveResult, checked by the validator in solve()
    error: str = ""
    seconds: float = 0.0


def solve_task(inst: Instance, options: Any, stop: Any = None) -> SolveOutcome:
    """One solve, as a task: its known failures come back as a status, not as an exception.
    `stop` (a threading.Event) only works in this process (InProcess, the app)."""
    import time

    from planner.engine.solve import InfeasibleError, SolveError, solve

    started = time.monotonic()
    try:
        result = solve(inst, options, stop=stop)
        outcome = SolveOutcome("OPTIMAL" if result.proven else "FEASIBLE", result)
    except InputError as exc:
        outcome = SolveOutcome("INPUT_ERROR", error=str(exc))
    except InfeasibleError as exc:
        outcome = SolveOutcome("INFEASIBLE", error=str(exc))
    except SolveError as exc:
        outcome = SolveOutcome("ERROR", error=str(exc))
    outcome.seconds = time.monotonic() - started
    return outcome


class RayEngine:
    """Tasks on Ray: a local Ray runtime started for this run, or the cluster at `address`
    (`--address`, or RAY_ADDRESS). Each task asks for `cpus` CPUs, its solver's worker count."""

    name = "ray"

    def __init__(self, address: str | None = None, local_cpus: int | None = None):
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        try:
            import ray
        except ImportError:
            raise InputError(
                "--engine ray: Ray is not installed here; install it with: pip install 'roster-planner[ray]'"
            ) from None
        self.ray = ray
        address = address or os.environ.get("RAY_ADDRESS") or None
        self.address = address or "local"
        kwargs: dict[str, Any] = {"log_to_driver": False, "configure_logging": False}
        try:
            if address:
                ray.init(address=address, **kwargs)
            else:
                ray.init(num_cpus=local_cpus, include_dashboard=False, **kwargs)
        except Exception as exc:  # noqa: BLE001 - Ray's own errors are many; the user needs one line
            where = f"the Ray cluster at {address}" if address else "a local Ray runtime"
            raise InputError(f"--engine ray: could not reach {where}: {type(exc).__name__}: {exc}") from None
        self.cpus = int(ray.cluster_resources().get("CPU", 1))
        # A task asking for more CPUs than any one node has would wait for ever.
        self.largest_node = max(
            (int(n["Resources"].get("CPU", 0)) for n in ray.nodes() if n.get("Alive")), default=0
        )

    def run(self, fn, tasks: Sequence[tuple], cpus: int = 1, on_progress: OnProgress | None = None) -> It:
        ray = self.ray
        if cpus > self.largest_node:
            raise InputError(
                f"--workers {cpus}: no node of the Ray cluster at {self.address} has {cpus} CPUs "
                f"(the largest has {self.largest_node}); give --workers {max(1, self.largest_node)} or less"
            )
        counts = Counts(len(tasks))
        remote = ray.remote(num_cpus=cpus, max_retries=0)(run_task)
        expected = _expected_versions()
        pending = {remote.remote(fn, _packed(args), expected): i for i, args in enumerate(tasks)}
        # Ray does not say which tasks have started; the cluster runs as many as its CPUs allow.
        slots = max(1, self.cpus // max(1, cpus))
        try:
            yield from _drain(
                pending,
                lambda handles: ray.wait(handles, num_returns=1)[0],
                lambda ref: _outcome(lambda: ray.get(ref)),
                slots,
                counts,
                on_progress,
            )
        except (KeyboardInterrupt, GeneratorExit):
            for ref in pending:
                ray.cancel(ref, force=True)
            raise

    def close(self) -> None:
        self.ray.shutdown()


Engine = InProcess | LocalPool | RayEngine


def run_calls(
    fn: Callable[..., Any],
    tasks: Sequence[tuple],
    engine: Engine | None = None,
    cpus: int = 1,
    here: tuple = (),
    on_progress: OnProgress | None = None,
) -> list[Any]:
    """Every task's result, in task order; any failure is a TaskError.

    Without an engine the calls run in turn in this process, each with `here` appended to its
    arguments (a stop event, a progress callback: things that cannot travel); on an engine
    each gets as many Nones instead."""
    if engine is None:
        engine, extra = InProcess(), here
    else:
        extra = (None,) * len(here)
    results: list[Any] = [None] * len(tasks)
    for i, value in engine.run(fn, [(*t, *extra) for t in tasks], cpus, on_progress):
        if isinstance(value, TaskFailed):
            raise TaskError(f"task {i + 1} of {len(tasks)} failed: {value.message}")
        results[i] = value
    return results


def make_engine(name: str, address: str | None = None, jobs: int = 1, in_process: bool = False) -> Engine:
    """The engine a command asked for. `local` is a pool of `jobs` processes, or with
    `in_process` (compare, staffing, designs) each task in turn in this process, as before."""
    if name not in ENGINES:
        raise InputError(f"--engine {name}: must be one of {', '.join(ENGINES)}")
    if name == "ray":
        return RayEngine(address)
    if address:
        raise InputError("--address is for --engine ray")
    return InProcess() if in_process else LocalPool(jobs)
