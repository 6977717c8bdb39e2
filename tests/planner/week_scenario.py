"""The hand-written week shared by the validator, scorer and why-empty tests.

Two roles (video, image), a day shift D 08-16 and a night shift N 16-08 as in the contract, and
five people, one of them (S03) a video engineer who can also cover image. Week 2026-12-01 (Tue)
.. 2026-12-07 (Mon): five workdays, then Sat 12-05 and Sun 12-06. Each test file states its own
roles, coverage and extra shifts, so every figure it checks can be worked out by hand.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from models.loader import load_scenario
from models.roster import Assignment, Roster
from planner.problem.instance import Instance

D = dt.date
START, END = D(2026, 12, 1), D(2026, 12, 7)

DAY_NIGHT_SHIFTS: list[dict[str, Any]] = [
    {"id": "D", "name": "白班", "start": "08:00", "end": "16:00", "paid_hours": 8},
    {"id": "N", "name": "夜班", "start": "16:00", "end": "08:00", "paid_hours": 16},
]
FIVE_STAFF: list[dict[str, Any]] = [
    {"id": "S02", "name": "陈博伟", "role": "video"},
    {"id": "S03", "name": "张炜霖", "role": "video", "skills": ["image"]},
    {"id": "S04", "name": "王冰强", "role": "video"},
    {"id": "S06", "name": "段雨林", "role": "image"},
    {"id": "S07", "name": "丁严", "role": "image"},
]
# Video counts twice as much as image in the coverage level.
VIDEO_2_IMAGE_1: list[dict[str, Any]] = [
    {"id": "video", "name": "视频会议", "weight": 2},
    {"id": "image", "name": "视频图像", "weight": 1},
]
PRIMARY = {person["id"]: person["role"] for person in FIVE_STAFF}


# The 16 h night needs the comprehensive-hours system, as in the contract (劳动法 39, 41).
COMPREHENSIVE = {"system": "comprehensive", "period": "month", "max_hours_per_day": 16}


def week_scenario(
    name: str, roles: list[dict[str, Any]], coverage: list[dict[str, Any]], **more: Any
) -> dict:
    """A scenario document (version 1) with the week's shifts and five people unless `more` says otherwise."""
    return copy.deepcopy(
        {"version": 1, "name": name, "roles": roles, "shifts": DAY_NIGHT_SHIFTS, "staff": FIVE_STAFF}
        | {"coverage": coverage}
        | more
        | {"rules": {"working_time": dict(COMPREHENSIVE)} | more.get("rules", {})}
    )


def write_scenario(tmp_path: Path, base: dict[str, Any], **changes: Any) -> Path:
    """Write `base` (with top-level keys replaced or added) as YAML; JSON is valid YAML 1.2."""
    data = copy.deepcopy(base) | changes
    if "rules" in changes:  # a test's own rules go on top of the base's, key by key
        data["rules"] = base.get("rules", {}) | changes["rules"]
    path = tmp_path / "scenario.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def load_week(
    tmp_path: Path,
    base: dict[str, Any],
    start: dt.date = START,
    end: dt.date = END,
    history: tuple[Assignment, ...] | None = None,
    **changes: Any,
) -> Instance:
    """The scenario as an Instance over start..end; `history` is the roster of the 30 days before."""
    past = None
    if history is not None:
        past = Roster(
            start=start - dt.timedelta(days=30), end=start - dt.timedelta(days=1), assignments=tuple(history)
        )
    return Instance(load_scenario(write_scenario(tmp_path, base, **changes)), start, end, past)


def a(date: dt.date, shift: str, staff: str, role: str | None = None) -> Assignment:
    """One assignment, in the person's primary role unless `role` is given."""
    return Assignment(date=date, shift=shift, staff_id=staff, role=role or PRIMARY[staff])
