"""Plain result types of a solve, shared by the CLI, the UI, the store and the reports.

They hold no solver objects, so the UI keeps them in session state and the store saves them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from models.roster import Roster


class TaskError(Exception):
    """A solve task that a whole answer needs has failed (its worker died, or it raised):
    planner.engine.tasks.run_calls raises it, the CLI prints it in one line."""


@dataclass
class SolveOptions:
    time_limit: float = 60.0  # seconds for the whole solve, all levels together
    workers: int = 2
    seed: int = 0
    # Optional per-level limits in seconds; a level never runs past the overall limit.
    level_time_limits: dict[str, float] = field(default_factory=dict)
    log_search: bool = False
    # CP-SAT portfolio: `subsolvers` replaces the default set, `extra_subsolvers` adds to it.
    subsolvers: tuple[str, ...] = ()
    extra_subsolvers: tuple[str, ...] = ("max_lp",)
    # Solve independent groups of roles separately (exact; see planner.problem.decompose).
    decompose: bool = True
    # Stop after this level (benchmarks measure levels 1-2 alone); None solves every level.
    last_level: str | None = None
    # Pairwise rest constraints instead of cliques: the plain baseline model of the benchmark.
    plain: bool = False
    # The min-consecutive rules also as one automaton per person (planner/engine/constraints/
    # min_consecutive.py): a stronger LP that proves Curtois 4-6 in 60 s, but a model too heavy
    # for the largest instances (11, 12) to find a good roster in 60 s. Measured, not assumed:
    # `python -m planner.bench --curtois [--no-automaton]`.
    sequence_automaton: bool = True
    # Receives CP-SAT's search log lines (which subsolver found each bound) when set.
    log_callback: Callable[[str], None] | None = None
    # Reproducible rosters (issue 16): the time limit counts CP-SAT's deterministic time (work
    # done, not seconds on the clock), it is shared among parts and levels by a fixed plan, and
    # with more than one worker the subsolvers are interleaved in deterministic batches. The same
    # inputs, seed, workers and version then give the same roster on any machine or engine.
    deterministic: bool = False


@dataclass(frozen=True)
class Reference:
    """Re-planning is problem data, not a solver option: the published roster to stay close to
    (the stability level), with the dates before `freeze_before` held to it exactly."""

    roster: Roster
    freeze_before: dt.date | None = None


@dataclass
class LevelResult:
    name: str
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, or SKIPPED (level not applicable)
    value: float | None  # in the level's unit: slots, hours, assignments, weight, spread
    bound: float | None
    seconds: float

    @property
    def gap(self) -> float | None:
        """Absolute gap between the value found and the best proven bound."""
        if self.value is None or self.bound is None:
            return None
        return round(abs(self.value - self.bound), 6)

    @property
    def proven(self) -> bool:
        return self.status in ("OPTIMAL", "SKIPPED")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "gap": self.gap, "proven": self.proven}


@dataclass
class Progress:
    """What a running solve reports to a progress display."""

    level: str
    incumbent: float | None
    bound: float | None
    elapsed: float
    message: str = ""


@dataclass
class SolveResult:
    roster: Roster
    levels: list[LevelResult]
    interrupted: bool  # stopped by the user or by the time limit before every level was proven
    parameters: dict[str, Any]
    validation: Any  # planner.check.validate.ValidationReport
    explanation: list[dict[str, Any]] = field(default_factory=list)
    provisional_dates: list[str] = field(default_factory=list)

    @property
    def proven(self) -> bool:
        return all(level.proven for level in self.levels) and not self.interrupted

    def level(self, name: str) -> LevelResult:
        return next(lv for lv in self.levels if lv.name == name)
