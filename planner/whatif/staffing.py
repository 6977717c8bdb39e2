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

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ortools.sat.python import cp_model

from models.roster import Roster
from models.scenario import Scenario, Staff
from planner.engine.model import RosterModel
from planner.engine.solve import InfeasibleError, SolveError, solver_parameters
from planner.problem.decompose import restrict, role_groups
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions

if TYPE_CHECKING:
    import plotly.graph_objects as go

log = logging.getLogger(__name__)

OvertimeCap = Literal["hard", "soft"]


@dataclass(frozen=True)
class ProbeOptions:
    """CP-SAT parameters for one level-1 solve (a probe)."""

    time_limit: float = 10.0  # seconds per probe
    workers: int = 2
    seed: int = 0
    # The LP relaxation proves the lower bounds that minimality rests on.
    extra_subsolvers: tuple[str, ...] = ("max_lp",)

    def solve_options(self) -> SolveOptions:
        return SolveOptions(
            time_limit=self.time_limit,
            workers=self.workers,
            seed=self.seed,
            extra_subsolvers=self.extra_subsolvers,
        )


@dataclass(frozen=True)
class Probe:
    """The least shortfall found at one headcount, and the proven lower bound on it."""

    headcount: int
    status: str  # OPTIMAL, FEASIBLE or UNKNOWN (no roster found in time)
    value: int | None  # least shortfall found; None if no roster was found
    bound: int  # proven lower bound on the least shortfall
    seconds: float

    @property
    def zero(self) -> bool:
        """A roster with zero shortfall exists (proved by the roster itself)."""
        return self.value == 0

    @property
    def positive(self) -> bool:
        """No roster can have zero shortfall (proved by the bound)."""
        return self.bound > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "headcount": self.headcount,
            "status": self.status,
            "shortfall": self.value,
            "bound": self.bound,
            "seconds": round(self.seconds, 3),
        }


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
def with_overtime_cap(scenario: Scenario, cap: OvertimeCap) -> Scenario:
    """Everyone's monthly overtime cap made hard (hard rule 8) or soft (objective level 2 only)."""

    def person(p: Staff) -> Staff:
        return p.model_copy(update={"rules": p.effective_rules.model_copy(update={"overtime_cap": cap})})

    return scenario.model_copy(
        update={
            "rules": scenario.rules.model_copy(update={"overtime_cap": cap}),
            "staff": tuple(person(p) for p in scenario.staff),
            "changes": tuple(
                c.model_copy(update={"replacement": person(c.replacement) if c.replacement else None})
                for c in scenario.changes
            ),
        }
    )


def typical_person(scenario: Scenario, role: str) -> Staff:
    """The role's most common labour rules, on a person who has only that skill.

    The first person of the role with those rules is the model; a role nobody holds as primary
    role gets the scenario's rules.
    """
    people = [p for p in scenario.staff if p.role == role]
    if not people:
        return Staff(id="typical", name=role, role=role, skills=(role,), rules=scenario.rules)
    rules = Counter(p.effective_rules for p in people).most_common(1)[0][0]
    model = next(p for p in people if p.effective_rules == rules)
    return model.model_copy(update={"skills": (role,), "start_date": None, "end_date": None, "phone": None})


def clones(scenario: Scenario, role: str, count: int) -> tuple[Staff, ...]:
    """`count` synthetic hires of the role, ids `role+1`, `role+2`, … (outside the id pattern on purpose)."""
    model = typical_person(scenario, role)
    name = next((r.name for r in scenario.roles if r.id == role), role)
    return tuple(
        model.model_copy(update={"id": f"{role}+{i}", "name": f"新增{name}{i}"}) for i in range(1, count + 1)
    )


def _with_staff(inst: Instance, staff: tuple[Staff, ...]) -> Instance:
    scenario = inst.scenario.model_copy(update={"staff": staff})
    history = Roster(start=inst.start, end=inst.end, assignments=inst.history)
    return Instance(scenario, inst.start, inst.end, history)


def employed_in_horizon(inst: Instance, role: str) -> list[Staff]:
    return [p for p in inst.staff if p.role == role and any(p.employed_on(d) for d in inst.dates)]


# -- one level-1 solve ------------------------------------------------------------------------
def _bound(solver: cp_model.CpSolver) -> int:
    # The shortfall is an integer, so a fractional bound rounds up.
    return max(0, math.ceil(solver.best_objective_bound - 1e-6))


def _run(
    rm: RosterModel, objective: Any, options: ProbeOptions, stop: threading.Event | None
) -> tuple[str, int | None, int, float]:
    rm.model.minimize(objective)
    solver = solver_parameters(options.solve_options(), options.time_limit)
    started = time.monotonic()
    if stop is not None and stop.is_set():
        return "UNKNOWN", None, 0, 0.0
    status = solver.solve(rm.model)
    seconds = time.monotonic() - started
    if status == cp_model.INFEASIBLE:
        raise InfeasibleError(
            "the hard rules cannot all hold (check fixed entries, absences and max coverage)"
        )
    if status == cp_model.MODEL_INVALID:
        raise SolveError(f"invalid model: {rm.model.validate()}")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver.status_name(status), round(solver.objective_value), _bound(solver), seconds
    return "UNKNOWN", None, _bound(solver), seconds


def role_shortfall_probe(
    inst: Instance,
    role: str,
    headcount: int,
    options: ProbeOptions,
    stop: threading.Event | None = None,
) -> Probe:
    """The least unweighted shortfall of `role` with `headcount` people of that primary role.

    `inst` holds the role's group of roles with its real people. Above their number, clones are
    added; below it, at most `headcount` of the role's people may work.
    """
    real = employed_in_horizon(inst, role)
    extra = max(0, headcount - len(real))
    added = clones(inst.scenario, role, extra)
    variant = _with_staff(inst, (*inst.staff, *added)) if added else inst
    rm = RosterModel(variant)
    model, v = rm.model, rm.v
    if headcount < len(real):
        # One Boolean per real person of the role: who may work at all. Choosing the subset in the
        # model tries every team of `headcount` people in one solve.
        keep = {p.id: model.new_bool_var(f"keep[{p.id}]") for p in real}
        for (staff_id, _date, _shift, _role), var in v.x.items():
            if staff_id in keep:
                model.add_implication(var, keep[staff_id])
        model.add(sum(keep.values()) <= headcount)
    # The clones are interchangeable: ordering them by shifts worked removes symmetric rosters.
    for a, b in zip(added, added[1:], strict=False):
        model.add(sum(var for d in variant.dates for var in v.works(a.id, d))
                  >= sum(var for d in variant.dates for var in v.works(b.id, d)))  # fmt: skip
    terms = []
    for slot in variant.slots:
        if slot.role != role or slot.required == 0:
            continue
        covering = v.covering(slot.date, slot.shift, slot.role)
        short = model.new_int_var(0, slot.required, f"staffing_short({slot.role},{slot.shift},{slot.date})")
        # At the optimum short = max(0, required − covered): a lower bound is all minimisation needs.
        model.add(short >= slot.required - sum(covering))
        terms.append(short)
    if not terms:
        return Probe(headcount, "OPTIMAL", 0, 0, 0.0)
    status, value, bound, seconds = _run(rm, sum(terms), options, stop)
    log.info(
        "staffing %s at %d: %s value=%s bound=%s (%.2fs)", role, headcount, status, value, bound, seconds
    )
    return Probe(headcount, status, value, bound, seconds)


def level1_probe(inst: Instance, options: ProbeOptions, stop: threading.Event | None = None) -> Probe:
    """Level 1 (weighted coverage shortfall) of the whole instance, alone."""
    rm = RosterModel(inst)
    objective = rm.objective("coverage")
    if objective is None:
        return Probe(len(inst.staff), "OPTIMAL", 0, 0, 0.0)
    status, value, bound, seconds = _run(rm, objective, options, stop)
    return Probe(len(inst.staff), status, value, bound, seconds)


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
            progress(f"{role} × {n}")
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
) -> StaffingReport:
    """Minimum headcount for every role, and (optionally) the best single cross-trainings.

    `overtime_cap` applies to everyone: "hard" makes the legal cap a hard rule, "soft" leaves
    overtime to level 2 (which staffing ignores), None keeps the scenario's own rules.
    """
    options = options or ProbeOptions()
    if overtime_cap is not None:
        history = Roster(start=inst.start, end=inst.end, assignments=inst.history)
        inst = Instance(with_overtime_cap(inst.scenario, overtime_cap), inst.start, inst.end, history)
    groups = role_groups(inst)
    group_of = {role: g for g in groups for role in g}
    sub = {g: restrict(inst, g) if len(groups) > 1 else inst for g in groups}
    roles = [minimum_headcount(sub[group_of[r.id]], r.id, options, stop, progress) for r in inst.roles]
    report = StaffingReport(
        inst.start,
        inst.end,
        overtime_cap,
        roles,
        provisional_dates=[d.isoformat() for d in inst.provisional_dates],
    )
    if cross_training:
        report.cross_training, report.cross_training_tried = best_cross_training(
            inst, roles, options, stop, progress
        )
    return report


def best_cross_training(
    inst: Instance,
    roles: list[RoleStaffing],
    options: ProbeOptions,
    stop: threading.Event | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[CrossTraining], int]:
    """Every person × every short role they lack: the options that help, best first, and the count tried.

    A role already covered in full gains nothing from one more skilled person, so only roles with
    a shortfall at today's headcount are offered.
    """
    groups = role_groups(inst)
    group_of = {role: g for g in groups for role in g}
    baseline = {
        g: level1_probe(restrict(inst, g) if len(groups) > 1 else inst, options, stop) for g in groups
    }
    short_roles = [r.role for r in roles if (r.shortfall_now or 0) > 0]
    results: list[CrossTraining] = []
    tried = 0
    for person in inst.staff:
        if not any(person.employed_on(d) and inst.available(person.id, d) for d in inst.dates):
            continue
        for skill in short_roles:
            if skill in person.all_skills or (stop is not None and stop.is_set()):
                continue
            tried += 1
            if progress:
                progress(f"{person.id} + {skill}")
            g_person, g_skill = group_of[person.role], group_of[skill]
            merged = tuple(r.id for r in inst.roles if r.id in set(g_person) | set(g_skill))
            parts = {g_person, g_skill}
            before_probes = [baseline[g] for g in parts]
            if any(p.value is None for p in before_probes):
                continue
            before = sum(p.value for p in before_probes if p.value is not None)
            trained = person.model_copy(update={"skills": (*person.all_skills, skill)})
            staff = tuple(trained if p.id == person.id else p for p in inst.staff)
            variant = _with_staff(inst, staff)
            if len(merged) < len(inst.roles):
                variant = restrict(variant, merged)
            after = level1_probe(variant, options, stop)
            proven = after.status == "OPTIMAL" and all(p.status == "OPTIMAL" for p in before_probes)
            results.append(
                CrossTraining(
                    person.id, person.name, person.role, skill, before, after.value, after.bound, proven
                )
            )
    results.sort(key=lambda c: (-c.reduction, c.staff_id, c.skill))
    return [c for c in results if c.reduction > 0], tried


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


# -- the chart --------------------------------------------------------------------------------
def shortfall_chart(report: StaffingReport) -> go.Figure:
    """Shortfall against headcount, one line per role, the minimum marked (a pure function)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for r in report.roles:
        points = [p for p in r.probes if p.value is not None]
        fig.add_trace(
            go.Scatter(
                x=[p.headcount for p in points],
                y=[p.value for p in points],
                mode="lines+markers",
                name=r.name,
                customdata=[[p.bound, p.status] for p in points],
                hovertemplate="%{fullData.name}<br>人数 %{x}<br>缺口 %{y} 人次"
                "<br>下界 %{customdata[0]}（%{customdata[1]}）<extra></extra>",
            )
        )
        if r.minimum is not None:
            fig.add_trace(
                go.Scatter(
                    x=[r.minimum],
                    y=[0],
                    mode="markers",
                    marker={"symbol": "star", "size": 14},
                    name=f"{r.name} 最少人数 {r.minimum}" + ("" if r.proven else "（未证明）"),
                    showlegend=True,
                )
            )
    cap = {"hard": "法定加班上限为硬性规则", "soft": "加班上限不作限制", None: "按场景规则"}[
        report.overtime_cap
    ]
    fig.update_layout(
        title=f"各岗位人数与覆盖缺口（{report.start} 至 {report.end}，{cap}）",
        xaxis_title="岗位人数",
        yaxis_title="覆盖缺口（人次）",
        xaxis={"dtick": 1},
        legend_title="岗位",
    )
    return fig
