"""The Curtois & Qu staff scheduling benchmark's text format (../shared/curtois/FORMAT.md), read and
turned into a scenario, and the benchmark's solution form (one line per employee and day).

T. Curtois, R. Qu, *Computational results on new staff scheduling benchmark instances* (2014),
schedulingbenchmarks.org/nrp. An instance becomes a scenario in the project's format with
`objective: weighted`: every rule of the benchmark is a rule of the format (shifts[].not_followed_by,
rules.max_shifts, min/max_total_minutes, max/min_consecutive_days, min_consecutive_days_off with
the border exemption, max_weekends; coverage under/over weights; requests), so the ordinary
engine solves it and the ordinary validator checks it. The independent benchmark scorer
(planner.check.curtois) reads the instance and a solution file, not the scenario.

Day 0 of every instance is a Monday; the scenario puts it on `DAY_ZERO`, a Monday, so that the
benchmark's weekends (days 7k+5, 7k+6) are the calendar's.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from ruamel.yaml import YAML

from models.errors import InputError

DAY_ZERO = dt.date(2024, 1, 1)  # a Monday
SECTIONS = ("HORIZON", "SHIFTS", "STAFF", "DAYS_OFF", "SHIFT_ON_REQUESTS", "SHIFT_OFF_REQUESTS", "COVER")
# Shift times are not in the format (forbidden successions carry the rest rule); each shift
# starts at this hour and lasts its length, which only the ICS and grid show.
SHIFT_START_HOUR = 8


@dataclass(frozen=True)
class CqShift:
    id: str
    minutes: int
    not_followed_by: tuple[str, ...]


@dataclass(frozen=True)
class CqStaff:
    id: str
    max_shifts: dict[str, int]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_consecutive_off: int
    max_weekends: int


@dataclass(frozen=True)
class CqRequest:
    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class CqCover:
    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass
class CqInstance:
    name: str
    horizon: int
    shifts: list[CqShift] = field(default_factory=list)
    staff: list[CqStaff] = field(default_factory=list)
    days_off: dict[str, set[int]] = field(default_factory=dict)
    on_requests: list[CqRequest] = field(default_factory=list)
    off_requests: list[CqRequest] = field(default_factory=list)
    cover: list[CqCover] = field(default_factory=list)

    @property
    def shift_by_id(self) -> dict[str, CqShift]:
        return {s.id: s for s in self.shifts}

    def date(self, day: int) -> dt.date:
        return DAY_ZERO + dt.timedelta(days=day)

    def day(self, date: dt.date) -> int:
        return (date - DAY_ZERO).days


def parse_instance(text: str, source: str, name: str | None = None) -> CqInstance:
    """Read an instance file's text; bad input raises InputError naming the file, line and value."""
    sections: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            current = None
            continue
        if line.startswith("SECTION_"):
            current = line.removeprefix("SECTION_")
            if current not in SECTIONS:
                raise InputError(f"{source}: line {n}: unknown section {line!r}")
            sections[current] = []
            continue
        if current is None:
            raise InputError(f"{source}: line {n}: {line[:60]!r} is outside any SECTION_")
        sections[current].append((n, line))
    missing = [s for s in SECTIONS if s not in sections]
    if missing:
        have = ", ".join(SECTIONS)
        raise InputError(f"{source}: missing SECTION_{missing[0]} (a Curtois & Qu instance has {have})")

    def fields(n: int, line: str, count: int, what: str) -> list[str]:
        parts = line.split(",")
        if len(parts) != count:
            got = f"{len(parts)}: {line[:60]!r}"
            raise InputError(f"{source}: line {n}: {what} has {count} fields, not {got}")
        return parts

    def number(n: int, value: str, what: str) -> int:
        if not value.isdigit():
            raise InputError(f"{source}: line {n}: {what} {value!r} is not a non-negative integer")
        return int(value)

    horizon_lines = sections["HORIZON"]
    if len(horizon_lines) != 1:
        raise InputError(f"{source}: SECTION_HORIZON holds one number, the horizon in days")
    n, line = horizon_lines[0]
    horizon = number(n, line, "horizon")
    if not 1 <= horizon <= 3660:
        raise InputError(f"{source}: line {n}: horizon {horizon} days is outside 1..3660")
    inst = CqInstance(name or source.rsplit("/", 1)[-1].removesuffix(".txt"), horizon)
    for n, line in sections["SHIFTS"]:
        sid, minutes, nxt = fields(n, line, 3, "a shift")
        inst.shifts.append(CqShift(sid, number(n, minutes, "length"), tuple(x for x in nxt.split("|") if x)))
    shift_ids = set(inst.shift_by_id)
    for s in inst.shifts:
        for x in s.not_followed_by:
            if x not in shift_ids:
                raise InputError(f"{source}: shift {s.id}: unknown shift {x!r} among those after it")

    def day(n: int, value: str) -> int:
        d = number(n, value, "day")
        if d >= horizon:
            raise InputError(f"{source}: line {n}: day {d} is outside the horizon 0..{horizon - 1}")
        return d

    def shift(n: int, value: str) -> str:
        if value not in shift_ids:
            have = ", ".join(sorted(shift_ids))
            raise InputError(f"{source}: line {n}: unknown shift {value!r}; the instance has {have}")
        return value

    for n, line in sections["STAFF"]:
        sid, max_shifts, hi, lo, max_c, min_c, min_off, weekends = fields(n, line, 8, "a staff line")
        limits = {}
        for item in max_shifts.split("|"):
            key, _, value = item.partition("=")
            limits[shift(n, key)] = number(n, value, f"MaxShifts {key}")
        inst.staff.append(
            CqStaff(sid, limits, number(n, hi, "MaxTotalMinutes"), number(n, lo, "MinTotalMinutes"),
                    number(n, max_c, "MaxConsecutiveShifts"), number(n, min_c, "MinConsecutiveShifts"),
                    number(n, min_off, "MinConsecutiveDaysOff"), number(n, weekends, "MaxWeekends"))
        )  # fmt: skip
    staff_ids = {p.id for p in inst.staff}

    def person(n: int, value: str) -> str:
        if value not in staff_ids:
            raise InputError(f"{source}: line {n}: unknown employee {value!r}")
        return value

    for n, line in sections["DAYS_OFF"]:
        who, *days = line.split(",")
        inst.days_off.setdefault(person(n, who), set()).update(day(n, d) for d in days if d)
    for key, target in (("SHIFT_ON_REQUESTS", inst.on_requests), ("SHIFT_OFF_REQUESTS", inst.off_requests)):
        for n, line in sections[key]:
            who, d, s, w = fields(n, line, 4, "a request")
            target.append(CqRequest(person(n, who), day(n, d), shift(n, s), number(n, w, "weight")))
    for n, line in sections["COVER"]:
        d, s, req, wu, wo = fields(n, line, 5, "a cover line")
        inst.cover.append(
            CqCover(day(n, d), shift(n, s), number(n, req, "requirement"), number(n, wu, "under weight"),
                    number(n, wo, "over weight"))
        )  # fmt: skip
    return inst


def _runs(days: set[int]) -> list[tuple[int, int]]:
    """Consecutive runs of day indexes, as (first, last)."""
    out: list[tuple[int, int]] = []
    for d in sorted(days):
        if out and out[-1][1] == d - 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def scenario_data(inst: CqInstance) -> dict:
    """The instance as a scenario (format version 1), plain data ready to dump as YAML."""

    def hhmm(minutes: int) -> str:
        return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"

    shifts = []
    for s in inst.shifts:
        start = SHIFT_START_HOUR * 60
        entry = {"id": s.id, "name": f"班次 {s.id}", "start": hhmm(start), "end": hhmm(start + s.minutes),
                 "paid_hours": round(s.minutes / 60, 4)}  # fmt: skip
        if s.not_followed_by:
            entry["not_followed_by"] = list(s.not_followed_by)
        shifts.append(entry)
    staff = []
    for p in inst.staff:
        rules = {
            "max_shifts": {k: v for k, v in p.max_shifts.items() if v < inst.horizon},
            "max_total_minutes": p.max_total_minutes,
            "min_total_minutes": p.min_total_minutes,
            "max_consecutive_days": max(1, min(p.max_consecutive, 366)),
            "max_weekends": p.max_weekends,
        }
        if not rules["max_shifts"]:
            del rules["max_shifts"]
        if p.min_consecutive > 1:
            rules["min_consecutive_days"] = p.min_consecutive
        if p.min_consecutive_off > 1:
            rules["min_consecutive_days_off"] = p.min_consecutive_off
        staff.append({"id": p.id, "name": f"员工 {p.id}", "role": "staff", "rules": rules})
    absences = [
        {"staff": who, "start": inst.date(a).isoformat(), "end": inst.date(b).isoformat(), "kind": "other"}
        for who, days in inst.days_off.items()
        for a, b in _runs(days)
    ]
    requests = [
        {
            "staff": r.staff,
            "date": inst.date(r.day).isoformat(),
            "shift": r.shift,
            "want": want,
            "weight": r.weight,
        }  # fmt: skip
        for want, rows in (("on", inst.on_requests), ("off", inst.off_requests))
        for r in rows
    ]
    coverage = [
        {
            "role": "staff",
            "shift": c.shift,
            "dates": [inst.date(c.day).isoformat()],
            "min": c.requirement,
            "under_weight": c.under_weight,
            "over_weight": c.over_weight,
        }  # fmt: skip
        for c in inst.cover
    ]
    return {
        "version": 1,
        "name": f"Curtois & Qu {inst.name}（基准测试，{inst.horizon} 天，{len(inst.staff)} 人）",
        "objective": "weighted",
        "roles": [{"id": "staff", "name": "员工"}],
        "shifts": shifts,
        "staff": staff,
        "coverage": coverage,
        # The benchmark's rest is its forbidden successions; it has no overtime notion and no
        # daily limit (12 h shifts), so the labour defaults are switched off here, not silently.
        "rules": {"min_rest_hours": 0, "working_time": "flexible", "max_consecutive_days": 366},
        "absences": absences,
        "requests": requests,
    }


def scenario_yaml(inst: CqInstance, source: str) -> str:
    yaml = YAML()
    yaml.default_flow_style = None
    yaml.width = 120
    out = io.StringIO()
    out.write(f"# Imported by `roster import-curtois` from {source} (Curtois & Qu benchmark).\n")
    out.write(f"# Day 0 of the instance is {DAY_ZERO.isoformat()} (a Monday).\n")
    yaml.dump(scenario_data(inst), out)
    return out.getvalue()


def solution_text(inst: CqInstance, shifts_on: dict[tuple[str, int], str]) -> str:
    """The benchmark's solution form: one line `employee,day,shift` per employee and day, the
    shift empty for a day off, employees in the instance's order."""
    lines = [f"# {inst.name} solution: employee,day,shift (empty: day off); day 0 = {DAY_ZERO.isoformat()}"]
    for p in inst.staff:
        lines += [f"{p.id},{d},{shifts_on.get((p.id, d), '')}" for d in range(inst.horizon)]
    return "\r\n".join(lines) + "\r\n"


def parse_solution(text: str, inst: CqInstance, source: str) -> dict[tuple[str, int], str]:
    """Read a solution file: (employee, day) -> shift for each worked day."""
    staff = {p.id for p in inst.staff}
    shifts = set(inst.shift_by_id)
    out: dict[tuple[str, int], str] = {}
    seen: set[tuple[str, int]] = set()
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(",")
        if len(parts) != 3:
            raise InputError(f"{source}: line {n}: expected employee,day,shift, got {line[:60]!r}")
        who, d, s = parts
        if who not in staff:
            raise InputError(f"{source}: line {n}: unknown employee {who!r} for {inst.name}")
        if not d.isdigit() or int(d) >= inst.horizon:
            raise InputError(f"{source}: line {n}: day {d!r} is outside 0..{inst.horizon - 1}")
        if s and s not in shifts:
            raise InputError(f"{source}: line {n}: unknown shift {s!r} for {inst.name}")
        if (who, int(d)) in seen:
            raise InputError(f"{source}: line {n}: {who} day {d} appears twice")
        seen.add((who, int(d)))
        if s:
            out[who, int(d)] = s
    return out
