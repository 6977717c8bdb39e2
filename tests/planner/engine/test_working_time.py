"""Working-time systems (issue 11): the daily limit, comprehensive periods, flexible hours.

Each rule is checked in the model (trivial, infeasible, feasible), by the validator and the
scorer (without ortools), and the two must agree.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.errors import InputError
from models.roster import Roster
from planner.check.score import person_months
from planner.check.validate import validate
from planner.cli import app
from planner.engine.model import RosterModel
from planner.problem.labels import working_time_lines, working_time_summary
from tests.cli.helpers import one_line_error
from tests.planner.engine.builders import (
    assignment,
    cover,
    day,
    feasibility,
    instance,
    minimise,
    person,
    scenario,
)

ROOT = Path(__file__).resolve().parents[3]
STANDARD = {"working_time": "standard"}


def test_the_contract_with_standard_hours_is_refused_naming_the_night_and_the_limit(tmp_path: Path) -> None:
    variant = tmp_path / "standard.yaml"
    variant.write_text(
        f"extends: {ROOT / 'scenarios' / 'contract-2026.yaml'}\nrules: {{working_time: standard}}\n",
        encoding="utf-8",
    )
    line = one_line_error(CliRunner().invoke(app, ["check-scenario", str(variant)]))
    assert "shift N (夜班) is 16 h" in line and "11 h daily limit" in line


def test_a_shift_within_the_standard_limit_is_allowed_and_one_beyond_is_not() -> None:
    ok = instance(scenario([person("P1")], [cover("a", "D")], rules=STANDARD, shifts=[_shift("D", 11)]))
    assert feasibility(RosterModel(ok)) == "OPTIMAL"
    with pytest.raises(InputError, match=r"shift D .* is 12 h, longer than the 11 h daily limit"):
        instance(scenario([person("P1")], [cover("a", "D")], rules=STANDARD, shifts=[_shift("D", 12)]))


def test_one_person_under_standard_hours_cannot_work_the_night_but_others_can() -> None:
    data = scenario(
        [person("P1", rules={"working_time": "standard"}), person("P2")], [cover("a", "N", min=1)]
    )
    inst = instance(data, days=1)
    rm = RosterModel(inst)
    assert rm.v.on_shift("P1", day(1), "N")  # the variable exists...
    out = minimise(rm, "coverage")
    assert out.proven and out.value == 0
    roster = rm.v.extract(out.solver)
    assert {(a.staff_id, a.shift) for a in roster.assignments} == {("P2", "N")}
    # ...and the validator flags P1 on the night, without ortools.
    bad = Roster(start=day(1), end=day(1), assignments=(assignment(day(1), "N", "P1"),))
    rules = [v.rule for v in validate(inst, bad).hard_violations]
    assert rules == ["daily_hours"]
    # The only person who could work it is under standard hours: the night stays empty.
    alone = instance(scenario([person("P1", rules={"working_time": "standard"}), person("P2", role="b")],
                              [cover("a", "N", min=1), cover("b", "D")]))  # fmt: skip
    assert minimise(RosterModel(alone), "coverage").value == 1


def test_a_quarter_nets_overtime_across_its_months() -> None:
    """Nov 30 .. Dec 2 with two nights: monthly, each month is counted alone; under a quarterly
    comprehensive system the three days are one period whose standard and cap are the months' sums."""
    start = dt.date(2026, 11, 30)
    rows = [assignment(start, "N", "P1"), assignment(start + dt.timedelta(days=2), "N", "P1")]
    roster = Roster(start=start, end=start + dt.timedelta(days=2), assignments=tuple(rows))
    monthly = instance(scenario([person("P1")], rules={"overtime_cap": "soft"}), days=3, start=start)
    quarter = instance(
        scenario(
            [person("P1")],
            rules={"working_time": {"system": "comprehensive", "period": "quarter", "max_hours_per_day": 16}},
        ),
        days=3,
        start=start,
    )
    by_month = {r.month.key: r for r in person_months(monthly, rows)}
    assert set(by_month) == {"2026-11", "2026-12"}
    (q,) = person_months(quarter, rows)
    assert q.month.key == "2026Q4"
    # Standard and cap of the quarter are the sums of its months' (prorated at the edges).
    assert q.standard_minutes == sum(r.standard_minutes for r in by_month.values())
    assert q.cap_minutes == sum(r.cap_minutes for r in by_month.values())
    assert q.paid_minutes == 32 * 60
    assert validate(quarter, roster).scores.overtime_minutes == max(0, q.overtime_minutes - q.cap_minutes)


SYSTEMS = {
    "comprehensive/month": {"system": "comprehensive", "period": "month", "max_hours_per_day": 16},
    "comprehensive/quarter": {"system": "comprehensive", "period": "quarter", "max_hours_per_day": 16},
    "comprehensive/year": {"system": "comprehensive", "period": "year", "max_hours_per_day": 16},
    "flexible": "flexible",
}


@pytest.mark.parametrize("system", [*SYSTEMS, "standard"])
def test_solver_and_scorer_agree_under_each_system(system: str) -> None:
    """Level 2 as the model minimises it equals the scorer's count of the same roster, under
    every working-time system (standard hours with 8 h shifts only: a 16 h night is refused)."""
    if system == "standard":
        rules = {"working_time": "standard"}
        shifts = [
            _shift("D", 8),
            {"id": "E", "name": "中班", "start": "16:00", "end": "00:00", "paid_hours": 8},
        ]
        needs = [cover("a", "D", min=1), cover("a", "E", min=1)]
    else:
        rules, shifts = {"working_time": SYSTEMS[system]}, None
        needs = [cover("a", "N", min=1), cover("a", "D", min=1)]
    data = scenario(
        [person("P1"), person("P2")], needs, rules=rules, **({"shifts": shifts} if shifts else {})
    )
    inst = instance(data, days=6, start=dt.date(2026, 12, 28))  # across the year's end
    rm = RosterModel(inst)
    out = minimise(rm, "overtime", above=["coverage"])
    if system == "flexible":  # no overtime counted: the model has no level 2 at all
        assert out.status == "SKIPPED"
        out = minimise(rm, "coverage")
        assert validate(inst, rm.v.extract(out.solver)).scores.overtime_minutes == 0
        return
    assert out.proven
    roster = rm.v.extract(out.solver)
    assert validate(inst, roster).ok
    assert validate(inst, roster).scores.overtime_minutes / 60 == out.value


def test_flexible_hours_count_no_overtime() -> None:
    data = scenario([person("P1", rules={"working_time": "flexible"})], [cover("a", "D", min=1)])
    inst = instance(data, days=7, start=dt.date(2026, 12, 5))  # starts on a Saturday
    rm = RosterModel(inst)
    out = minimise(rm, "overtime", above=["coverage"])
    assert out.value == 0
    rows = person_months(inst, list(rm.v.extract(out.solver).assignments))
    assert all(r.cap_kind == "flexible" and r.excess_minutes == 0 for r in rows)


def test_every_output_names_the_system_and_the_missing_approval(tmp_path: Path) -> None:
    from models.loader import load_scenario

    contract = load_scenario(ROOT / "scenarios" / "contract-2026.yaml")
    (line,) = working_time_lines(working_time_summary(contract))
    assert "综合计算工时制（按月综合计算）" in line and "须经劳动行政部门批准" in line
    out = tmp_path / "solve"
    result = CliRunner().invoke(
        app,
        [
            "solve", str(ROOT / "scenarios" / "contract-2026.yaml"), "--start", "2026-12-01",
            "--end", "2026-12-03", "--out", str(out), "--time-limit", "20",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "须经劳动行政部门批准" in result.output
    (entry,) = json.loads((out / "summary.json").read_text(encoding="utf-8"))["working_time"]
    assert entry["system"] == "comprehensive" and entry["needs_approval"] and entry["approval"] == ""


def _shift(shift_id: str, hours: int) -> dict:
    end = f"{8 + hours:02d}:00"
    return {"id": shift_id, "name": "班", "start": "08:00", "end": end, "paid_hours": hours}


# -- hours by the clock for pay (issue 11, deliverable 3) --------------------------------------
def test_a_new_years_eve_night_puts_eight_hours_on_the_holiday() -> None:
    from planner.reports.proof import pay_rows

    eve = dt.date(2026, 12, 31)
    inst = instance(scenario([person("P1", hourly_rate=100)], [cover("a", "N")]), days=1, start=eve)
    assert inst.minutes_by_date(eve, "N") == [(eve, 480), (dt.date(2027, 1, 1), 480)]
    assert inst.minutes_by_date(eve, "D") == [(eve, 480)]
    rows = [assignment(eve, "N", "P1")]
    (month,) = person_months(inst, rows)
    assert (month.month.key, month.holiday_minutes, month.restday_minutes) == ("2026-12", 480, 0)
    (pay,) = pay_rows(inst, rows, [month])
    assert pay.holiday == 8 and pay.workday_overtime == 0  # 8 h on the workday: no excess over 8
    assert pay.provisional  # 2027's holidays are provisional until the State Council's notice


def test_a_holiday_night_into_a_rest_day_splits_its_premiums() -> None:
    third = dt.date(2026, 10, 3)  # 国庆, followed by Sunday 10-04
    inst = instance(scenario([person("P1")], [cover("a", "N")]), days=1, start=third)
    (month,) = person_months(inst, [assignment(third, "N", "P1")])
    assert (month.holiday_minutes, month.restday_minutes) == (480, 480)


def test_the_benchmarks_synthetic_instance_may_work_its_nights() -> None:
    """It is built in code, past the loader: its 16 h night needs the comprehensive system too."""
    from planner.engine.synthetic import SYNTHETIC_END, SYNTHETIC_START, synthetic_scenario
    from planner.problem.instance import Instance

    inst = Instance(synthetic_scenario(), SYNTHETIC_START, SYNTHETIC_END)
    assert all(inst.within_daily_limit(p.id, s.id) for p in inst.staff for s in inst.shifts)


def test_why_empty_names_the_daily_limit() -> None:
    from planner.check.why_empty import why_empty

    data = scenario([person("P1", rules={"working_time": "standard"}), person("P2", role="b")],
                    [cover("a", "N", min=1), cover("b", "D")])  # fmt: skip
    inst = instance(data)
    (slot,) = [s for s in why_empty(inst, Roster(start=day(1), end=day(1), assignments=())) if s.shift == "N"]
    (p1,) = [c for c in slot.candidates if c.staff_id == "P1"]
    assert not p1.could_take
    assert [b.rule for b in p1.blockers if b.hard] == ["daily_hours"]
    assert "超过标准工时制每日最多 11 小时" in p1.blockers[0].text
