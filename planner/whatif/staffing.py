"""The staffing planner: the proven minimum headcount per role, and the best single cross-training.

For a role r, the question is the smallest number of people with primary role r at which the
coverage shortfall of r is zero under the hard rules (and, by default, the legal overtime cap of
劳动法 41 as a hard rule). It is answered with level 1 alone, on the role's group of roles
(planner.problem.decompose: nobody outside the group can cover r, so the group's model is exact for r):

- headcount n ≥ current: the group's people plus n − current synthetic clones of a typical person
  of the role (same rules, only that skill, employed the whole horizon, ids like `video+1`);
- headcount n < current: the group's people, with at most n of the role's people allowed to work
  (one Boolean per person chooses who stays), so every subset of size n is tried at once.

In a group of several roles (someone has a second skill), people of the other roles may cover r
as substitutes, and the shortfall of their own roles does not count towards r's minimum.

More people never raise the least shortfall (anyone can be left off the roster), so the least
shortfall is non-increasing in n and the search walks from the current headcount up (or down)
to the first n with zero. Minimality is proved, not guessed: at the minimum the solver found a
roster with zero shortfall (zero is its own bound), and at minimum − 1 its proven lower bound on
the shortfall is above zero. Where a solve ran out of time before proving either, `proven` is
false and the minimum is only an upper bound.

The cross-training question: which existing person, given which one extra skill, removes the
most shortfall. Giving person p the skill r joins p's group of roles and r's group; the other
groups do not change, so the merged group is solved alone and compared with the sum of the two
groups' level-1 values (exact by the same decomposition argument as planner.problem.decompose).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from models.roster import Roster
from models.scenario import Scenario, Staff
from planner.engine.probes import (
    Probe,
    ProbeOptions,
    employed_in_horizon,
    level1_probe,
    role_shortfall_probe,
    with_staff,
)
from planner.engine.tasks import Counts, Engine, run_calls
from planner.problem.decompose import restrict, role_groups
from planner.problem.instance import Instance

OvertimeCap = Literal["hard", "soft"]


@dataclass
class RoleStaffing:
    role: str
    name: str
    current: int  # people with this primary role employed on at least one day of the horizon
    minimum: int | None  # None if not reached within the search limit
    shortfall_now: int | None  # least shortfall (unweighted, in people-shifts) at the current headcount
    proven: bool
    group: tuple[str, ...]  # the roles solved together with this one
    probes: list[Probe] = field(default_factory=list)

    @property
    def extra(self) -> int | None:
        return None if self.minimum is None else self.minimum - self.current

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape of `roster staffing --format json`."""
        return {
            "role": self.role,
            "current": self.current,
            "minimum": self.minimum,
            "shortfall_now": self.shortfall_now,
            "proven": self.proven,
        }


@dataclass(frozen=True)
class CrossTraining:
    """Person `staff_id` given the extra skill `skill`: level 1 before and after."""

    staff_id: str
    staff_name: str
    primary_role: str
    skill: str
    before: int  # level-1 value (weighted shortfall) of the roles concerned, without the skill
    after: int | None  # best found with the skill; None if no roster was found in time
    after_bound: int  # proven lower bound with the skill
    proven: bool

    @property
    def reduction(self) -> int:
        """Shortfall removed, as found (at least this much can be removed)."""
        return 0 if self.after is None else self.before - self.after

    @property
    def reduction_bound(self) -> int:
        """At most this much can be removed (from the proven bound)."""
        return self.before - self.after_bound

    def to_dict(self) -> dict[str, Any]:
        return {
            "staff_id": self.staff_id,
            "staff_name": self.staff_name,
            "primary_role": self.primary_role,
            "skill": self.skill,
            "before": self.before,
            "after": self.after,
            "reduction": self.reduction,
            "reduction_at_most": self.reduction_bound,
            "proven": self.proven,
        }


@dataclass
class StaffingReport:
    start: Any
    end: Any
    overtime_cap: OvertimeCap | None
    roles: list[RoleStaffing]
    cross_training: list[CrossTraining] = field(default_factory=list)  # those that help, best first
    cross_training_tried: int = 0
    provisional_dates: list[str] = field(default_factory=list)

    @property
    def proven(self) -> bool:
        return all(r.proven for r in self.roles)


# -- building the variants --------------------------------------------------------------------
def with_rules(scenario: Scenario, **update: Any) -> Scenario:
    """The scenario with some labour rules set for everyone: the scenario's rules, every
    person's effective rules and every replacement's (a comparison is for the whole team)."""

    def person(p: Staff) -> Staff:
        return p.model_copy(update={"rules": p.effective_rules.model_copy(update=update)})

    return scenario.model_copy(
        update={
            "rules": scenario.rules.model_copy(update=update),
            "staff": tuple(person(p) for p in scenario.staff),
            "changes": tuple(
                c.model_copy(update={"replacement": person(c.replacement) if c.replacement else None})
                for c in scenario.changes
            ),
        }
    )


def with_overtime_cap(scenario: Scenario, cap: OvertimeCap) -> Scenario:
    """Everyone's monthly overtime cap made hard (hard rule 8) or soft (objective level 2 only)."""
    return with_rules(scenario, overtime_cap=cap)


# -- the search -------------------------------------------------------------------------------
def _search_limit(inst: Instance, role: str) -> int:
    """Extra hires to try before giving up: generous, three per person needed on the busiest day."""
    daily: Counter = Counter()
    for slot in inst.slots:
        if slot.role == role:
            daily[slot.date] += slot.required
    return 3 * max(daily.values(), default=0) + 3


def minimum_headcount(
    inst: Instance,
    role: str,
    options: ProbeOptions,
    stop: threading.Event | None = None,
    progress: Callable[[str], None] | None = None,
) -> RoleStaffing:
    """The proven minimum headcount of one role, on the instance of its group of roles."""
    name = next(r.name for r in inst.roles if r.id == role)
    current = len(employed_in_horizon(inst, role))
    group = tuple(r.id for r in inst.roles)

    def probe(n: int) -> Probe:
        if progress:
            progress(f"{name} × {n} 人")
        return role_shortfall_probe(inst, role, n, options, stop)

    now = probe(current)
    probes = [now]
    minimum: int | None = None
    proven = False
    if now.zero:
        # Walk down until some headcount cannot be covered: the one above it is the minimum.
        n, last = current, now
        while n > 0:
            below = probe(n - 1)
            probes.append(below)
            if not below.zero:
                last = below
                break
            n -= 1
        minimum = n
        # n == 0: nobody needed at all, nothing below to prove.
        proven = n == 0 or last.positive
    else:
        before = now
        for extra in range(1, _search_limit(inst, role) + 1):
            if stop is not None and stop.is_set():
                break
            p = probe(current + extra)
            probes.append(p)
            if p.zero:
                minimum = current + extra
                proven = before.positive
                break
            before = p
    probes.sort(key=lambda p: p.headcount)
    return RoleStaffing(role, name, current, minimum, now.value, proven, group, probes)


def analyse_staffing(
    inst: Instance,
    overtime_cap: OvertimeCap | None = "hard",
    options: ProbeOptions | None = None,
    cross_training: bool = True,
    stop: threading.Event | None = None,
    progress: Callable[[str], None] | None = None,
    engine: Engine | None = None,
) -> StaffingReport:
    """Minimum headcount for every role, and (optionally) the best single cross-trainings.

    `overtime_cap` applies to everyone: "hard" makes the legal cap a hard rule, "soft" leaves
    overtime to level 2 (which staffing ignores), None keeps the scenario's own rules. Each
    role's search is one task (on `engine`, or in turn here), and so is each cross-training.
    """
    options = options or ProbeOptions()
    if overtime_cap is not None:
        history = Roster(start=inst.start, end=inst.end, assignments=inst.history)
        inst = Instance(with_overtime_cap(inst.scenario, overtime_cap), inst.start, inst.end, history)
    groups = role_groups(inst)
    group_of = {role: g for g in groups for role in g}
    sub = {g: restrict(inst, g) if len(groups) > 1 else inst for g in groups}
    roles = run_calls(
        minimum_headcount,
        # A side duty is nobody's own role: it has no headcount of its own.
        [(sub[group_of[r.id]], r.id, options) for r in inst.roles if not r.side],
        engine,
        options.workers,
        here=(stop, progress),
        on_progress=counts_to(progress, "最少人数"),
    )
    report = StaffingReport(
        inst.start,
        inst.end,
        overtime_cap,
        roles,
        provisional_dates=[d.isoformat() for d in inst.provisional_dates],
    )
    if cross_training:
        report.cross_training, report.cross_training_tried = best_cross_training(
            inst, roles, options, stop, progress, engine
        )
    return report


def counts_to(progress: Callable[[str], None] | None, what: str) -> Callable[[Counts], None] | None:
    """A progress callback for task counts: "<what>：完成 n · 运行中 m · …"."""
    if progress is None:
        return None
    return lambda c: progress(f"{what}：{c.zh()}")


def best_cross_training(
    inst: Instance,
    roles: list[RoleStaffing],
    options: ProbeOptions,
    stop: threading.Event | None = None,
    progress: Callable[[str], None] | None = None,
    engine: Engine | None = None,
) -> tuple[list[CrossTraining], int]:
    """Every person × every short role they lack: the options that help, best first, and the count tried.

    A role already covered in full gains nothing from one more skilled person, so only roles with
    a shortfall at today's headcount are offered.
    """
    groups = role_groups(inst)
    group_of = {role: g for g in groups for role in g}
    before_all = run_calls(
        level1_probe,
        [(restrict(inst, g) if len(groups) > 1 else inst, options) for g in groups],
        engine,
        options.workers,
        here=(stop,),
    )
    baseline = dict(zip(groups, before_all, strict=True))
    short_roles = [r.role for r in roles if (r.shortfall_now or 0) > 0]
    tried: list[tuple[Staff, str, list[Probe], Instance]] = []
    for person in inst.staff:
        if not any(person.employed_on(d) and inst.available(person.id, d) for d in inst.dates):
            continue
        for skill in short_roles:
            if skill in person.all_skills:
                continue
            g_person, g_skill = group_of[person.role], group_of[skill]
            merged = tuple(r.id for r in inst.roles if r.id in set(g_person) | set(g_skill))
            trained = person.model_copy(update={"skills": (*person.all_skills, skill)})
            staff = tuple(trained if p.id == person.id else p for p in inst.staff)
            variant = with_staff(inst, staff)
            if len(merged) < len(inst.roles):
                variant = restrict(variant, merged)
            tried.append((person, skill, [baseline[g] for g in {g_person, g_skill}], variant))
    # A part whose baseline found no roster gives no comparison.
    asked = [t for t in tried if all(p.value is not None for p in t[2])]
    after_all = run_calls(
        level1_probe,
        [(variant, options) for *_, variant in asked],
        engine,
        options.workers,
        here=(stop,),
        on_progress=counts_to(progress, "交叉培训"),
    )
    results: list[CrossTraining] = []
    for (person, skill, before_probes, _), after in zip(asked, after_all, strict=True):
        before = sum(p.value for p in before_probes if p.value is not None)
        proven = after.status == "OPTIMAL" and all(p.status == "OPTIMAL" for p in before_probes)
        results.append(
            CrossTraining(
                person.id, person.name, person.role, skill, before, after.value, after.bound, proven
            )
        )
    results.sort(key=lambda c: (-c.reduction, c.staff_id, c.skill))
    return [c for c in results if c.reduction > 0], len(tried)


def group_cross_training(options: list[CrossTraining], top: int = 5) -> list[list[CrossTraining]]:
    """The `top` best options, people with the same role, skill and outcome listed together.

    Interchangeable people (four video engineers with the same rules) give the same answer; one
    row naming all of them reads better than four rows.
    """
    groups: dict[tuple, list[CrossTraining]] = {}
    for c in options:
        key = (c.primary_role, c.skill, c.before, c.after, c.after_bound, c.proven)
        groups.setdefault(key, []).append(c)
    return list(groups.values())[:top]
