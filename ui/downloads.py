"""What the roster page offers for download, built from the current roster (bytes, no files).

Every roster offered here has been checked by planner.check.validate: the solver's own result (solve()
re-checks it) or, after a hand edit, the page's re-validation. A roster that breaks a hard rule
is not offered at all (`downloadable`).
"""

from __future__ import annotations

import dataclasses
import json

from planner.files.roster_csv import roster_csv_text
from planner.problem.results import LevelResult, SolveResult
from planner.reports import ics
from planner.reports.pdf import pdf_bytes as proof_pdf_bytes
from planner.reports.proof import build_proof
from planner.reports.roster_xlsx import roster_xlsx_bytes
from planner.reports.xlsx import xlsx_bytes as proof_xlsx_bytes
from planner.workflows.solve_folder import summary_dict
from ui.state import RosterRun


def downloadable(run: RosterRun) -> bool:
    return run.report.ok


def file_stem(run: RosterRun) -> str:
    return f"roster-{run.month}"


def csv_bytes(run: RosterRun) -> bytes:
    return roster_csv_text(run.roster, run.scenario).encode("utf-8")


def xlsx_bytes(run: RosterRun) -> bytes:
    return roster_xlsx_bytes(run.roster, run.instance)


def current_result(run: RosterRun) -> SolveResult:
    """The solve result, or after hand edits the edited roster with its re-computed scores."""
    if not run.edited:
        return run.result
    values = run.report.scores.level_values()
    levels = [
        LevelResult(lv.name, "EDITED", values.get(lv.name, lv.value), None, 0.0) for lv in run.result.levels
    ]
    return dataclasses.replace(run.result, roster=run.roster, validation=run.report, levels=levels)


def summary_data(run: RosterRun) -> dict:
    """summary.json's content: the solve summary plus the page's hand edits and pins."""
    summary = summary_dict(current_result(run), run.instance)
    summary["hand_edits"] = list(run.edited)
    summary["pins"] = [{"staff": p.staff, "date": p.date.isoformat(), "value": p.value} for p in run.pins]
    return summary


def summary_bytes(run: RosterRun) -> bytes:
    return (json.dumps(summary_data(run), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def person_ics(run: RosterRun) -> dict[str, tuple[str, bytes]]:
    """staff id -> (file name, .ics bytes) for every person."""
    calendars = ics.person_calendars(run.instance, run.roster)
    return {staff_id: (ics.ics_filename(staff_id), data) for staff_id, data in calendars.items()}


def coverage_proof(run: RosterRun) -> dict[str, bytes]:
    """The coverage proof for the month (file name -> bytes)."""
    proof = build_proof(run.instance, run.roster, run.report)
    stem = f"coverage-proof-{run.month}"
    return {f"{stem}.xlsx": proof_xlsx_bytes(proof), f"{stem}.pdf": proof_pdf_bytes(proof)}
