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

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started


class Job:
    def __init__(self, work: Work, label: str, context: dict[str, Any] | None = None):
        self.work, self.label = work, label
        self.context = context or {}  # what the job is for (scenario, month, pins): plain values
        self.stop_event = threading.Event()
        self._lock = threading.Lock()
        self._latest: Progress | None = None
        self._trace: list[Progress] = []
        self._result: Any = None
        self._exception: Exception | None = None
        self._started = time.monotonic()
        self._finished: float | None = None
        self._thread = threading.Thread(target=self._run, name=f"job-{label}", daemon=True)

    def start(self) -> Job:
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
        try:
            result = self.work(self._progress, self.stop_event)
            with self._lock:
                self._result = result
        except Exception as exc:  # shown on one line; an unexpected one keeps its traceback in the log
            if isinstance(exc, InputError | SolveError):
                log.info("background job %s: %s", self.label, exc)
            else:
                log.exception("background job %s failed", self.label)
            with self._lock:
                self._exception = exc
        finally:
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
                error=None if self._exception is None else str(self._exception),
                error_type=None if self._exception is None else type(self._exception).__name__,
                exception=self._exception,
                stop_requested=self.stop_event.is_set(),
            )
