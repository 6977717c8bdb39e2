"""What-if comparison: solve several scenarios over one horizon and set their outcomes side by side.

One column per scenario, one row per measure, so the cost of a change (penalties, assessment
points, overtime pay) stands beside its effect on coverage. Every figure is read from the
validator's re-check of the solved roster (planner.validate, planner.score), never from the solver.

Money:
- Overtime premium (劳动法 44), read under the comprehensive-hours system (综合计算工时) that 24×7
  shift work runs on: hours beyond the month's standard hours are paid at 150% of the hourly rate,
  and hours on statutory holidays at 300%. Each person-month costs
  rate × (3.0 × holiday hours + 1.5 × max(0, overtime hours − holiday hours)).
  It needs `staff[].hourly_rate` for everyone who works beyond standard; otherwise it is unknown.
- Contract penalty exposure: contract 9.1, as checked by planner.changes (1% of the contract value
  per breach, plus 10% once three breaches let the buyer terminate).
- The projected assessment score is planner.reports.risk's projection (附件八).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models.errors import InputError
from models.scenario import Scenario
from planner.atomic import atomic_write_bytes, atomic_write_text
from planner.changes import ChangesReport, check_changes
from planner.instance import Instance
from planner.labels import STATUS_ZH
from planner.reports.risk import build_risk
from planner.results import SolveOptions, SolveResult
from planner.score import PersonMonth, person_month_hours
from planner.solve import InfeasibleError, SolveError, solve

log = logging.getLogger(__name__)

STATUS_EXTRA_ZH = {"ERROR": "求解失败", "NOT_SOLVED": "未求解"}
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
) -> list[Outcome]:
    """Solve each scenario in turn; one whose rules cannot hold gets its error, not numbers."""
    outcomes = []
    for label, scenario, inst in items:
        outcome = Outcome(label, scenario, inst, check_changes(scenario))
        if progress:
            progress(label)
        started = time.monotonic()
        try:
            outcome.result = solve(inst, options, stop=stop)
            outcome.months = person_month_hours(inst, outcome.result.roster)
            outcome.status = "OPTIMAL" if outcome.result.proven else "FEASIBLE"
        except (SolveError, InputError) as exc:
            log.warning("compare: %s failed: %s", label, exc)
            outcome.error = str(exc)
            outcome.status = "INFEASIBLE" if isinstance(exc, InfeasibleError) else "ERROR"
        outcome.seconds = time.monotonic() - started
        outcomes.append(outcome)
    return outcomes


# -- the table --------------------------------------------------------------------------------
def _num(x: float) -> str:
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


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
        lambda v: STATUS_ZH.get(str(v), STATUS_EXTRA_ZH.get(str(v), str(v))),
    )
    role_names: dict[str, str] = {}
    for o in outcomes:
        for r in o.inst.roles:
            role_names.setdefault(r.id, r.name)
    for role, name in role_names.items():
        add(
            f"shortfall:{role}",
            f"覆盖缺口·{name}（人次）",
            [
                None if o.result is None
                else sum(s.shortfall for s in o.result.validation.slots if s.role == role)
                for o in outcomes
            ],
            lambda v: _num(float(v)),
        )  # fmt: skip
    add(
        "shortfall_total",
        "覆盖缺口合计（人次）",
        solved(lambda o: sum(s.shortfall for s in o.result.validation.slots)),
        lambda v: _num(float(v)),
    )
    add(
        "overtime_excess_hours",
        "超出法定加班上限（小时）",
        solved(lambda o: sum(m.excess_minutes for m in o.months) / 60),
        lambda v: _num(float(v)),
    )
    scores = solved(lambda o: o.result.validation.scores.level_values())
    add("substitutes", "替岗次数", [s and s["substitutes"] for s in scores], lambda v: _num(float(v)))
    add(
        "unmet_requests",
        "未满足的申请（权重合计）",
        [s and s["requests"] for s in scores],
        lambda v: _num(float(v)),
    )
    add("fairness", "公平性差距", [s and s["fairness"] for s in scores], lambda v: _num(float(v)))
    add(
        "overtime_premium_cny",
        "加班费（元，150%/节假日300%）",
        solved(lambda o: overtime_premium_cny(o.inst, o.months)),
        lambda v: _money(float(v)),
    )
    add("replacements", "人员更换（次）", [len(o.changes.changes) for o in outcomes], lambda v: str(v))
    add(
        "penalty_exposure_cny",
        "合同违约金风险（元，合同 9.1）",
        [o.changes.exposure_cny for o in outcomes],
        lambda v: _money(float(v)),
    )
    projections = solved(lambda o: _projections(o))
    add(
        "score_period",
        "预计考核得分（仅计本期）",
        [p and p[0] for p in projections],
        lambda v: _num(float(v)),
    )
    add(
        "score_year",
        "预计考核得分（全年按本期推算）",
        [p and p[1] for p in projections],
        lambda v: _num(float(v)),
    )
    return rows


def _projections(o: Outcome) -> tuple[float, float]:
    """planner.reports.risk's two projections of the annual score (附件八): period only, year like it."""
    assert o.result is not None
    risk = build_risk(o.inst, o.result.validation.slots, o.months, o.inst.start, o.inst.end)
    return risk.projections[0].score, risk.projections[1].score


def table_text_rows(outcomes: list[Outcome], rows: list[Row]) -> list[list[str]]:
    """Header and rows as text, the way the CLI prints them and the CSV/XLSX stores them."""
    return [["指标", *[o.label for o in outcomes]], *[[r.label, *r.cells] for r in rows]]


def _raw(value: float | str | None) -> float | str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def check_output_path(path: str | os.PathLike) -> Path:
    """Refuse an output file type we cannot write, before any solving starts."""
    target = Path(path)
    if target.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(f"--out {target}: unknown file type '{target.suffix}'; use .csv or .xlsx")
    return target


def write_comparison(path: str | os.PathLike, outcomes: list[Outcome], rows: list[Row]) -> None:
    """The comparison as .csv (UTF-8 with BOM, for Excel) or .xlsx, written atomically."""
    target = Path(path)
    header = ["指标", "key", *[o.label for o in outcomes]]
    # Numbers stay numbers (a spreadsheet can sum them); the status is written in words.
    body = [[r.label, r.key, *(r.cells if r.key == "status" else [_raw(v) for v in r.values])] for r in rows]
    suffix = target.suffix.lower()
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
        # The BOM makes Excel read the Chinese labels as UTF-8.
        atomic_write_text(target, "\ufeff" + buf.getvalue())
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = "情景对比"
        ws.append(header)
        for row in body:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 22
        ws.freeze_panes = "C2"
        notes = wb.create_sheet("说明")
        for o in outcomes:
            notes.append([o.label, o.scenario.name, *([o.error] if o.error else [])])
        notes.append([])
        notes.append(["加班费", "综合计算工时：超出标准工时按 150%，法定节假日按 300%（劳动法 44）"])
        notes.append(["违约金", "合同 9.1：每次违约更换按合同总金额 1%，累计 3 次可解除合同并收取 10%"])
        notes.append(["考核得分", "附件八；每缺 1 人次按扣 1 分估算（假设）"])
        buf = io.BytesIO()
        wb.save(buf)
        atomic_write_bytes(target, buf.getvalue())
    else:
        check_output_path(target)
