"""The staged solve: each objective level is optimised in strict priority, then held fixed.

Level k is minimised with every level above it held at its value, warm-started from the
previous level's roster. A level that is not proven optimal in its time is held at the value
found (never worse), and the result says so. Every roster is then re-checked by the
independent validator and scorer (planner.check.validate, planner.check.score), and any disagreement with
the solver's own figures is an error, not a warning.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.roster import Roster
from planner import rules
from planner.check.score import changed_assignments
from planner.check.validate import ValidationReport, validate
from planner.engine.model import RosterModel
from planner.problem.decompose import deferred_sides, split
from planner.problem.instance import Instance
from planner.problem.results import LevelResult, Progress, Reference, SolveOptions, SolveResult

log = logging.getLogger(__name__)

# Each independent part's guaranteed share of the time limit (when the limit allows it).
MIN_PART_SECONDS = 2.0
# Deterministic mode limits CP-SAT's deterministic time; the clock still stops a runaway solve
# at this many times its budget (plus WALL_GUARD_SECONDS), and the result then says it may not
# reproduce (a loaded or slow machine reached the wall before the work was done).
WALL_GUARD_FACTOR = 4.0
WALL_GUARD_SECONDS = 10.0


STOPPED_PART_SECONDS = 5.0  # a part reached only after a stop: time for a first roster


class Budget:
    """The time left for the rest of a solve. On the clock by default; in deterministic mode by a
    fixed plan (the limit less the budgets already handed out), so that how the time is shared
    among parts and levels does not depend on how fast this machine happened to be."""

    def __init__(self, seconds: float, deterministic: bool):
        self.deterministic = deterministic
        self.deadline = time.monotonic() + seconds
        self.planned_left = seconds

    def left(self) -> float:
        if self.deterministic:
            return max(0.0, self.planned_left)
        return max(0.0, self.deadline - time.monotonic())

    def spend(self, seconds: float) -> None:
        self.planned_left -= seconds


class SolveError(Exception):
    """The solve could not produce a trustworthy roster (infeasible rules, or a mismatch)."""


class InfeasibleError(SolveError):
    pass


def infeasible_message(inst: Instance, label: str) -> str:
    """Why no roster exists: the entries that conflict, found with CP-SAT assumptions."""
    from planner.engine.infeasible import conflicting_entries

    found = conflicting_entries(inst)
    if found:
        return f"{label}: the hard rules cannot all hold with these entries together: " + "; ".join(found)
    return f"{label}: the hard rules cannot all hold (check fixed entries, absences and max coverage)"


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, level: str, divisor: int, started: float, progress: Callable[[Progress], None] | None):
        super().__init__()
        self.level, self.divisor, self.started, self.progress = level, divisor, started, progress

    def on_solution_callback(self) -> None:
        if self.progress:
            self.progress(
                Progress(
                    level=self.level,
                    incumbent=self.objective_value / self.divisor,
                    bound=self.best_objective_bound / self.divisor,
                    elapsed=time.monotonic() - self.started,
                )
            )


def solver_parameters(options: SolveOptions, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.05, seconds)
    if options.deterministic:
        p.max_deterministic_time = max(0.05, seconds)
        p.max_time_in_seconds = WALL_GUARD_FACTOR * seconds + WALL_GUARD_SECONDS
        # Several workers race each other unless their subsolvers run in deterministic batches
        # (CP-SAT's interleave_search); one worker is deterministic by itself.
        p.interleave_search = options.workers > 1
    p.num_workers = options.workers
    p.random_seed = options.seed
    p.log_search_progress = options.log_search or options.log_callback is not None
    if options.log_callback is not None:
        p.log_to_stdout = False
        solver.log_callback = options.log_callback
    for name in options.subsolvers:
        p.subsolvers.append(name)
    for name in options.extra_subsolvers:
        p.extra_subsolvers.append(name)
    if options.workers == 1 and "max_lp" in (*options.subsolvers, *options.extra_subsolvers):
        # One worker means no portfolio: CP-SAT ignores the subsolver lists and runs a single
        # search with the default LP. Give that search max_lp's full linearisation instead.
        p.linearization_level = 2
    return solver


def solve(
    inst: Instance,
    options: SolveOptions | None = None,
    progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    reference: Reference | None = None,
) -> SolveResult:
    """Solve every level in priority order, group by group (planner.problem.decompose), and check it.

    With a `reference` (re-planning), a stability level just below coverage keeps the roster as
    close to the published one as coverage allows."""
    options = options or SolveOptions()
    started = time.monotonic()
    total = Budget(options.time_limit, options.deterministic)
    whole = [(tuple(r.id for r in inst.roles), inst)]
    parts = split(inst) if options.decompose else whole
    outcomes, roster, report = _solve_parts(inst, parts, options, reference, total, started, progress, stop)
    sides = deferred_sides(inst) if options.decompose else ()
    if sides and any(s.shortfall for s in report.slots if s.role in sides):
        # The deferred side duties are not all met, so the union is not proved optimal for the
        # whole (planner.problem.decompose): solve again with side duties linking the groups.
        # Rare (any engineer on shift answers the phone), so it gets at least half the limit
        # again rather than the crumbs left: such a solve may take up to 1.5 times its limit.
        again = Budget(max(total.left(), options.time_limit / 2), options.deterministic)
        parts = split(inst, link_sides=True)
        outcomes, roster, report = _solve_parts(
            inst, parts, options, reference, again, started, progress, stop
        )
    names = rules.levels_for(reference is not None, inst.scenario.objective)
    levels = [_combine(name, [o.levels[i] for o in outcomes]) for i, name in enumerate(names)]
    final = {name: sum(o.final[name] for o in outcomes) for name in names}
    independent = _scorer_values(report)
    if reference is not None:
        since = max(inst.start, reference.freeze_before or inst.start)
        independent["stability"] = changed_assignments(reference.roster, roster, since, inst.end)
    _cross_check(report, final, independent)
    interrupted = any(o.interrupted for o in outcomes)
    return SolveResult(
        roster=roster,
        levels=levels,
        interrupted=interrupted,
        parameters={
            "time_limit": options.time_limit,
            "workers": options.workers,
            "seed": options.seed,
            "deterministic": options.deterministic,
            # Whether the same inputs give this roster again: deterministic mode, no stop by the
            # user and no level stopped by the clock instead of by its deterministic limit.
            "reproducible": options.deterministic
            and not interrupted
            and not any(o.wall_stopped for o in outcomes),
            "subsolvers": list(options.subsolvers),
            "extra_subsolvers": list(options.extra_subsolvers),
            "decompose": options.decompose,
            "parts": ["+".join(roles) for roles, _ in parts],
            "replan": reference is not None,
            "freeze_before": (
                reference.freeze_before.isoformat() if reference and reference.freeze_before else None
            ),
        },
        validation=report,
        provisional_dates=[d.isoformat() for d in inst.provisional_dates],
    )


def _solve_parts(
    inst: Instance,
    parts: list[tuple[tuple[str, ...], Instance]],
    options: SolveOptions,
    reference: Reference | None,
    total: Budget,
    started: float,
    progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
) -> tuple[list[_PartOutcome], Roster, ValidationReport]:
    """Solve each part in turn on its share of the time left; their union, checked."""
    sizes = [len(sub.staff) * len(sub.dates) * len(sub.shifts) for _, sub in parts]
    outcomes: list[_PartOutcome] = []
    for i, (roles, sub) in enumerate(parts):
        budget = part_budget(total.left(), sizes[i:])
        total.spend(budget)
        label = "+".join(roles)
        outcomes.append(_solve_part(sub, options, reference, budget, label, started, progress, stop))
    roster = Roster(
        start=inst.start,
        end=inst.end,
        assignments=tuple(a for o in outcomes for a in o.roster.assignments),
    ).sorted()
    return outcomes, roster, validate(inst, roster)


@dataclass
class _PartOutcome:
    roster: Roster
    levels: list[LevelResult]  # values and bounds in solver integers
    final: dict[str, int]  # every level's value on the final roster, in solver integers
    interrupted: bool
    wall_stopped: bool = False  # deterministic mode: some level was stopped by the clock guard


def _combine(name: str, parts: list[LevelResult]) -> LevelResult:
    """A level over all parts: sums of values and bounds; proven only if every part is."""
    divisor = rules.divisor(name)
    statuses = {p.status for p in parts}
    if statuses <= {"SKIPPED"}:
        status = "SKIPPED"
    elif "NOT_SOLVED" in statuses:
        status = "NOT_SOLVED"
    elif statuses <= {"OPTIMAL", "SKIPPED"}:
        status = "OPTIMAL"
    else:
        status = "FEASIBLE"
    value = None if any(p.value is None for p in parts) else sum(p.value for p in parts) / divisor
    bound = None if any(p.bound is None for p in parts) else sum(p.bound for p in parts) / divisor
    return LevelResult(name, status, value, bound, round(sum(p.seconds for p in parts), 3))


def part_budget(left: float, sizes: list[int]) -> float:
    """Seconds for the first of the parts still to solve (`sizes`), out of `left`.

    Time is shared in proportion to size after a floor for each part: under load a tiny part
    (the lone manager) would otherwise get too little time to find any roster at all.
    """
    floor = min(MIN_PART_SECONDS, left / len(sizes))
    return floor + (left - floor * len(sizes)) * sizes[0] / sum(sizes)


def _solve_part(
    inst: Instance,
    options: SolveOptions,
    reference: Reference | None,
    time_limit: float,
    label: str,
    started: float,
    progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
) -> _PartOutcome:
    clock = Budget(time_limit, options.deterministic)
    wall_stopped = False
    published, freeze_before = None, None
    if reference is not None:
        ids = {p.id for p in inst.staff}
        kept = tuple(a for a in reference.roster.assignments if a.staff_id in ids)
        published = reference.roster.model_copy(update={"assignments": kept})
        freeze_before = reference.freeze_before
    rm = RosterModel(
        inst,
        reference=published,
        freeze_before=freeze_before,
        plain=options.plain,
        sequence_automaton=options.sequence_automaton,
    )
    levels: list[LevelResult] = []
    roster = None
    solver = None
    # The solver whose solution is `roster`: a later level may end with no solution (UNKNOWN),
    # and its solver's values are then meaningless.
    best: cp_model.CpSolver | None = None
    interrupted = False
    last = rm.levels.index(options.last_level) if options.last_level else len(rm.levels) - 1
    remaining_share = sum(rules.time_share(name) for name in rm.levels[: last + 1])
    for position, name in enumerate(rm.levels):
        if position > last:
            levels.append(LevelResult(name, "NOT_SOLVED", None, None, 0.0))
            continue
        expr = rm.objective(name)
        share = rules.time_share(name)
        remaining_share -= share
        if expr is None:
            levels.append(LevelResult(name, "SKIPPED", 0, 0, 0.0))
            continue
        if interrupted or (stop and stop.is_set()):
            interrupted = True
            levels.append(LevelResult(name, "NOT_SOLVED", None, None, 0.0))
            continue
        left = clock.left()
        budget = min(options.level_time_limits.get(name, left * share / (share + remaining_share)), left)
        clock.spend(budget)
        rm.model.minimize(expr)
        if roster is not None:
            rm.v.hint(roster)
        solver = solver_parameters(options, budget)
        level_started = time.monotonic()
        reporter = _Reporter(f"{name} [{label}]", rules.divisor(name), started, progress)
        status = solve_watched(solver, rm.model, reporter, stop)
        seconds = time.monotonic() - level_started
        wall_stopped |= _stopped_by_wall_guard(solver, status, options)
        status_name = solver.status_name(status)
        log.info("%s level %s: %s in %.2fs", label, name, status_name, seconds)
        if status == cp_model.INFEASIBLE:
            raise InfeasibleError(infeasible_message(inst, label))
        if status == cp_model.MODEL_INVALID:
            raise SolveError(f"invalid model: {rm.model.validate()}")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            levels.append(LevelResult(name, "NOT_SOLVED", None, None, seconds))
            interrupted = True
            continue
        value, bound = round(solver.objective_value), round(solver.best_objective_bound)
        roster = rm.v.extract(solver)
        best = solver
        # Hold this level at the value found before optimising the next one.
        rm.model.add(expr <= value)
        levels.append(LevelResult(name, status_name, value, bound, seconds))
        if status != cp_model.OPTIMAL and stop is not None and stop.is_set():
            interrupted = True
        if progress:
            divisor = rules.divisor(name)
            progress(Progress(f"{name} [{label}]", value / divisor, bound / divisor,
                              time.monotonic() - started, message="level done"))  # fmt: skip
    stopped = stop is not None and stop.is_set()
    if roster is None and not interrupted and not stopped:
        # Every level asked for was SKIPPED: nothing to optimise in this part (no coverage, requests
        # or spreads; hard overtime caps). Any roster keeping the hard rules will do, but those
        # rules must still be checked.
        rm.model.clear_objective()
        solver = solver_parameters(options, clock.left())
        status = solve_watched(solver, rm.model, None, stop)
        wall_stopped |= _stopped_by_wall_guard(solver, status, options)
        if status == cp_model.INFEASIBLE:
            raise InfeasibleError(infeasible_message(inst, label))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            roster, best = rm.v.extract(solver), solver
    if roster is None and stopped:
        # Stopped (the app's stop button, Ctrl-C) before this part had any roster: the promise is
        # to keep the best roster found, so this part gets a first one that keeps every hard
        # rule, found without the stop within a few seconds, as good on the first level as that allows; its
        # levels stay unsolved (not proven).
        rm.model.clear_objective()
        first = rm.objective(rm.levels[0])  # coverage, or the weighted sum
        if first is not None:
            rm.model.minimize(first)
        solver = solver_parameters(options, STOPPED_PART_SECONDS)
        status = solve_watched(solver, rm.model, None, None)
        if status == cp_model.INFEASIBLE:
            raise InfeasibleError(infeasible_message(inst, label))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            roster, best, interrupted = rm.v.extract(solver), solver, True
    if roster is None or best is None:
        raise SolveError(f"{label}: no roster found within the time limit; allow more time")
    # Every level's value on the final roster, as the solver sees it.
    final = {name: _value(best, rm.objective(name)) for name in rm.levels}
    # A level left unsolved (stopped, or not asked for) still has a value on this roster: shown
    # with no bound, so it reads as what the roster achieves, not as a proven figure.
    for lv in levels:
        if lv.status != "SKIPPED":
            lv.value = final[lv.name]
    return _PartOutcome(roster, levels, final, interrupted, wall_stopped)


def _stopped_by_wall_guard(solver: cp_model.CpSolver, status: int, options: SolveOptions) -> bool:
    """Deterministic mode: the clock, not the deterministic limit, ended an unproven search."""
    if not options.deterministic or status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        return False
    return solver.wall_time >= 0.99 * solver.parameters.max_time_in_seconds


def minimise_objective(
    rm: RosterModel,
    objective,
    options: SolveOptions,
    time_limit: float,
    stop: threading.Event | None = None,
) -> tuple[str, int | None, float, float]:
    """Minimise one objective expression on a built model, alone, within `time_limit` seconds.

    Returns CP-SAT's status name, the objective value found (rounded; None without a solution),
    the proven lower bound (unrounded: callers round it their own way) and the seconds taken.
    With `stop` already set nothing is solved: ("UNKNOWN", None, 0.0, 0.0).
    """
    if stop is not None and stop.is_set():
        return "UNKNOWN", None, 0.0, 0.0
    rm.model.minimize(objective)
    solver = solver_parameters(options, time_limit)
    started = time.monotonic()
    status = solver.solve(rm.model)
    seconds = time.monotonic() - started
    value = round(solver.objective_value) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    return solver.status_name(status), value, solver.best_objective_bound, seconds


def minimise_level(
    inst: Instance,
    level: str = "coverage",
    options: SolveOptions | None = None,
    relax: frozenset[str] = frozenset(),
) -> LevelResult:
    """Optimise one level alone (no levels above it), for bounds: explanations and staffing."""
    options = options or SolveOptions()
    rm = RosterModel(inst, relax=relax, plain=options.plain)
    expr = rm.objective(level)
    if expr is None:
        return LevelResult(level, "SKIPPED", 0.0, 0.0, 0.0)
    status, value, bound, seconds = minimise_objective(rm, expr, options, options.time_limit)
    divisor = rules.divisor(level)
    if status == "INFEASIBLE":
        return LevelResult(level, "INFEASIBLE", None, None, seconds)
    if value is None:
        return LevelResult(level, status, None, bound / divisor, seconds)
    return LevelResult(level, status, value / divisor, round(bound) / divisor, seconds)


def solve_watched(solver, model, reporter, stop: threading.Event | None) -> int:
    """Solve, stopping early (keeping the best roster) when `stop` is set from another thread."""
    if stop is None:
        return solver.solve(model, reporter)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            if stop.is_set():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model, reporter)
    finally:
        done.set()


def _value(solver: cp_model.CpSolver, expr) -> int:
    if expr is None:
        return 0
    if isinstance(expr, int):
        return expr
    return round(solver.value(expr))


def _scorer_values(report) -> dict[str, int]:
    """The independent scorer's figures, in the solver's integer units."""
    scored = report.scores
    return {
        "coverage": scored.coverage,
        "overtime": scored.overtime_minutes,
        "substitutes": scored.substitutes,
        "requests": scored.requests,
        "fairness": scored.fairness,
        "weighted": scored.weighted,
    }


def _cross_check(report, final: dict[str, int], independent: dict[str, int]) -> None:
    """The independent validator and scorer must agree with the solver, exactly."""
    if not report.ok:
        first = report.violations[0]
        raise SolveError(f"solver roster breaks a hard rule ({first.rule}): {first.message}")
    wrong = {k: (final[k], independent[k]) for k in final if final[k] != independent[k]}
    if wrong:
        raise SolveError(f"solver and scorer disagree (solver, scorer): {wrong}")
