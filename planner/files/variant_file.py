"""A what-if variant written as a scenario file that `extends` its base and says only what differs.

The app's 情景对比 page saves its forms through here; the file is loaded (checked like any
scenario) from a temporary copy beside its target before it is written, atomically.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.errors import InputError
from models.loader import load_scenario
from models.scenario import Scenario, Staff, WorkingTime
from planner.files.scenario_file import clean_entry, extends_text, flow_seq

FILE_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass
class VariantEdits:
    """What a variant changes against its base; each list holds plain scenario-format entries.

    absences:  {staff, start, end, kind}
    surges:    {name, start, end, add: [{role, shift, count}]}
    new_staff: {id, name, role, years, title, start_date, end_date}
    leaving:   {staff, notice_date, plan_date, last_day, replacement: {id, name, role, years, start_date}}
    skills:    {staff, skill}: an existing person gets one more skill
    """

    name: str
    absences: list[dict[str, Any]] = field(default_factory=list)
    surges: list[dict[str, Any]] = field(default_factory=list)
    new_staff: list[dict[str, Any]] = field(default_factory=list)
    leaving: list[dict[str, Any]] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.absences or self.surges or self.new_staff or self.leaving or self.skills)


STAFF_ORDER = ("id", "name", "role", "skills", "title", "years", "education", "phone", "hourly_rate",
               "start_date", "end_date", "rules")  # fmt: skip


def _staff_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A staff entry in the format spec's key order."""
    order = [k for k in STAFF_ORDER if k in entry] + [k for k in entry if k not in STAFF_ORDER]
    return clean_entry({k: entry[k] for k in order})


def _restated(person: Staff, base: Scenario, extra: list[str]) -> dict[str, Any]:
    """A base person's full entry with more skills: `staff` merges by id, so it must be complete."""
    rules = person.effective_rules
    overrides = {
        k: v.model_dump(exclude_defaults=True) if isinstance(v, WorkingTime) else v
        for k in type(rules).model_fields
        if (v := getattr(rules, k)) != getattr(base.rules, k)
    }
    skills = [s for s in person.all_skills if s != person.role]
    skills += [s for s in extra if s not in skills and s != person.role]
    return _staff_entry(
        {
            "id": person.id,
            "name": person.name,
            "role": person.role,
            "skills": skills,
            "title": person.title,
            "years": person.years,
            "education": person.education,
            "phone": person.phone,
            "hourly_rate": person.hourly_rate,
            "start_date": person.start_date,
            "end_date": person.end_date,
            "rules": overrides,
        }
    )


def variant_text(base_path: str | os.PathLike, target: str | os.PathLike, edits: VariantEdits) -> str:
    """The YAML of a what-if file that `extends` the base and says only what differs."""
    base_file, target_file = Path(base_path).resolve(), Path(target).resolve()
    base = load_scenario(base_file)
    ids = base.staff_by_id
    extends = Path(os.path.relpath(base_file, target_file.parent)).as_posix()
    sections: dict[str, Any] = {}

    extra: dict[str, list[str]] = {}
    for e in edits.skills:
        extra.setdefault(e["staff"], []).append(e["skill"])
    staff = []
    for entry in edits.new_staff:
        skills = [*entry.get("skills", []), *extra.pop(entry["id"], [])]
        staff.append(
            _staff_entry({**entry, "skills": [s for s in dict.fromkeys(skills) if s != entry.get("role")]})
        )
    for staff_id, skills in extra.items():
        if staff_id not in ids:
            raise InputError(f"{target_file.name}: skills: unknown staff id '{staff_id}'")
        staff.append(_restated(ids[staff_id], base, skills))
    if staff:
        sections["staff"] = flow_seq(staff)
    if edits.absences:
        sections["absences"] = flow_seq(edits.absences)
    if edits.surges:
        sections["surges"] = flow_seq(edits.surges)
    if edits.leaving:
        changes = []
        for e in edits.leaving:
            replacement = e.get("replacement")
            if replacement:
                role = ids[e["staff"]].role if e["staff"] in ids else None
                replacement = _staff_entry({"role": role, **replacement})
            changes.append({**e, "replacement": replacement})
        sections["changes"] = flow_seq(changes)
    comment = f"假设情景，由「情景对比」页面生成，基于 {extends}；只写与基准不同之处。"
    return extends_text([comment], edits.name, extends, sections)
