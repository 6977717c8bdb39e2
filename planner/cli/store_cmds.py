"""`roster publish`, `record`, `actual`, `history`, `replan`, `backup`, `restore`: the roster store.

The store is found from --db URL, else $ROSTER_DB, else a SQLite file in the user's data folder
(planner.store.db). What "published", "in force" and "actual" mean is defined in planner.store.
Everything stays on this machine: reasons and names are personal data (PIPL).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.errors import InputError
from models.roster import Assignment
from models.scenario import Scenario
from planner.cli.common import (
    DbOpt,
    SolveTimeOpt,
    WorkersOpt,
    console,
    date_range,
    err_console,
    fail,
    handle_input_errors,
    lazy_module,
    level_table,
    parse_date,
    print_violations,
    span,
    warn_uncovered,
)
from planner.problem.labels import ABSENCE_ZH, RECORD_KIND_ZH, VERSION_STATUS_ZH
from planner.problem.results import SolveOptions
from planner.rules import label

# The store (SQLAlchemy) and the solver load when a command first uses them (issue 13).
actual_flow = lazy_module("planner.workflows.actual")
records = lazy_module("planner.workflows.records")
publish_flow = lazy_module("planner.workflows.publish")
replan_flow = lazy_module("planner.workflows.replan")
engine_solve = lazy_module("planner.engine.solve")

ByOpt = Annotated[str | None, typer.Option("--by", help="who records it (default: login name)")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="why (personal data: stays in the local store)")]
StaffOpt = Annotated[str, typer.Option("--staff", help="staff id, e.g. S02")]
DateOpt = Annotated[str, typer.Option("--date", help="date, YYYY-MM-DD")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="last date (default: --date)")]

ORIGIN_ZH = {"solve": "求解", "replan": "重排"}
EXIT_REFUSED = 1


def _table_console() -> Console:
    """Wide tables stay readable when the output is a file or a pipe (no terminal width)."""
    return console if console.is_terminal else Console(soft_wrap=True, width=220)


def _local(t: dt.datetime) -> str:
    return t.astimezone().strftime("%Y-%m-%d %H:%M")


def _who(scenario: Scenario | None, staff_id: str | None) -> str:
    if staff_id is None:
        return ""
    person = scenario.staff_by_id.get(staff_id) if scenario else None
    return f"{staff_id} {person.name}" if person else staff_id


def _shift_text(scenario: Scenario | None, assignments: list[Assignment]) -> str:
    if not assignments:
        return "休息"
    roles = {r.id: r.name for r in scenario.roles} if scenario else {}
    parts = []
    for a in assignments:
        shift = scenario.shifts_by_id.get(a.shift) if scenario else None
        parts.append(f"{shift.name if shift else ''} {a.shift}（{roles.get(a.role, a.role)}）".strip())
    return "、".join(parts)


# -- publish ----------------------------------------------------------------------------------
@handle_input_errors
def publish(
    folder: Annotated[Path, typer.Argument(help="the --out folder of `roster solve` or `roster replan`")],
    author: Annotated[
        str | None, typer.Option("--author", help="who publishes (default: login name)")
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option("--scenario", help="scenario file (default: the one summary.json names)")
    ] = None,
    draft: Annotated[bool, typer.Option("--draft", help="store as a draft: kept, never in force")] = False,
    force: Annotated[bool, typer.Option("--force", help="publish even if hard rules are broken")] = False,
    db: DbOpt = None,
) -> None:
    """Publish a solved roster (发布排班): re-validate it, then store it with its scenario."""
    store = records.open_store(db)
    attempt = publish_flow.publish_solve_folder(store, folder, author, scenario, draft=draft, force=force)
    report = attempt.report
    if attempt.folder.edited:
        console.print(
            "[yellow]注意：roster.csv 在求解后被修改过（与 summary.json 中的摘要不符），"
            "已按文件内容重新校验[/]",
            highlight=False,
        )
    if not report.ok:
        title = "违反硬性规则" if attempt.outcome is None else "已强制发布（--force），但违反硬性规则"
        print_violations(report.hard_violations, title)
    if attempt.outcome is None:
        console.print("[bold red]拒绝发布：排班违反硬性规则；修正后再发布，或确需发布时加 --force[/]")
        raise typer.Exit(EXIT_REFUSED)
    outcome = attempt.outcome
    v = outcome.version
    what = "已存为草稿" if v.status == "draft" else "已发布"
    console.print(
        f"[bold green]{what} 版本 #{v.id}[/]：{span(v.start, v.end)}，{v.assignment_count} 个排班，"
        f"场景「{escape(v.scenario_name)}」，发布人 {escape(v.author)}，{_local(v.created_at)}",
        highlight=False,
    )
    for old, dates in sorted(outcome.superseded.items()):
        console.print(f"  取代版本 #{old} 的 {len(dates)} 天（{span(dates[0], dates[-1])}）", highlight=False)
    if outcome.dropped_records:
        listed = "、".join(
            f"#{c.id} {RECORD_KIND_ZH[c.kind]} {c.staff_id} {c.start}" for c in outcome.dropped_records
        )
        console.print(
            f"  [yellow]被取代日期上登记的 {len(outcome.dropped_records)} 条变动不再生效：{listed}[/]",
            highlight=False,
        )
    for change, a in outcome.sick_removed:
        console.print(
            f"  [yellow]已登记病假（#{change.id}）：{a.staff_id} {a.date} 的 {a.shift} 班"
            "在实际排班中被移除[/]",
            highlight=False,
        )
    console.print(f"存储 store: {escape(store.location)}", highlight=False)


# -- record -----------------------------------------------------------------------------------
record_app = typer.Typer(
    help="Record a change to the published roster (登记变动): sick, swap, extra, cancel.",
    no_args_is_help=True,
)


def _record(
    db: str | None,
    kind: str,
    staff: str,
    date: str,
    until: str | None,
    by: str | None,
    reason: str,
    **extra: str | None,
) -> None:
    first, last = _dates(date, until)
    new = records.NewRecord(kind, staff, first, last, by or publish_flow.default_author(), reason, **extra)
    result = records.record(records.open_store(db), new)
    c, scenario = result.record, result.scenario
    who = _who(scenario, c.staff_id) + (f" ↔ {_who(scenario, c.other_staff_id)}" if c.other_staff_id else "")
    console.print(
        f"[bold green]已登记 #{c.id} {RECORD_KIND_ZH[c.kind]}[/]：{escape(who)}，{span(c.start, c.end)}"
        f"（记录人 {escape(c.recorded_by)}，版本 #{c.version_id}）",
        highlight=False,
    )
    if result.moved:
        console.print("实际排班的变化：")
        for cell in result.moved:
            old, new_ = _shift_text(scenario, cell.before), _shift_text(scenario, cell.after)
            who = escape(_who(scenario, cell.staff_id))
            console.print(f"  {who} {cell.date}：{old} → {new_}", highlight=False)
    else:
        console.print("实际排班没有变化（当天本就没有班次）")
    # A record is never refused for the hard rules it breaks: it states what happened.
    for v in result.near_violations:
        console.print(
            f"  [yellow]⚠ 实际排班违反硬性规则 {label(v.rule)}：{escape(v.message)}[/]",
            highlight=False,
        )
    if c.kind in ("sick", "cancel"):
        console.print(f"如需补位并尽量少改动：roster replan --from {c.start}", highlight=False)


def _dates(date: str, until: str | None) -> tuple[dt.date, dt.date]:
    first = parse_date(date, "--date")
    last = parse_date(until, "--until") if until else first
    assert first is not None and last is not None
    if last < first:
        raise InputError(f"--until {last} is before --date {first}: an impossible date range")
    return first, last


@record_app.command("sick")
@handle_input_errors
def record_sick(
    staff: StaffOpt,
    date: DateOpt,
    reason: ReasonOpt,
    until: UntilOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Sick leave (病假): the person works no shift on these dates; a re-plan treats it as an absence."""
    _record(db, "sick", staff, date, until, by, reason)


@record_app.command("swap")
@handle_input_errors
def record_swap(
    staff: StaffOpt,
    other: Annotated[str, typer.Option("--with", help="the other person's staff id")],
    date: DateOpt,
    reason: ReasonOpt,
    until: UntilOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Swap (换班): two people exchange their shifts on these dates."""
    _record(db, "swap", staff, date, until, by, reason, other_staff_id=other)


@record_app.command("extra")
@handle_input_errors
def record_extra(
    staff: StaffOpt,
    date: DateOpt,
    shift: Annotated[str, typer.Option("--shift", help="shift id, e.g. D or N")],
    reason: ReasonOpt,
    role: Annotated[str | None, typer.Option("--role", help="role covered (default: primary role)")] = None,
    until: UntilOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Extra shift (加班次): the person works an additional shift, e.g. for an urgent surge."""
    _record(db, "extra", staff, date, until, by, reason, shift=shift, role=role)


@record_app.command("cancel")
@handle_input_errors
def record_cancel(
    staff: StaffOpt,
    date: DateOpt,
    reason: ReasonOpt,
    shift: Annotated[str | None, typer.Option("--shift", help="only this shift (default: any)")] = None,
    until: UntilOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Cancelled shift (取消班次): the person's shift on these dates is dropped."""
    _record(db, "cancel", staff, date, until, by, reason, shift=shift)


# -- actual -----------------------------------------------------------------------------------
@handle_input_errors
def actual(
    start: Annotated[str, typer.Option("--start", help="first date, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--end", help="last date, YYYY-MM-DD")],
    out: Annotated[Path, typer.Option("--out", help="output folder (roster.csv is written there)")],
    db: DbOpt = None,
    allow_violations: Annotated[
        bool,
        typer.Option(
            "--allow-violations",
            help="write it even when it breaks hard rules (validation.json and the output say so)",
        ),
    ] = False,
) -> None:
    """Write the actual roster (实际排班): published rosters plus recorded changes, as roster.csv,
    and the scenario it was worked under (with the recorded sick days) in scenario/. It is
    re-checked first: one that breaks hard rules is written only with --allow-violations."""
    first, last = date_range(start, end)
    written = actual_flow.write_actual(records.open_store(db), first, last, out, allow_violations)
    hard = written.report.hard_violations
    if hard:
        refused = written.roster_file is None
        title = "实际排班违反硬性规则" if refused else "已按 --allow-violations 写出，但实际排班违反硬性规则"
        print_violations(hard, title)
        if refused:
            console.print(
                "[bold red]未写出：实际排班违反硬性规则（多为登记的加班或换班造成）；"
                "确需导出时加 --allow-violations，输出会标明[/]",
                highlight=False,
            )
            raise typer.Exit(EXIT_REFUSED)
    result = written.actual
    console.print(f"实际排班 {span(first, last)}：{len(result.roster.assignments)} 个排班", highlight=False)
    for vid, dates in sorted(written.days_by_version.items()):
        console.print(f"  版本 #{vid}：{len(dates)} 天（{span(dates[0], dates[-1])}）", highlight=False)
    if result.applied:
        listed = "、".join(f"#{c.id} {RECORD_KIND_ZH[c.kind]} {c.staff_id}" for c in result.applied)
        console.print(f"  已计入 {len(result.applied)} 条变动：{listed}", highlight=False)
    if result.superseded:
        listed = "、".join(f"#{c.id}" for c in result.superseded)
        console.print(f"  未计入（所在日期已被后来发布的版本取代）：{listed}", highlight=False)
    warn_uncovered(result.uncovered)
    if written.scenario_file is not None:
        note = "校验实际排班请用这个场景文件：含已登记的病假"
        console.print(f"scenario: {written.scenario_file}（{note}）", highlight=False)
    console.print(f"written: {written.roster_file}, {written.validation_file}")


# -- history ----------------------------------------------------------------------------------
@handle_input_errors
def history(
    start: Annotated[
        str | None, typer.Option("--start", help="only versions and changes from this date")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="only versions and changes up to this date")
    ] = None,
    reasons: Annotated[bool, typer.Option("--reasons", help="show the reasons (personal data)")] = False,
    db: DbOpt = None,
) -> None:
    """List roster versions and recorded changes (版本与变动记录)."""
    first, last = parse_date(start), parse_date(end, "--end")
    store = records.open_store(db)
    found = records.history(store, first, last)
    all_versions, in_force = found.versions, found.in_force_days
    table = Table(title=f"排班版本（{escape(store.location)}）", title_justify="left")
    for col in (
        "版本",
        "状态",
        "日期",
        "排班数",
        "覆盖缺口",
        "来源",
        "基于",
        "生效天数",
        "发布人",
        "时间",
        "场景",
    ):
        table.add_column(
            col, justify="right" if col in ("版本", "排班数", "覆盖缺口", "生效天数") else "left"
        )
    for v in all_versions:
        coverage = next(
            (lv.get("value") for lv in v.summary.get("levels", []) if lv.get("name") == "coverage"), None
        )
        status = VERSION_STATUS_ZH.get(v.status, v.status) + ("（强制）" if v.forced else "")
        table.add_row(
            f"#{v.id}",
            status,
            span(v.start, v.end),
            str(v.assignment_count),
            "—" if coverage is None else f"{coverage:g}",
            ORIGIN_ZH.get(v.origin, v.origin),
            f"#{v.based_on}" if v.based_on else "",
            str(in_force.get(v.id, 0)) if v.status == "published" else "—",
            escape(v.author),
            _local(v.created_at),
            escape(v.scenario_name),
        )
    _table_console().print(table)
    recorded = found.records
    table = Table(title="登记的变动", title_justify="left")
    for col in ("编号", "类型", "人员", "日期", "班次/岗位", "版本", "状态", "记录人", "记录时间", "原因"):
        table.add_column(col)
    active = found.active
    for c in recorded:
        staff = c.staff_id + (f" ↔ {c.other_staff_id}" if c.other_staff_id else "")
        detail = " ".join(x for x in (c.shift, c.role) if x)
        table.add_row(
            f"#{c.id}",
            RECORD_KIND_ZH.get(c.kind, c.kind),
            staff,
            span(c.start, c.end),
            detail,
            f"#{c.version_id}",
            "生效" if c.id in active else "已被取代",
            escape(c.recorded_by),
            _local(c.recorded_at),
            escape(c.reason) if reasons else "（已隐藏）",
        )
    _table_console().print(table)
    if recorded and not reasons:
        console.print("原因属于个人信息，默认不显示；加 --reasons 显示")


# -- replan -----------------------------------------------------------------------------------
@handle_input_errors
def replan_cmd(
    from_: Annotated[
        str, typer.Option("--from", help="first date to re-plan; earlier dates stay as they are")
    ],
    until: Annotated[
        str | None, typer.Option("--until", help="last date to re-plan (default: the version's end)")
    ] = None,
    absence: Annotated[
        list[str] | None,
        typer.Option("--absence", help="STAFF:D1..D2[:kind] (kind default sick); repeatable"),
    ] = None,
    time_limit: SolveTimeOpt = 60.0,
    workers: WorkersOpt = 2,
    out: Annotated[
        Path | None, typer.Option("--out", help="output folder (roster, notices, scenario)")
    ] = None,
    publish_: Annotated[
        bool, typer.Option("--publish", help="publish the new roster as a new version")
    ] = False,
    author: Annotated[
        str | None, typer.Option("--author", help="who publishes (default: login name)")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Re-plan the rest of a published roster with as few changes as possible (重排)."""
    first = parse_date(from_, "--from")
    last = parse_date(until, "--until") if until else None
    assert first is not None
    absences = [replan_flow.parse_absence(a) for a in absence or []]
    store = records.open_store(db)
    options = SolveOptions(time_limit=time_limit, workers=workers)
    with err_console.status("重排中 re-planning…") as status:

        def progress(p) -> None:
            status.update(f"重排中 re-planning… {p.level} {p.incumbent:g}（{p.elapsed:.0f}s）")

        try:
            result = replan_flow.replan(
                store, first, last, absences, options, out, publish_, author, progress=progress
            )
        except engine_solve.SolveError as exc:
            fail(f"重排失败 re-plan failed: {exc}", code=1)
            return
    base = result.base
    console.print(
        f"重排已发布版本 #{base.id}（{span(base.start, base.end)}）："
        f"{span(result.from_date, result.until)}，之前的日期保持不变",
        highlight=False,
    )
    for a in result.absences:
        console.print(
            f"  缺勤：{escape(_who(result.instance.scenario, a.staff))} "
            f"{span(a.start, a.end)} {ABSENCE_ZH[a.kind]}",
            highlight=False,
        )
    console.print(level_table(result.solve.levels))
    report = result.solve.validation
    short = result.shortfall
    console.print(
        f"独立校验 validator: {'通过 OK' if report.ok else '失败 FAILED'}; 缺口 shortfall {short} 个班次岗位"
    )
    before_short = result.shortfall_before
    console.print(
        f"[bold]相对当前实际排班改动 {result.changed_assignments} 个排班[/]（增删各计 1）；"
        f"需通知 {len(result.people_to_tell)} 人、{len(result.notices)} 个人·日；"
        f"缺口 {before_short} → {short}",
        highlight=False,
    )
    if result.notices:
        table = Table(title="需要通知的人（谁、哪天、原安排 → 新安排）", title_justify="left")
        for col in ("工号", "姓名", "日期", "原安排", "新安排"):
            table.add_column(col)
        for n in result.notices:
            table.add_row(
                n.staff_id, escape(n.staff_name), str(n.date), escape(n.old_text), escape(n.new_text)
            )
        _table_console().print(table)
    else:
        console.print("无需通知任何人：没有排班改动")
    if not result.solve.proven:
        console.print("[bold yellow]未证明最优 NOT PROVEN（时间用尽）；可加大 --time-limit[/]")
    if result.paths:
        console.print(f"written: {', '.join(str(p) for p in result.paths.values())}")
        console.print(f"scenario: {result.scenario_file}")
    if result.published is not None:
        v = result.published.version
        console.print(
            f"[bold green]已发布版本 #{v.id}[/]（基于 #{base.id}，发布人 {escape(v.author)}）",
            highlight=False,
        )
    else:
        console.print("未发布：确认后加 --publish 重新运行，或 roster publish 输出目录", highlight=False)


# -- backup and restore -----------------------------------------------------------------------
COUNT_ZH = {
    "roster_versions": "版本",
    "assignments": "排班行",
    "changes": "变动",
    "scenario_snapshots": "场景快照",
    "snapshot_files": "场景文件",
}


def _counts(counts: dict[str, int]) -> str:
    return "，".join(f"{COUNT_ZH.get(k, k)} {n}" for k, n in counts.items())


@handle_input_errors
def backup(
    file: Annotated[Path, typer.Argument(help="backup file to write (JSON)")],
    db: DbOpt = None,
) -> None:
    """Write the whole store to one file (备份), atomically."""
    if file.is_dir():
        raise InputError(f"{file}: is a folder; give the backup file's name, e.g. {file / 'backup.json'}")
    store = records.open_store(db)
    counts = records.backup(store, file)
    console.print(
        f"已备份 {escape(store.location)} → {escape(str(file))}：{_counts(counts)}", highlight=False
    )
    console.print("[yellow]该文件含个人信息（姓名、病假等原因），请只保存在本机或受控位置[/]")


@handle_input_errors
def restore(
    file: Annotated[Path, typer.Argument(help="backup file written by `roster backup`")],
    force: Annotated[bool, typer.Option("--force", help="replace a store that already holds data")] = False,
    db: DbOpt = None,
) -> None:
    """Read a backup into an empty store (恢复); --force replaces what the store holds."""
    store = records.open_store(db)
    counts = records.restore(store, file, force=force)
    console.print(
        f"已恢复 {escape(str(file))} → {escape(store.location)}：{_counts(counts)}", highlight=False
    )


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)
    app.add_typer(record_app, name="record")
    app.command("actual")(actual)
    app.command("history")(history)
    app.command("replan")(replan_cmd)
    app.command("backup")(backup)
    app.command("restore")(restore)
