"""coverage-proof.pdf: the proof as a printable A4 document for signature.

Everything is set in Noto Sans SC (planner.reports.fonts), embedded as a subset, so the document
looks the same in every reader on every machine; no font is left for a reader to substitute
(ReportLab's page-initial font included). The heat map is drawn natively
(role × shift rows against dates, short slots red), so no image export is needed. Everything is
laid out from a `CoverageProof`; nothing is counted here.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from planner.contract.risk import OCCURRENCE_ZH
from planner.problem.labels import DAY_KIND_ZH, PROVISIONAL_ZH
from planner.problem.numbers import plain
from planner.reports.fonts import regular_font_path
from planner.reports.proof import (
    ANNUAL_LEAVE_NOTE,
    PAY_FORMULAS,
    SLOT_STATUS_ZH,
    CoverageProof,
    DailyRow,
    over_cap_text,
    pooled_lines,
    quarter_rows,
    score_headline,
)
from planner.rules import LEVELS, label

FONT = "NotoSansSC"
MONO = FONT  # digests: the one embedded font (no base-14 Courier, which is never embedded)
PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
FRAME_W = PAGE_W - 2 * MARGIN

RED = colors.HexColor("#E06666")
AMBER = colors.HexColor("#FFD966")
GREEN = colors.HexColor("#93C47D")
GREY = colors.HexColor("#EEEEEE")
HEADER = colors.HexColor("#D9E1F2")
LIGHT_RED = colors.HexColor("#F4CCCC")
LIGHT_AMBER = colors.HexColor("#FFF2CC")
OFFDAY = colors.HexColor("#FCE5CD")
STATUS_BG = {"short": LIGHT_RED, "substitute": LIGHT_AMBER, "met": None}


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(regular_font_path())))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=30, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=13, leading=20, alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=base, fontSize=14, leading=20, spaceBefore=6, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontSize=10.5, leading=15, spaceBefore=6, spaceAfter=3),
        "mono": ParagraphStyle("mono", parent=base, fontName=MONO, fontSize=8.5, leading=11),
    }


def _table(
    data: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
    font_size: float = 8,
    backgrounds: Sequence[colors.Color | None] | None = None,
    repeat_header: bool = True,
) -> Table:
    """A plain grid table; row 0 is the header; `backgrounds` colours data rows.

    With column `widths`, text cells wrap inside their column (a long list of names or a long
    label would otherwise run over the next cell)."""
    rows = [list(r) for r in data]
    if widths is not None:
        cell = ParagraphStyle(
            "cell", fontName=FONT, fontSize=font_size, leading=font_size + 2, wordWrap="CJK"
        )
        rows = [[Paragraph(escape(x), cell) if isinstance(x, str) and x else x for x in r] for r in rows]
    table = Table(rows, colWidths=widths, repeatRows=1 if repeat_header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, font_size),
        ("LEADING", (0, 0), (-1, -1), font_size + 2),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for i, bg in enumerate(backgrounds or (), start=1):
        if bg is not None:
            style.append(("BACKGROUND", (0, i), (-1, i), bg))
    table.setStyle(TableStyle(style))
    return table


def _money(x: float | None) -> str:
    return "—" if x is None else f"{x:,.2f}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# -- heat map ---------------------------------------------------------------------------------
class HeatMap(Flowable):
    """One calendar month of coverage: a row per role × shift, a column per date.

    Green met, amber met with substitutes, red short (the number missing written in), grey no
    requirement. Rest days and holidays have a shaded date label; provisional dates a '*'.
    """

    LABEL_W = 40 * mm
    CELL_H = 11
    HEAD_H = 24

    def __init__(self, proof: CoverageProof, dates: list[dt.date], rows: list[tuple[str, str]]):
        super().__init__()
        self.proof, self.dates, self.rows = proof, dates, rows
        self.cells = {(r.date, r.shift, r.role): r for r in proof.daily if r.date in set(dates)}
        self.cell_w = (FRAME_W - self.LABEL_W) / 31

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return FRAME_W, self.HEAD_H + self.CELL_H * len(self.rows) + 4

    def draw(self) -> None:
        c = self.canv
        top = self.HEAD_H + self.CELL_H * len(self.rows)
        first = self.dates[0]
        c.setFont(FONT, 8.5)
        c.drawString(0, top - 9, f"{first.year} 年 {first.month} 月")
        for j, date in enumerate(self.dates):
            x = self.LABEL_W + j * self.cell_w
            kind, _, provisional, _ = self.proof.days[date]
            if kind != "workday":
                c.setFillColor(OFFDAY)
                c.rect(x, top - self.HEAD_H + 1, self.cell_w, 12, stroke=0, fill=1)
            c.setFillColor(colors.black)
            c.setFont(FONT, 6.5)
            c.drawCentredString(
                x + self.cell_w / 2, top - self.HEAD_H + 4, f"{date.day}{'*' if provisional else ''}"
            )
        for i, (role, shift) in enumerate(self.rows):
            y = top - self.HEAD_H - (i + 1) * self.CELL_H
            c.setFillColor(colors.black)
            c.setFont(FONT, 7)
            label = f"{self.proof.role_names.get(role, role)} {self.proof.shift_names.get(shift, shift)}"
            c.drawString(0, y + 3, label)
            for j, date in enumerate(self.dates):
                x = self.LABEL_W + j * self.cell_w
                row = self.cells.get((date, shift, role))
                fill = GREY if row is None else {"met": GREEN, "substitute": AMBER, "short": RED}[row.status]
                c.setFillColor(fill)
                c.setStrokeColor(colors.white)
                c.rect(x, y, self.cell_w, self.CELL_H, stroke=1, fill=1)
                if row is not None and row.shortfall:
                    c.setFillColor(colors.white)
                    c.setFont(FONT, 6)
                    c.drawCentredString(x + self.cell_w / 2, y + 3, f"-{row.shortfall}")


def _heatmap_rows(proof: CoverageProof) -> list[tuple[str, str]]:
    present = {(r.role, r.shift) for r in proof.daily}
    roles = list(proof.role_names)
    shifts = list(proof.shift_names)
    return [(role, shift) for role in roles for shift in shifts if (role, shift) in present]


def _legend() -> Table:
    swatches = [
        ("达标", GREEN),
        ("替岗达标", AMBER),
        ("缺员（格内为缺员人数）", RED),
        ("无人数要求", GREY),
        ("休息日/节假日（日期底色）", OFFDAY),
    ]
    cells, widths, style = [], [], [("FONT", (0, 0), (-1, -1), FONT, 7.5)]
    for i, (text, colour) in enumerate(swatches):
        cells += ["", text]
        widths += [8, pdfmetrics.stringWidth(text, FONT, 7.5) + 14]
        style.append(("BACKGROUND", (2 * i, 0), (2 * i, 0), colour))
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


# -- sections ---------------------------------------------------------------------------------
def _cover(p: CoverageProof, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [
        Spacer(1, 25 * mm),
        Paragraph("服务覆盖证明", st["title"]),
        Paragraph("值守排班、工时与合同风险（季度考核用，合同 5.2、附件八）", st["subtitle"]),
        Spacer(1, 10 * mm),
        _table(
            [
                ("项目", "内容"),
                ("场景", p.scenario_name),
                (
                    "报告期",
                    f"{p.start.isoformat()} 至 {p.end.isoformat()}（共 {(p.end - p.start).days + 1} 天）",
                ),
                ("生成日期", p.generated.isoformat()),
                ("班次", "；".join(f"{p.shift_names[s]} {p.shift_times[s]}" for s in p.shift_names)),
            ],
            widths=[30 * mm, FRAME_W - 30 * mm],
            font_size=9.5,
        ),
        Spacer(1, 6 * mm),
        Paragraph("服务团队", st["h2"]),
        _table(
            [("编号", "姓名", "岗位", "职称", "工作年限")]
            + [
                (
                    x.id,
                    x.name,
                    p.role_names.get(x.role, x.role),
                    x.title or "",
                    "" if x.years is None else f"{x.years:g} 年",
                )
                for x in p.team
            ],
            widths=[18 * mm, 25 * mm, 55 * mm, 35 * mm, 25 * mm],
            font_size=9,
        ),
        Spacer(1, 6 * mm),
        Paragraph("数字摘要（SHA-256，排班表 CSV 与场景文件合并计算）", st["h2"]),
        Paragraph(p.digest.combined, st["mono"]),
        Paragraph(
            "核对方法：按 roster solve 的格式导出排班表 CSV，依次接上场景文件原文计算 SHA-256，"
            "如 cat roster.csv 场景.yaml | sha256sum，结果应与上值相同。",
            st["small"],
        ),
        Paragraph(f"排班表 CSV：<font name='{MONO}'>{p.digest.roster}</font>", st["small"]),
    ]
    for path, sha in p.digest.files:
        out.append(
            Paragraph(f"场景文件 {os.path.basename(path)}：<font name='{MONO}'>{sha}</font>", st["small"])
        )
    out.append(Spacer(1, 4 * mm))
    out += [Paragraph(line, st["base"]) for line in p.working_time]
    if p.provisional_dates:
        out += [
            Spacer(1, 4 * mm),
            Paragraph(
                f"注意：报告期内 {len(p.provisional_dates)} 天（{p.provisional_dates[0]} 起）的节假日安排为"
                f"{PROVISIONAL_ZH}，这些日期在下文标注“*”或“暂定”，其日类型与人数要求可能随官方通知变化。",
                st["base"],
            ),
        ]
    out.append(PageBreak())
    return out


def _summary(p: CoverageProof, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    t = p.total
    values = p.scores.level_values()
    out: list[Flowable] = [
        Paragraph("一、覆盖情况汇总", st["h1"]),
        _table(
            [
                ("指标", "数值"),
                ("有人数要求的班次（日期×班次×岗位）", t.slots),
                ("达标班次 / 班次达标率", f"{t.met_slots}（{_pct(t.slot_rate)}）"),
                ("缺员班次 / 缺员人次", f"{len(p.shortfall_slots)} / {t.shortfall}"),
                ("应到人次 / 人次满足率", f"{t.required}（{_pct(t.person_rate)}）"),
                ("替岗人次", p.substitute_count),
                ("违反硬性规则", f"{len(p.violations)} 条"),
                # The cap is soft in the solver, not in the law: its breach is listed here too.
                ("超出法定加班上限（违反劳动法第四十一条）", over_cap_text(p)),
                ("交接班缺失", f"{sum(1 for h in p.handovers if h.missing)} 次"),
            ]
            + [(f"目标层级 {i}：{label(lv)}", plain(values[lv])) for i, lv in enumerate(LEVELS, start=1)],
            widths=[90 * mm, FRAME_W - 90 * mm],
            font_size=9,
        ),
        *(Paragraph(note, st["small"]) for note in p.notes),
        Paragraph("按岗位、班次、日类型", st["h2"]),
    ]
    rows, bgs = (
        [
            (
                "岗位",
                "班次",
                "日类型",
                "班次数",
                "达标",
                "达标率",
                "应到人次",
                "缺员人次",
                "人次满足率",
                "替岗",
            )
        ],
        [],
    )
    for c in p.compliance:
        role = p.role_names.get(c.role, c.role) if c.role else "合计"
        shift = p.shift_names[c.shift] if c.shift else ("小计" if c.role else "")
        kind = "全部" if c.kind == "all" else DAY_KIND_ZH[c.kind]
        rows.append(
            (
                role,
                shift,
                kind,
                c.slots,
                c.met_slots,
                _pct(c.slot_rate),
                c.required,
                c.shortfall,
                _pct(c.person_rate),
                c.substitutes,
            )
        )
        bgs.append(colors.HexColor("#E2EFDA") if not c.shift else None)
    out.append(
        _table(
            rows,
            widths=[44 * mm, 14 * mm, 20 * mm, 14 * mm, 12 * mm, 16 * mm, 16 * mm, 16 * mm, 17 * mm, 11 * mm],
            backgrounds=bgs,
        )
    )
    if p.surges:
        out.append(Paragraph("特殊时期（加强保障）", st["h2"]))
        out.append(
            _table(
                [("特殊时期", "报告期内日期", "增派", "缺员人次")]
                + [
                    (
                        g.name,
                        f"{g.start.isoformat()} 至 {g.end.isoformat()}",
                        "；".join(
                            f"{p.role_names.get(r, r)}{p.shift_names.get(s, s)}+{n}" for r, s, n in g.adds
                        )
                        or "无（仅标记）",
                        g.shortfall,
                    )
                    for g in p.surges
                ],
                widths=[35 * mm, 45 * mm, 80 * mm, 20 * mm],
            )
        )
    out.append(PageBreak())
    return out


def _heatmaps(p: CoverageProof, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("二、覆盖热力图（岗位×日期）", st["h1"]), _legend(), Spacer(1, 3 * mm)]
    rows = _heatmap_rows(p)
    months: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for d in sorted(p.days):
        months[d.year, d.month].append(d)
    for dates in months.values():
        out += [HeatMap(p, dates, rows), Spacer(1, 4 * mm)]
    if p.provisional_dates:
        out.append(Paragraph(f"* {PROVISIONAL_ZH}", st["small"]))
    out.append(PageBreak())
    return out


def _day_table(p: CoverageProof, rows: list[DailyRow]) -> Table:
    data = [("班次", "岗位", "要求", "实到", "在岗人员", "状态")]
    for r in rows:
        status = SLOT_STATUS_ZH[r.status] + (f" 缺{r.shortfall}" if r.shortfall else "")
        if r.substitutes:
            status += f"（替岗：{p.names(r.substitutes)}）"
        data.append(
            (
                f"{p.shift_names[r.shift]} {p.shift_times[r.shift]}",
                p.role_names.get(r.role, r.role),
                r.required,
                r.assigned,
                p.names(r.staff_ids) or "—",
                status,
            )
        )
    return _table(
        data,
        widths=[31 * mm, 39 * mm, 11 * mm, 11 * mm, 52 * mm, FRAME_W - 144 * mm],
        font_size=7.5,
        backgrounds=[STATUS_BG[r.status] for r in rows],
        repeat_header=False,
    )


def _days(p: CoverageProof, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("三、每日值守明细", st["h1"])]
    by_date: dict[dt.date, list[DailyRow]] = defaultdict(list)
    for r in p.daily:
        by_date[r.date].append(r)
    for date in sorted(p.days):
        rows = by_date.get(date, [])
        label = p.date_label(date)
        surges = p.days[date][3]
        if surges:
            label += f"　特殊时期：{'、'.join(surges)}"
        body: Flowable = _day_table(p, rows) if rows else Paragraph("本日无人数要求。", st["small"])
        out.append(KeepTogether([Paragraph(label, st["h2"]), body]))
    out.append(PageBreak())
    return out


def _hours(p: CoverageProof, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    data = [
        (
            "编号",
            "姓名",
            "月份",
            "班次",
            "标准",
            "计薪",
            "加班",
            "上限",
            "超上限",
            "休息日",
            "节假日",
            "夜班",
            "驻场(晚)",
            "年休(月/年累计/应休)",
        )
    ]
    for h in p.hours:
        ent = "—" if h.annual_leave_entitlement is None else h.annual_leave_entitlement
        data.append(
            (
                h.staff_id,
                p.who(h.staff_id),
                h.month,
                h.shifts,
                plain(h.standard),
                plain(h.paid),
                plain(h.overtime),
                plain(h.cap),
                plain(h.excess),
                plain(h.restday),
                plain(h.holiday),
                h.nights,
                h.presence,
                f"{h.annual_leave_days}/{h.annual_leave_year_to_date}/{ent}",
            )
        )
    return [
        Paragraph("四、工时（每人每月，单位：小时）", st["h1"]),
        _table(data, font_size=7, backgrounds=[LIGHT_RED if h.excess > 0 else None for h in p.hours]),
        Paragraph(
            "加班 = max(0, 计薪工时 - 标准工时)；上限为每月 36 小时（劳动法 41），"
            "不满整月按天数折算并向下取整。驻场（晚）为驻场住宿次数（附件八 附件1 1.1），"
            "在办公区住宿且不安排任务，不计入工时。",
            st["small"],
        ),
        Paragraph(ANNUAL_LEAVE_NOTE, st["small"]),
        PageBreak(),
    ]


def _pay(p: CoverageProof, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    data = [
        (
            "编号",
            "姓名",
            "月份",
            "基数(元/时)",
            "工作日延长",
            "休息日",
            "节假日",
            "标准工时制(元)",
            "综合超时",
            "综合工时制(元)",
        )
    ]
    for r in p.pay:
        data.append(
            (
                r.staff_id,
                p.who(r.staff_id),
                r.month + ("*暂定" if r.provisional else ""),
                "未设置" if r.rate is None else _money(r.rate),
                plain(r.workday_overtime),
                plain(r.restday),
                plain(r.holiday),
                _money(r.standard_pay),
                plain(r.comprehensive_excess),
                _money(r.comprehensive_pay),
            )
        )
    out: list[Flowable] = [Paragraph("五、加班工资（两种工时制度对比）", st["h1"])]
    out += [Paragraph(f, st["small"]) for f in PAY_FORMULAS]
    out += [Spacer(1, 2 * mm), _table(data, font_size=7), PageBreak()]
    return out


def _risk(p: CoverageProof, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    risk = p.risk
    out: list[Flowable] = [
        Paragraph("六、合同风险", st["h1"]),
        Paragraph("（一）缺员与未履行的承诺（人数单位：人）", st["h2"]),
    ]
    if risk.shortfalls:
        data = [("日期", "班次", "岗位", "要求", "实到", "缺员", "未履行的承诺", "扣分（假设）")]
        for f in risk.shortfalls:
            data.append(
                (
                    f.date.isoformat() + ("*" if p.days[f.date][2] else ""),
                    p.shift_names[f.shift],
                    p.role_names.get(f.role, f.role),
                    f.required,
                    f.assigned,
                    f.shortfall,
                    Paragraph(f.clause, st["small"]),
                    f.points,
                )
            )
        out.append(
            _table(
                data,
                widths=[22 * mm, 16 * mm, 40 * mm, 10 * mm, 10 * mm, 10 * mm, 54 * mm, 18 * mm],
                font_size=7.5,
            )
        )
    else:
        out.append(Paragraph("报告期内没有缺员班次。", st["base"]))
    header, *rows = quarter_rows(risk)
    # Heading and table on one page: the heading alone at a page's foot reads as a missing table.
    out.append(
        KeepTogether(
            [
                Paragraph(
                    "（二）各季度考核扣分（附件八 第七条、第八条 3；合同期涉及五个自然季度）", st["h2"]
                ),
                _table(
                    [tuple(Paragraph(h, st["small"]) for h in header), *rows],
                    widths=[
                        14 * mm,
                        32 * mm,
                        20 * mm,
                        16 * mm,
                        16 * mm,
                        18 * mm,
                        16 * mm,
                        16 * mm,
                        17 * mm,
                        17 * mm,
                    ],
                    font_size=7.5,
                ),
            ]
        )
    )
    out.append(Paragraph("（三）人员更换（附件八 第八条 2；采购需求 3.3、3.4）", st["h2"]))
    if risk.changes:
        out.append(
            _table(
                [("人员", "替换人员", "通知日", "最后工作日", "扣分", "问题")]
                + [
                    (
                        f"{c.staff_id} {c.staff_name}",
                        f"{c.replacement_id} {c.replacement_name}" if c.replacement_id else "—",
                        str(c.notice_date),
                        str(c.last_day),
                        risk.change_points(c),
                        Paragraph(
                            "；".join(x.detail for x in c.checks if x.verdict != "kept") or "无", st["small"]
                        ),
                    )
                    for c in risk.changes
                ],
                widths=[24 * mm, 24 * mm, 20 * mm, 20 * mm, 12 * mm, 80 * mm],
            )
        )
    else:
        out.append(Paragraph("报告期内没有人员更换。", st["base"]))
    out.append(Paragraph("（四）合同 9.1 累计违约次数与资金风险", st["h2"]))
    out += [Paragraph(line, st["base"]) for line in pooled_lines(risk)]
    if risk.pooled.occurrences:
        out.append(
            _table(
                [("序号", "日期", "事项", "说明")]
                + [
                    (i, str(o.date), OCCURRENCE_ZH[o.kind], Paragraph(o.detail, st["small"]))
                    for i, o in enumerate(risk.pooled.occurrences, 1)
                ],
                widths=[12 * mm, 22 * mm, 60 * mm, 86 * mm],
                font_size=7.5,
            )
        )
    out.append(Paragraph("（五）年度考核得分与尾款档位（附件八 第九条）", st["h2"]))
    out.append(Paragraph(score_headline(risk), st["base"]))
    out.append(
        _table(
            [("读法", "得分（分）", "档位", "尾款应付（元）", "较全额少付（元）")]
            + [
                (x.label, plain(x.score), x.tier, _money(x.payment_cny), _money(x.loss_cny))
                for x in risk.projections
            ],
            widths=[55 * mm, 18 * mm, 45 * mm, 31 * mm, 31 * mm],
        )
    )
    if risk.overtime_over_cap:
        excess = sum(m.excess_minutes for m in risk.overtime_over_cap) / 60
        out.append(
            Paragraph(
                f"（六）违反劳动法第四十一条：{len(risk.overtime_over_cap)} 人次（人×月）"
                f"加班超过法定上限，共超出 {plain(excess)} 小时，明细见工时表。",
                st["h2"],
            )
        )
    out.append(Paragraph("假设与说明", st["h2"]))
    out += [
        Paragraph(f"{i}. {text}", st["small"]) for i, text in enumerate([*risk.assumptions, *risk.notes], 1)
    ]
    return out


def _handovers(p: CoverageProof, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    missing = [h for h in p.handovers if h.missing]
    out: list[Flowable] = [CondPageBreak(60 * mm), Paragraph("七、交接班缺失（附件八 附件1 3.2）", st["h1"])]
    if not missing:
        out.append(Paragraph(f"报告期内 {len(p.handovers)} 次岗位交接均有人交班、有人接班。", st["base"]))
        return out
    out.append(
        Paragraph(
            f"共 {len(p.handovers)} 次岗位交接，其中 {len(missing)} 次缺少交班或接班人员；"
            "完整名单见 Excel 交接班表。",
            st["base"],
        )
    )
    data = [("交接时间", "岗位", "交班", "接班", "状态")]
    for h in missing:
        data.append(
            (
                h.at.strftime("%Y-%m-%d %H:%M"),
                p.role_names.get(h.role, h.role),
                f"{p.shift_names[h.from_shift]}：{p.names(h.outgoing) or '—'}",
                f"{p.shift_names[h.to_shift]}：{p.names(h.incoming) or '—'}",
                h.status,
            )
        )
    out.append(_table(data, widths=[28 * mm, 42 * mm, 40 * mm, 40 * mm, 20 * mm], font_size=7.5))
    return out


def _signatures(p: CoverageProof, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    line = "________________________"
    rows = [
        ("乙方驻场服务经理（签字）：", line, "日期：", "______________"),
        ("乙方项目负责人（签字、盖章）：", line, "日期：", "______________"),
        ("甲方技术保障三部（签字）：", line, "日期：", "______________"),
    ]
    table = Table(rows, colWidths=[60 * mm, 60 * mm, 15 * mm, 40 * mm], rowHeights=16 * mm)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return [
        PageBreak(),
        Paragraph("八、签字确认", st["h1"]),
        Paragraph(
            f"本证明依据报告期 {p.start} 至 {p.end} 的排班表与场景文件生成，数字摘要 "
            f"<font name='{MONO}' size='7.5'>{p.digest.combined}</font>。"
            "双方确认以上覆盖情况与存档排班表一致。",
            st["base"],
        ),
        Spacer(1, 8 * mm),
        table,
    ]


def pdf_bytes(proof: CoverageProof) -> bytes:
    _register_fonts()
    st = _styles()
    buf = io.BytesIO()
    title = f"服务覆盖证明 {proof.start} 至 {proof.end}"

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 8 * mm, f"{proof.scenario_name}　报告期 {proof.start} 至 {proof.end}")
        canvas.drawRightString(
            PAGE_W - MARGIN, 8 * mm, f"摘要 {proof.digest.combined[:16]}　第 {doc.page} 页"
        )
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=14 * mm,
        title=title,
        author=proof.scenario_name,
        subject="服务覆盖证明",
        creator="roster-planner",
        initialFontName=FONT,
    )
    story: list[Flowable] = []
    for section in (_cover, _summary, _heatmaps, _days, _hours, _pay, _risk, _handovers, _signatures):
        story += section(proof, st)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
