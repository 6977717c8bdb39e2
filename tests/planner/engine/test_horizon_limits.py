"""Hard rules 13-16, the Curtois & Qu benchmark's rules in the scenario format: forbidden
successions, shifts of each type and total minutes over the horizon, minimum blocks of working
days and of days off (with and without the border exemption), worked weekends.

Each case fixes one person's whole pattern and asks both sides: the model with only the rule's
family built (feasible or not) and the independent validator (the rule broken or not). They
must agree with each other and with the case."""

from __future__ import annotations

from typing import Any

import pytest

from models.roster import Roster
from planner.check.validate import validate
from planner.engine.model import RosterModel
from tests.planner.engine.builders import SHIFTS, assignment, day, feasibility, instance, person, scenario

NO_D_AFTER_N = [dict(SHIFTS[0]), {**SHIFTS[1], "not_followed_by": ["D"]}]

# (family, validator rule, person rules, scenario extra, days, pattern {day: shift}, broken)
CASES: list[tuple[str, str, dict[str, Any], dict[str, Any], int, dict[int, str], bool]] = [
    ("successions", "succession", {}, {"shifts": NO_D_AFTER_N}, 3, {1: "N", 2: "D"}, True),
    ("successions", "succession", {}, {"shifts": NO_D_AFTER_N}, 3, {1: "D", 2: "N"}, False),
    ("successions", "succession", {}, {"shifts": NO_D_AFTER_N}, 3, {1: "N", 3: "D"}, False),
    ("shift_limits", "max_shifts", {"max_shifts": {"N": 1}}, {}, 4, {1: "N", 3: "N"}, True),
    ("shift_limits", "max_shifts", {"max_shifts": {"N": 1}}, {}, 4, {1: "N", 3: "D"}, False),
    (
        "shift_limits",
        "total_minutes",
        {"min_total_minutes": 960, "max_total_minutes": 1440},
        {},
        4,
        {1: "D"},
        True,
    ),
    (
        "shift_limits",
        "total_minutes",
        {"min_total_minutes": 960, "max_total_minutes": 1440},
        {},
        4,
        {1: "D", 3: "N"},
        False,
    ),  # fmt: skip
    ("shift_limits", "total_minutes", {"max_total_minutes": 1440}, {}, 4, {1: "N", 3: "N"}, True),
    ("min_consecutive", "min_consecutive", {"min_consecutive_days": 2}, {}, 5, {3: "D"}, True),
    ("min_consecutive", "min_consecutive", {"min_consecutive_days": 2}, {}, 5, {2: "D", 3: "D"}, False),
    # A block on the first or last date is exempt, unless the exemption is turned off.
    ("min_consecutive", "min_consecutive", {"min_consecutive_days": 2}, {}, 5, {1: "D"}, False),
    (
        "min_consecutive",
        "min_consecutive",
        {"min_consecutive_days": 2, "min_consecutive_border_exempt": False},
        {},
        5,
        {1: "D"},
        True,
    ),  # fmt: skip
    (
        "min_consecutive",
        "min_consecutive",
        {"min_consecutive_days_off": 2},
        {},
        5,
        {1: "D", 2: "D", 4: "D", 5: "D"},
        True,
    ),  # fmt: skip
    (
        "min_consecutive",
        "min_consecutive",
        {"min_consecutive_days_off": 2},
        {},
        5,
        {1: "D", 2: "D", 3: "D"},
        False,
    ),  # fmt: skip
    (
        "min_consecutive",
        "min_consecutive",
        {"min_consecutive_days_off": 2, "min_consecutive_border_exempt": False},
        {},
        5,
        {1: "D", 2: "D", 3: "D", 4: "D"},
        True,
    ),  # fmt: skip
    # 2026-12-01 is a Tuesday: weekends 12-05/06 (days 5, 6) and 12-12/13 (days 12, 13).
    ("weekends", "weekends", {"max_weekends": 1}, {}, 14, {5: "D", 13: "D"}, True),
    ("weekends", "weekends", {"max_weekends": 1}, {}, 14, {5: "D", 6: "N"}, False),
    ("weekends", "weekends", {"max_weekends": 0}, {}, 14, {6: "D"}, True),
]


@pytest.mark.parametrize(("family", "rule", "rules", "extra", "days", "pattern", "broken"), CASES)
def test_the_model_and_the_validator_agree_on_the_rule(family, rule, rules, extra, days, pattern, broken):
    inst = instance(scenario([person("P1", rules=rules)], **extra), days=days)
    rm = RosterModel(inst, only={family})
    for n in range(1, days + 1):
        for shift in ("D", "N"):
            cell = rm.v.assigned("P1", day(n), shift, "a")
            rm.model.add(cell == int(pattern.get(n) == shift))
    assert feasibility(rm) == ("INFEASIBLE" if broken else "OPTIMAL")
    rows = tuple(assignment(day(n), s, "P1") for n, s in sorted(pattern.items()))
    roster = Roster(start=inst.start, end=inst.end, assignments=rows)
    found = [v for v in validate(inst, roster).violations if v.rule == rule]
    assert bool(found) == broken, [v.message for v in found]
    if found:
        assert found[0].staff_id == "P1" and "员工P1" in found[0].message


def test_a_succession_across_the_horizon_start_counts_the_history():
    """A night on the last day of the history forbids the day shift on the first date."""
    data = scenario([person("P1")], shifts=NO_D_AFTER_N, rules={"min_rest_hours": 0})
    inst = instance(data, days=2, history=[assignment(day(0), "N", "P1")])
    rm = RosterModel(inst, only={"successions"})
    rm.model.add(rm.v.assigned("P1", day(1), "D", "a") == 1)
    assert feasibility(rm) == "INFEASIBLE"
    roster = Roster(start=inst.start, end=inst.end, assignments=(assignment(day(1), "D", "P1"),))
    assert [v.rule for v in validate(inst, roster).violations] == ["succession"]


def test_an_unknown_shift_in_the_new_keys_is_refused(tmp_path):
    from models.loader import ScenarioError
    from tests.planner.engine.builders import load

    with pytest.raises(ScenarioError, match="not_followed_by"):
        load(scenario([person("P1")], shifts=[dict(SHIFTS[0]), {**SHIFTS[1], "not_followed_by": ["X"]}]))
    with pytest.raises(ScenarioError, match="max_shifts"):
        load(scenario([person("P1", rules={"max_shifts": {"X": 1}})]))
    with pytest.raises(ScenarioError, match="below min_total_minutes"):
        load(scenario([person("P1")], rules={"min_total_minutes": 10, "max_total_minutes": 5}))


def test_weighted_objective_sums_under_over_and_requests():
    """objective: weighted is one level: 10 per person short, 3 per person beyond the minimum,
    and request weights, proven, and the same figure from the independent scorer."""
    from planner.engine.solve import solve
    from planner.problem.results import SolveOptions

    staff = [person(p, rules={"min_rest_hours": 0}) for p in ("P1", "P2", "P3")]
    coverage = [
        {
            "role": "a",
            "shift": "D",
            "dates": [day(1).isoformat()],
            "min": 2,
            "under_weight": 10,
            "over_weight": 3,
        },
        {"role": "a", "shift": "D", "dates": [day(2).isoformat()], "min": 0, "over_weight": 3},
    ]
    data = scenario(
        staff,
        coverage,
        objective="weighted",
        absences=[{"staff": "P2", "start": day(1).isoformat(), "end": day(1).isoformat()}],
        fixed=[{"staff": "P3", "date": day(2).isoformat(), "shift": "D"}],
        requests=[{"staff": "P1", "date": day(1).isoformat(), "shift": "D", "want": "off", "weight": 4}],
    )
    result = solve(instance(data, days=2), SolveOptions(time_limit=10, workers=1))
    (level,) = result.levels
    # Day 1: P1 and P3 work (P2 is away): P1's off request (4) is cheaper than a person short (10).
    # Day 2: P3 is fixed there, nobody is wanted: 3.
    assert (level.name, level.status, level.value, level.bound) == ("weighted", "OPTIMAL", 7, 7)
    assert result.validation.scores.weighted == 7


@pytest.mark.parametrize("automaton", [True, False], ids=["clauses+automaton", "clauses"])
@pytest.mark.parametrize("seed", range(6))
def test_the_sequence_automaton_agrees_with_the_validator_on_random_patterns(seed, automaton):
    """The min-consecutive family also builds an automaton (with max_consecutive_days) for the
    LP's sake. On random whole patterns and rules, with hard rule 5's family beside it, it must
    refuse exactly what the validator reports as min_consecutive or consecutive_days, with and
    without the border exemption."""
    import random

    rng = random.Random(seed)
    for _ in range(12):
        days = rng.randint(4, 10)
        rules = {
            "min_consecutive_days": rng.randint(1, 3),
            "min_consecutive_days_off": rng.randint(1, 3),
            "max_consecutive_days": rng.randint(2, 5),
            "min_consecutive_border_exempt": rng.random() < 0.5,
            "min_rest_hours": 0,
        }
        inst = instance(scenario([person("P1", rules=rules)]), days=days)
        pattern = {n: "D" for n in range(1, days + 1) if rng.random() < 0.6}
        # With hard rule 5's own family, which holds max_consecutive_days when no automaton is built.
        rm = RosterModel(inst, only={"min_consecutive", "consecutive_days"}, sequence_automaton=automaton)
        for n in range(1, days + 1):
            for shift in ("D", "N"):
                rm.model.add(rm.v.assigned("P1", day(n), shift, "a") == int(pattern.get(n) == shift))
        rows = tuple(assignment(day(n), s, "P1") for n, s in sorted(pattern.items()))
        found = validate(inst, Roster(start=inst.start, end=inst.end, assignments=rows)).violations
        broken = any(v.rule in ("min_consecutive", "consecutive_days") for v in found)
        assert feasibility(rm) == ("INFEASIBLE" if broken else "OPTIMAL"), (rules, sorted(pattern))
