"""One .ics per person: the files parse, hold one event per assignment, at the shift's real times."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import icalendar

from planner.reports.ics import person_calendars
from planner.workflows.save import write_person_calendars
from tests.planner.reports import sample
from tests.planner.reports.sample import FULL, roster

TZ = ZoneInfo("Asia/Shanghai")


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_one_file_per_person_one_event_per_assignment(tmp_path):
    scenario = sample.load(tmp_path)
    inst = sample.instance(scenario)
    paths = write_person_calendars(tmp_path / "ics", inst, roster(FULL))
    assert sorted(p.name for p in paths) == sorted(f"{p.id}.ics" for p in scenario.staff)
    expected = Counter(staff for _, _, staff, _ in FULL)
    for path in paths:
        evs = events(path.read_bytes())
        assert len(evs) == expected.get(path.stem, 0), path.name
        assert len({str(e["UID"]) for e in evs}) == len(evs)
    assert not list((tmp_path / "ics").glob(".*.tmp"))


def test_event_times_and_labels(tmp_path):
    inst = sample.instance(sample.load(tmp_path))
    cals = person_calendars(inst, roster(FULL))
    s03 = {e.decoded("dtstart").date(): e for e in events(cals["S03"])}
    night = s03[dt.date(2026, 10, 4)]
    # The night shift starts 16:00 and ends 08:00 the next day, China Standard Time.
    assert night.decoded("dtstart") == dt.datetime(2026, 10, 4, 16, 0, tzinfo=TZ)
    assert night.decoded("dtend") == dt.datetime(2026, 10, 5, 8, 0, tzinfo=TZ)
    assert str(night["SUMMARY"]) == "夜班（视频图像保障工程师，替岗）"
    day = s03[dt.date(2026, 10, 3)]
    assert str(day["SUMMARY"]) == "白班（视频会议保障工程师）"
    assert "法定节假日" in str(day["DESCRIPTION"])
    assert icalendar.Calendar.from_ical(cals["S03"])["X-WR-CALNAME"] == "张炜霖 值班表"


def test_uid_is_stable_across_runs(tmp_path):
    inst = sample.instance(sample.load(tmp_path))
    first = {str(e["UID"]) for e in events(person_calendars(inst, roster(FULL))["S02"])}
    again = {str(e["UID"]) for e in events(person_calendars(inst, roster(tuple(reversed(FULL))))["S02"])}
    assert first == again and len(first) == 5
