"""Writing a report folder: coverage-proof.xlsx and coverage-proof.pdf.

Both files are rendered in memory first and only then written, each atomically, so a failure in
either leaves the folder as it was rather than with a new workbook beside an old PDF.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.files.atomic import write_files_atomically
from planner.reports.pdf import pdf_bytes
from planner.reports.proof import CoverageProof
from planner.reports.xlsx import xlsx_bytes

REPORT_XLSX = "coverage-proof.xlsx"
REPORT_PDF = "coverage-proof.pdf"


def write_report(out_dir: str | os.PathLike, proof: CoverageProof) -> tuple[Path, Path]:
    """Write DIR/coverage-proof.xlsx and DIR/coverage-proof.pdf; returns their paths."""
    xlsx, pdf = xlsx_bytes(proof), pdf_bytes(proof)
    written = write_files_atomically(out_dir, {REPORT_XLSX: xlsx, REPORT_PDF: pdf})
    return written[REPORT_XLSX], written[REPORT_PDF]
