"""Writing a report folder: coverage-proof.xlsx and coverage-proof.pdf.

Both files are rendered in memory first and only then written, each atomically, so a failure in
either leaves the folder as it was rather than with a new workbook beside an old PDF.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.files.atomic import atomic_write_bytes
from planner.reports.pdf import pdf_bytes
from planner.reports.proof import CoverageProof
from planner.reports.xlsx import xlsx_bytes

REPORT_XLSX = "coverage-proof.xlsx"
REPORT_PDF = "coverage-proof.pdf"


def write_report(out_dir: str | os.PathLike, proof: CoverageProof) -> tuple[Path, Path]:
    """Write DIR/coverage-proof.xlsx and DIR/coverage-proof.pdf; returns their paths."""
    xlsx, pdf = xlsx_bytes(proof), pdf_bytes(proof)
    out = Path(out_dir)
    xlsx_path, pdf_path = out / REPORT_XLSX, out / REPORT_PDF
    atomic_write_bytes(xlsx_path, xlsx)
    atomic_write_bytes(pdf_path, pdf)
    return xlsx_path, pdf_path
