"""Assemble the CP-SAT model: every hard rule, and one objective expression per level."""

from __future__ import annotations

import datetime as dt
from types import ModuleType

from ortools.sat.python import cp_model

from models.roster import Roster
from planner import rules
from planner.engine.constraints import (
    availability,
    consecutive_days,
    coverage,
    daily_hours,
    fairness,
    fixed,
    min_consecutive,
    min_duty,
    one_shift_per_day,
    overtime,
    presence,
    requests,
    rest,
    shift_limits,
    stability,
    substitutes,
    successions,
    weekends,
)
from planner.engine.variables import RosterVars
from planner.problem.instance import Instance
from planner.rules import LEVELS

HARD_FAMILIES: tuple[ModuleType, ...] = (
    one_shift_per_day,
    availability,
    daily_hours,
    rest,
    consecutive_days,
    fixed,
    presence,
    min_duty,
    successions,
    shift_limits,
    min_consecutive,
    weekends,
)
# Level name -> the family that adds its terms (coverage also adds the hard `max`, overtime the
# hard cap for people whose cap is hard). Divisors and time shares are in planner.rules.
LEVEL_FAMILIES: dict[str, ModuleType] = {
    "coverage": coverage,
    "overtime": overtime,
    "substitutes": substitutes,
    "requests": requests,
    "fairness": fairness,
}
FAMILIES = frozenset(
    {f.__name__.rsplit(".", 1)[-1] for f in HARD_FAMILIES} | set(LEVEL_FAMILIES) | {"stability"}
)


class RosterModel:
    def __init__(
        self,
        inst: Instance,
        relax: frozenset[str] = frozenset(),
        reference: Roster | None = None,
        freeze_before: dt.date | None = None,
        plain: bool = False,
        sequence_automaton: bool = True,
        only: frozenset[str] | set[str] | None = None,
    ):
        """`relax` names hard-rule families to leave out (explanations: "without the rest rule...").

        `only` builds just the named families (hard rules and levels), so a rule can be built and
        tested alone: `RosterModel(inst, only={"rest"})` has the variables and the rest rule,
        and every level without its family has no terms.

        With a `reference` (published) roster, a "stability" level counts the difference from it,
        and dates before `freeze_before` are held to it (re-planning).
        """
        if only is not None and not set(only) <= FAMILIES:
            raise ValueError(f"unknown constraint families: {sorted(set(only) - FAMILIES)}")
        self.inst = inst
        self.model = cp_model.CpModel()
        self.v = RosterVars(self.model, inst)

        def wanted(name: str) -> bool:
            return (only is None or name in only) and name not in relax

        for family in HARD_FAMILIES:
            name = family.__name__.rsplit(".", 1)[-1]
            if not wanted(name):
                continue
            if name == "rest" and plain:
                rest.add_pairwise(self.model, self.v, inst)
            elif name == "min_consecutive":
                min_consecutive.add(self.model, self.v, inst, automaton=sequence_automaton)
            else:
                family.add(self.model, self.v, inst)
        self.terms: dict[str, list] = {
            name: LEVEL_FAMILIES[name].add(self.model, self.v, inst) if wanted(name) else []
            for name in LEVELS
        }
        # objective: weighted: one sum of the coverage and request terms (already weighted).
        self.terms["weighted"] = [*self.terms["coverage"], *self.terms["requests"]]
        if reference is not None:
            held = wanted("stability")
            self.terms["stability"] = (
                stability.add(self.model, self.v, inst, reference, freeze_before) if held else []
            )
        self.levels = rules.levels_for(reference is not None, inst.scenario.objective)

    def objective(self, level: str) -> cp_model.LinearExpr | None:
        terms = self.terms[level]
        return sum(terms) if terms else None
