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
- Contract penalty exposure: contract 9.1, as checked by planner.contract.replacement (1% of the
  contract value per breach, plus 10% once three breaches let the buyer terminate).
- The projected assessment score is planner.contract.risk's projection (附件八).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.errors import InputError
from models.loader import load_scenario
from models.scenario import Scenario, Staff
from planner.check.score import PersonMonth, person_month_hours
from planner.contract.replacement import ChangesReport, check_changes
from planner.contract.risk import build_risk
from planner.engine.solve import InfeasibleError, SolveError, solve
from planner.files.atomic import atomic_write_bytes, atomic_write_text
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
    add(
        "penalty_exposure_cny",
        "违约金风险（元）",
        [o.changes.exposure_cny for o in outcomes],
        lambda v: _money(float(v)),
    )
    projections = solved(lambda o: _projections(o))
    add(
        "score_period",
        "考核分·仅计本期",
        [p and p[0] for p in projections],
        _count,
    )
    add(
        "score_year",
        "考核分·全年推算",
        [p and p[1] for p in projections],
        _count,
    )
    return rows


def _projections(o: Outcome) -> tuple[float, float]:
    """planner.contract.risk's two projections of the annual score (附件八): period only, year like it."""
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


def _body(outcomes: list[Outcome], rows: list[Row]) -> tuple[list[str], list[list]]:
    header = ["指标", "key", *[o.label for o in outcomes]]
    # Numbers stay numbers (a spreadsheet can sum them); the status is written in words.
    body = [[r.label, r.key, *(r.cells if r.key == "status" else [_raw(v) for v in r.values])] for r in rows]
    return header, body


def comparison_csv_text(outcomes: list[Outcome], rows: list[Row]) -> str:
    """CSV with a BOM, so that Excel reads the Chinese labels as UTF-8."""
    header, body = _body(outcomes, rows)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return "\ufeff" + buf.getvalue()


def comparison_xlsx_bytes(outcomes: list[Outcome], rows: list[Row]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, body = _body(outcomes, rows)
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
    notes.append(["期间", f"{outcomes[0].inst.start} 至 {outcomes[0].inst.end}" if outcomes else ""])
    notes.append(["缺口", "人次（validator 重新核对的排班）"])
    notes.append(["加班费", "综合计算工时：超出标准工时按 150%，法定节假日按 300%（劳动法 44）"])
    notes.append(["违约金", "合同 9.1：每次违约更换按合同总金额 1%，累计 3 次可解除合同并收取 10%"])
    notes.append(["考核得分", "附件八；每缺 1 人次按扣 1 分估算（假设）"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_comparison(path: str | os.PathLike, outcomes: list[Outcome], rows: list[Row]) -> None:
    """The comparison as .csv or .xlsx, written atomically."""
    target = check_output_path(path)
    if target.suffix.lower() == ".csv":
        atomic_write_text(target, comparison_csv_text(outcomes, rows))
    else:
        atomic_write_bytes(target, comparison_xlsx_bytes(outcomes, rows))


# -- writing a variant as an `extends` file ---------------------------------------------------
FILE_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass
class VariantEdits:
    """What a variant changes against its base; each list holds plain scenario-format entries.

    absences:  {staff, start, end, kind}
    surges:    {name, start, end, add: [{role, shift, count}]}
    new_staff: {id, name, role, years, title, start_date, end_date}
    leaving:   {staff, notice_date, plan_date, last_day, replacement: {id, name, role, years, start_date}}
    skills:    {staff, skill}: an existing person gets one more skill
    """

    name: str
    absences: list[dict[str, Any]] = field(default_factory=list)
    surges: list[dict[str, Any]] = field(default_factory=list)
    new_staff: list[dict[str, Any]] = field(default_factory=list)
    leaving: list[dict[str, Any]] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.absences or self.surges or self.new_staff or self.leaving or self.skills)


STAFF_ORDER = ("id", "name", "role", "skills", "title", "years", "education", "phone", "hourly_rate",
               "start_date", "end_date", "rules")  # fmt: skip


def _clean(entry: dict[str, Any]) -> dict[str, Any]:
    """Without empty values; whole numbers as integers (years: 6, not 6.0)."""
    return {
        k: int(v) if isinstance(v, float) and v.is_integer() else v
        for k, v in entry.items()
        if v not in (None, "", [], {})
    }


def _staff_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A staff entry in the format spec's key order."""
    order = [k for k in STAFF_ORDER if k in entry] + [k for k in entry if k not in STAFF_ORDER]
    return _clean({k: entry[k] for k in order})


def _restated(person: Staff, base: Scenario, extra: list[str]) -> dict[str, Any]:
    """A base person's full entry with more skills: `staff` merges by id, so it must be complete."""
    overrides = {k: v for k, v in person.effective_rules.model_dump().items() if v != getattr(base.rules, k)}
    skills = [s for s in person.all_skills if s != person.role]
    skills += [s for s in extra if s not in skills and s != person.role]
    return _staff_entry(
        {
            "id": person.id,
            "name": person.name,
            "role": person.role,
            "skills": skills,
            "title": person.title,
            "years": person.years,
            "education": person.education,
            "phone": person.phone,
            "hourly_rate": person.hourly_rate,
            "start_date": person.start_date,
            "end_date": person.end_date,
            "rules": overrides,
        }
    )


def variant_text(base_path: str | os.PathLike, target: str | os.PathLike, edits: VariantEdits) -> str:
    """The YAML of a what-if file that `extends` the base and says only what differs."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    base_file, target_file = Path(base_path).resolve(), Path(target).resolve()
    base = load_scenario(base_file)
    ids = base.staff_by_id
    data = CommentedMap()
    data["version"] = 1
    data["name"] = edits.name
    data["extends"] = Path(os.path.relpath(base_file, target_file.parent)).as_posix()

    def flow(value: Any) -> Any:
        """One-line entries, as the hand-written scenario files have them."""
        if isinstance(value, dict):
            node: Any = CommentedMap((k, flow(v)) for k, v in _clean(value).items())
        elif isinstance(value, list):
            node = CommentedSeq(flow(v) for v in value)
        else:
            return value
        node.fa.set_flow_style()
        return node

    def seq(entries: list[dict[str, Any]]) -> CommentedSeq:
        return CommentedSeq(flow(e) for e in entries)

    extra: dict[str, list[str]] = {}
    for e in edits.skills:
        extra.setdefault(e["staff"], []).append(e["skill"])
    staff = []
    for entry in edits.new_staff:
        skills = [*entry.get("skills", []), *extra.pop(entry["id"], [])]
        staff.append(
            _staff_entry({**entry, "skills": [s for s in dict.fromkeys(skills) if s != entry.get("role")]})
        )
    for staff_id, skills in extra.items():
        if staff_id not in ids:
            raise InputError(f"{target_file.name}: skills: unknown staff id '{staff_id}'")
        staff.append(_restated(ids[staff_id], base, skills))
    if staff:
        data["staff"] = seq(staff)
    if edits.absences:
        data["absences"] = seq(edits.absences)
    if edits.surges:
        data["surges"] = seq(edits.surges)
    if edits.leaving:
        changes = []
        for e in edits.leaving:
            replacement = e.get("replacement")
            if replacement:
                role = ids[e["staff"]].role if e["staff"] in ids else None
                replacement = _staff_entry({"role": role, **replacement})
            changes.append({**e, "replacement": replacement})
        data["changes"] = seq(changes)
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    buf.write(f"# 假设情景，由「情景对比」页面生成，基于 {data['extends']}；只写与基准不同之处。\n")
    yaml.dump(data, buf)
    return buf.getvalue()


def save_variant(
    base_path: str | os.PathLike, target: str | os.PathLike, edits: VariantEdits, overwrite: bool = False
) -> Scenario:
    """Write a variant file after loading it from a temporary copy beside the target; atomic.

    A refused variant (unknown person, an end before a start, an existing file) writes nothing.
    """
    from planner.files.scenario_file import check_text

    file = Path(target)
    if not FILE_STEM.match(file.stem) or file.suffix != ".yaml":
        raise InputError(f"{file.name}: a variant file name is letters, digits, '-', '_' and ends in .yaml")
    if file.exists() and not overwrite:
        raise InputError(f"{file}: the file exists already; choose another name")
    if edits.empty:
        raise InputError(f"{file.name}: the variant changes nothing against its base")
    if not edits.name.strip():
        raise InputError(f"{file.name}: name: a variant needs a name")
    file.parent.mkdir(parents=True, exist_ok=True)
    text = variant_text(base_path, file, edits)
    scenario = check_text(file, text)
    atomic_write_text(file, text)
    log.info("saved variant %s", file)
    return scenario
