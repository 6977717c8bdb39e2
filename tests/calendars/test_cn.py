"""China's kinds of day: the official 2026 arrangement, provisional 2027, override files, contract counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from calendars import scenario_days
from calendars.cn import OVERRIDE_DIR, ChinaCalendar, calendar_days, daterange, read_override
from models.loader import ScenarioError, load_scenario

D = dt.date.fromisoformat

# 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), transcribed by hand from the notice.
STATUTORY_2026 = {
    D("2026-01-01"): "元旦",
    D("2026-02-16"): "农历除夕",
    D("2026-02-17"): "春节",
    D("2026-02-18"): "春节",
    D("2026-02-19"): "春节",
    D("2026-04-05"): "清明节",
    D("2026-05-01"): "劳动节",
    D("2026-05-02"): "劳动节",
    D("2026-06-19"): "端午节",
    D("2026-09-25"): "中秋节",
    D("2026-10-01"): "国庆节",
    D("2026-10-02"): "国庆节",
    D("2026-10-03"): "国庆节",
}
# Weekend days worked (调休上班): Sun, Sat, Sat, Sat, Sun, Sat.
MAKEUP_2026 = {
    D(x) for x in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")
}
# Weekdays off that are not statutory: adjusted (调休) and substitute (补假) days off, all rest days.
DAYS_OFF_2026 = {
    D(x)
    for x in (
        "2026-01-02",  # 元旦 调休
        "2026-02-20",  # 春节 调休
        "2026-02-23",  # 春节 调休
        "2026-04-06",  # 清明 补假 for Sunday 04-05
        "2026-05-04",  # 劳动节 补假 for Saturday 05-02
        "2026-05-05",  # 劳动节 调休
        "2026-10-05",  # 国庆 补假 for Saturday 10-03
        "2026-10-06",  # 国庆 调休
        "2026-10-07",  # 国庆 调休
    )
}
FILE_2026 = str(OVERRIDE_DIR / "2026.yaml")
CONTRACT_START, CONTRACT_END = D("2026-06-15"), D("2027-06-14")


def expected_kind_2026(date: dt.date) -> str:
    if date in STATUTORY_2026:
        return "holiday"
    if date in MAKEUP_2026:
        return "workday"
    if date in DAYS_OFF_2026 or date.weekday() >= 5:
        return "restday"
    return "workday"


def test_pinned_2026_sets_are_consistent() -> None:
    """The hand-written sets agree with themselves: make-ups on weekends, days off on weekdays."""
    assert len(STATUTORY_2026) == 13 and len(MAKEUP_2026) == 6 and len(DAYS_OFF_2026) == 9
    assert all(d.weekday() >= 5 for d in MAKEUP_2026)
    assert all(d.weekday() < 5 for d in DAYS_OFF_2026)
    assert not (set(STATUTORY_2026) & MAKEUP_2026) and not (set(STATUTORY_2026) & DAYS_OFF_2026)


@pytest.fixture(
    scope="module",
    params=[pytest.param((), id="package"), pytest.param((FILE_2026,), id="calendars-cn-2026.yaml")],
)
def calendar_2026(request: pytest.FixtureRequest) -> ChinaCalendar:
    """2026 both as the `holidays` package knows it and as our override file transcribes it."""
    return ChinaCalendar(request.param)


def test_2026_statutory_holidays(calendar_2026: ChinaCalendar) -> None:
    year = calendar_2026.year(2026)
    assert year.holidays == STATUTORY_2026
    assert not year.provisional
    for date, name in STATUTORY_2026.items():
        assert calendar_2026.day(date) == ("holiday", name, False)


def test_2026_makeup_workdays(calendar_2026: ChinaCalendar) -> None:
    assert set(calendar_2026.year(2026).makeup) == MAKEUP_2026
    for date in MAKEUP_2026:
        kind, name, _ = calendar_2026.day(date)
        assert kind == "workday" and name, date


def test_2026_adjusted_and_substitute_days_off(calendar_2026: ChinaCalendar) -> None:
    assert set(calendar_2026.year(2026).days_off) == DAYS_OFF_2026
    for date in DAYS_OFF_2026:
        kind, name, _ = calendar_2026.day(date)
        assert kind == "restday" and name, date


def test_2026_every_day_has_the_official_kind(calendar_2026: ChinaCalendar) -> None:
    days = calendar_days(calendar_2026, D("2026-01-01"), D("2026-12-31"))
    assert len(days) == 365
    wrong = [(d.date, d.kind) for d in days if d.kind != expected_kind_2026(d.date)]
    assert wrong == []
    assert not any(d.provisional for d in days)


def test_package_and_override_file_agree_day_by_day() -> None:
    package, official = ChinaCalendar(), ChinaCalendar([FILE_2026])
    assert official.year(2026).source.endswith("2026.yaml")  # the file really is in use
    assert package.year(2026).source.startswith("holidays ")
    for date in daterange(D("2026-01-01"), D("2026-12-31")):
        p_kind, p_name, p_prov = package.day(date)
        o_kind, o_name, o_prov = official.day(date)
        assert (p_kind, p_prov) == (o_kind, o_prov), date
        if p_kind == "holiday":
            assert p_name == o_name, date


def test_override_file_2026_cites_its_notice() -> None:
    override = read_override(FILE_2026)
    assert override.year == 2026
    assert override.notice.date == D("2025-11-04")
    assert "2026年部分节假日安排" in override.notice.title


@pytest.mark.parametrize("year", [2025, 2026])
def test_thirteen_statutory_days_a_year_since_2025(year: int) -> None:
    assert len(ChinaCalendar().year(year).holidays) == 13


def test_2027_is_provisional_without_an_override() -> None:
    cal = ChinaCalendar()
    assert cal.year(2027).provisional
    assert cal.provisional_years(range(2025, 2028)) == [2027]
    assert cal.day(D("2027-03-01")) == ("workday", None, True)
    assert cal.day(D("2027-01-01"))[2] is True
    assert cal.day(D("2026-12-31"))[2] is False


TINY_2027 = """\
# A made-up 2027 arrangement: only for tests.
year: 2027
notice: {title: 测试用通知（虚构）, date: 2026-11-01}
holidays:
  2027-01-01: 元旦
  2027-02-06: 春节
days_off:
  2027-02-08: 春节假期（调休）
makeup_workdays: [2027-02-20]
"""


def test_2027_override_makes_it_official_and_replaces_the_package_year(write_yaml) -> None:
    path = str(write_yaml(TINY_2027, "2027.yaml"))
    cal = ChinaCalendar([path])
    assert cal.provisional_years([2026, 2027]) == []
    assert cal.day(D("2027-01-01")) == ("holiday", "元旦", False)
    assert cal.day(D("2027-02-06")) == ("holiday", "春节", False)
    assert cal.day(D("2027-02-08")) == ("restday", "春节假期（调休）", False)  # a Monday
    assert cal.day(D("2027-02-20")) == ("workday", "调休上班", False)  # a Saturday; a list gives no name
    # The package's own 2027 days are gone, not merged: 除夕 (Fri 02-05), 补假 (Tue 02-09), 端午 (Wed 06-09).
    assert ChinaCalendar().day(D("2027-02-05"))[0] == "holiday"
    for date in ("2027-02-05", "2027-02-09", "2027-06-09"):
        assert cal.day(D(date)) == ("workday", None, False), date
    assert len(cal.year(2027).holidays) == 2
    # Other years are untouched, and a calendar without the file still says provisional.
    assert cal.day(D("2026-10-01")) == ("holiday", "国庆节", False)
    assert ChinaCalendar().year(2027).provisional


def test_scenario_override_path_is_relative_to_the_scenario(write_yaml, scenarios_dir: Path) -> None:
    write_yaml(TINY_2027, "cn-2027.yaml")
    contract_file = (scenarios_dir / "contract-2026.yaml").resolve()
    path = write_yaml(f"extends: {contract_file}\ncalendar: {{overrides: [cn-2027.yaml]}}\n", "official.yaml")
    s = load_scenario(path)
    assert len(s.calendar.overrides) == 1 and Path(s.calendar.overrides[0]).is_absolute()
    days = scenario_days(s, CONTRACT_START, CONTRACT_END)
    assert not any(d.provisional for d in days)
    assert {d.date for d in days if d.kind == "holiday" and d.date.year == 2027} == {
        D("2027-01-01"),
        D("2027-02-06"),
    }


@pytest.mark.parametrize(
    ("text", "key", "value", "message", "needle"),
    [
        pytest.param(
            TINY_2027.replace("2027-02-06: 春节", "2028-02-06: 春节"),
            "holidays", D("2028-02-06"), "date is not in the file's year 2027", "2028-02-06",
            id="holiday-outside-year",
        ),
        pytest.param(
            TINY_2027.replace("[2027-02-20]", "[2026-12-26]"),
            "makeup_workdays", D("2026-12-26"), "date is not in the file's year 2027", "2026-12-26",
            id="makeup-outside-year",
        ),
        pytest.param(
            TINY_2027.replace("notice: {title: 测试用通知（虚构）, date: 2026-11-01}\n", ""),
            "notice", None, "missing required key 'notice'", None,
            id="missing-notice",
        ),
        pytest.param(
            TINY_2027 + "bogus: 1\n", "bogus", 1, "Extra inputs are not permitted", "bogus",
            id="unknown-key",
        ),
        pytest.param(
            TINY_2027.replace("[2027-02-20]", "[2027-02-20, 2027-02-06]"),
            "makeup_workdays", D("2027-02-06"), "date is also in holidays", "2027-02-20, 2027-02-06",
            id="makeup-and-holiday",
        ),
        pytest.param(
            TINY_2027.replace("[2027-02-20]", "[2027-02-17]"),
            "makeup_workdays", D("2027-02-17"), "a make-up workday (调休上班) falls on a Saturday or Sunday",
            "2027-02-17", id="makeup-on-a-weekday",
        ),
        pytest.param(
            TINY_2027.replace("  2027-02-08: 春节假期（调休）", "  2027-02-06: 春节假期（调休）"),
            "days_off", D("2027-02-06"), "date is also in holidays", "2027-02-06: 春节假期",
            id="day-off-and-holiday",
        ),
    ],
)  # fmt: skip
def test_bad_override_file_is_refused(write_yaml, text: str, key: str, value, message: str, needle) -> None:
    """Refused with file, key, line (where the key exists) and value, like a scenario file."""
    path = write_yaml(text, "2027.yaml")
    with pytest.raises(ScenarioError) as info:
        ChinaCalendar([str(path)])
    err = info.value
    line = None if needle is None else next(i for i, x in enumerate(text.splitlines(), 1) if needle in x)
    assert (err.file, err.key, err.line, err.value, err.message) == (str(path), key, line, value, message)
    assert path.name in str(err) and message in str(err)


def test_two_overrides_for_one_year_are_refused(write_yaml) -> None:
    first = write_yaml(TINY_2027, "a-2027.yaml")
    second = write_yaml(TINY_2027, "b-2027.yaml")
    with pytest.raises(ScenarioError, match="a second override file for this year"):
        ChinaCalendar([str(first), str(second)])


# -- the contract period ------------------------------------------------------------------------


def test_contract_period_counts(contract) -> None:
    days = scenario_days(contract, CONTRACT_START, CONTRACT_END)
    kinds = Counter(d.kind for d in days)
    assert len(days) == 365
    # contract-facts.md says "245 workdays", but 245 + 97 + 14 + 7 = 363 ≠ 365: 247 = 245 Mon–Fri + 2 make-up.
    assert kinds == {"workday": 247, "restday": 104, "holiday": 14}
    makeup = [d.date for d in days if d.kind == "workday" and d.date.weekday() >= 5]
    assert makeup == [D("2026-09-20"), D("2026-10-10")]
    assert sum(d.kind == "restday" and d.date.weekday() >= 5 for d in days) == 97
    adjusted = [d.date for d in days if d.kind == "restday" and d.date.weekday() < 5]
    assert len(adjusted) == 7
    # 2026: 10-05 补假, 10-06 and 10-07 调休. 2027 (provisional, package rules): 春节 and 劳动节 补假.
    assert adjusted[:3] == [D("2026-10-05"), D("2026-10-06"), D("2026-10-07")]
    assert sum(d.kind == "holiday" and d.date.year == 2026 for d in days) == 5  # 端午, 中秋, 国庆 ×3


def test_contract_period_provisional_exactly_in_2027(contract) -> None:
    days = scenario_days(contract, CONTRACT_START, CONTRACT_END)
    assert all(d.provisional == (d.date.year == 2027) for d in days)
    assert sum(d.provisional for d in days) == 165  # 2027-01-01 .. 2027-06-14


def test_surges_appear_on_their_days(scenarios_dir: Path) -> None:
    s = load_scenario(scenarios_dir / "surges-beijing-2026-2027.yaml")
    days = {d.date: d for d in scenario_days(s, CONTRACT_START, CONTRACT_END)}
    assert days[D("2026-06-15")].surges == ("汛期",)
    assert days[D("2026-07-25")].surges == ("汛期", "主汛期（七下八上）")
    assert days[D("2026-09-16")].surges == ()
    assert days[D("2026-10-01")].surges == ("加强值班·国庆节（假设）",)  # the contract's own
    assert days[D("2027-03-10")].surges == ("加强值班·全国两会（假设）", "森林防火期")
    assert days[D("2027-03-20")].surges == ("森林防火期", "森林防火关键期")
    assert days[D("2027-06-14")].surges == ()
    per_surge = Counter(name for d in days.values() for name in d.surges)
    contract_days = {name: n for name, n in per_surge.items() if name.startswith("加强值班")}
    assert sum(contract_days.values()) == 14 + 11  # the 14 statutory holidays and the 两会
    assert {k: v for k, v in per_surge.items() if k not in contract_days} == {
        "汛期": 93, "主汛期（七下八上）": 22, "森林防火期": 212, "北京市两会": 11, "森林防火关键期": 32,
    }  # fmt: skip


def test_the_contracts_reinforced_duty_falls_on_every_statutory_holiday(contract) -> None:
    """Tender 2.2.3(1): statutory holidays need reinforced (7×24) duty; the contract scenario
    marks each of them, and the 两会, as an assumed surge."""
    days = scenario_days(contract, CONTRACT_START, CONTRACT_END)
    holidays = {d.date for d in days if d.kind == "holiday"}
    reinforced = {d.date for d in days if d.surges}
    assert len(holidays) == 14 and holidays <= reinforced
    assert reinforced - holidays == {D("2027-03-03") + dt.timedelta(days=i) for i in range(11)}
