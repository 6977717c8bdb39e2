"""The Curtois & Qu benchmark's own scorer: a solution file checked against the instance file,
by the benchmark's model (../shared/curtois/FORMAT.md, "Model"), with no part of the scenario,
the engine or the project's validator in between. A value the benchmark table prints is one
this scorer computed from the written solution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.files.curtois import CqInstance
from planner.problem.horizon import runs_of


@dataclass
class CqScore:
    penalty: int = 0
    cover: int = 0
    requests: int = 0
    violations: list[str] = field(default_factory=list)  # hard rules 1-9, in words

    @property
    def feasible(self) -> bool:
        return not self.violations


def score_solution(inst: CqInstance, shifts_on: dict[tuple[str, int], str]) -> CqScore:
    """Hard rules 2-9 and the objective of the benchmark (rule 1 holds by the file's form)."""
    result = CqScore()
    h = inst.horizon
    length = {s.id: s.minutes for s in inst.shifts}
    banned = {s.id: set(s.not_followed_by) for s in inst.shifts}
    bad = result.violations.append
    for p in inst.staff:
        row = [shifts_on.get((p.id, d)) for d in range(h)]
        for d in range(h - 1):
            if row[d] and row[d + 1] in banned[row[d]]:
                bad(f"{p.id} day {d + 1}: {row[d + 1]} may not follow {row[d]}")
        for s, limit in p.max_shifts.items():
            if row.count(s) > limit:
                bad(f"{p.id}: {row.count(s)} shifts {s}, at most {limit}")
        minutes = sum(length[s] for s in row if s)
        if not p.min_total_minutes <= minutes <= p.max_total_minutes:
            bad(f"{p.id}: {minutes} minutes, outside {p.min_total_minutes}..{p.max_total_minutes}")
        for start, n, worked in runs_of([s is not None for s in row]):
            if worked and n > p.max_consecutive:
                bad(f"{p.id} day {start}: {n} shifts in a row, at most {p.max_consecutive}")
            minimum = p.min_consecutive if worked else p.min_consecutive_off
            # The border exemption: blocks starting on day 0 or ending on day H-1 never count.
            if n < minimum and start > 0 and start + n < h:
                what = "shifts" if worked else "days off"
                bad(f"{p.id} day {start}: {n} {what} in a row, at least {minimum}")
        weekends = sum(1 for k in range(h // 7) if row[7 * k + 5] or row[7 * k + 6])
        if weekends > p.max_weekends:
            bad(f"{p.id}: {weekends} weekends worked, at most {p.max_weekends}")
        for d in sorted(inst.days_off.get(p.id, ())):
            if row[d]:
                bad(f"{p.id} day {d}: works {row[d]} on a day off")
    for r in inst.on_requests:
        result.requests += r.weight * (shifts_on.get((r.staff, r.day)) != r.shift)
    for r in inst.off_requests:
        result.requests += r.weight * (shifts_on.get((r.staff, r.day)) == r.shift)
    for c in inst.cover:
        n = sum(1 for p in inst.staff if shifts_on.get((p.id, c.day)) == c.shift)
        result.cover += c.under_weight * max(0, c.requirement - n) + c.over_weight * max(0, n - c.requirement)
    result.penalty = result.cover + result.requests
    return result
