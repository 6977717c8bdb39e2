"""Assemble the CP-SAT model: every hard rule, and one objective expression per level."""

from __future__ import annotations

import datetime as dt
from types import ModuleType

from ortools.sat.python import cp_model

from models.roster import Roster
from planner.engine.constraints import (
    availability,
    changes,
    consecutive_days,
    coverage,
    fairness,
    fixed,
    one_shift_per_day,
    overtime,
    requests,
    rest,
    substitutes,
)
from planner.engine.variables import RosterVars
from planner.instance import Instance
from planner.results import LEVELS

HARD_RULES: tuple[ModuleType, ...] = (one_shift_per_day, availability, rest, consecutive_days, fixed)
# Level name -> the family that adds its terms (coverage also adds the hard `max`, overtime the
# hard cap for people whose cap is hard).
LEVEL_FAMILIES: dict[str, ModuleType] = {
    "coverage": coverage,
    "overtime": overtime,
    "substitutes": substitutes,
    "requests": requests,
    "fairness": fairness,
}
# The solver works in integers; a level's reported value is its integer value divided by this.
LEVEL_DIVISOR = {
    "coverage": 1,
    "changes": 1,
    "overtime": 60,
    "substitutes": 1,
    "requests": 1,
    "fairness": 1000,
}


def levels_for(replan: bool) -> tuple[str, ...]:
    """The levels in priority order; a re-plan puts "changes" just below coverage."""
    return (LEVELS[0], "changes", *LEVELS[1:]) if replan else LEVELS


class RosterModel:
    def __init__(
        self,
        inst: Instance,
        relax: frozenset[str] = frozenset(),
        reference: Roster | None = None,
        freeze_before: dt.date | None = None,
        plain: bool = False,
    ):
        """`relax` names hard-rule families to leave out (explanations: "without the rest rule...").

        With a `reference` (published) roster, a "changes" level counts the difference from it,
        and dates before `freeze_before` are held to it (re-planning).
        """
        self.inst = inst
        self.model = cp_model.CpModel()
        self.v = RosterVars(self.model, inst)
        for family in HARD_RULES:
            name = family.__name__.rsplit(".", 1)[-1]
            if name in relax:
                continue
            if name == "rest" and plain:
                rest.add_pairwise(self.model, self.v, inst)
            else:
                family.add(self.model, self.v, inst)
        self.terms: dict[str, list] = {
            name: LEVEL_FAMILIES[name].add(self.model, self.v, inst) for name in LEVELS
        }
        if reference is not None:
            self.terms["changes"] = changes.add(self.model, self.v, inst, reference, freeze_before)
        self.levels = levels_for(reference is not None)

    def objective(self, level: str) -> cp_model.LinearExpr | None:
        terms = self.terms[level]
        return sum(terms) if terms else None
