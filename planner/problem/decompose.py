"""Split an instance into independent parts: groups of roles linked by people's skills.

When no one can cover roles of two groups, the groups share no constraint and every objective
level is a sum over groups. The lexicographic optimum of the whole is then exactly the union
of each group's lexicographic optimum (a sum sits at its minimum only if every part does), so
each group is solved and proved on its own. For the contract that turns one model of 13
people into five small ones, which is what lets the full year's overtime level be proved.
"""

from __future__ import annotations

from models.roster import Roster
from planner.problem.instance import Instance


def role_groups(inst: Instance) -> list[tuple[str, ...]]:
    """Connected groups of role ids, where a person's skills connect roles."""
    parent = {r.id: r.id for r in inst.roles}

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
            "roles": tuple(r for r in s.roles if r.id in keep),
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


def split(inst: Instance) -> list[tuple[tuple[str, ...], Instance]]:
    groups = role_groups(inst)
    if len(groups) == 1:
        return [(groups[0], inst)]
    return [(roles, restrict(inst, roles)) for roles in groups]
