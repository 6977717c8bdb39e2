"""Publishing a solve folder: re-validation, refusal, --force, edited CSVs, bad folders."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from models.errors import InputError
from models.roster import Assignment
from models.scenario import Scenario
from planner.store import service
from planner.store.db import Store
from planner.workflows.publish import publish_solve_folder
from tests.planner.store.conftest import START, hand_roster, write_solve_folder


def test_a_valid_folder_is_published_with_its_scenario(store: Store, tiny: Scenario, tmp_path: Path) -> None:
    folder = write_solve_folder(tmp_path / "out", hand_roster(), tiny)
    attempt = publish_solve_folder(store, folder, author="张经理")
    assert attempt.report.ok and attempt.outcome is not None
    v = attempt.outcome.version
    assert (v.status, v.author, v.origin, v.forced, v.assignment_count) == (
        "published",
        "张经理",
        "solve",
        False,
        15,
    )
    assert v.roster_sha256 == attempt.folder.csv_sha256 and not attempt.folder.edited
    assert v.summary["levels"] == [{"name": "coverage", "value": 0}]
    assert service.version_snapshot(store, v.id).digest == v.snapshot_digest


def test_hard_violations_are_refused_unless_forced(store: Store, tiny: Scenario, tmp_path: Path) -> None:
    roster = hand_roster()
    # P1 also works the night after a day shift on the same date: two shifts in one day.
    bad = roster.model_copy(
        update={
            "assignments": (*roster.assignments, Assignment(date=START, shift="N", staff_id="P1", role="a"))
        }
    )
    folder = write_solve_folder(tmp_path / "out", bad, tiny)
    refused = publish_solve_folder(store, folder)
    assert refused.outcome is None
    assert {v.rule for v in refused.report.hard_violations} >= {"one_shift_per_day"}
    assert service.versions(store) == []
    forced = publish_solve_folder(store, folder, force=True)
    assert forced.outcome is not None and forced.outcome.version.forced


def test_history_from_the_store_is_used_across_the_boundary(
    store: Store, tiny: Scenario, tmp_path: Path
) -> None:
    """Dec 1-5 published; a roster for Dec 6-10 where P1 works a 6th and 7th day in a row breaks
    the consecutive-days rule only when the store's history is taken into account."""
    publish_solve_folder(store, write_solve_folder(tmp_path / "a", hand_roster(START, 5), tiny))
    nxt = hand_roster(START + dt.timedelta(days=5), 5)
    attempt = publish_solve_folder(store, write_solve_folder(tmp_path / "b", nxt, tiny))
    assert attempt.outcome is None
    assert any(v.rule == "consecutive_days" and v.staff_id == "P1" for v in attempt.report.hard_violations)


def test_an_edited_csv_is_noticed_and_checked_as_edited(store: Store, tiny: Scenario, tmp_path: Path) -> None:
    folder = write_solve_folder(tmp_path / "out", hand_roster(), tiny)
    csv = folder / "roster.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    csv.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # drop one assignment
    attempt = publish_solve_folder(store, folder)
    assert attempt.folder.edited
    assert attempt.outcome is not None and attempt.outcome.version.assignment_count == 14


def test_scenario_option_replaces_the_summary_sources(store: Store, tiny: Scenario, tmp_path: Path) -> None:
    folder = write_solve_folder(tmp_path / "out", hand_roster(), tiny, {"sources": ["/nowhere/gone.yaml"]})
    with pytest.raises(InputError, match="gone.yaml: file not found; give --scenario FILE"):
        publish_solve_folder(store, folder)
    attempt = publish_solve_folder(store, folder, scenario_file=tiny.sources[-1])
    assert attempt.outcome is not None


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda f: (f / "summary.json").unlink(), "summary.json: not found"),
        (lambda f: (f / "summary.json").write_text("{", encoding="utf-8"), "unreadable summary"),
        (lambda f: (f / "roster.csv").unlink(), "roster file not found"),
        (
            lambda f: (f / "summary.json").write_text(json.dumps({"start": "2026-12-01", "end": "soon"})),
            "end = 'soon': not a date",
        ),
    ],
)
def test_broken_folders_give_one_clear_error(
    store: Store, tiny: Scenario, tmp_path: Path, breakage, message
) -> None:
    folder = write_solve_folder(tmp_path / "out", hand_roster(), tiny)
    breakage(folder)
    with pytest.raises(InputError, match=message):
        publish_solve_folder(store, folder)
    assert service.versions(store) == []
