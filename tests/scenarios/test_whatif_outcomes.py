"""The example what-ifs in scenarios/whatif/: each file's expected outcome (scenarios/README.md).

Coverage figures are level 1 alone, proved optimal group by group over short horizons, so they
are exact and fast; the README gives the `roster compare` command that prints the same numbers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.loader import load_scenario
from planner.check.score import unmet_requests
from planner.contract.replacement import check_changes
from planner.engine.probes import ProbeOptions, level1_probe
from planner.engine.solve import solve
from planner.problem.decompose import split
from planner.problem.instance import Instance
from planner.problem.results import SolveOptions

ROOT = Path(__file__).resolve().parents[2]
WHATIF = ROOT / "scenarios" / "whatif"
FILES = sorted(WHATIF.glob("*.yaml"))
D = dt.date.fromisoformat
FAST = ProbeOptions(time_limit=10, workers=2)


def load(name: str):
    return load_scenario(WHATIF / f"{name}.yaml")


def level1_by_group(scenario, start: str, end: str) -> dict[str, int]:
    """Least coverage shortfall of each independent group of roles, each proved optimal."""
    out = {}
    for roles, sub in split(Instance(scenario, D(start), D(end))):
        probe = level1_probe(sub, FAST)
        assert probe.status == "OPTIMAL", roles
        out["+".join(roles)] = probe.value
    return out


@pytest.fixture(scope="module")
def contract():
    return load_scenario(ROOT / "scenarios" / "contract-2026.yaml")


def test_the_examples_exist_and_extend_the_contract():
    assert [p.stem for p in FILES] == [
        "cross-train-av-on-video",
        "hire-2-more",
        "lianghui-2027",
        "second-manager",
        "spring-festival-leave",
        "tender-floors",
        "video-leaves-with-notice",
        "video-leaves-without-notice",
    ]
    for path in FILES:
        s = load_scenario(path)
        assert Path(s.sources[0]).name == "contract-2026.yaml", path.name
        assert s.name.startswith("假设："), path.name


# -- 两会 2027 --------------------------------------------------------------------------------
def test_lianghui_adds_one_video_and_one_av_by_day(contract):
    inst = Instance(load("lianghui-2027"), D("2027-03-02"), D("2027-03-14"))
    assert inst.required(D("2027-03-03"), "D", "video") == 4  # workday 3 + 1
    assert inst.required(D("2027-03-03"), "D", "av") == 3  # workday 2 + 1
    assert inst.required(D("2027-03-03"), "N", "video") == 1  # nights unchanged
    assert inst.required(D("2027-03-02"), "D", "video") == 3  # the day before
    assert inst.required(D("2027-03-14"), "D", "video") == 1  # Sunday after: rest-day minimum


@pytest.mark.slow
def test_lianghui_shortfall_grows_by_two_in_av(contract):
    """The contract's own reinforced duty already adds a video engineer by day for the 两会
    (shortfall 3 instead of 1 without it); the what-if adds an AV engineer: +2 short in AV."""
    base = level1_by_group(contract, "2027-03-03", "2027-03-05")
    variant = level1_by_group(load("lianghui-2027"), "2027-03-03", "2027-03-05")
    assert base == {"manager": 0, "video": 3, "image": 0, "av": 1, "desk": 0}
    assert variant == {"manager": 0, "video": 3, "image": 0, "av": 3, "desk": 0}


# -- 王冰强 leaves ----------------------------------------------------------------------------
def test_leaving_with_notice_keeps_every_rule():
    s = load("video-leaves-with-notice")
    assert s.person("S04").end_date == D("2027-03-01")
    assert s.person("S14").start_date == D("2027-02-25")
    report = check_changes(s)
    assert report.ok
    [c] = report.changes
    assert c.gap_days == 0 and c.breach is False
    assert (report.points, report.penalty_cny, report.exposure_cny) == (-3, 0, 0)


def test_leaving_without_notice_breaks_notice_time_and_headcount():
    report = check_changes(load("video-leaves-without-notice"))
    [c] = report.changes
    assert {r: c.check(r).verdict for r in ("notice", "on_time", "qualified", "headcount")} == {
        "notice": "broken", "on_time": "broken", "qualified": "kept", "headcount": "broken",
    }  # fmt: skip
    assert (c.gap_days, c.gap_first, c.gap_last) == (8, D("2027-03-02"), D("2027-03-09"))
    assert report.penalty_cny == pytest.approx(29937)
    assert report.points == -3
    assert report.termination.verdict == "kept"
    assert report.ok is False


@pytest.mark.slow
def test_handover_overlap_lowers_video_shortfall_and_the_roster_honours_the_dates(contract):
    """Five days with S04 and S14 both on the books: 5 video engineers instead of 4."""
    s = load("video-leaves-with-notice")
    assert level1_by_group(contract, "2027-02-23", "2027-03-03")["video"] == 5
    assert level1_by_group(s, "2027-02-23", "2027-03-03")["video"] == 3
    result = solve(Instance(s, D("2027-02-23"), D("2027-03-03")), SolveOptions(time_limit=5, workers=2))
    dates = {p: [a.date for a in result.roster.assignments if a.staff_id == p] for p in ("S04", "S14")}
    assert dates["S04"] and max(dates["S04"]) <= D("2027-03-01")
    assert dates["S14"] and min(dates["S14"]) >= D("2027-02-25")
    assert result.validation.ok


@pytest.mark.slow
def test_the_gap_without_notice_costs_seven_video_shifts(contract):
    """03-02 .. 03-09 with 3 video engineers, the 两会's reinforced duty included: shortfall 14
    against 7 with all four."""
    assert level1_by_group(contract, "2027-03-02", "2027-03-09")["video"] == 7
    assert level1_by_group(load("video-leaves-without-notice"), "2027-03-02", "2027-03-09")["video"] == 14


# -- Spring Festival leave --------------------------------------------------------------------
@pytest.mark.slow
def test_spring_festival_leave_costs_video_three_and_image_one_shift(contract):
    """Against the holiday's reinforced duty (one more video engineer by day and by night), two
    video engineers' leave costs three video shifts, one image engineer's one."""
    base = level1_by_group(contract, "2027-02-04", "2027-02-11")
    variant = level1_by_group(load("spring-festival-leave"), "2027-02-04", "2027-02-11")
    assert base == {"manager": 1, "video": 5, "image": 0, "av": 1, "desk": 0}
    assert variant == {"manager": 1, "video": 8, "image": 1, "av": 1, "desk": 0}


@pytest.mark.slow
def test_spring_festival_leave_is_honoured_and_three_request_weights_stay_unmet():
    """The absences are hard; the requests are level 4, proved optimal under the levels above."""
    s = load("spring-festival-leave")
    inst = Instance(s, D("2027-02-04"), D("2027-02-11"))
    result = solve(inst, SolveOptions(time_limit=20, workers=2))
    assert result.proven
    worked_on_leave = [
        a
        for a in result.roster.assignments
        if any(x.staff == a.staff_id and x.covers(a.date) for x in s.absences)
    ]
    assert worked_on_leave == []
    # Proven under the levels above: the reinforced duty leaves room for fewer wishes, and the
    # manager's night stay (coverage, level 1) outranks his wish for 02-08 off.
    assert result.level("requests").value == 4
    unmet = {(r.staff, r.date) for r in unmet_requests(inst, list(result.roster.assignments))}
    assert ("S01", D("2027-02-08")) in unmet
    assert any(
        a.staff_id == "S01" and a.date == D("2027-02-08") and a.shift == "NS"
        for a in result.roster.assignments
    )
    assert result.validation.ok


# -- hire 2 more, cross-train the AV team on video ---------------------------------------------
@pytest.mark.slow
def test_hiring_a_video_and_an_av_engineer_closes_both_gaps_in_a_week(contract):
    base = level1_by_group(contract, "2026-12-07", "2026-12-13")
    variant = level1_by_group(load("hire-2-more"), "2026-12-07", "2026-12-13")
    assert base == {"manager": 1, "video": 2, "image": 0, "av": 2, "desk": 0}
    assert variant == {"manager": 1, "video": 0, "image": 0, "av": 0, "desk": 0}


@pytest.mark.slow
def test_cross_training_av_on_video_joins_the_groups_but_gains_nothing(contract):
    """Both teams are short at the same time, so shared skills move the gap, not shrink it."""
    s = load("cross-train-av-on-video")
    assert all("video" in s.person(p).all_skills for p in ("S10", "S11", "S12"))
    base = level1_by_group(contract, "2026-12-07", "2026-12-13")
    variant = level1_by_group(s, "2026-12-07", "2026-12-13")
    assert variant == {"manager": 1, "video+av": 4, "image": 0, "desk": 0}
    assert variant["video+av"] == base["video"] + base["av"]


# -- the tender's 24-hour floors --------------------------------------------------------------
def test_the_tender_floors_double_the_video_night_and_cost_shortfall(contract):
    floors = load("tender-floors")
    inst = Instance(floors, D("2026-12-05"), D("2026-12-07"))  # Sat, Sun, Mon
    assert inst.required(D("2026-12-07"), "N", "video") == 2  # tender 2.1.1.3(2): 2 around the clock
    assert inst.required(D("2026-12-05"), "D", "video") == 2
    assert inst.required(D("2026-12-07"), "D", "video") == 3  # the contract's workday 3 stays
    base = level1_by_group(contract, "2026-12-05", "2026-12-07")
    variant = level1_by_group(floors, "2026-12-05", "2026-12-07")
    assert variant["video"] > base["video"]
    assert {k: v for k, v in variant.items() if k != "video"} == {
        k: v for k, v in base.items() if k != "video"
    }


# -- presence and side duties (in the contract scenario itself) -------------------------------
@pytest.mark.slow
def test_the_contract_shows_the_night_stay_gap_and_keeps_the_phone_answered(contract):
    """One manager at most 10 nights a month (assumption): 21 of December's 31 nights without
    the manager on the premises; the desk phone answered on every shift by engineers on duty."""
    inst = Instance(contract, D("2026-12-01"), D("2026-12-31"))
    result = solve(inst, SolveOptions(time_limit=60, workers=2))
    assert result.proven and result.validation.ok
    by = {(s.shift, s.role): [] for s in result.validation.slots}
    for s in result.validation.slots:
        by[s.shift, s.role].append(s)
    assert sum(s.shortfall for s in by["NS", "manager"]) == 21
    assert all(s.shortfall == 0 for key in (("D", "phone"), ("N", "phone")) for s in by[key])
    for p in inst.staff:
        if p.id != "S01":
            duty = [
                a for a in result.roster.assignments if a.staff_id == p.id and inst.is_duty(a.date, a.shift)
            ]
            assert len(duty) >= 2, p.id  # tender 2.2.3(1): everyone takes duty


@pytest.mark.slow
def test_a_second_manager_halves_the_empty_nights():
    """Two managers at 10 night stays each: 11 of December's nights still empty, not 21."""
    s = load("second-manager")
    result = solve(Instance(s, D("2026-12-01"), D("2026-12-31")), SolveOptions(time_limit=60, workers=2))
    assert result.proven and result.validation.ok
    empty = [x for x in result.validation.slots if x.shift == "NS" and x.shortfall]
    assert len(empty) == 11
    stays = [a for a in result.roster.assignments if a.shift == "NS"]
    assert {p: sum(a.staff_id == p for a in stays) for p in ("S01", "S14")} == {"S01": 10, "S14": 10}
