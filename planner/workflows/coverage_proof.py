"""Writing a report folder: coverage-proof.xlsx and coverage-proof.pdf.

Both files are rendered in memory first and only then written, each atomically, so a failure in
either leaves the folder as it was rather than with a new workbook beside an old PDF.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from planner.check.validate import validate
from planner.files.atomic import write_files_atomically
from planner.problem.instance import Instance
from planner.reports.pdf import pdf_bytes
from planner.reports.proof import CoverageProof, build_proof
from planner.reports.xlsx import xlsx_bytes
from planner.store.accounts import audit_events
from planner.store.db import Store
from planner.store.service import ActualRoster
from planner.workflows.actual import report_inputs

REPORT_XLSX = "coverage-proof.xlsx"
REPORT_PDF = "coverage-proof.pdf"


def write_report(out_dir: str | os.PathLike, proof: CoverageProof) -> tuple[Path, Path]:
    """Write DIR/coverage-proof.xlsx and DIR/coverage-proof.pdf; returns their paths."""
    xlsx, pdf = xlsx_bytes(proof), pdf_bytes(proof)
    written = write_files_atomically(out_dir, {REPORT_XLSX: xlsx, REPORT_PDF: pdf})
    return written[REPORT_XLSX], written[REPORT_PDF]


def citations(store: Store, actual: ActualRoster) -> list[str]:
    """The audit rows behind an actual roster: each version's publication and each change's
    record, with who, when and the audit row's number, for the proof's notes."""
    wanted = {f"version #{v.id}" for v in actual.versions} | {f"record #{c.id}" for c in actual.applied}
    lines = []
    for e in audit_events(store):
        if e.action in ("publish", "record") and e.target in wanted:
            what = "发布" if e.action == "publish" else "登记变动"
            when = f"{e.at.astimezone():%Y-%m-%d %H:%M}"
            lines.append(f"审计记录 #{e.id}：{e.target} 由 {e.actor} 于 {when} {what}（{e.detail}）。")
    return lines


def store_proof(store: Store, first: dt.date, last: dt.date) -> CoverageProof:
    """The coverage proof of the store's actual roster for first..last, citing the audit trail."""
    found = report_inputs(store, first, last)
    instance = Instance(found.scenario, first, last, found.history)
    return build_proof(
        instance,
        found.roster,
        validate(instance, found.roster),
        unpublished=found.actual.uncovered,
        citations=citations(store, found.actual),
    )


def proof_files(proof: CoverageProof) -> tuple[bytes, bytes]:
    """The workbook and the PDF, in memory (the app's download buttons)."""
    return xlsx_bytes(proof), pdf_bytes(proof)
