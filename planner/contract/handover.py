"""Handovers as the contract names them: "一般交班时间为每日16时" (附件八 附件1 3.2), and a missed
or mistimed handover costs 1 point each time.

With `contract.handover_time` set (the contract scenario: 16:00) only shift changes at that time
are handovers: the 08:00 change of a day/night design is not one the contract names, so a role
that works only by day (the manager) is not counted twice. Without it, every shift change is a
handover (scenarios that have no such clause). A handover is counted per role (each post hands
over its own duty: the buyer's reading; one per day for the whole team is the other, and it can
only be smaller), and missed when the role must be on the shift before or after and nobody of it
is there to hand over or to take over.

Only working shifts and the roles' own posts hand over: a presence duty (the manager's night
stay) is not a shift change, and a side duty (the desk phone) is carried by whoever is on shift.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from models.roster import Assignment
from planner.problem.instance import Instance

POINTS_PER_MISSED_HANDOVER = 1  # 附件八 附件1 3.2: 未按规定交接班 每次扣1分
HANDOVER_CLAUSE = "附件八 附件1 3.2"


@dataclass(frozen=True)
class Handover:
    """At a shift change, who of one role hands over to whom."""

    at: dt.datetime
    role: str
    from_shift: str
    to_shift: str
    outgoing: tuple[str, ...]
    incoming: tuple[str, ...]
    incoming_required: int
    outgoing_required: int

    @property
    def status(self) -> str:
        if self.incoming_required and not self.incoming:
            return "无人接班"
        if self.outgoing_required and not self.outgoing:
            return "无人交班"
        if self.outgoing and self.incoming:
            return "正常"
        return "无需交接"

    @property
    def missing(self) -> bool:
        return self.status in ("无人接班", "无人交班")


def handovers(
    instance: Instance, assignments: Iterable[Assignment], required: dict[tuple[dt.date, str, str], int]
) -> list[Handover]:
    """Each handover inside the horizon, per role; `required` is people needed per (date, shift, role)."""
    at_time = instance.scenario.contract.handover_time if instance.scenario.contract else None
    on_duty: dict[tuple[dt.date, str, str], list[str]] = defaultdict(list)
    for a in assignments:
        on_duty[a.date, a.shift, a.role].append(a.staff_id)
    out = []
    posts = [r for r in instance.roles if not r.side]
    for date in instance.dates:
        for before in instance.work_shifts:
            if not instance.shift_on(before, date):
                continue
            at = before.end_on(date)
            if at_time is not None and at.time() != at_time:
                continue
            for after in instance.work_shifts:
                if (
                    after.start != at.time()
                    or at.date() > instance.end
                    or not instance.shift_on(after, at.date())
                ):
                    continue
                for role in posts:
                    outgoing = tuple(sorted(on_duty.get((date, before.id, role.id), [])))
                    incoming = tuple(sorted(on_duty.get((at.date(), after.id, role.id), [])))
                    req_in = required.get((at.date(), after.id, role.id), 0)
                    req_out = required.get((date, before.id, role.id), 0)
                    if outgoing or incoming or req_in or req_out:
                        out.append(
                            Handover(at, role.id, before.id, after.id, outgoing, incoming, req_in, req_out)
                        )
    order = [r.id for r in instance.roles]
    out.sort(key=lambda h: (h.at, order.index(h.role)))
    return out
