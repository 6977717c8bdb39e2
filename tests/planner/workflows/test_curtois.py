"""The Curtois & Qu benchmark in and out: import, solve, the solution file, its own scorer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.errors import InputError
from planner.bench.curtois import DATA, run_one
from planner.engine.solve import solve
from planner.files.curtois import DAY_ZERO, parse_instance, parse_solution
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions
from planner.workflows.curtois import import_curtois, read_instance, score_file, write_solution

INSTANCE1 = DATA / "instances" / "Instance1.txt"


def test_instance1_imports_solves_to_its_published_optimum_and_rescores_from_the_file(tmp_path):
    """Instance1's optimum is 607 (best_known.csv); the engine proves it, and the benchmark's own
    scorer reads the same 607 back from the written solution file with every rule kept."""
    cq, scenario = import_curtois(INSTANCE1, tmp_path / "i1.yaml")
    assert (cq.horizon, len(cq.staff), scenario.objective) == (14, 8, "weighted")
    inst = Instance(scenario, DAY_ZERO, DAY_ZERO + dt.timedelta(days=13))
    result = solve(inst, SolveOptions(time_limit=30, workers=2))
    (level,) = result.levels
    assert (level.status, level.value, level.bound) == ("OPTIMAL", 607, 607)
    score = write_solution(cq, result.roster, tmp_path / "i1.sol")
    assert (score.penalty, score.feasible) == (607, True)
    lines = (tmp_path / "i1.sol").read_text().splitlines()
    assert len([x for x in lines if not x.startswith("#")]) == 8 * 14  # one line per employee and day


def test_the_bench_row_is_the_scorers_value(tmp_path):
    row = run_one(DATA, "Instance1", SolveOptions(time_limit=30, workers=2), tmp_path)
    assert (row.ours, row.bound, row.best_known, row.lower_bound, row.gap) == (607, 607, 607, 607, "0.00%")
    assert row.status == "OPTIMAL" and row.to_proof is not None and row.feasible


def test_the_scorer_finds_each_broken_rule(tmp_path):
    """A hand-edited solution: A works its day off (day 0) and six days in a row (max 5)."""
    cq = read_instance(INSTANCE1)
    rows = {("A", d): "D" for d in range(6)}
    score = score_file(cq, _write(tmp_path, cq, rows))
    said = " | ".join(score.violations)
    assert "A day 0: works D on a day off" in said
    assert "A day 0: 6 shifts in a row, at most 5" in said
    assert "minutes, outside 3360..4320" in said  # 6 × 480 = 2880 < 3360
    assert not score.feasible
    # The border exemption: the 6-day block starts on day 0, so no min-consecutive complaint,
    # but a 1-day block in the middle is one.
    mid = score_file(cq, _write(tmp_path, cq, {("B", 3): "D"}))
    assert any("B day 3: 1 shifts in a row, at least 2" in v for v in mid.violations)


def _write(tmp_path: Path, cq, rows: dict[tuple[str, int], str]) -> Path:
    from planner.files.curtois import solution_text

    path = tmp_path / "hand.sol"
    path.write_text(solution_text(cq, rows))
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SECTION_HORIZON\n14\n", "missing SECTION_SHIFTS"),
        ("SECTION_HORIZON\nfourteen\n", "horizon 'fourteen' is not a non-negative integer"),
        ("x,1\n", "outside any SECTION_"),
    ],
)
def test_a_malformed_instance_is_refused_with_file_and_line(text, message):
    full = text if "missing" in message or "outside" in message else text + _rest_of_instance1()
    with pytest.raises(InputError, match=message) as caught:
        parse_instance(full, "bad.txt")
    assert str(caught.value).startswith("bad.txt")


def test_a_bad_cover_line_names_its_line():
    text = INSTANCE1.read_text().replace("0,D,5,100,1", "0,Q,5,100,1")
    with pytest.raises(InputError, match=r"line \d+: unknown shift 'Q'"):
        parse_instance(text, "i1.txt")


def test_a_bad_solution_line_is_refused():
    cq = read_instance(INSTANCE1)
    with pytest.raises(InputError, match="unknown employee 'Z'"):
        parse_solution("Z,0,D\n", cq, "s.sol")
    with pytest.raises(InputError, match="day '99' is outside 0..13"):
        parse_solution("A,99,D\n", cq, "s.sol")
    with pytest.raises(InputError, match="appears twice"):
        parse_solution("A,1,D\nA,1,\n", cq, "s.sol")


def _rest_of_instance1() -> str:
    text = INSTANCE1.read_text()
    return text[text.index("SECTION_SHIFTS") - 2 :]
