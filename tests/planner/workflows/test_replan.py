"""Re-planning a published roster: frozen past, fewest changes, who must be told."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.errors import InputError
from models.scenario import Absence, Scenario
from planner.check.score import changed_assignments
from planner.check.validate import validate
from planner.engine.solve import solve
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions
from planner.store import service
from planner.store.db import Store
from planner.store.service import NewRecord
from planner.workflows.replan import notices, parse_absence, replan
from tests.planner.store.conftest import START, store_roster

END = START + dt.timedelta(days=6)
FAST = SolveOptions(time_limit=4, workers=1, seed=1)


def day(i: int) -> dt.date:
    return START + dt.timedelta(days=i)


@pytest.fixture
def published(store: Store, tiny: Scenario) -> service.VersionInfo:
    """A solved, published week of the tiny scenario."""
    result = solve(Instance(tiny, START, END), FAST)
    return store_roster(store, tiny, result.roster, author="测试").version


def working(roster, staff: str) -> list[dt.date]:
    return sorted({a.date for a in roster.assignments if a.staff_id == staff})


def busiest(store: Store, v: service.VersionInfo, after: dt.date) -> str:
    """Someone in role a with shifts on two dates from `after` on (so a sick day matters)."""
    roster = service.version_roster(store, v.id)
    for staff in ("P1", "P2", "P3"):
        if len([d for d in working(roster, staff) if d >= after]) >= 2:
            return staff
    raise AssertionError("nobody works twice")


@pytest.mark.slow
def test_replan_after_recorded_sick_days(
    store: Store, tiny: Scenario, published: service.VersionInfo
) -> None:
    sick_from = day(3)
    person = busiest(store, published, sick_from)
    service.add_record(store, NewRecord("sick", person, sick_from, day(4), "组长", "发烧"))
    before = service.actual_roster(store, START, END).roster
    result = replan(store, sick_from, options=FAST)

    new = result.roster
    assert result.solve.validation.ok
    assert {a for a in new.assignments if a.date < sick_from} == {
        a for a in before.assignments if a.date < sick_from
    }
    assert not [d for d in working(new, person) if sick_from <= d <= day(4)]
    assert result.absences == (Absence(staff=person, start=sick_from, end=day(4), kind="sick"),)
    # The stability level is the independent count of changed cells, and the list to tell
    # covers exactly the (person, date) pairs whose shifts differ.
    assert result.changed_assignments == changed_assignments(before, new, sick_from, END)
    diff = {(a.staff_id, a.date) for a in set(before.assignments) ^ set(new.assignments)}
    assert {(n.staff_id, n.date) for n in result.notices} == diff
    assert all(n.date >= sick_from for n in result.notices)
    # Coverage is never worse than simply leaving the holes.
    inst = result.instance
    assert sum(s.shortfall for s in result.solve.validation.slots) <= sum(
        s.shortfall for s in validate(inst, before).slots
    )


@pytest.mark.slow
def test_replan_publish_supersedes_and_keeps_absences(
    store: Store, tiny: Scenario, published: service.VersionInfo, tmp_path: Path
) -> None:
    person = busiest(store, published, day(2))
    result = replan(
        store,
        day(2),
        absences=[parse_absence(f"{person}:{day(2)}..{day(3)}")],
        options=FAST,
        out_dir=tmp_path / "out",
        publish=True,
        author="组长",
    )
    assert result.published is not None
    v = result.published.version
    assert (v.status, v.origin, v.based_on, v.author) == ("published", "replan", published.id, "组长")
    assert result.published.superseded == {published.id: [day(i) for i in range(7)]}
    actual = service.actual_roster(store, START, END)
    assert set(actual.version_by_date.values()) == {v.id}
    assert actual.roster == result.roster
    # The new version's scenario is the what-if: the absence is part of it from now on.
    scenario = service.version_scenario(store, v.id)
    assert scenario.absent(person, day(3)) and not scenario.absent(person, day(4))
    assert service.version_snapshot(store, v.id).main_path == f"replan-v1-from-{day(2)}.yaml"
    # Files written: the solve outputs, the list to tell, and the scenario files.
    assert {p.name for p in result.paths.values()} == {
        "roster.csv",
        "roster.xlsx",
        "summary.json",
        "notices.csv",
    }
    lines = (tmp_path / "out" / "notices.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "工号,姓名,日期,原安排,新安排" and len(lines) == len(result.notices) + 1
    assert (tmp_path / "out" / "scenario" / "tiny.yaml").exists() and result.scenario_file.exists()
    assert result.scenario_file.parent == tmp_path / "out" / "scenario"


@pytest.mark.slow
def test_until_keeps_the_dates_after_it(store: Store, tiny: Scenario, published: service.VersionInfo) -> None:
    person = busiest(store, published, day(2))
    result = replan(
        store,
        day(2),
        until=day(3),
        absences=[Absence(staff=person, start=day(2), end=day(3), kind="sick")],
        options=FAST,
    )
    before = service.actual_roster(store, START, END).roster
    after_until = lambda r: {(a.staff_id, a.date, a.shift) for a in r.assignments if a.date > day(3)}  # noqa: E731
    assert after_until(result.roster) == after_until(before)
    assert result.until == day(3)


def test_notices_describe_old_and_new_in_chinese(tiny: Scenario) -> None:
    from models.roster import Assignment, Roster

    old = Roster(
        start=START, end=START, assignments=(Assignment(date=START, shift="N", staff_id="P2", role="a"),)
    )
    new = Roster(
        start=START, end=START, assignments=(Assignment(date=START, shift="D", staff_id="P3", role="b"),)
    )
    sick = tiny.model_copy(update={"absences": (Absence(staff="P2", start=START, end=START, kind="sick"),)})
    items = notices(old, new, sick, START)
    assert [(n.staff_id, n.old_text, n.new_text) for n in items] == [
        ("P2", "夜班 N（16:00–次日08:00，甲岗）", "休息（病假）"),
        ("P3", "休息", "白班 D（08:00–16:00，乙岗）"),
    ]
    assert items[0].text == f"P2 李二 {START}：夜班 N（16:00–次日08:00，甲岗） → 休息（病假）"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S02:2026-12-10..2026-12-11", ("S02", dt.date(2026, 12, 10), dt.date(2026, 12, 11), "sick")),
        ("S02:2026-12-10", ("S02", dt.date(2026, 12, 10), dt.date(2026, 12, 10), "sick")),
        (
            "S02:2026-12-10..2026-12-12:annual",
            ("S02", dt.date(2026, 12, 10), dt.date(2026, 12, 12), "annual"),
        ),
    ],
)
def test_parse_absence(text: str, expected: tuple) -> None:
    a = parse_absence(text)
    assert (a.staff, a.start, a.end, a.kind) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("S02", "write it as STAFF:"),
        ("S02:2026-12-11..2026-12-10", "end 2026-12-10 is before start"),
        ("S02:2026-02-30", "day is out of range"),
        ("S02:2026-12-10:holiday", "kind 'holiday' is not one of"),
    ],
)
def test_parse_absence_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_absence(text)


def test_replan_refuses_dates_it_cannot_plan(store: Store, tiny: Scenario) -> None:
    from tests.planner.store.conftest import hand_roster

    store_roster(store, tiny, hand_roster(), author="x")
    with pytest.raises(InputError, match="没有已发布的排班"):
        replan(store, day(9))
    with pytest.raises(InputError, match="--until"):
        replan(store, day(2), until=day(9))
    with pytest.raises(InputError, match="已冻结"):
        replan(store, day(2), absences=[Absence(staff="P1", start=day(1), end=day(2), kind="sick")])
    with pytest.raises(InputError, match="unknown staff id"):
        replan(store, day(2), absences=[Absence(staff="P9", start=day(2), end=day(2), kind="sick")])


def test_a_replan_folder_can_be_published_later_by_another_process(
    store: Store, tiny: Scenario, published: service.VersionInfo, tmp_path: Path
) -> None:
    """summary.json names the scenario files written to OUT/scenario, not a temporary folder,
    so `roster publish OUT` works after the re-planning process has ended."""
    import json
    import subprocess
    import sys

    person = busiest(store, published, day(2))
    out = tmp_path / "out"
    replan(store, day(2), absences=[parse_absence(f"{person}:{day(2)}..{day(2)}")], options=FAST, out_dir=out)
    sources = json.loads((out / "summary.json").read_text(encoding="utf-8"))["sources"]
    assert Path(sources[-1]).resolve().parent == (out / "scenario").resolve()
    run = subprocess.run(
        [str(Path(sys.executable).with_name("roster")), "publish", str(out), "--db", store.url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "已发布 版本 #2" in run.stdout
