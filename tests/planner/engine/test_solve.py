"""The staged solve (planner.engine.solve): priorities, infeasibility, history, interruption, decomposition.

Tiny instances only (see tests/planner/engine/builders.py for the shifts and calendar facts).
"""

from __future__ import annotations

import threading

import pytest

import planner.engine.solve as solve_module
from planner.check.score import score
from planner.check.validate import validate
from planner.engine.solve import MIN_PART_SECONDS, InfeasibleError, part_budget, solve
from planner.problem.results import Progress, SolveOptions, SolveResult
from tests.planner.engine.builders import D, assignment, cover, day, instance, person, scenario

OPTIONS = SolveOptions(time_limit=5, workers=1, seed=0)


def values(result: SolveResult) -> dict[str, float | None]:
    return {lv.name: lv.value for lv in result.levels}


def assert_agrees_with_scorer(inst, result: SolveResult) -> None:
    """Every level the solve reports equals the independent scorer's value on the roster."""
    scored = score(inst, result.roster).level_values()
    for lv in result.levels:
        if lv.value is not None:
            assert lv.value == pytest.approx(scored[lv.name]), lv.name
    assert validate(inst, result.roster).ok


# -- priorities -------------------------------------------------------------------------------
def test_request_that_would_cost_coverage_stays_unmet():
    """P1 wants day 1 off (weight 100) but is the only one for D: coverage 0, requests 100."""
    data = scenario(
        [person("P1")],
        [cover("a", "D")],
        requests=[{"staff": "P1", "date": day(1), "want": "off", "weight": 100}],
    )
    inst = instance(data, days=2)
    result = solve(inst, OPTIONS)
    assert result.level("coverage").value == 0
    assert result.level("requests").value == 100
    assert result.proven
    assert_agrees_with_scorer(inst, result)


def test_substitute_is_used_rather_than_leaving_a_gap():
    """b's only primary holder is absent: P1 (a, skill b) covers it, 2 substitutes rather than 2 gaps."""
    data = scenario(
        [person("P1", "a", ["b"]), person("P2", "b")],
        [cover("b", "D")],
        absences=[{"staff": "P2", "start": day(1), "end": day(2)}],
    )
    result = solve(instance(data, days=3), OPTIONS)
    assert values(result) | {"fairness": None} == {
        "coverage": 0,
        "overtime": 0,
        "substitutes": 2,
        "requests": 0,
        "fairness": None,
    }


def test_overtime_does_not_buy_back_coverage():
    """One person, nights every day of the week: 3 short and 16 h over; no cheaper overtime at more gaps."""
    inst = instance(scenario([person("P1")], [cover("a", "N")]), days=7)
    result = solve(inst, OPTIONS)
    assert (result.level("coverage").value, result.level("overtime").value) == (3, 16)
    assert all(lv.status in ("OPTIMAL", "SKIPPED") for lv in result.levels)
    assert all(lv.value == lv.bound for lv in result.levels)
    assert_agrees_with_scorer(inst, result)


def test_levels_agree_with_the_scorer_on_a_mixed_instance():
    """Two roles, a substitute, weights, requests, a pin and a holiday-free week: every level matches."""
    data = scenario(
        [person("P1", "a", ["b"]), person("P2", "a"), person("P3", "b"), person("P4", "b")],
        [
            cover("a", "D", min=2, days="workday"),
            cover("a", "N"),
            cover("b", "D"),
            cover("b", "N", days="offday"),
        ],
        weights={"a": 2, "b": 1},
        requests=[
            {"staff": "P2", "date": day(5), "want": "off", "weight": 3},
            {"staff": "P3", "date": day(2), "shift": "N", "want": "on"},
        ],
        fixed=[{"staff": "P4", "date": day(3), "shift": "off"}],
    )
    inst = instance(data, days=7)
    result = solve(inst, OPTIONS)
    assert result.validation.ok
    assert_agrees_with_scorer(inst, result)
    assert result.validation.scores == score(inst, result.roster)


# -- infeasible -------------------------------------------------------------------------------
def test_infeasible_fixed_entries_raise():
    """Pins N on day 1 and D on day 2 for the same person leave 0 h rest: InfeasibleError."""
    data = scenario(
        [person("P1")],
        [cover("a", "D")],
        fixed=[{"staff": "P1", "date": day(1), "shift": "N"}, {"staff": "P1", "date": day(2), "shift": "D"}],
    )
    with pytest.raises(InfeasibleError):
        solve(instance(data, days=2), OPTIONS)


# -- history across the month boundary --------------------------------------------------------
NOV30 = D(2026, 11, 30)


def two_roles(**extra):
    return scenario([person("P1"), person("P2", "b")], [cover("a", "D"), cover("b", "D")], **extra)


def test_history_night_on_november_30_forbids_day_shift_on_december_1():
    """History N on 11-30 for P1: a pinned D on 12-01 is infeasible; unpinned, 12-01 stays short."""
    history = [assignment(NOV30, "N", "P1")]
    pinned = two_roles(fixed=[{"staff": "P1", "date": day(1), "shift": "D"}])
    with pytest.raises(InfeasibleError):
        solve(instance(pinned, days=3, history=history), OPTIONS)
    inst = instance(two_roles(), days=3, history=history)
    result = solve(inst, OPTIONS)
    assert result.level("coverage").value == 1
    assert not [a for a in result.roster.assignments if a.staff_id == "P1" and a.date == day(1)]
    assert_agrees_with_scorer(inst, result)


def test_six_history_days_forbid_working_on_the_first():
    """History D on 11-25..11-30: P1 cannot work 12-01 (at most 6 days in a row), so a is short once."""
    history = [assignment(D(2026, 11, d), "D", "P1") for d in range(25, 31)]
    inst = instance(two_roles(), days=3, history=history)
    result = solve(inst, OPTIONS)
    assert result.level("coverage").value == 1
    assert [a.date for a in result.roster.assignments if a.staff_id == "P1"] == [day(2), day(3)]
    # Five days of history leave day 1 free (it is the sixth).
    assert solve(instance(two_roles(), days=1, history=history), OPTIONS).level("coverage").value == 1
    assert solve(instance(two_roles(), days=1, history=history[1:]), OPTIONS).level("coverage").value == 0


# -- interruption -----------------------------------------------------------------------------
def test_stop_set_after_the_first_level_keeps_its_roster():
    """Stop requested when coverage is done: coverage keeps its proven value, the rest is NOT_SOLVED."""
    stop = threading.Event()
    seen: list[Progress] = []

    def progress(p: Progress) -> None:
        seen.append(p)
        if p.message == "level done" and p.level.startswith("coverage"):
            stop.set()

    data = scenario(
        [person("P1"), person("P2")],
        [cover("a", "D"), cover("a", "N")],
        requests=[{"staff": "P1", "date": day(1), "want": "off"}],
    )
    inst = instance(data, days=3)
    result = solve(inst, OPTIONS, progress=progress, stop=stop)
    assert result.interrupted and not result.proven
    assert result.level("coverage").status == "OPTIMAL"
    # Levels with terms are NOT_SOLVED; substitutes has none (nobody has a second skill).
    assert {lv.name: lv.status for lv in result.levels[1:]} == {
        "overtime": "NOT_SOLVED",
        "substitutes": "SKIPPED",
        "requests": "NOT_SOLVED",
        "fairness": "NOT_SOLVED",
    }
    # An unsolved level shows what the kept roster achieves (the scorer agrees, below), with no
    # bound: nothing proven.
    unsolved = [lv for lv in result.levels[1:] if lv.status == "NOT_SOLVED"]
    assert all(lv.value is not None and lv.bound is None and lv.gap is None for lv in unsolved)
    assert [p.level for p in seen if p.message == "level done"] == ["coverage [a]"]
    assert_agrees_with_scorer(inst, result)


def test_a_level_that_finds_nothing_in_time_keeps_the_previous_roster(monkeypatch):
    """A later level that ends UNKNOWN (no solution in its time) must not corrupt the result.

    The overtime level gets no time at all; the roster and values are the coverage level's, the
    overtime level and all below are NOT_SOLVED, and the scorer agrees with what is reported.
    """
    calls = []
    original = solve_module.solver_parameters

    def no_time_for_overtime(options, seconds):
        solver = original(options, seconds)
        calls.append(seconds)
        if len(calls) == 2:
            solver.parameters.max_time_in_seconds = 0.0
        return solver

    monkeypatch.setattr(solve_module, "solver_parameters", no_time_for_overtime)
    inst = instance(scenario([person("P1")], [cover("a", "N")]), days=7)
    result = solve(inst, OPTIONS)
    assert result.level("coverage").value == 3
    assert result.level("overtime").status == "NOT_SOLVED"
    assert result.interrupted
    assert_agrees_with_scorer(inst, result)


# -- decomposition ----------------------------------------------------------------------------
def test_decomposition_gives_the_same_levels():
    """Two independent roles: solved apart or together, every level has the same proven value."""
    data = scenario(
        [person("P1", "a"), person("P2", "a"), person("P3", "b"), person("P4", "b")],
        [cover("a", "D", min=2), cover("a", "N"), cover("b", "D"), cover("b", "N", days="offday")],
        requests=[
            {"staff": "P1", "date": day(4), "want": "off"},
            {"staff": "P4", "date": day(2), "shift": "D", "want": "on"},
        ],
    )
    inst = instance(data, days=5)
    apart = solve(inst, SolveOptions(time_limit=5, workers=1, decompose=True))
    together = solve(inst, SolveOptions(time_limit=5, workers=1, decompose=False))
    assert apart.parameters["parts"] == ["a", "b"]
    assert together.parameters["parts"] == ["a+b"]
    assert apart.proven and together.proven
    assert values(apart) == values(together)
    assert_agrees_with_scorer(inst, apart)
    assert_agrees_with_scorer(inst, together)


# -- a part with nothing to optimise ----------------------------------------------------------
def nothing_to_optimise(**extra):
    """Role b: one person with a hard overtime cap, no coverage, no requests. Every level is SKIPPED."""
    return scenario(
        [person("P1"), person("P2", "b", rules={"overtime_cap": "hard"})], [cover("a", "D")], **extra
    )


def test_a_part_with_no_terms_still_gets_a_checked_roster():
    """Role b's part has no level terms: the solve still returns a valid roster, pins included."""
    inst = instance(nothing_to_optimise(fixed=[{"staff": "P2", "date": day(2), "shift": "D"}]), days=3)
    for decompose in (True, False):
        result = solve(inst, SolveOptions(time_limit=5, workers=1, decompose=decompose))
        assert result.level("coverage").value == 0
        assert [(a.staff_id, a.date, a.shift) for a in result.roster.assignments if a.staff_id == "P2"] == [
            ("P2", day(2), "D")
        ]
        assert_agrees_with_scorer(inst, result)


def test_a_part_with_no_coverage_terms_and_last_level_coverage():
    """Solving only down to coverage: role b's part has no coverage terms and still gets a roster."""
    inst = instance(nothing_to_optimise(), days=3)
    result = solve(inst, SolveOptions(time_limit=5, workers=1, last_level="coverage"))
    assert result.level("coverage").value == 0
    assert [lv.status for lv in result.levels[1:]] == ["NOT_SOLVED"] * (len(result.levels) - 1)
    assert_agrees_with_scorer(inst, result)


def test_a_part_with_no_terms_still_reports_infeasible_pins():
    """Role b's part has no level terms, but its pins break the rest rule: InfeasibleError."""
    pins = [{"staff": "P2", "date": day(1), "shift": "N"}, {"staff": "P2", "date": day(2), "shift": "D"}]
    with pytest.raises(InfeasibleError):
        solve(instance(nothing_to_optimise(fixed=pins), days=3), OPTIONS)


def test_a_tiny_part_keeps_its_floor_of_the_time_limit():
    # The manager (62 cells) beside the video group (600 cells) with 10 s left in all.
    first = part_budget(10.0, [600, 62])
    assert first == pytest.approx(2.0 + 6.0 * 600 / 662)
    assert 10.0 - first >= MIN_PART_SECONDS  # what is left still covers the manager's floor
    assert part_budget(10.0 - first, [62]) == pytest.approx(10.0 - first)


def test_part_budget_never_exceeds_what_is_left():
    assert part_budget(1.0, [600, 62, 10]) == pytest.approx(1.0 / 3)
    assert part_budget(0.0, [5, 5]) == 0.0


def test_max_lp_reaches_the_search_whatever_the_worker_count():
    two = solve_module.solver_parameters(SolveOptions(workers=2), 1.0).parameters
    assert list(two.extra_subsolvers) == ["max_lp"]
    assert two.linearization_level == 1  # the portfolio's other workers keep CP-SAT's default
    # One worker runs no portfolio, so the full linearisation goes to its single search.
    one = solve_module.solver_parameters(SolveOptions(workers=1), 1.0).parameters
    assert one.linearization_level == 2
    plain = solve_module.solver_parameters(SolveOptions(workers=1, extra_subsolvers=()), 1.0).parameters
    assert plain.linearization_level == 1


def test_a_stop_before_any_roster_still_keeps_one_for_every_part(contract):
    """issue 13: stopping early threw the result away ("no roster found within the time limit").
    Stopped before the first level, each part gets a first roster keeping every hard rule."""
    from planner.problem.instance import Instance

    stop = threading.Event()
    stop.set()
    inst = Instance(contract, D(2026, 12, 1), D(2026, 12, 31))
    result = solve(inst, SolveOptions(time_limit=60, workers=2), stop=stop)
    assert result.interrupted and not result.proven
    assert result.validation.ok  # every hard rule, min duty shifts included
    assert {a.role for a in result.roster.assignments} >= {"manager", "video", "image", "av", "desk"}
