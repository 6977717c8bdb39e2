"""Background work: a solve (or an explanation) in a thread that a page or a terminal polls.

CP-SAT runs for seconds to minutes; running it in the script thread would freeze the page. A
`Job` runs a function in a daemon thread, records the progress it reports, and keeps its result
or its error as plain values. The page reads `snapshot()` on every rerun (a fragment with
`run_every`), and the stop button sets the job's Event: `planner.engine.solve.solve` then stops the
search and keeps the best roster found (marked not proven). No Streamlit call happens in the
thread, and no solver object leaves it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.errors import InputError
from planner.engine.solve import SolveError
from planner.problem.results import Progress

log = logging.getLogger(__name__)

Work = Callable[[Callable[[Progress], None], threading.Event], Any]


class Busy(InputError):
    """Too many jobs are running and waiting already; nothing was started."""


class Cancelled(InputError):
    """Stopped while waiting for its turn: the work never started."""


class Admission:
    """How many jobs compute at once in this process, and how many may wait for a turn."""

    def __init__(self, running: int, waiting: int):
        self.running_limit, self.waiting_limit = max(1, running), max(0, waiting)
        self._cond = threading.Condition()
        self._running = 0
        self._line: list[Job] = []

    def enter(self, job: Job) -> None:
        """Take a place in line, or refuse at once when the line is full."""
        with self._cond:
            if len(self._line) >= self.waiting_limit and self._running >= self.running_limit:
                raise Busy(
                    f"计算任务已满：{self._running} 个正在计算，{len(self._line)} 个在排队；"
                    "请稍后再试 (too many jobs; nothing started)"
                )
            self._line.append(job)

    def wait_turn(self, job: Job, stop: threading.Event) -> bool:
        """Block until `job` is first in line and a place is free; False if stopped first."""
        with self._cond:
            while self._line[0] is not job or self._running >= self.running_limit:
                if stop.is_set():
                    self._line.remove(job)
                    self._cond.notify_all()
                    return False
                self._cond.wait(0.2)
            self._line.pop(0)
            self._running += 1
            self._cond.notify_all()
            return True

    def leave(self) -> None:
        with self._cond:
            self._running -= 1
            self._cond.notify_all()

    def ahead_of(self, job: Job) -> int | None:
        """How many wait before `job` (0: next), or None when it is not waiting."""
        with self._cond:
            return self._line.index(job) if job in self._line else None


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        log.warning("%s=%r is not a whole number; using %d", name, os.environ.get(name), default)
        return default


def available_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_APP_ADMISSION: Admission | None = None
_APP_LOCK = threading.Lock()


def app_admission() -> Admission:
    """The app's one Admission, shared by every session of the server process. By default one
    job computes per two cores (a solve runs two CP-SAT workers) and four may wait; set
    ROSTER_MAX_JOBS and ROSTER_MAX_WAITING to change that."""
    global _APP_ADMISSION
    with _APP_LOCK:
        if _APP_ADMISSION is None:
            _APP_ADMISSION = Admission(
                _env_int("ROSTER_MAX_JOBS", max(1, available_cores() // 2)), _env_int("ROSTER_MAX_WAITING", 4)
            )
        return _APP_ADMISSION


@dataclass
class JobState:
    """What the page shows about a job, copied out under the job's lock."""

    label: str
    running: bool
    started: float
    finished: float | None
    latest: Progress | None
    trace: list[Progress] = field(default_factory=list)
    result: Any = None
    error: str | None = None
    error_type: str | None = None  # the exception's class name, e.g. InfeasibleError
    exception: Exception | None = None  # the exception itself, for a caller that re-raises it
    stop_requested: bool = False
    waiting_behind: int | None = None  # jobs ahead of this one in line; None once it computes

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started


class Job:
    def __init__(
        self,
        work: Work,
        label: str,
        context: dict[str, Any] | None = None,
        admission: Admission | None = None,
    ):
        self.work, self.label, self.admission = work, label, admission
        self.context = context or {}  # what the job is for (scenario, month, pins): plain values
        self.stop_event = threading.Event()
        self._lock = threading.Lock()
        self._latest: Progress | None = None
        self._trace: list[Progress] = []
        self._result: Any = None
        self._exception: Exception | None = None
        self._error_text: str | None = None  # the one line shown for _exception
        self._started = time.monotonic()
        self._finished: float | None = None
        self._thread = threading.Thread(target=self._run, name=f"job-{label}", daemon=True)

    def start(self) -> Job:
        """Start the thread; with an admission, take a place in line first (or raise Busy)."""
        if self.admission is not None:
            self.admission.enter(self)
        self._started = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()

    def join(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _progress(self, p: Progress) -> None:
        with self._lock:
            self._latest = p
            self._trace.append(p)
            del self._trace[:-500]  # a long solve reports often; the chart needs only the recent past

    def _run(self) -> None:
        admitted = False
        try:
            if self.admission is not None:
                admitted = self.admission.wait_turn(self, self.stop_event)
                if not admitted:
                    raise Cancelled("排队时已停止，计算未开始 (stopped while waiting; nothing computed)")
                with self._lock:
                    self._started = time.monotonic()  # the time limit counts from the real start
            result = self.work(self._progress, self.stop_event)
            with self._lock:
                self._result = result
        except Exception as exc:  # shown on one line; an unexpected one keeps its traceback in a log file
            if isinstance(exc, InputError | SolveError):
                log.info("background job %s: %s", self.label, exc)
                text = str(exc)
            else:
                from planner.files.crash_log import crash_line, record_crash

                log.exception("background job %s failed", self.label)
                text = crash_line(exc, record_crash(exc, f"background job {self.label}"))
            with self._lock:
                self._exception, self._error_text = exc, text
        finally:
            if admitted:
                self.admission.leave()
            with self._lock:
                self._finished = time.monotonic()

    def snapshot(self) -> JobState:
        with self._lock:
            return JobState(
                label=self.label,
                running=self._finished is None,
                started=self._started,
                finished=self._finished,
                latest=self._latest,
                trace=list(self._trace),
                result=self._result,
                error=self._error_text,
                error_type=None if self._exception is None else type(self._exception).__name__,
                exception=self._exception,
                stop_requested=self.stop_event.is_set(),
                waiting_behind=None if self.admission is None else self.admission.ahead_of(self),
            )
