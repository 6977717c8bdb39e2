"""One iCalendar file per person, so each engineer can subscribe to their own shifts.

Events carry the shift's real start and end in Asia/Shanghai (China Standard Time, no DST), and
a UID stable across re-solves of the same person, date and shift, so a subscribed calendar
updates in place. Files hold names and shifts only: personal data stays on this machine.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import icalendar

from models.roster import Roster
from planner.check.score import in_horizon
from planner.problem.instance import Instance
from planner.problem.labels import DAY_KIND_ZH, PROVISIONAL_ZH

TZ = ZoneInfo("Asia/Shanghai")
PRODID = "-//roster-planner//排班表//ZH"
UID_DOMAIN = "roster-planner"


def ics_filename(staff_id: str) -> str:
    return f"{staff_id}.ics"


def person_calendars(
    instance: Instance, roster: Roster, stamp: dt.datetime | None = None
) -> dict[str, bytes]:
    """staff id -> .ics bytes, for every person of the scenario (an empty calendar if no shifts).

    Only assignments dated inside the instance's horizon are included, each distinct row once.
    """
    stamp = stamp or dt.datetime.now(dt.UTC)
    roles = {r.id: r.name for r in instance.roles}
    by_person = defaultdict(list)
    for a in in_horizon(instance, roster):
        by_person[a.staff_id].append(a)
    out = {}
    for person in instance.staff:
        cal = icalendar.Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", f"{person.name} 值班表")
        cal.add("x-wr-timezone", "Asia/Shanghai")
        for a in sorted(by_person.get(person.id, []), key=lambda a: (a.date, a.shift)):
            shift = instance.shift_by_id[a.shift]
            day = instance.day[a.date]
            role = roles.get(a.role, a.role)
            substitute = a.role != person.role
            lines = [
                f"{shift.name} {shift.start:%H:%M}-{shift.end:%H:%M}，"
                + (f"计薪 {shift.paid:g} 小时" if shift.works else "驻场，非工作时间"),
                f"岗位：{role}" + ("（替岗）" if substitute else ""),
                f"日类型：{DAY_KIND_ZH[day.kind]}" + (f"（{day.holiday_name}）" if day.holiday_name else ""),
            ]
            if day.provisional:
                lines.append(f"节假日安排{PROVISIONAL_ZH}")
            event = icalendar.Event()
            event.add("uid", f"{person.id}-{a.date.isoformat()}-{a.shift}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("dtstart", shift.start_on(a.date).replace(tzinfo=TZ))
            event.add("dtend", shift.end_on(a.date).replace(tzinfo=TZ))
            event.add("summary", f"{shift.name}（{role}{'，替岗' if substitute else ''}）")
            event.add("description", "\n".join(lines))
            event.add("categories", [shift.name])
            cal.add_component(event)
        cal.add_missing_timezones()
        out[person.id] = cal.to_ical()
    return out
