"""A real solved roster (three days of the signed contract): the proof agrees with the validator."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.check.validate import validate
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions
from planner.reports.proof import build_proof
from planner.reports.xlsx import SHEETS, xlsx_bytes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def solved(contract):
    from planner.engine.solve import solve

    inst = Instance(contract, dt.date(2026, 12, 1), dt.date(2026, 12, 3))
    result = solve(inst, SolveOptions(time_limit=5, workers=1, seed=1))
    return inst, result


def test_daily_sheet_matches_the_solved_rosters_validation(solved):
    inst, result = solved
    report = validate(inst, result.roster)
    assert report.ok
    proof = build_proof(inst, result.roster, report)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(proof)))[SHEETS["daily"]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report.slots)
    for row, slot in zip(rows, report.slots, strict=True):
        assert (row[0], row[6], row[8]) == (slot.date.isoformat(), slot.shift, slot.role)
        assert (row[10], row[11], row[12]) == (slot.required, slot.assigned, slot.shortfall)
    # The solver's own level-1 figure, the validator's and the proof's are one number.
    assert proof.total.shortfall == report.scores.coverage == result.level("coverage").value
    assert len(proof.risk.shortfalls) == len(report.shortfall_slots)
