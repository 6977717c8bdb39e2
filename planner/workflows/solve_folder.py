"""What a solve writes: roster.csv, roster.xlsx and summary.json, each atomically.

summary.json is written last, so a folder whose summary is present has a complete roster
beside it; the summary carries the roster's digest to tie the two together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from planner.files.atomic import write_files_atomically
from planner.files.roster_csv import roster_csv_text
from planner.problem.instance import Instance
from planner.problem.labels import working_time_summary
from planner.problem.provenance import input_digest, versions
from planner.problem.results import SolveResult
from planner.reports.roster_xlsx import roster_xlsx_bytes
from planner.rules import label


def roster_digest(csv_text: str) -> str:
    return hashlib.sha256(csv_text.encode("utf-8")).hexdigest()


def summary_dict(result: SolveResult, inst: Instance) -> dict[str, Any]:
    report = result.validation
    csv_text = roster_csv_text(result.roster, inst.scenario)
    return {
        "scenario": inst.scenario.name,
        "sources": list(inst.scenario.sources),
        "start": inst.start.isoformat(),
        "end": inst.end.isoformat(),
        "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "proven": result.proven,
        "interrupted": result.interrupted,
        "levels": [{**lv.to_dict(), "label": label(lv.name)} for lv in result.levels],
        "validation": {
            "ok": report.ok,
            "violations": [
                {
                    "rule": v.rule,
                    "staff_id": v.staff_id,
                    "date": v.date.isoformat() if v.date else None,
                    "shift": v.shift,
                    "message": v.message,
                }  # fmt: skip
                for v in report.violations
            ],
            "scores": report.scores.level_values(),
            "shortfall_slots": sum(1 for s in report.slots if s.shortfall > 0),
            "shortfall_total": sum(s.shortfall for s in report.slots),
        },
        "explanation": result.explanation,
        "provisional_dates": result.provisional_dates,
        "parameters": result.parameters,
        # To reproduce this roster: the same inputs (by digest) and versions, and the parameters
        # above with "deterministic": true (issue 16; "reproducible" says whether it held).
        "versions": versions(),
        "input_sha256": input_digest(inst),
        # What the roster's hours rely on (劳动法 36, 39, 41), and whether it needs an approval.
        "working_time": working_time_summary(inst.scenario),
        "assignments": len(result.roster.assignments),
        "roster_sha256": roster_digest(csv_text),
    }


def write_solve_outputs(out_dir: str | os.PathLike, result: SolveResult, inst: Instance) -> dict[str, Path]:
    # All three or none: a disk that fills half-way never leaves a roster without its summary.
    written = write_files_atomically(
        out_dir,
        {
            "roster.csv": roster_csv_text(result.roster, inst.scenario),
            "roster.xlsx": roster_xlsx_bytes(result.roster, inst),
            "summary.json": json.dumps(summary_dict(result, inst), ensure_ascii=False, indent=2) + "\n",
        },
    )
    return {"csv": written["roster.csv"], "xlsx": written["roster.xlsx"], "summary": written["summary.json"]}
