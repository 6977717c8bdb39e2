"""Fixtures for the store tests: a tiny scenario, hand-made valid rosters, an empty store."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from models.loader import load_scenario
from models.roster import Assignment, Roster
from models.scenario import Scenario
from planner.files.roster_csv import roster_csv_text
from planner.store import service
from planner.store.db import Store
from planner.store.snapshot import snapshot_of

# Two roles, day and night shifts, five people (P3 can also cover role b).
TINY = """\
version: 1
name: 小型测试
roles:
  - {id: a, name: 甲岗}
  - {id: b, name: 乙岗}
shifts:
  - {id: D, name: 白班, start: "08:00", end: "16:00", paid_hours: 8}
  - {id: N, name: 夜班, start: "16:00", end: "08:00", paid_hours: 16}
staff:
  - {id: P1, name: 张一, role: a}
  - {id: P2, name: 李二, role: a}
  - {id: P3, name: 王三, role: a, skills: [b]}
  - {id: P4, name: 赵四, role: b}
  - {id: P5, name: 钱五, role: b}
coverage:
  - {role: a, shift: D, days: all, min: 1}
  - {role: a, shift: N, days: all, min: 1}
  - {role: b, shift: D, days: all, min: 1}
rules:
  working_time: {system: comprehensive, period: month, max_hours_per_day: 16}
"""

START = dt.date(2026, 12, 1)


def store_roster(
    store: Store, scenario: Scenario, roster: Roster, author: str = "测试", summary: dict | None = None, **kw
) -> service.PublishOutcome:
    """Publish `roster` with a snapshot of `scenario` straight into the store (no re-validation)."""
    return service.publish_version(
        store,
        roster=roster,
        snapshot=snapshot_of(scenario),
        scenario_name=scenario.name,
        summary=summary or {},
        author=author,
        **kw,
    )


def hand_roster(start: dt.date = START, days: int = 5) -> Roster:
    """A valid, fully covered roster (days <= 6): P1 days in a, P2/P3 alternate nights, P4 days in b."""
    out = []
    for i in range(days):
        d = start + dt.timedelta(days=i)
        out.append(Assignment(date=d, shift="D", staff_id="P1", role="a"))
        out.append(Assignment(date=d, shift="N", staff_id="P2" if i % 2 == 0 else "P3", role="a"))
        out.append(Assignment(date=d, shift="D", staff_id="P4", role="b"))
    return Roster(start=start, end=start + dt.timedelta(days=days - 1), assignments=tuple(out))


@pytest.fixture
def tiny_file(tmp_path: Path) -> Path:
    path = tmp_path / "scenarios" / "tiny.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture
def tiny(tiny_file: Path) -> Scenario:
    return load_scenario(tiny_file)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(str(tmp_path / "store" / "roster.db"))
    yield s
    s.close()


def write_solve_folder(folder: Path, roster: Roster, scenario: Scenario, summary: dict | None = None) -> Path:
    """A folder shaped like `roster solve --out` (roster.csv + summary.json), without solving."""
    folder.mkdir(parents=True, exist_ok=True)
    text = roster_csv_text(roster, scenario)
    (folder / "roster.csv").write_text(text, encoding="utf-8")
    data = {
        "scenario": scenario.name,
        "sources": list(scenario.sources),
        "start": roster.start.isoformat(),
        "end": roster.end.isoformat(),
        "levels": [{"name": "coverage", "value": 0}],
        "roster_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        **(summary or {}),
    }
    (folder / "summary.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder
