"""The staffing planner's models (planner.whatif.staffing): level 1 alone, on variants of an
instance with more or fewer people of one role.

A probe answers "the least shortfall of this role with n people of it", with the proven lower
bound that makes a minimum headcount a proof rather than a guess. Hires are synthetic clones of
the role's typical person; fewer people are chosen by the model (one Boolean each).
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from models.roster import Roster
from models.scenario import Scenario, Staff
from planner.engine.leave import add_leave, leave_blackout
from planner.engine.model import RosterModel
from planner.engine.solve import InfeasibleError, SolveError, minimise_objective
from planner.problem.instance import Instance
from planner.problem.leave import owed_days
from planner.problem.results import SolveOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProbeOptions:
    """CP-SAT parameters for one level-1 solve (a probe)."""

    time_limit: float = 10.0  # seconds per probe
    workers: int = 2
    seed: int = 0
    # The LP relaxation proves the lower bounds that minimality rests on.
    extra_subsolvers: tuple[str, ...] = ("max_lp",)
    # Every person (hires too) takes the paid annual leave owed over the horizon (条例 第三条),
    # placed by the model on workdays outside surges: "how many people" includes their leave.
    with_leave: bool = False

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


# -- building the variants --------------------------------------------------------------------
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


def with_staff(inst: Instance, staff: tuple[Staff, ...]) -> Instance:
    scenario = inst.scenario.model_copy(update={"staff": staff})
    history = Roster(start=inst.start, end=inst.end, assignments=inst.history)
    return Instance(scenario, inst.start, inst.end, history)


def employed_in_horizon(inst: Instance, role: str) -> list[Staff]:
    return [p for p in inst.staff if p.role == role and any(p.employed_on(d) for d in inst.dates)]


# -- one level-1 solve ------------------------------------------------------------------------
def _bound(bound: float) -> int:
    # The shortfall is an integer, so a fractional bound rounds up.
    return max(0, math.ceil(bound - 1e-6))


def _run(
    rm: RosterModel, objective: Any, options: ProbeOptions, stop: threading.Event | None
) -> tuple[str, int | None, int, float]:
    status, value, bound, seconds = minimise_objective(
        rm, objective, options.solve_options(), options.time_limit, stop
    )
    if status == "INFEASIBLE":
        raise InfeasibleError(
            "the hard rules cannot all hold (check fixed entries, absences and max coverage)"
        )
    if status == "MODEL_INVALID":
        raise SolveError(f"invalid model: {rm.model.validate()}")
    if value is not None:
        return status, value, _bound(bound), seconds
    return "UNKNOWN", None, _bound(bound), seconds


def _model(inst: Instance, options: ProbeOptions) -> RosterModel:
    # Staffing asks how many people cover the slots: each person's duty share (min_duty) would
    # bind a person the probe sets aside, so it is left out (planner.engine.constraints.min_duty).
    rm = RosterModel(inst, relax=frozenset({"min_duty"}))
    if options.with_leave:
        add_leave(rm, inst, owed_days(inst)[0], leave_blackout(inst))
    return rm


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
    variant = with_staff(inst, (*inst.staff, *added)) if added else inst
    rm = _model(variant, options)
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
    rm = _model(inst, options)
    objective = rm.objective("coverage")
    if objective is None:
        return Probe(len(inst.staff), "OPTIMAL", 0, 0, 0.0)
    status, value, bound, seconds = _run(rm, objective, options, stop)
    return Probe(len(inst.staff), status, value, bound, seconds)
