"""Charts as pure functions: facts in, a plotly figure out (no Streamlit, no session state)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from models.calendar import DayInfo
from models.roster import Roster
from models.scenario import Surge
from planner.check.score import PersonMonth, fairness_counts, in_horizon
from planner.check.validate import ValidationReport
from planner.problem.instance import Instance
from planner.problem.labels import DAY_KIND_ZH, WEEKDAY_ZH

if TYPE_CHECKING:  # the staffing planner (and the solver) load only where they are used
    from planner.whatif.staffing import StaffingReport

FONT = dict(family="WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif")
SHORT_SCALE = [[0.0, "#F7FBF0"], [0.01, "#FDE0DD"], [0.5, "#F768A1"], [1.0, "#7A0177"]]


def date_ticks(days: int) -> str:
    """A d3 time format for a date axis over `days` days (plotly's own ticks are English: "Dec
    2026"): 12月1日 over a month or two, 2026年12月 over longer, where ticks fall on months."""
    return "%-m月%-d日" if days <= 62 else "%Y年%-m月"


# Plotly's toolbar speaks English (its tooltips: "Download plot as a png", "Zoom in"), and the
# Chinese locale is not in the plotly.js that Streamlit ships: the charts go without it (the
# figures are in the xlsx and pdf downloads).
CHART_CONFIG = {"displayModeBar": False}
KIND_COLOURS = {"workday": "#DCE6F2", "restday": "#BDBDBD", "holiday": "#E6550D"}


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title=title, height=height, margin=dict(l=10, r=10, t=50, b=10), font=FONT)
    return fig


def coverage_heatmap(inst: Instance, report: ValidationReport) -> go.Figure:
    """Role and shift × date: how many people are missing; short slots stand out in red."""
    role_names = {r.id: r.name for r in inst.roles}
    shift_names = {s.id: s.name for s in inst.shifts}
    rows: list[tuple[str, str]] = []
    for r in inst.roles:
        for s in inst.shifts:
            if any(x.role == r.id and x.shift == s.id for x in report.slots):
                rows.append((r.id, s.id))
    by_key = {(x.date, x.shift, x.role): x for x in report.slots}
    z, text, hover = [], [], []
    for role, shift in rows:
        zr, tr, hr = [], [], []
        for d in inst.dates:
            slot = by_key.get((d, shift, role))
            if slot is None:
                zr.append(None)
                tr.append("")
                hr.append("")
                continue
            zr.append(slot.shortfall)
            tr.append(f"{slot.assigned}/{slot.required}")
            who = "、".join(slot.staff_ids) or "无人"
            hr.append(
                f"{d.isoformat()} {shift_names[shift]} {role_names[role]}<br>"
                f"需要 {slot.required} 人，已排 {slot.assigned} 人（{who}）<br>缺 {slot.shortfall} 人"
            )
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    top = max([v for row in z for v in row if v is not None] + [1])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{d.month}/{d.day}" for d in inst.dates],
            y=[f"{role_names[r]} · {shift_names[s]}" for r, s in rows],
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=SHORT_SCALE,
            zmin=0,
            zmax=top,
            xgap=1,
            ygap=1,
            colorbar=dict(title="缺人"),
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "覆盖情况（已排/需要，红色为缺人）", 120 + 34 * len(rows))


def hours_chart(inst: Instance, months: list[PersonMonth]) -> go.Figure:
    """Per person: paid hours against standard hours and the legal maximum (standard + cap)."""
    names = {p.id: f"{p.id} {p.name}" for p in inst.staff}
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for r in months:
        t = totals[r.staff_id]
        t[0] += r.paid_minutes / 60
        t[1] += r.standard_minutes / 60
        t[2] += (r.standard_minutes + r.cap_minutes) / 60
        t[3] += r.overtime_minutes / 60
    people = [p.id for p in inst.staff]
    x = [names[p] for p in people]
    fig = go.Figure()
    fig.add_bar(x=x, y=[totals[p][0] for p in people], name="排班工时", marker_color="#1F77B4")
    fig.add_bar(x=x, y=[totals[p][1] for p in people], name="标准工时", marker_color="#AEC7E8")
    fig.add_scatter(
        x=x,
        y=[totals[p][2] for p in people],
        name="法定上限（标准+加班上限）",
        mode="markers",
        marker=dict(symbol="line-ew-open", size=26, color="#C00000", line=dict(width=3)),
    )
    fig.update_layout(barmode="group", yaxis_title="小时", legend=dict(orientation="h", y=-0.25))
    return _layout(fig, "每人工时", 380)


def counts_chart(inst: Instance, roster: Roster) -> go.Figure:
    """Per person: night shifts, shifts on rest days or holidays, and shifts on holidays."""
    counts = fairness_counts(inst, in_horizon(inst, roster))
    x = [f"{p.id} {p.name}" for p in inst.staff]
    fig = go.Figure()
    for key, label, colour in (
        ("nights", "夜班", "#1F3864"),
        ("offday_shifts", "休息日及节假日上班", "#7F7F7F"),
        ("holiday_shifts", "法定节假日上班", "#E6550D"),
    ):
        fig.add_bar(x=x, y=[counts[p.id][key] for p in inst.staff], name=label, marker_color=colour)
    fig.update_layout(barmode="group", yaxis_title="班次数", legend=dict(orientation="h", y=-0.25))
    return _layout(fig, "夜班、休息日和节假日班次", 380)


def calendar_heatmap(days: list[DayInfo]) -> go.Figure:
    """Weeks × weekdays, coloured by kind of day; provisional days are marked with "?"."""
    if not days:
        return _layout(go.Figure(), "日历", 200)
    first_monday = days[0].date - dt.timedelta(days=days[0].date.weekday())
    weeks = (days[-1].date - first_monday).days // 7 + 1
    code = {"workday": 0, "restday": 1, "holiday": 2}
    z = [[None] * weeks for _ in range(7)]
    text = [[""] * weeks for _ in range(7)]
    hover = [[""] * weeks for _ in range(7)]
    for day in days:
        w = (day.date - first_monday).days // 7
        wd = day.date.weekday()
        z[wd][w] = code[day.kind]
        text[wd][w] = f"{day.date.day}" + ("?" if day.provisional else "")
        parts = [day.date.isoformat(), WEEKDAY_ZH[day.weekday], DAY_KIND_ZH[day.kind]]
        if day.holiday_name:
            parts.append(day.holiday_name)
        if day.surges:
            parts.append("加强保障：" + "、".join(day.surges))
        if day.provisional:
            parts.append("暂定")
        hover[wd][w] = " ".join(parts)
    x = [(first_monday + dt.timedelta(weeks=i)).strftime("%y-%m-%d") for i in range(weeks)]
    scale = [
        [0.0, KIND_COLOURS["workday"]], [0.33, KIND_COLOURS["workday"]],
        [0.34, KIND_COLOURS["restday"]], [0.66, KIND_COLOURS["restday"]],
        [0.67, KIND_COLOURS["holiday"]], [1.0, KIND_COLOURS["holiday"]],
    ]  # fmt: skip
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=[WEEKDAY_ZH[w] for w in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=scale,
            zmin=0,
            zmax=2,
            xgap=2,
            ygap=2,
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="周一日期", tickangle=-60, tickformat=date_ticks(7 * weeks))
    return _layout(fig, "日期类型（蓝：工作日，灰：休息日，橙：法定节假日；? 为暂定）", 330)


def surge_timeline(
    surges: tuple[Surge, ...],
    start: dt.date,
    end: dt.date,
    role_names: dict[str, str],
    shift_names: dict[str, str],
) -> go.Figure:
    """Surge periods as horizontal bars over the horizon, labelled with what they add."""
    fig = go.Figure()
    shown = [s for s in surges if s.end >= start and s.start <= end]
    for s in shown:
        adds = (
            "、".join(
                f"{role_names.get(a.role, a.role)}{shift_names.get(a.shift, a.shift)} +{a.count}"
                for a in s.add
            )
            or "不加人"
        )
        first, last = max(s.start, start), min(s.end, end)
        fig.add_bar(
            y=[s.name],
            x=[(last - first).days + 1],
            base=[first.isoformat()],
            orientation="h",
            name=s.name,
            hovertext=f"{s.name}：{s.start} 至 {s.end}，{adds}",
            hoverinfo="text",
            text=adds,
            textposition="inside",
            marker_color="#F4A582" if s.add else "#D9D9D9",
            showlegend=False,
        )
    # Bars measured in days on a date axis: plotly needs milliseconds per unit.
    for trace in fig.data:
        trace.x = [v * 86_400_000 for v in trace.x]
    fig.update_xaxes(
        type="date",
        range=[start.isoformat(), (end + dt.timedelta(days=1)).isoformat()],
        tickformat=date_ticks((end - start).days + 1),
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "加强保障时段", 120 + 32 * max(1, len(shown)))


def shortfall_chart(report: StaffingReport) -> go.Figure:
    """Shortfall against headcount, one line per role, the minimum marked (a pure function)."""
    fig = go.Figure()
    for r in report.roles:
        points = [p for p in r.probes if p.value is not None]
        fig.add_trace(
            go.Scatter(
                x=[p.headcount for p in points],
                y=[p.value for p in points],
                mode="lines+markers",
                name=r.name,
                customdata=[[p.bound, p.status] for p in points],
                hovertemplate="%{fullData.name}<br>人数 %{x}<br>缺口 %{y} 人次"
                "<br>下界 %{customdata[0]}（%{customdata[1]}）<extra></extra>",
            )
        )
        if r.minimum is not None:
            fig.add_trace(
                go.Scatter(
                    x=[r.minimum],
                    y=[0],
                    mode="markers",
                    marker={"symbol": "star", "size": 14},
                    name=f"{r.name} 最少人数 {r.minimum}" + ("" if r.proven else "（未证明）"),
                    showlegend=True,
                )
            )
    cap = {"hard": "法定加班上限为硬性规则", "soft": "加班上限不作限制", None: "按场景规则"}[
        report.overtime_cap
    ]
    fig.update_layout(
        title=f"各岗位人数与覆盖缺口（{report.start} 至 {report.end}，{cap}）",
        xaxis_title="岗位人数",
        yaxis_title="覆盖缺口（人次）",
        xaxis={"dtick": 1},
        legend_title="岗位",
    )
    return fig
