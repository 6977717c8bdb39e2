"""Split an instance into independent parts: groups of roles linked by people's skills.

When no one can cover roles of two groups, the groups share no constraint and every objective
level is a sum over groups. The lexicographic optimum of the whole is then exactly the union
of each group's lexicographic optimum (a sum sits at its minimum only if every part does), so
each group is solved and proved on its own. For the contract that turns one model of 13
people into five small ones, which is what lets the full year's overtime level be proved.

Side duties (roles with `side: true`, such as the desk phone) would link every group whose
people carry the skill. By default they are deferred instead: the groups are split as if the side
coverage were not there, which is a relaxation, so each group's optimum is still a bound. If the
union of the groups' rosters then meets every side slot, it is optimal for the whole as well (it
reaches the relaxation's bound on every level, and side slots add nothing to any level once met);
`planner.engine.solve` checks exactly that and otherwise solves again with `link_sides=True`.
"""

from __future__ import annotations

from models.roster import Roster
from planner.problem.instance import Instance


def role_groups(inst: Instance, link_sides: bool = False) -> list[tuple[str, ...]]:
    """Connected groups of role ids, where a person's skills connect roles.

    Without `link_sides`, side roles are left out (deferred, see the module docstring)."""
    parent = {r.id: r.id for r in inst.roles if link_sides or not r.side}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for person in inst.staff:
        skills = [s for s in person.all_skills if s in parent]
        for other in skills[1:]:
            parent[find(other)] = find(skills[0])
    groups: dict[str, list[str]] = {}
    for r in inst.roles:
        if r.id not in parent:
            continue
        groups.setdefault(find(r.id), []).append(r.id)
    return [tuple(g) for g in groups.values()]


def restrict(inst: Instance, roles: tuple[str, ...]) -> Instance:
    """The instance seen by one group of roles: its people, coverage and entries only."""
    s = inst.scenario
    keep = set(roles)
    staff = tuple(p for p in s.staff if p.role in keep)
    ids = {p.id for p in staff}
    surges = tuple(g.model_copy(update={"add": tuple(a for a in g.add if a.role in keep)}) for g in s.surges)
    sub = s.model_copy(
        update={
            # Side roles stay declared (people's skills name them); a deferred one has no coverage.
            "roles": tuple(r for r in s.roles if r.id in keep or r.side),
            "staff": staff,
            "coverage": tuple(c for c in s.coverage if c.role in keep),
            "surges": surges,
            "absences": tuple(a for a in s.absences if a.staff in ids),
            "requests": tuple(r for r in s.requests if r.staff in ids),
            "fixed": tuple(f for f in s.fixed if f.staff in ids),
            "changes": tuple(c for c in s.changes if c.staff in ids),
        }
    )
    history = Roster(
        start=inst.start,
        end=inst.end,
        assignments=tuple(a for a in inst.history if a.staff_id in ids),
    )
    return Instance(sub, inst.start, inst.end, history)


def deferred_sides(inst: Instance) -> tuple[str, ...]:
    """Side roles with coverage that `split` without `link_sides` leaves out of every part."""
    covered = {c.role for c in inst.scenario.coverage}
    return tuple(r.id for r in inst.roles if r.side and r.id in covered)


def split(inst: Instance, link_sides: bool = False) -> list[tuple[tuple[str, ...], Instance]]:
    groups = role_groups(inst, link_sides)
    if len(groups) == 1 and (link_sides or not deferred_sides(inst)):
        return [(groups[0], inst)]
    return [(roles, restrict(inst, roles)) for roles in groups]
