"""coverage-proof.xlsx: the proof as a workbook (Summary, Daily, Handover, Hours, Pay, Risk).

Sheet names carry the issue's English name after the Chinese one, so the buyer reads Chinese and
scripts can still find a sheet by its English word. Everything is laid out from a
`CoverageProof`; nothing is counted here.
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from calendars import date_runs
from planner.contract.replacement import VERDICT_ZH
from planner.contract.risk import OCCURRENCE_ZH
from planner.problem.labels import DAY_KIND_ZH, PROVISIONAL_ZH, WEEKDAY_ZH
from planner.reports.proof import (
    ANNUAL_LEAVE_NOTE,
    PAY_FORMULAS,
    SLOT_STATUS_ZH,
    CoverageProof,
    over_cap_text,
    pooled_lines,
    quarter_rows,
    score_headline,
)
from planner.rules import LEVELS, label

SHEETS = {
    "summary": "汇总 Summary",
    "daily": "每日 Daily",
    "handover": "交接班 Handover",
    "hours": "工时 Hours",
    "pay": "加班工资 Pay",
    "risk": "风险 Risk",
}
DAILY_COLUMNS = (
    "日期",
    "星期",
    "日类型",
    "节假日",
    "暂定",
    "特殊时期",
    "班次",
    "班次名称",
    "岗位",
    "岗位名称",
    "要求人数",
    "实到人数",
    "缺员人数",
    "在岗人员",
    "在岗人员编号",
    "替岗人员",
    "状态",
)
STATUS_FILL = {"short": "FFC7CE", "substitute": "FFEB9C", "met": None}
HEADER_FILL = "D9E1F2"
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
HOURS_FORMAT = "0.00"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"


def _kind_label(kind: str) -> str:
    return "全部" if kind == "all" else DAY_KIND_ZH[kind]


class _Sheet:
    """Writes rows top to bottom and remembers column widths."""

    def __init__(self, ws: Worksheet):
        self.ws, self.row, self.widths = ws, 1, {}

    def line(self, *values: Any, font: Font | None = None) -> int:
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(self.row, col, value)
            if font:
                cell.font = font
            self._width(col, value)
        self.row += 1
        return self.row - 1

    def note(self, text: str) -> None:
        """A long line of text that does not widen its column."""
        self.ws.cell(self.row, 1, text).alignment = Alignment(wrap_text=False)
        self.row += 1

    def blank(self) -> None:
        self.row += 1

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        formats: dict[int, str] | None = None,
        fills: Iterable[str | None] | None = None,
    ) -> tuple[int, int]:
        """A table with a bold header; returns (first data row, last data row)."""
        for col, name in enumerate(header, start=1):
            cell = self.ws.cell(self.row, col, name)
            cell.font = BOLD
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            self._width(col, name)
        self.row += 1
        first = self.row
        fill_iter = iter(fills) if fills is not None else None
        for values in rows:
            fill = next(fill_iter) if fill_iter is not None else None
            for col, value in enumerate(values, start=1):
                cell = self.ws.cell(self.row, col, value)
                if formats and col in formats and isinstance(value, int | float):
                    cell.number_format = formats[col]
                if fill:
                    cell.fill = PatternFill("solid", fgColor=fill)
                self._width(col, value)
            self.row += 1
        return first, self.row - 1

    def _width(self, col: int, value: Any) -> None:
        text = "" if value is None else str(value)
        # Wide (CJK) and full-width characters take two columns.
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
        self.widths[col] = min(60, max(self.widths.get(col, 6), width + 2))

    def finish(self) -> None:
        for col, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = width


# -- sheets -----------------------------------------------------------------------------------
def _summary(ws: Worksheet, p: CoverageProof) -> None:
    s = _Sheet(ws)
    s.line("服务覆盖证明（季度考核，合同 5.2、附件八）", font=TITLE)
    s.line("场景", p.scenario_name)
    s.line("报告期", f"{p.start.isoformat()} 至 {p.end.isoformat()}（{(p.end - p.start).days + 1} 天）")
    s.line("生成日期", p.generated.isoformat())
    s.blank()
    total = p.total
    s.line("主要数字", font=BOLD)
    s.line("有人数要求的班次（日期×班次×岗位）", total.slots)
    s.line("达标班次", total.met_slots)
    s.line("缺员班次", len(p.shortfall_slots))
    s.line("缺员人次", total.shortfall)
    s.line("替岗人次（非本岗人员顶岗）", p.substitute_count)
    s.line("班次达标率", total.slot_rate)
    ws.cell(s.row - 1, 2).number_format = PERCENT_FORMAT
    s.line("人次满足率", total.person_rate)
    ws.cell(s.row - 1, 2).number_format = PERCENT_FORMAT
    s.line("报告期内排班人次", p.roster_rows)
    s.line("其中无人数要求的班次人次", p.unrequired_assignments)
    s.line("违反硬性规则（条）", len(p.violations))
    s.line("超出法定加班上限（违反劳动法第四十一条）", over_cap_text(p))
    s.line("交接班缺失（次）", sum(1 for h in p.handovers if h.missing))
    s.blank()

    s.line("目标各层级（与 roster validate 一致）", font=BOLD)
    values = p.scores.level_values()
    s.table(("层级", "指标", "数值"), [(i, label(lv), values[lv]) for i, lv in enumerate(LEVELS, start=1)])
    s.blank()

    s.line("按岗位、班次、日类型的达标情况", font=BOLD)
    rows = []
    for c in p.compliance:
        role = p.role_names.get(c.role, c.role) if c.role else "合计"
        shift = (
            f"{p.shift_names[c.shift]} {p.shift_times[c.shift]}" if c.shift else ("小计" if c.role else "")
        )
        rows.append(
            (
                role,
                shift,
                _kind_label(c.kind),
                c.slots,
                c.met_slots,
                c.slot_rate,
                c.required,
                c.required - c.shortfall,
                c.shortfall,
                c.person_rate,
                c.substitutes,
            )
        )
    s.table(
        (
            "岗位",
            "班次",
            "日类型",
            "班次数",
            "达标班次",
            "班次达标率",
            "应到人次",
            "实到人次（计入要求）",
            "缺员人次",
            "人次满足率",
            "替岗人次",
        ),
        rows,
        formats={6: PERCENT_FORMAT, 10: PERCENT_FORMAT},
        fills=["E2EFDA" if r[1] in ("小计", "") else None for r in rows],
    )
    s.blank()

    s.line("报告期内的特殊时期（加强保障）", font=BOLD)
    if p.surges:
        s.table(
            ("特殊时期", "起", "止", "增派", "相关班次数", "缺员班次", "缺员人次", "结论"),
            [
                (
                    g.name,
                    g.start.isoformat(),
                    g.end.isoformat(),
                    "；".join(
                        f"{p.role_names.get(r, r)} {p.shift_names.get(sh, sh)} +{n}" for r, sh, n in g.adds
                    )
                    or "无（仅标记）",
                    g.slots,
                    g.short_slots,
                    g.shortfall,
                    "无增派要求"
                    if not g.adds
                    else "全部达标"
                    if g.shortfall == 0
                    else f"缺 {g.shortfall} 人次",
                )
                for g in p.surges
            ],
        )
    else:
        s.note("报告期内没有特殊时期。")
    s.blank()

    s.line("工时制度（劳动法第三十六、三十九、四十一条）", font=BOLD)
    for line in p.working_time:
        s.note(line)
    s.blank()

    s.line("暂定日期（节假日安排尚无官方通知）", font=BOLD)
    if p.provisional_dates:
        runs = date_runs(p.provisional_dates)
        s.note(
            f"共 {len(p.provisional_dates)} 天为{PROVISIONAL_ZH}："
            + "、".join(a.isoformat() if a == b else f"{a.isoformat()} 至 {b.isoformat()}" for a, b in runs)
            + "。这些日期的日类型与人数要求可能随官方通知变化。"
        )
    else:
        s.note("无：报告期内全部日期均有官方节假日安排。")
    s.blank()

    s.line("数字摘要（SHA-256）", font=BOLD)
    s.line("排班表与场景文件合并摘要", p.digest.combined)
    s.line("排班表 CSV（规范格式）", p.digest.roster)
    for path, sha in p.digest.files:
        s.line(f"场景文件 {os.path.basename(path)}", sha)
    s.note(
        "核对方法：按 roster solve 的格式导出排班表 CSV（按日期、班次、岗位、人员排序），"
        "再依次接上场景文件原文计算 SHA-256，例如 cat roster.csv 场景.yaml | sha256sum。"
    )
    if p.violations:
        s.blank()
        s.line("违反的硬性规则", font=BOLD)
        s.table(
            ("规则", "日期", "说明"),
            [(label(v.rule), v.date.isoformat() if v.date else "", v.message) for v in p.violations],
        )
    for note in p.notes:
        s.note(note)
    s.finish()
    ws.column_dimensions["A"].width = 34


def _daily(ws: Worksheet, p: CoverageProof) -> None:
    s = _Sheet(ws)
    rows, fills = [], []
    for r in p.daily:
        rows.append(
            (
                r.date.isoformat(),
                WEEKDAY_ZH[("mon", "tue", "wed", "thu", "fri", "sat", "sun")[r.date.weekday()]],
                DAY_KIND_ZH[r.kind],
                r.holiday_name or "",
                PROVISIONAL_ZH if r.provisional else "",
                "、".join(r.surges),
                r.shift,
                p.shift_names[r.shift],
                r.role,
                p.role_names.get(r.role, r.role),
                r.required,
                r.assigned,
                r.shortfall,
                p.names(r.staff_ids),
                " ".join(r.staff_ids),
                p.names(r.substitutes),
                SLOT_STATUS_ZH[r.status],
            )
        )
        fills.append(STATUS_FILL[r.status])
    s.table(DAILY_COLUMNS, rows, fills=fills)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(DAILY_COLUMNS))}{max(1, s.row - 1)}"
    s.finish()


def _handover(ws: Worksheet, p: CoverageProof) -> None:
    s = _Sheet(ws)
    rows = [
        (
            h.at.strftime("%Y-%m-%d %H:%M"),
            p.role_names.get(h.role, h.role),
            p.shift_names[h.from_shift],
            p.names(h.outgoing) or "—",
            p.shift_names[h.to_shift],
            p.names(h.incoming) or "—",
            h.status,
        )
        for h in p.handovers
    ]
    s.table(
        ("交接时间", "岗位", "交班班次", "交班人员", "接班班次", "接班人员", "状态"),
        rows,
        fills=["FFC7CE" if h.missing else None for h in p.handovers],
    )
    ws.freeze_panes = "A2"
    s.blank()
    s.note(
        "依据：附件八 附件1 3.2 交接班管理（一般交班时间为每日 16 时）；"
        "未开展交班或交接班时间错误的，每次扣 1 分。"
    )
    s.finish()


def _hours(ws: Worksheet, p: CoverageProof) -> None:
    s = _Sheet(ws)
    roles = {x.id: x.role for x in p.team}
    rows = [
        (
            h.staff_id,
            p.who(h.staff_id),
            p.role_names.get(roles.get(h.staff_id, ""), ""),
            h.month,
            h.days_in_period,
            h.shifts,
            h.standard,
            h.paid,
            h.overtime,
            h.cap,
            h.excess,
            "硬性" if h.cap_kind == "hard" else "软性",
            h.restday,
            h.holiday,
            h.nights,
            h.presence,
            h.annual_leave_days,
            h.annual_leave_year_to_date,
            "" if h.annual_leave_entitlement is None else h.annual_leave_entitlement,
        )
        for h in p.hours
    ]
    s.table(
        (
            "人员编号",
            "姓名",
            "岗位",
            "月份",
            "报告期内天数",
            "班次数",
            "标准工时",
            "计薪工时",
            "加班工时",
            "法定加班上限",
            "超出上限",
            "上限类型",
            "休息日工时",
            "法定节假日工时",
            "夜班数",
            "驻场住宿（晚，不计工时）",
            "年休假（本月，天）",
            "年休假（本年累计，天）",
            "年休假应休（天/年）",
        ),
        rows,
        formats=dict.fromkeys((7, 8, 9, 10, 11, 13, 14), HOURS_FORMAT),
        fills=["FFC7CE" if h.excess > 0 else None for h in p.hours],
    )
    ws.freeze_panes = "C2"
    s.blank()
    s.note(
        "标准工时 = 每日标准工时 × 当月报告期内在岗且未请假的工作日数；"
        "加班工时 = max(0, 计薪工时 - 标准工时)。"
    )
    s.note("法定加班上限：每月 36 小时（劳动法 41），不满整月按天数折算并向下取整；班次按开始日期计入月份。")
    s.note(ANNUAL_LEAVE_NOTE)
    s.finish()


def _pay(ws: Worksheet, p: CoverageProof) -> None:
    s = _Sheet(ws)
    s.line("加班工资计算公式（劳动法 44）", font=BOLD)
    for formula in PAY_FORMULAS:
        s.note(formula)
    s.blank()
    rows = []
    for r in p.pay:
        diff = (
            None
            if r.standard_pay is None or r.comprehensive_pay is None
            else r.standard_pay - r.comprehensive_pay
        )
        rows.append(
            (
                r.staff_id,
                p.who(r.staff_id),
                r.month + ("*暂定" if r.provisional else ""),
                "未设置" if r.rate is None else r.rate,
                r.workday_overtime,
                r.restday,
                r.holiday,
                "—" if r.standard_pay is None else r.standard_pay,
                r.comprehensive_excess,
                "—" if r.comprehensive_pay is None else r.comprehensive_pay,
                "—" if diff is None else diff,
            )
        )
    priced = [r for r in p.pay if r.rate is not None]
    rows.append(
        (
            "合计",
            "",
            "",
            "",
            sum(r.workday_overtime for r in p.pay),
            sum(r.restday for r in p.pay),
            sum(r.holiday for r in p.pay),
            sum(r.standard_pay or 0 for r in priced) if priced else "—",
            sum(r.comprehensive_excess for r in p.pay),
            sum(r.comprehensive_pay or 0 for r in priced) if priced else "—",
            sum((r.standard_pay or 0) - (r.comprehensive_pay or 0) for r in priced) if priced else "—",
        )
    )
    s.table(
        (
            "人员编号",
            "姓名",
            "月份",
            "小时工资基数（元）",
            "标准工时制：工作日延长工时（150%）",
            "休息日工时（200%）",
            "法定节假日工时（300%）",
            "标准工时制加班工资（元）",
            "综合工时制：超出标准工时（150%）",
            "综合工时制加班工资（元）",
            "两制差额（元）",
        ),
        rows,
        formats={
            4: MONEY_FORMAT,
            5: HOURS_FORMAT,
            6: HOURS_FORMAT,
            7: HOURS_FORMAT,
            8: MONEY_FORMAT,
            9: HOURS_FORMAT,
            10: MONEY_FORMAT,
            11: MONEY_FORMAT,
        },
        fills=[None] * (len(rows) - 1) + ["E2EFDA"],
    )
    if not priced:
        s.blank()
        s.note("情景中没有人员的小时工资基数，本表只列工时。")
    s.finish()


def _money(x: float | None) -> float | str:
    return "合同金额未知" if x is None else round(x, 2)


def _risk(ws: Worksheet, p: CoverageProof) -> None:
    s = _Sheet(ws)
    risk = p.risk
    s.line("一、缺员与未履行的承诺", font=BOLD)
    if risk.shortfalls:
        s.table(
            (
                "日期",
                "日类型",
                "班次",
                "岗位",
                "要求人数",
                "实到人数",
                "缺员人数",
                "其中基本承诺缺员",
                "其中特殊时期增派缺员",
                "违反条款",
                "条款内容",
                "考核扣分（假设）",
            ),
            [
                (
                    f.date.isoformat() + (f" [{PROVISIONAL_ZH}]" if p.days[f.date][2] else ""),
                    DAY_KIND_ZH[p.days[f.date][0]],
                    p.shift_names[f.shift],
                    p.role_names.get(f.role, f.role),
                    f.required,
                    f.assigned,
                    f.shortfall,
                    f.base_short,
                    f.surge_short,
                    f.clause,
                    f.clause_text,
                    f.points,
                )
                for f in risk.shortfalls
            ],
            fills=["FFC7CE"] * len(risk.shortfalls),
        )
    else:
        s.note("报告期内没有缺员班次。")
    s.blank()

    s.line("二、各季度考核扣分（附件八 第七条、第八条 3；合同期涉及五个自然季度）", font=BOLD)
    header, *rows = quarter_rows(risk)
    s.table(header, rows)
    s.blank()

    s.line("三、人员更换（招标 3.3、3.4；合同 9.1；附件八 第八条 2）", font=BOLD)
    if risk.changes:
        rules = ("notice", "approved", "on_time", "qualified", "headcount")
        s.table(
            (
                "人员",
                "替换人员",
                "通知日期",
                "最后工作日",
                *(label(r) for r in rules),
                "计为违约",
                "违约金（元）",
                "考核扣分",
                "说明",
            ),
            [
                (
                    f"{c.staff_id} {c.staff_name}",
                    f"{c.replacement_id} {c.replacement_name}" if c.replacement_id else "—",
                    c.notice_date.isoformat(),
                    c.last_day.isoformat(),
                    *(VERDICT_ZH[c.check(r).verdict] for r in rules),
                    "是" if c.breach else "否",
                    _money(c.penalty_cny),
                    risk.change_points(c),
                    "；".join(x.detail for x in c.checks if x.verdict != "kept") or "无",
                )
                for c in risk.changes
            ],
            formats={11: MONEY_FORMAT},
        )
    else:
        s.note("报告期内没有人员更换。")
    s.note(f"合同 9.1 累计违约更换：{risk.termination.detail}。")
    s.blank()

    s.line("四、合同 9.1 累计违约次数与资金风险", font=BOLD)
    for text in pooled_lines(risk):
        s.note(text)
    if risk.pooled.occurrences:
        s.table(
            ("序号", "日期", "事项", "说明"),
            [
                (i, o.date.isoformat(), OCCURRENCE_ZH[o.kind], o.detail)
                for i, o in enumerate(risk.pooled.occurrences, 1)
            ],
        )
    s.line("合同总金额（元）", _money(risk.contract_value))
    s.line("违约金合计（元）", _money(risk.penalty_total_cny))
    s.line("资金风险合计（元，含解约时返还已付款与 10% 违约金）", _money(risk.pooled.at_risk_cny))
    s.blank()

    s.line("五、年度考核得分与尾款档位（附件八 第七条、第九条）", font=BOLD)
    s.note(score_headline(risk))
    s.table(
        ("读法", "年度得分", "档位", "尾款支付比例", "尾款（合同额 20%）应付（元）", "较全额少付（元）"),
        [
            (x.label, x.score, x.tier, x.share, _money(x.payment_cny), _money(x.loss_cny))
            for x in risk.projections
        ],
        formats={4: PERCENT_FORMAT, 5: MONEY_FORMAT, 6: MONEY_FORMAT},
    )
    s.blank()

    s.line("六、违反劳动法第四十一条：加班超过法定上限（不涉及合同违约金）", font=BOLD)
    if risk.overtime_over_cap:
        s.table(
            ("人员", "月份", "加班工时", "上限", "超出"),
            [
                (
                    f"{m.staff_id} {p.who(m.staff_id)}",
                    m.month_key,
                    m.overtime_minutes / 60,
                    m.cap_minutes / 60,
                    m.excess_minutes / 60,
                )
                for m in risk.overtime_over_cap
            ],
            formats=dict.fromkeys((3, 4, 5), HOURS_FORMAT),
        )
    else:
        s.note("无人超出法定加班上限。")
    s.blank()

    s.line("七、假设与说明", font=BOLD)
    for text in [*risk.assumptions, *risk.notes]:
        s.note(text)
    s.finish()


def xlsx_bytes(proof: CoverageProof) -> bytes:
    wb = Workbook()
    builders = {
        "summary": _summary,
        "daily": _daily,
        "handover": _handover,
        "hours": _hours,
        "pay": _pay,
        "risk": _risk,
    }
    first = True
    for key, build in builders.items():
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = SHEETS[key]
        build(ws, proof)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
