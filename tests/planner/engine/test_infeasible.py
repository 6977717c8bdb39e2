"""When no roster exists, the message names the entries that conflict (issue 13: it named
none), found with CP-SAT assumptions and shrunk by deletion."""

from __future__ import annotations

import pytest

from planner.engine.infeasible import conflicting_entries
from planner.engine.solve import InfeasibleError, solve
from planner.problem.results import SolveOptions
from tests.planner.engine.builders import DEC1, cover, day, instance, person, scenario


def test_a_pin_against_a_max_names_both_and_nothing_else():
    data = scenario(
        [person("P1"), person("P2")],
        [cover("a", "D", min=0, max=0)],
        fixed=[
            {"staff": "P1", "date": day(2), "shift": "D"},
            {"staff": "P2", "date": day(1), "shift": "off"},
        ],
        absences=[{"staff": "P2", "start": day(3), "end": day(3)}],
    )
    inst = instance(data, days=3)
    assert conflicting_entries(inst) == [
        f"fixed[0]: P1 {day(2)} D",
        f"coverage max 0: a D {day(2)}",
    ]
    with pytest.raises(InfeasibleError) as caught:
        solve(inst, SolveOptions(time_limit=5, workers=1))
    assert f"fixed[0]: P1 {day(2)} D" in str(caught.value)


def test_two_pins_against_the_rest_rule_name_the_two_pins():
    """A night, then the next day's day shift: 0 h rest (the 12 h rule stays hard)."""
    data = scenario(
        [person("P1"), person("P2")],
        [cover("a", "D", min=1)],
        fixed=[{"staff": "P1", "date": DEC1, "shift": "N"}, {"staff": "P1", "date": day(2), "shift": "D"},
               {"staff": "P2", "date": DEC1, "shift": "D"}],
        absences=[{"staff": "P2", "start": day(3), "end": day(3), "kind": "sick"}],
    )  # fmt: skip
    found = conflicting_entries(instance(data, days=3))
    assert found == [f"fixed[0]: P1 {DEC1} N", f"fixed[1]: P1 {day(2)} D"]


def test_feasible_entries_name_nothing():
    data = scenario(
        [person("P1")], [cover("a", "D", min=1)], fixed=[{"staff": "P1", "date": DEC1, "shift": "D"}]
    )
    assert conflicting_entries(instance(data, days=2)) is None
