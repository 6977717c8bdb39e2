"""The house's shape, checked: the import-linter contracts in pyproject.toml, and the rules the
layering alone cannot express."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    """models <- calendars <- planner <- ui, planner's folders in layers with no circle, ortools
    only in planner/engine, the store only through workflows, files written only by workflows
    (pyproject.toml, [tool.importlinter])."""
    run = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "BROKEN" not in run.stdout
    assert "Contracts: 7 kept, 0 broken." in run.stdout


def test_planner_has_at_most_thirteen_entries():
    # Twelve, and the benchmark program (planner.bench, issue 14: `python -m planner.bench`).
    entries = sorted(p.name for p in (ROOT / "planner").iterdir() if p.name != "__pycache__")
    assert len(entries) <= 13, entries


def test_no_hand_written_solver_status_table():
    """Status names come from CpSolver.status_name, never from a dict keyed by cp_model.OPTIMAL."""
    pattern = re.compile(r"cp_model\.(OPTIMAL|FEASIBLE|INFEASIBLE|UNKNOWN|MODEL_INVALID)\s*:\s*[\"']")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("planner", "ui", "tests")
        for path in (ROOT / folder).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found, found


def test_session_state_only_in_ui_state():
    """The pages read and write the session through ui/state.py, so its keys live in one place."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "ui").rglob("*.py")
        if path.name != "state.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "session_state" in line
    ]
    assert not found, found
