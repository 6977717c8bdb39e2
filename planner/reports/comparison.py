"""The scenario comparison (`roster compare --out`, the app's 情景对比 download) as CSV or XLSX."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from models.errors import InputError
from planner.whatif.compare import Outcome, Row


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
    notes.append(
        [
            "违约金",
            "合同 9.1 合并累计（擅自更换、资质不符、替补迟到岗、缺员）：每次合同总金额 1%；"
            "第 3 次起甲方可解约，返还已付全部款项并另付 10%",
        ]
    )
    notes.append(
        [
            "考核得分",
            "附件八中排班可见的扣分项（16 时交接班、驻场经理住宿、服务台电话、人员更换）；"
            "按季度累计：读法一只扣较高一档，读法二两档相加",
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
