"""Publishing the result of a solve: read the folder, re-check the roster, store it.

A solve folder (`roster solve ... --out DIR`) holds roster.csv, roster.xlsx and summary.json.
Before anything is stored the roster is read back with the scenario it was solved from and
re-checked by the independent validator, with the store's actual roster of the weeks before as
history (rest and consecutive days across the month boundary). A roster that breaks a hard rule
is refused unless forced, and a forced one is marked as such.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.errors import InputError
from models.loader import load_scenario
from models.reading import MIB, FileRefused, read_bounded
from models.roster import Roster
from models.scenario import Scenario
from models.summary import check_solve_summary
from planner.check.validate import ValidationReport, validate
from planner.files.roster_csv import MAX_ROSTER_CSV_BYTES, read_roster_csv
from planner.problem.instance import Instance
from planner.store.db import Store
from planner.store.service import PublishOutcome, history_roster, publish_version
from planner.store.snapshot import snapshot_of


def default_author() -> str:
    """The local login name: who published or recorded, when no name is given."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# A summary is a few KiB (its explanation included).
MAX_SUMMARY_BYTES = 16 * MIB


@dataclass
class SolveFolder:
    path: Path
    summary: dict[str, Any]
    scenario: Scenario
    roster: Roster
    csv_sha256: str

    @property
    def edited(self) -> bool:
        """roster.csv differs from what the solve wrote (its digest is in summary.json)."""
        return self.summary.get("roster_sha256") not in (None, self.csv_sha256)


def read_solve_folder(
    folder: str | os.PathLike, scenario_file: str | os.PathLike | None = None
) -> SolveFolder:
    """Read a solve folder; the scenario is `scenario_file`, else the one summary.json names."""
    path = Path(folder)
    if not path.is_dir():
        raise InputError(f"{path}: not a folder (expected the --out folder of `roster solve`)")
    summary_file, csv_file = path / "summary.json", path / "roster.csv"
    try:
        summary = json.loads(read_bounded(summary_file, MAX_SUMMARY_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{summary_file}: not found (expected the --out folder of `roster solve`)") from None
    except (FileRefused, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{summary_file}: unreadable summary: {exc}") from None
    checked = check_solve_summary(summary, str(summary_file))
    start, end = checked.start, checked.end
    if scenario_file is None:
        sources = summary.get("sources")
        if not isinstance(sources, list) or not sources or not isinstance(sources[-1], str):
            raise InputError(
                f"{summary_file}: sources = {sources!r}: no scenario file named; give --scenario FILE"
            )
        scenario_file = sources[-1]  # base first, the solved file last
        if not Path(scenario_file).exists():
            raise InputError(
                f"{summary_file}: sources = {scenario_file}: file not found; give --scenario FILE"
            )
    scenario = load_scenario(scenario_file)
    roster = read_roster_csv(csv_file, scenario, start, end)
    try:
        digest = hashlib.sha256(read_bounded(csv_file, MAX_ROSTER_CSV_BYTES)).hexdigest()
    except (OSError, FileRefused) as exc:
        raise InputError(f"{csv_file}: cannot read: {exc}") from None
    return SolveFolder(path, summary, scenario, roster, digest)


def check_roster(store: Store, scenario: Scenario, roster: Roster) -> ValidationReport:
    """The independent validator over the roster's dates, with the store's history before them."""
    history = history_roster(store, scenario, roster.start)
    return validate(Instance(scenario, roster.start, roster.end, history), roster)


@dataclass
class PublishAttempt:
    folder: SolveFolder
    report: ValidationReport
    outcome: PublishOutcome | None  # None: refused (hard violations, not forced)


def publish_roster(
    store: Store,
    scenario: Scenario,
    roster: Roster,
    summary: dict[str, Any],
    *,
    author: str | None = None,
    draft: bool = False,
    force: bool = False,
    origin: str = "solve",
    source: str | None = None,
    roster_sha256: str | None = None,
) -> tuple[ValidationReport, PublishOutcome | None]:
    """Re-validate a roster, then publish it (or store it as a draft); None when refused."""
    report = check_roster(store, scenario, roster)
    if not report.ok and not force:
        return report, None
    outcome = publish_version(
        store,
        roster=roster,
        snapshot=snapshot_of(scenario),
        scenario_name=scenario.name,
        summary=summary,
        author=author or default_author(),
        status="draft" if draft else "published",
        origin=origin,
        source=source,
        forced=not report.ok,
        roster_sha256=roster_sha256,
    )
    return report, outcome


def publish_solve_folder(
    store: Store,
    folder: str | os.PathLike,
    author: str | None = None,
    scenario_file: str | os.PathLike | None = None,
    draft: bool = False,
    force: bool = False,
) -> PublishAttempt:
    """Publish (or store as a draft) the roster of a solve folder, after re-validating it."""
    solved = read_solve_folder(folder, scenario_file)
    report, outcome = publish_roster(
        store,
        solved.scenario,
        solved.roster,
        solved.summary,
        author=author,
        draft=draft,
        force=force,
        origin="replan" if solved.summary.get("parameters", {}).get("replan") else "solve",
        source=str(solved.path.resolve()),
        roster_sha256=solved.csv_sha256,
    )
    return PublishAttempt(solved, report, outcome)
