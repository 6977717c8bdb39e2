"""Decomposition by role group: roles are linked when one person has skills in both."""

from __future__ import annotations

import datetime as dt

from planner.problem.decompose import restrict, role_groups, split
from planner.problem.instance import Instance
from tests.planner.engine.builders import DEC1, assignment, cover, day, instance, person, scenario


def test_contract_has_five_independent_roles(contract):
    """Nobody in the contract has a second skill: one group per role, in the scenario's order."""
    inst = Instance(contract, DEC1, DEC1 + dt.timedelta(days=6))
    assert role_groups(inst) == [("manager",), ("video",), ("image",), ("av",), ("desk",)]
    parts = split(inst)
    assert [roles for roles, _ in parts] == role_groups(inst)
    assert {roles: len(sub.staff) for roles, sub in parts} == {
        ("manager",): 1,
        ("video",): 4,
        ("image",): 4,
        ("av",): 3,
        ("desk",): 1,
    }
    assert sum(len(sub.slots) for _, sub in parts) == len(inst.slots)


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
