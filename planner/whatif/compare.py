"""What-if comparison: solve several scenarios over one horizon and set their outcomes side by side.

One column per scenario, one row per measure, so the cost of a change (penalties, assessment
points, overtime pay) stands beside its effect on coverage. Every figure is read from the
validator's re-check of the solved roster (planner.check.validate, planner.check.score), never
from the solver.

Money:
- Overtime premium (劳动法 44), read under the comprehensive-hours system (综合计算工时) that 24×7
  shift work runs on: hours beyond the month's standard hours are paid at 150% of the hourly rate,
  and hours on statutory holidays at 300%. Each person-month costs
  rate × (3.0 × holiday hours + 1.5 × max(0, overtime hours − holiday hours)).
  It needs `staff[].hourly_rate` for everyone who works beyond standard; otherwise it is unknown.
- Contract 9.1's pooled counter (planner.contract.risk): replacements and staffing below 附件二,
  1% each; at the third, the refund of everything paid so far plus 10%.
- The annual score under both readings of 按季度累计 (附件八 第八条 3), planner.contract.risk.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models.loader import load_scenario
from models.scenario import Scenario
from planner.check.score import PersonMonth, person_month_hours
from planner.contract.replacement import ChangesReport, check_changes
from planner.contract.risk import RiskReport, build_risk
from planner.engine.tasks import Counts, Engine, TaskFailed, solve_task
from planner.problem.instance import Instance
from planner.problem.numbers import plain
from planner.problem.results import SolveOptions, SolveResult

log = logging.getLogger(__name__)

# Short enough for a column: every level proven / a roster with some level unproven / none.
STATUS_SHORT_ZH = {
    "OPTIMAL": "最优",
    "FEASIBLE": "可行",
    "INFEASIBLE": "无可行解",
    "ERROR": "失败",
    "NOT_SOLVED": "未求解",
}
# 劳动法 44: overtime beyond standard hours 150%, statutory-holiday work 300%.
OVERTIME_RATE = 1.5
HOLIDAY_RATE = 3.0


@dataclass
class Outcome:
    """One scenario's column: its solve (or why it failed) and the checks of its changes."""

    label: str
    scenario: Scenario
    inst: Instance
    changes: ChangesReport
    result: SolveResult | None = None
    error: str | None = None
    status: str = "NOT_SOLVED"  # OPTIMAL (every level proven), FEASIBLE, INFEASIBLE or ERROR
    seconds: float = 0.0
    months: list[PersonMonth] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    """One measure across the scenarios: raw values (None = unknown) and what to print."""

    key: str
    label: str
    values: tuple[float | str | None, ...]
    cells: tuple[str, ...]


def overtime_premium_cny(inst: Instance, months: list[PersonMonth]) -> float | None:
    """Overtime pay of a roster (劳动法 44, comprehensive hours); None when a needed rate is missing."""
    total = 0.0
    for m in months:
        holiday_h = m.holiday_minutes / 60
        other_h = max(0, m.overtime_minutes - m.holiday_minutes) / 60
        if holiday_h == 0 and other_h == 0:
            continue
        rate = inst.staff_by_id[m.staff_id].hourly_rate
        if rate is None:
            return None
        total += rate * (HOLIDAY_RATE * holiday_h + OVERTIME_RATE * other_h)
    return round(total, 2)


def unique_labels(paths: list[Path]) -> list[str]:
    """Column names: file stems, numbered where two files share a stem."""
    labels: list[str] = []
    for path in paths:
        label, n = path.stem, 2
        while label in labels:
            label, n = f"{path.stem}-{n}", n + 1
        labels.append(label)
    return labels


def solve_outcomes(
    items: list[tuple[str, Scenario, Instance]],
    options: SolveOptions,
    progress: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    engine: Engine | None = None,
) -> list[Outcome]:
    """Solve each scenario: in turn here (the app; `stop` ends it early), or as tasks on
    `engine`. One whose rules cannot hold gets its error, not numbers."""
    outcomes = [Outcome(label, scenario, inst, check_changes(scenario)) for label, scenario, inst in items]
    if engine is None:

        def in_turn():
            for i, o in enumerate(outcomes):
                if progress:
                    progress(o.label)
                yield i, solve_task(o.inst, options, stop)

        results = in_turn()
    else:

        def counts(c: Counts) -> None:
            if progress:
                progress(f"{engine.name}：{c.zh()}")

        results = engine.run(solve_task, [(o.inst, options) for o in outcomes], options.workers, counts)
    for i, solved in results:
        o = outcomes[i]
        if isinstance(solved, TaskFailed):
            o.status, o.error = "ERROR", solved.message
        elif solved.result is None:
            o.status, o.error, o.seconds = solved.status, solved.error, solved.seconds
            # INPUT_ERROR is shown like any other failure: the column says 失败 and why.
            o.status = "ERROR" if o.status == "INPUT_ERROR" else o.status
        else:
            o.result, o.status, o.seconds = solved.result, solved.status, solved.seconds
            o.months = person_month_hours(o.inst, o.result.roster)
        if o.error:
            log.warning("compare: %s failed: %s", o.label, o.error)
    return outcomes


def load_items(paths: list[Path], start: dt.date, end: dt.date) -> list[tuple[str, Scenario, Instance]]:
    """Every scenario loaded first, so a bad file stops a comparison before any solving."""
    labels = unique_labels(paths)
    loaded = [load_scenario(path) for path in paths]
    return [(label, s, Instance(s, start, end)) for label, s in zip(labels, loaded, strict=True)]


def compare_scenarios(
    paths: list[Path],
    start: dt.date,
    end: dt.date,
    options: SolveOptions,
    progress: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    engine: Engine | None = None,
) -> tuple[list[Outcome], list[Row]]:
    """`roster compare` and the 情景对比 page: load, solve each, and the table's rows."""
    outcomes = solve_outcomes(load_items(paths, start, end), options, progress, stop, engine)
    return outcomes, comparison_rows(outcomes)


# -- the table --------------------------------------------------------------------------------
def _count(x: float) -> str:
    return plain(float(x), thousands=True)


def _money(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def comparison_rows(outcomes: list[Outcome]) -> list[Row]:
    """The measures, in the order the table prints them."""
    rows: list[Row] = []

    def add(key: str, label: str, values: list, fmt: Callable[[object], str]) -> None:
        cells = tuple("—" if v is None else fmt(v) for v in values)
        rows.append(Row(key, label, tuple(values), cells))

    def solved(fn: Callable[[Outcome], object]) -> list:
        return [None if o.result is None else fn(o) for o in outcomes]

    add(
        "status",
        "求解状态",
        [o.status for o in outcomes],
        lambda v: STATUS_SHORT_ZH.get(str(v), str(v)),
    )
    role_names: dict[str, str] = {}
    for o in outcomes:
        for r in o.inst.roles:
            role_names.setdefault(r.id, r.name)
    for role, name in role_names.items():
        add(
            f"shortfall:{role}",
            f"缺口·{name}",
            [
                None if o.result is None
                else sum(s.shortfall for s in o.result.validation.slots if s.role == role)
                for o in outcomes
            ],
            _count,
        )  # fmt: skip
    add(
        "shortfall_total",
        "缺口合计",
        solved(lambda o: sum(s.shortfall for s in o.result.validation.slots)),
        _count,
    )
    add(
        "overtime_excess_hours",
        "超出加班上限（时）",
        solved(lambda o: sum(m.excess_minutes for m in o.months) / 60),
        _count,
    )
    scores = solved(lambda o: o.result.validation.scores.level_values())
    add("substitutes", "替岗次数", [s and s["substitutes"] for s in scores], _count)
    add(
        "unmet_requests",
        "未满足申请",
        [s and s["requests"] for s in scores],
        _count,
    )
    add("fairness", "公平性差距", [s and s["fairness"] for s in scores], _count)
    add(
        "overtime_premium_cny",
        "加班费（元）",
        solved(lambda o: overtime_premium_cny(o.inst, o.months)),
        lambda v: _money(float(v)),
    )
    add("replacements", "人员更换（次）", [len(o.changes.changes) for o in outcomes], lambda v: str(v))
    risks = solved(_risk)
    add("breaches_9_1", "合同9.1累计次数", [r and r.pooled.count for r in risks], _count)
    add(
        "penalty_cny",
        "违约金（元）",
        [r and r.pooled.penalties_cny for r in risks],
        lambda v: _money(float(v)),
    )
    add(
        "money_at_risk_cny",
        "资金风险·含解约退款（元）",
        [r and r.pooled.at_risk_cny for r in risks],
        lambda v: _money(float(v)),
    )
    add("score_low", "考核分·读法二（从严）", [r and r.score_range[0] for r in risks], _count)
    add("score_high", "考核分·读法一（有利）", [r and r.score_range[1] for r in risks], _count)
    return rows


def _risk(o: Outcome) -> RiskReport:
    """planner.contract.risk over the solved roster: the 9.1 counter and the two readings."""
    assert o.result is not None
    r = o.result
    return build_risk(o.inst, r.validation.slots, o.months, o.inst.start, o.inst.end, r.roster.assignments)


def table_text_rows(outcomes: list[Outcome], rows: list[Row]) -> list[list[str]]:
    """Header and rows as text, the way the CLI prints them and the CSV/XLSX stores them."""
    return [["指标", *[o.label for o in outcomes]], *[[r.label, *r.cells] for r in rows]]
