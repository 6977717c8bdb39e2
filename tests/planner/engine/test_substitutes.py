"""Objective level 3 (substitutes): assignments covering a role other than the person's primary one."""

from __future__ import annotations

from planner.check.score import score
from planner.engine.model import FAMILIES, RosterModel
from tests.planner.engine.builders import cover, day, feasibility, instance, minimise, person, scenario, var

ABOVE = ("coverage", "overtime")


def test_trivial_unpenalized_everyone_in_their_own_role():
    """P1 (a, skill b) and P2 (b) with a and b both needing D: each covers their own role, 0."""
    data = scenario([person("P1", "a", ["b"]), person("P2", "b")], [cover("a", "D"), cover("b", "D")])
    out = minimise(
        RosterModel(instance(data, days=3), only={"substitutes", "coverage"}), "substitutes", above=ABOVE
    )
    assert out.proven and out.value == 0


def test_feasible_penalized_coverage_needs_a_substitute_once():
    """b needs D for 3 days; its own P3 is absent on day 2, so P1 (a, skill b) stands in once: 1."""
    data = scenario(
        [person("P1", "a", ["b"]), person("P3", "b")],
        [cover("b", "D")],
        absences=[{"staff": "P3", "start": day(2), "end": day(2), "kind": "sick"}],
    )
    inst = instance(data, days=3)
    rm = RosterModel(inst, only={"substitutes", "coverage", "availability"})  # availability: P3's absence
    out = minimise(rm, "substitutes", above=ABOVE)
    assert out.proven and out.value == 1
    roster = rm.v.extract(out.solver)
    assert score(inst, roster).coverage == 0
    assert [
        (a.staff_id, a.date, a.role) for a in roster.assignments if a.role == "b" and a.staff_id == "P1"
    ] == [("P1", day(2), "b")]


def test_feasible_penalized_role_nobody_holds_as_primary():
    """Like the tender's `tech` post: b is only a skill, so each of 3 covered days is a substitute: 3."""
    data = scenario([person("P1", "a", ["b"]), person("P2", "a", ["b"])], [cover("b", "D")])
    out = minimise(
        RosterModel(instance(data, days=3), only={"substitutes", "coverage"}), "substitutes", above=ABOVE
    )
    assert out.proven and out.value == 3


def test_infeasible_one_fix_off_role_with_no_substitutes_allowed():
    """P1 fixed to cover b (not primary) while the level is held at 0: infeasible; covering a is fine."""
    data = scenario([person("P1", "a", ["b"]), person("P2", "b")])
    for role, expected in (("a", "OPTIMAL"), ("b", "INFEASIBLE")):
        rm = RosterModel(instance(data), only={"substitutes"})
        rm.model.add(var(rm, "P1", day(1), "D", role) == 1)
        rm.model.add(rm.objective("substitutes") == 0)
        assert feasibility(rm) == expected, role


def test_the_substitutes_family_alone_is_what_counts_an_off_role_shift():
    """Built alone (`only=`, as in the CP-SAT Primer's rule tests): this family, and nothing
    else in the model, counts a shift covering a role that is not
    the person's primary one."""
    inst = instance(scenario([person("P1", "a", ["b"])]))
    rm = RosterModel(inst, only={"substitutes"})
    rm.model.add(var(rm, "P1", day(1), "D", "b") == 1)
    assert minimise(rm, "substitutes").value == 1
    for only in (set(), FAMILIES - {"substitutes"}):
        assert RosterModel(inst, only=only).objective("substitutes") is None, sorted(only)
