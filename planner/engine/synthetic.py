"""A generated multi-site instance for benchmarks: 10 sites, 150 people, 28 days.

Each site has an operations and a technical role; a few people per site are cross-trained,
and one floater per site also covers the next site's technical role, which links all sites
into one model (no decomposition shortcut). Absences and requests are drawn from a seeded
random generator, so the instance is the same on every run.
"""

from __future__ import annotations

import datetime as dt
import random

from models.loader import check_changed, resolve_scenario
from models.scenario import Absence, Coverage, LabourRules, Request, Role, Scenario, Shift, Staff, WorkingTime


def synthetic_scenario(sites: int = 10, people_per_site: int = 15, seed: int = 7) -> Scenario:
    rng = random.Random(seed)
    roles, staff, coverage, absences, requests = [], [], [], [], []
    start = dt.date(2027, 3, 1)
    for k in range(sites):
        ops, tech = f"site{k:02d}_ops", f"site{k:02d}_tech"
        roles += [Role(id=ops, name=f"站点{k + 1}运维"), Role(id=tech, name=f"站点{k + 1}技术")]
        coverage += [
            Coverage(role=ops, shift="D", days="workday", min=3),
            Coverage(role=ops, shift="D", days="offday", min=2),
            Coverage(role=ops, shift="N", days="all", min=1),
            Coverage(role=tech, shift="D", days="workday", min=2),
            Coverage(role=tech, shift="D", days="offday", min=1),
            Coverage(role=tech, shift="N", days="all", min=1),
        ]
        for i in range(people_per_site):
            sid = f"P{k:02d}{i:02d}"
            role = ops if i < 9 else tech
            skills: list[str] = []
            if i in (7, 8):
                skills.append(tech)  # cross-trained operators
            if i == 14:
                skills.append(f"site{(k + 1) % sites:02d}_tech")  # floater for the next site
            staff.append(Staff(id=sid, name=f"员工{k + 1}-{i + 1}", role=role, skills=tuple(skills), years=3))
            if rng.random() < 0.15:
                first = start + dt.timedelta(days=rng.randrange(0, 24))
                last = first + dt.timedelta(days=rng.randrange(1, 4))
                absences.append(Absence(staff=sid, start=first, end=last, kind="annual"))
            if rng.random() < 0.3:
                day = start + dt.timedelta(days=rng.randrange(0, 28))
                requests.append(Request(staff=sid, date=day, want=rng.choice(["on", "off"])))
    shifts = (
        Shift(id="D", name="白班", start=dt.time(8), end=dt.time(16), paid_hours=8),
        Shift(id="N", name="夜班", start=dt.time(16), end=dt.time(8), paid_hours=16),
    )
    raw = Scenario(
        version=1,
        name=f"合成实例 {sites} 站点 {sites * people_per_site} 人",
        roles=tuple(roles),
        shifts=shifts,
        staff=tuple(staff),
        coverage=tuple(coverage),
        absences=tuple(absences),
        requests=tuple(requests),
        # The contract's design: the 16 h night needs the comprehensive-hours system (劳动法 39).
        rules=LabourRules(working_time=WorkingTime(system="comprehensive", max_hours_per_day=16)),
    )
    return check_changed(resolve_scenario(raw), "synthetic")


SYNTHETIC_START = dt.date(2027, 3, 1)
SYNTHETIC_END = dt.date(2027, 3, 28)
