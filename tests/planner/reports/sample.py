"""A small hand-made scenario and roster for the report tests, written so every figure can be
worked out by hand.

Week 2026-09-28 (Mon) .. 2026-10-04 (Sun): 09-28..30 workdays, 10-01..03 statutory holidays
(国庆节), 10-04 a rest day. Two roles with the contract's ids, so the contract clauses apply:
video by day (1 a day) and image by night (1 every night). A surge adds one video day shift on
10-01..10-03. S03 is a video engineer who can also cover image (a substitute).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from models.loader import load_scenario
from models.roster import Assignment, Roster
from models.scenario import Scenario
from planner.files.roster_csv import write_roster_csv
from planner.problem.instance import Instance

D = dt.date
START, END = D(2026, 9, 28), D(2026, 10, 4)
CONTRACT_VALUE = 1_000_000

SCENARIO: dict[str, Any] = {
    "version": 1,
    "name": "报告测试",
    "contract": {"start": "2026-06-15", "end": "2027-06-14", "value_cny": CONTRACT_VALUE},
    "roles": [
        {"id": "video", "name": "视频会议保障工程师", "weight": 1},
        {"id": "image", "name": "视频图像保障工程师", "weight": 1},
    ],
    "rules": {"working_time": {"system": "comprehensive", "period": "month", "max_hours_per_day": 16}},
    "shifts": [
        {"id": "D", "name": "白班", "start": "08:00", "end": "16:00", "paid_hours": 8},
        {"id": "N", "name": "夜班", "start": "16:00", "end": "08:00", "paid_hours": 16},
    ],
    "staff": [
        {"id": "S02", "name": "陈博伟", "role": "video", "years": 11, "hourly_rate": 50},
        {"id": "S03", "name": "张炜霖", "role": "video", "skills": ["image"], "years": 7},
        {"id": "S04", "name": "王冰强", "role": "video", "years": 4},
        {"id": "S06", "name": "段雨林", "role": "image", "years": 2, "hourly_rate": 40},
        {"id": "S07", "name": "丁严", "role": "image", "years": 5},
    ],
    "coverage": [
        {"role": "video", "shift": "D", "days": "all", "min": 1},
        {"role": "image", "shift": "N", "days": "all", "min": 1},
    ],
    "surges": [
        {
            "name": "国庆节假期",
            "start": "2026-10-01",
            "end": "2026-10-03",
            "add": [{"role": "video", "shift": "D", "count": 1}],
        },
    ],
    "absences": [{"staff": "S07", "start": "2026-09-01", "end": "2026-09-05", "kind": "annual"}],
    # S04 leaves on 10-04 after only 14 days' notice (tender 3.4 wants 30): a 9.1 breach.
    "changes": [
        {
            "staff": "S04",
            "notice_date": "2026-09-20",
            "last_day": "2026-10-04",
            "replacement": {
                "id": "S14",
                "name": "替补甲",
                "role": "video",
                "years": 4,
                "start_date": "2026-10-05",
            },
        }
    ],
}

# Every slot covered: video D by S02/S04 (two on the surge days), image N alternating, and S03
# covering the last image night off his primary role.
FULL: tuple[tuple[str, str, str, str], ...] = (
    ("2026-09-28", "D", "S02", "video"),
    ("2026-09-29", "D", "S02", "video"),
    ("2026-09-30", "D", "S02", "video"),
    ("2026-10-01", "D", "S02", "video"),
    ("2026-10-02", "D", "S02", "video"),
    ("2026-10-01", "D", "S04", "video"),
    ("2026-10-02", "D", "S04", "video"),
    ("2026-10-03", "D", "S04", "video"),
    ("2026-10-03", "D", "S03", "video"),
    ("2026-10-04", "D", "S04", "video"),
    ("2026-09-28", "N", "S06", "image"),
    ("2026-09-29", "N", "S07", "image"),
    ("2026-09-30", "N", "S06", "image"),
    ("2026-10-01", "N", "S07", "image"),
    ("2026-10-02", "N", "S06", "image"),
    ("2026-10-03", "N", "S07", "image"),
    ("2026-10-04", "N", "S03", "image"),
)


def scenario_file(tmp_path: Path, **changes: Any) -> Path:
    data = {**SCENARIO, **changes}
    path = tmp_path / "scenario.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def load(tmp_path: Path, **changes: Any) -> Scenario:
    return load_scenario(scenario_file(tmp_path, **changes))


def roster(rows: tuple[tuple[str, str, str, str], ...] | list[tuple[str, str, str, str]] = FULL) -> Roster:
    return Roster(
        start=START,
        end=END,
        assignments=tuple(
            Assignment(date=D.fromisoformat(d), shift=s, staff_id=p, role=r) for d, s, p, r in rows
        ),
    )


def without(*removed: tuple[str, str, str, str]) -> list[tuple[str, str, str, str]]:
    rows = [r for r in FULL if r not in removed]
    assert len(rows) == len(FULL) - len(removed)
    return rows


def instance(scenario: Scenario, start: dt.date = START, end: dt.date = END) -> Instance:
    return Instance(scenario, start, end)


def roster_file(tmp_path: Path, scenario: Scenario, r: Roster, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    write_roster_csv(path, r, scenario)
    return path
