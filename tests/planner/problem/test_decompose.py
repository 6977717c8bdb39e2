"""Decomposition by role group: roles are linked when one person has skills in both."""

from __future__ import annotations

import datetime as dt

from planner.engine.solve import solve
from planner.problem.decompose import deferred_sides, restrict, role_groups, split
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions
from tests.planner.engine.builders import DEC1, assignment, cover, day, instance, person, scenario


def test_contract_has_five_independent_roles(contract):
    """Nobody in the contract has a second role: one group per role, in the scenario's order. The
    desk phone is a side duty everyone but the manager carries; it would link all but him."""
    inst = Instance(contract, DEC1, DEC1 + dt.timedelta(days=6))
    assert role_groups(inst) == [("manager",), ("video",), ("image",), ("av",), ("desk",)]
    assert role_groups(inst, link_sides=True) == [("manager",), ("video", "image", "av", "desk", "phone")]
    parts = split(inst)
    assert [roles for roles, _ in parts] == role_groups(inst)
    assert {roles: len(sub.staff) for roles, sub in parts} == {
        ("manager",): 1,
        ("video",): 4,
        ("image",): 4,
        ("av",): 3,
        ("desk",): 1,
    }
    phone = [s for s in inst.slots if s.role == "phone"]
    assert len(phone) == 14  # day and night, 7 days
    assert sum(len(sub.slots) for _, sub in parts) == len(inst.slots) - len(phone)


def test_a_second_skill_merges_two_groups():
    """P2 (b) can also cover c: b and c form one group, a and d stay alone."""
    data = scenario(
        [person("P1", "a"), person("P2", "b", ["c"]), person("P3", "c"), person("P4", "d")],
        roles=["a", "b", "c", "d"],
    )
    assert role_groups(instance(data)) == [("a",), ("b", "c"), ("d",)]


def test_merging_is_transitive():
    """a-b through P1 and b-c through P3 make one group, though nobody holds both a and c."""
    data = scenario(
        [person("P1", "a", ["b"]), person("P2", "b"), person("P3", "c", ["b"]), person("P4", "d")],
        roles=["a", "b", "c", "d"],
    )
    assert role_groups(instance(data)) == [("a", "b", "c"), ("d",)]


def test_one_group_is_not_split():
    data = scenario([person("P1", "a", ["b"]), person("P2", "b")])
    inst = instance(data)
    assert split(inst) == [(("a", "b"), inst)]


def test_restrict_keeps_only_the_group_s_people_entries_and_history():
    """The sub-instance of b has b's people, coverage, surges, absences, requests, pins and history."""
    surge = {
        "name": "surge",
        "start": day(1),
        "end": day(1),
        "add": [{"role": "a", "shift": "D", "count": 1}, {"role": "b", "shift": "N", "count": 2}],
    }
    data = scenario(
        [person("P1", "a"), person("P2", "b")],
        [cover("a", "D"), cover("b", "N")],
        surges=[surge],
        absences=[
            {"staff": "P1", "start": day(2), "end": day(2)},
            {"staff": "P2", "start": day(3), "end": day(3)},
        ],
        requests=[
            {"staff": "P1", "date": day(1), "want": "off"},
            {"staff": "P2", "date": day(1), "want": "on"},
        ],
        fixed=[
            {"staff": "P1", "date": day(2), "shift": "off"},
            {"staff": "P2", "date": day(2), "shift": "D"},
        ],
    )
    inst = instance(data, days=3, history=[assignment(day(0), "N", "P1"), assignment(day(0), "D", "P2", "b")])
    sub = restrict(inst, ("b",))
    assert [p.id for p in sub.staff] == ["P2"]
    assert [r.id for r in sub.roles] == ["b"]
    assert {(s.date, s.shift, s.role, s.required) for s in sub.slots} == {
        (day(1), "N", "b", 3),
        (day(2), "N", "b", 1),
        (day(3), "N", "b", 1),
    }
    assert [a.staff for a in sub.scenario.absences] == ["P2"]
    assert [r.staff for r in sub.scenario.requests] == ["P2"]
    assert [f.staff for f in sub.scenario.fixed] == ["P2"]
    assert [a.staff_id for a in sub.history] == ["P2"]
    assert (sub.start, sub.end) == (inst.start, inst.end)


# -- side duties are deferred, then checked -------------------------------------------------
def _with_phone(coverage):
    data = scenario(
        [person("P1", "a", ["phone"]), person("P2", "a", ["phone"]), person("P3", "b", ["phone"])],
        coverage,
        roles=["a", "b", "phone"],
    )
    data["roles"][2]["side"] = True
    return instance(data, days=3)


def test_side_duties_do_not_link_groups_unless_asked():
    inst = _with_phone([cover("a", "N"), cover("b", "D"), cover("phone", "N")])
    assert role_groups(inst) == [("a",), ("b",)]
    assert role_groups(inst, link_sides=True) == [("a", "b", "phone")]
    assert deferred_sides(inst) == ("phone",)
    parts = split(inst)
    assert all(c.role != "phone" for _, sub in parts for c in sub.scenario.coverage)
    assert [roles for roles, _ in split(inst, link_sides=True)] == [("a", "b", "phone")]


def test_a_met_side_duty_keeps_the_split_and_its_proof():
    """Every night has an a engineer with the phone skill: the split union meets the phone."""
    inst = _with_phone([cover("a", "N"), cover("b", "D"), cover("phone", "N")])
    result = solve(inst, SolveOptions(time_limit=10, workers=2))
    assert result.parameters["parts"] == ["a", "b"]
    assert result.proven and result.validation.ok
    assert [s.shortfall for s in result.validation.slots if s.role == "phone"] == [0, 0, 0]


def test_an_unmet_side_duty_is_solved_again_with_the_groups_linked():
    """Nobody's own role needs a day shift, so the split leaves the day phone empty; linked, the
    solver puts someone on it (P3's day shifts are b's; a's engineers sleep after nights)."""
    inst = _with_phone([cover("a", "N"), cover("phone", "D")])
    relaxed = solve(inst, SolveOptions(time_limit=10, workers=2, decompose=False))
    result = solve(inst, SolveOptions(time_limit=10, workers=2))
    assert result.parameters["parts"] == ["a+b+phone"]
    assert result.proven and result.validation.ok
    assert [s.shortfall for s in result.validation.slots if s.role == "phone"] == [0, 0, 0]
    assert result.level("coverage").value == relaxed.level("coverage").value == 0
