"""`roster staffing`, `roster compare`, `roster changes` and `roster batch`: what-if planning.

Exit codes:
  staffing  0 (a report; `proven` says how sure each figure is), 2 bad input
  compare   0 every scenario solved, 1 some scenario could not be solved, 2 bad input
  changes   0 every replacement rule kept, 1 some rule broken, 2 bad input
  batch     0 every scenario solved, 1 some scenario failed (see summary.csv), 2 bad input
"""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich import box
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from models.errors import InputError
from planner.cli.common import (
    AddressOpt,
    DeterministicOpt,
    EndOpt,
    EngineOpt,
    ScenarioArg,
    SeedOpt,
    StartOpt,
    WorkersOpt,
    console,
    date_range,
    err_console,
    handle_input_errors,
    load,
    seconds_limit,
)
from planner.problem.labels import PROVISIONAL_ZH

EXIT_PROBLEMS = 1
# Options that `staffing` and `designs` share.
OvertimeCapOpt = Annotated[
    Literal["hard", "soft"],
    typer.Option("--overtime-cap", help="hard: the legal monthly overtime cap is a hard rule; soft: no cap"),
]
FormatOpt = Annotated[Literal["table", "json"], typer.Option(help="output format")]
WithLeaveOpt = Annotated[
    bool, typer.Option("--with-leave", help="everyone (hires too) takes the annual leave owed (条例 第三条)")
]

TimeLimitOpt = Annotated[
    float, typer.Option("--time-limit", callback=seconds_limit, help="seconds per solve")
]


@contextlib.contextmanager
def _engine(name: str, address: str | None):
    """`--engine` of compare, staffing and designs: None (each solve in turn, in this process,
    as before) for local, or a Ray engine, shut down afterwards."""
    from planner.engine.tasks import make_engine

    if name == "local" and not address:
        yield None
        return
    runner = make_engine(name, address, in_process=True)
    try:
        yield runner
    finally:
        runner.close()


def _provisional_note(dates: list[str]) -> None:
    if dates:
        console.print(
            f"[bold yellow]注意：{dates[0]} 至 {dates[-1]} 中有 {len(dates)} 天的节假日安排"
            f"为{PROVISIONAL_ZH}，以上结果可能随官方通知变化[/]",
            highlight=False,
            soft_wrap=True,
        )


# -- staffing ---------------------------------------------------------------------------------
def _shortfall_cell(probes, headcount: int) -> str:
    """The least shortfall found at a headcount, with the proven bound when they differ."""
    p = next((p for p in probes if p.headcount == headcount), None)
    if p is None or p.value is None:
        return "?"
    return str(p.value) if p.value == p.bound else f"{p.value}（≥{p.bound}）"


@handle_input_errors
def staffing(
    file: ScenarioArg,
    start: StartOpt,
    end: EndOpt,
    overtime_cap: OvertimeCapOpt = "hard",
    format: FormatOpt = "table",
    time_limit: TimeLimitOpt = 10.0,
    workers: WorkersOpt = 2,
    cross_training: Annotated[
        bool,
        typer.Option("--cross-training/--no-cross-training", help="also find the best single cross-training"),
    ] = True,
    top: Annotated[int, typer.Option(min=1, help="cross-training options to list")] = 5,
    with_leave: WithLeaveOpt = False,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
) -> None:
    """Proven minimum headcount per role, and the best single cross-training (人员配置测算)."""
    from planner.engine.probes import ProbeOptions
    from planner.problem.instance import Instance
    from planner.whatif.staffing import analyse_staffing, group_cross_training

    first, last = date_range(start, end)
    scenario = load(file)
    inst = Instance(scenario, first, last)
    options = ProbeOptions(time_limit=time_limit, workers=workers, with_leave=with_leave)
    # The json shape is a list of roles (a public interface), so it carries no cross-training.
    with err_console.status("测算中…") as status, _engine(engine, address) as runner:
        report = analyse_staffing(
            inst,
            overtime_cap,
            options,
            cross_training=cross_training and format == "table",
            progress=lambda text: status.update(f"测算中… {text}"),
            engine=runner,
        )
    if format == "json":
        print(json.dumps([r.to_dict() for r in report.roles], ensure_ascii=False, indent=1))
        return

    cap = "加班上限作为硬性规则" if overtime_cap == "hard" else "不限加班（加班上限为软性）"
    console.print(
        f"人员配置测算：{escape(scenario.name)}，{first} 至 {last}，{cap}", highlight=False, soft_wrap=True
    )
    table = Table(title="各岗位最少人数（覆盖缺口为零）", title_justify="left")
    for col in ("岗位", "现有", "最少", "增加", "现有缺口", "已证明", "人数→缺口"):
        table.add_column(col, overflow="fold")
    for r in report.roles:
        curve = " ".join(
            f"{p.headcount}→{'?' if p.value is None else p.value}"
            + ("" if p.value == p.bound else f"（≥{p.bound}）")
            for p in r.probes
        )
        table.add_row(
            escape(r.name),
            str(r.current),
            "未找到" if r.minimum is None else str(r.minimum),
            "—" if r.extra is None else (f"+{r.extra}" if r.extra > 0 else str(r.extra)),
            _shortfall_cell(r.probes, r.current),
            "是" if r.proven else "否",
            curve,
        )
    console.print(table)
    console.print(
        "已证明：最少人数时找到零缺口的排班，且少一人时求解器证明缺口的下界大于零。",
        highlight=False,
        soft_wrap=True,
    )
    if cross_training:
        if report.cross_training:
            ct = Table(title="交叉培训：给一个人增加一项技能（任选其一）", title_justify="left")
            for col in ("人员", "增加技能", "相关岗位缺口 前→后", "减少", "已证明"):
                ct.add_column(col, overflow="fold")
            names = {r.id: r.name for r in inst.roles}
            for group in group_cross_training(report.cross_training, top):
                c = group[0]
                # One person by name; interchangeable people by id, to keep the row short.
                people = (
                    f"{c.staff_id} {escape(c.staff_name)}"
                    if len(group) == 1
                    else "、".join(x.staff_id for x in group)
                )
                most = "" if c.reduction == c.reduction_bound else f"（至多 {c.reduction_bound}）"
                ct.add_row(
                    f"{people}（{escape(names.get(c.primary_role, c.primary_role))}）",
                    escape(names.get(c.skill, c.skill)),
                    f"{c.before}→{'?' if c.after is None else c.after}",
                    f"{c.reduction}{most}",
                    "是" if c.proven else "否",
                )
            console.print(ct)
            console.print(
                f"共试算 {report.cross_training_tried} 种（每人 × 每个有缺口且他不会的岗位），"
                "缺口按第 1 层（岗位权重）计。",
                highlight=False,
                soft_wrap=True,
            )
        else:
            console.print(
                f"交叉培训：试算 {report.cross_training_tried} 种，没有一种能减少覆盖缺口。",
                highlight=False,
                soft_wrap=True,
            )
    _provisional_note(report.provisional_dates)


# -- compare ----------------------------------------------------------------------------------
@handle_input_errors
def compare(
    scenarios: Annotated[
        list[Path], typer.Argument(help="BASE VARIANT [VARIANT...]: scenario files", show_default=False)
    ],
    start: StartOpt,
    end: EndOpt,
    out: Annotated[
        Path | None, typer.Option("--out", help="also write the table to FILE.csv or FILE.xlsx")
    ] = None,
    time_limit: TimeLimitOpt = 60.0,
    workers: WorkersOpt = 2,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
) -> None:
    """Solve each scenario and print one table with a column per scenario (情景对比)."""
    from planner.problem.results import SolveOptions
    from planner.reports.comparison import check_output_path
    from planner.whatif.compare import comparison_rows, load_items, solve_outcomes, table_text_rows
    from planner.workflows.save import write_comparison

    if len(scenarios) < 2:
        raise InputError(
            "compare needs a base scenario and at least one variant: roster compare BASE VARIANT..."
        )
    first, last = date_range(start, end)
    if out is not None:
        check_output_path(out)
    # Load everything first: a bad file stops the command before any solving.
    items = load_items(scenarios, first, last)
    options = SolveOptions(time_limit=time_limit, workers=workers)
    stop = threading.Event()
    with err_console.status("求解中…") as status, _engine(engine, address) as runner:
        outcomes = solve_outcomes(
            items, options, lambda label: status.update(f"求解中… {label}"), stop, runner
        )
    rows = comparison_rows(outcomes)
    text = table_text_rows(outcomes, rows)
    table = _comparison_table(f"情景对比 {first} 至 {last}", text, numbered=False)
    # Measured without the terminal's limit (rich clamps a measurement to the width it is given).
    natural = console.measure(table, options=console.options.update_width(10_000)).maximum
    numbered = natural > console.width
    if numbered:
        # Too wide for the terminal with file names as headers: number the columns instead.
        table = _comparison_table(f"情景对比 {first} 至 {last}", text, numbered=True)
    console.print(table)
    for i, o in enumerate(outcomes, start=1):
        label = f"#{i} {o.label}" if numbered else o.label
        console.print(f"  {escape(label)}：{escape(o.scenario.name)}", highlight=False, soft_wrap=True)
        if o.error:
            console.print(f"    [red]求解失败：{escape(o.error)}[/]", highlight=False, soft_wrap=True)
    console.print(
        "缺口单位为人次；求解状态“最优”指各层目标均已证明最优。加班费按综合计算工时：超出标准工时 150%、"
        "法定节假日 300%（劳动法 44），需要人员时薪。合同 9.1 累计：擅自更换、资质不符、替补迟到岗与"
        "缺员（按情景设置，默认每月计 1 次），每次 1%；第 3 次起甲方可解约，须返还已付全部款项并另付 10%。"
        "考核分只计附件八中排班可见的扣分项（16 时交接班、驻场经理住宿、服务台电话、人员更换），"
        "两种读法分列：读法一每季度只扣较高一档、视情扣分取下限，读法二两档相加、取上限。",
        highlight=False,
        soft_wrap=True,
    )
    provisional = sorted({d for o in outcomes for d in (o.result.provisional_dates if o.result else [])})
    _provisional_note(provisional)
    if out is not None:
        write_comparison(out, outcomes, rows)
        console.print(f"已写入 {escape(str(out))}", highlight=False)
    if any(o.result is None for o in outcomes):
        raise typer.Exit(EXIT_PROBLEMS)


def _comparison_table(title: str, text: list[list[str]], numbered: bool) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for i, col in enumerate(text[0]):
        if i == 0:
            table.add_column(escape(col), overflow="fold")
        else:
            table.add_column(f"#{i}" if numbered else escape(col), justify="right", no_wrap=True)
    for row in text[1:]:
        table.add_row(*[escape(c) for c in row])
    return table


# -- changes ----------------------------------------------------------------------------------
@handle_input_errors
def changes(
    file: ScenarioArg,
    format: Annotated[Literal["table", "json"], typer.Option(help="output format")] = "table",
) -> None:
    """Check every staff change against the replacement rules (人员更换检查)."""
    from planner.contract.replacement import RULES, VERDICT_ZH, check_changes
    from planner.rules import label

    scenario = load(file)
    report = check_changes(scenario)
    if format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        console.print(f"人员更换检查：{escape(scenario.name)}", highlight=False, soft_wrap=True)
        if not report.changes:
            console.print("场景中没有人员更换（changes）。")
        for c in report.changes:
            arrives = c.replacement_start or "排班期开始"
            replacement = (
                f"{c.replacement_id} {escape(c.replacement_name or '')}（{arrives} 到岗）"
                if c.replacement_id
                else "无"
            )
            console.print(
                f"\n[bold]更换 {c.index + 1}：{c.staff_id} {escape(c.staff_name)}[/]，"
                f"通知 {c.notice_date}，方案 {c.plan_date}，最后工作日 {c.last_day}；替补 {replacement}",
                highlight=False,
                soft_wrap=True,
            )
            table = Table(show_header=True)
            for col in ("规则", "结果", "说明"):
                table.add_column(col, overflow="fold")
            for rule in RULES:
                check = c.check(rule)
                style = {"kept": "green", "broken": "red", "unknown": "yellow"}[check.verdict]
                table.add_row(label(rule), f"[{style}]{VERDICT_ZH[check.verdict]}[/]", escape(check.detail))
            console.print(table)
            gap = "无截止（没有替补且合同无结束日期）" if c.gap_days is None else f"{c.gap_days} 天"
            penalty = "—（无合同金额）" if c.penalty_cny is None else f"{c.penalty_cny:,.0f} 元"
            risk = f"；若替补未通过上岗考核再扣 {-c.points_at_risk} 分" if c.points_at_risk else ""
            console.print(
                f"断档天数 {gap}；年度考核 {c.points} 分{risk}；合同违约金 {penalty}"
                + ("（合同 9.1 违约更换）" if c.breach else ""),
                highlight=False,
                soft_wrap=True,
            )
        t = report.termination
        style = "red" if t.verdict == "broken" else "green"
        console.print(
            f"\n{label('termination')}：[{style}]{VERDICT_ZH[t.verdict]}[/] {escape(t.detail)}",
            highlight=False,
            soft_wrap=True,
        )
        if report.changes:
            exposure = "—" if report.exposure_cny is None else f"{report.exposure_cny:,.0f} 元"
            console.print(
                f"合计：更换 {len(report.changes)} 次，年度考核 {report.points} 分，违约金风险 {exposure}",
                highlight=False,
                soft_wrap=True,
            )
        for note in report.notes:
            console.print(f"[yellow]{escape(note)}[/]", highlight=False, soft_wrap=True)
        unknown = sum(1 for c in report.changes for x in c.checks if x.verdict == "unknown")
        if not report.ok:
            console.print("[bold red]有规则被违反[/]")
        elif unknown:
            # Not "all kept": an unrecorded approval or qualification is a question for the buyer.
            console.print(f"[bold yellow]没有违反的规则；{unknown} 项无法判断（未记录），需补充后再确认[/]")
        else:
            console.print("[bold green]全部符合[/]")
    if not report.ok:
        raise typer.Exit(EXIT_PROBLEMS)


# -- designs ----------------------------------------------------------------------------------
@handle_input_errors
def designs(
    file: ScenarioArg,
    start: StartOpt,
    end: EndOpt,
    design: Annotated[
        list[Path] | None, typer.Option("--design", help="more design files (shifts + replaces)")
    ] = None,
    overtime_cap: OvertimeCapOpt = "hard",
    format: FormatOpt = "table",
    time_limit: TimeLimitOpt = 10.0,
    workers: WorkersOpt = 2,
    with_leave: WithLeaveOpt = False,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
) -> None:
    """Shift designs compared under each lawful working-time system (班次设计与工时制度对比)."""
    from planner.engine.probes import ProbeOptions
    from planner.whatif.designs import SHIPPED_DESIGNS, compare_designs, own_design, read_design

    first, last = date_range(start, end)
    scenario = load(file)
    chosen = [own_design(scenario), *(read_design(p) for p in (*SHIPPED_DESIGNS, *(design or [])))]
    options = ProbeOptions(time_limit=time_limit, workers=workers, with_leave=with_leave)
    with err_console.status("测算中…") as status, _engine(engine, address) as runner:
        rows = compare_designs(
            scenario, first, last, chosen, overtime_cap, options,
            progress=lambda text: status.update(f"测算中… {text}"), engine=runner,
        )  # fmt: skip
    if format == "json":
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1))
        return
    cap = "加班上限作为硬性规则" if overtime_cap == "hard" else "不限加班（加班上限为软性）"
    console.print(f"班次设计对比：{escape(scenario.name)}，{first} 至 {last}，{cap}", highlight=False)
    table = Table(title="各设计、各工时制度下的最少人数", title_justify="left")
    for col in (
        "班次设计",
        "工时制度",
        "岗位",
        "现有",
        "最少",
        "现有缺口",
        "已证明",
        "加班工时",
        "休息日/节假日工时",
    ):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            escape(r.design), r.working_time_zh, escape(r.role_name), str(r.current),
            "未找到" if r.minimum is None else str(r.minimum),
            "—" if r.shortfall_now is None else str(r.shortfall_now),
            "是" if r.proven else "否",
            "—" if r.overtime_hours is None else f"{r.overtime_hours:g}",
            "—" if r.premium_hours is None else f"{r.premium_hours:g}",
        )  # fmt: skip
    console.print(table)
    console.print(
        "工时制度只列使该设计合法的：16 小时夜班只能在综合计算工时制下排"
        "（须经劳动行政部门批准，劳动法第三十九条）。"
        "加班工时与休息日/节假日工时来自现有人员的排班（覆盖优先，再少加班）。",
        highlight=False,
        soft_wrap=True,
    )
    dropped = max((r.dropped for r in rows), default=0)
    if dropped:
        console.print(f"注意：{dropped} 条固定安排或申请指向被替换的班次，对比时未计入。", highlight=False)


# -- annual leave -----------------------------------------------------------------------------
@handle_input_errors
def leave(
    file: ScenarioArg,
    start: StartOpt,
    end: EndOpt,
    out: Annotated[Path, typer.Option("--out", help="output folder: annual-leave.yaml and .csv")],
    time_limit: TimeLimitOpt = 120.0,
    workers: WorkersOpt = 2,
    allow_surges: Annotated[
        bool, typer.Option("--allow-surges", help="leave may fall in surge periods (default: not)")
    ] = False,
) -> None:
    """Place everyone's paid annual leave at the least coverage cost (年休假安排)."""
    from planner.problem.results import SolveOptions
    from planner.workflows.leave import plan_leave

    first, last = date_range(start, end)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a folder")
    options = SolveOptions(time_limit=time_limit, workers=workers)
    with err_console.status("安排年休假…"):
        result = plan_leave(file, first, last, out, options, surges_blackout=not allow_surges)
    plan, base = result.plan, result.without_leave
    table = Table(title=f"年休假安排 {first} 至 {last}（职工带薪年休假条例 第三条）", title_justify="left")
    for col in ("人员", "应休（天）", "已安排在场景中", "本次安排", "日期"):
        table.add_column(col, overflow="fold")
    for p in result.scenario.staff:
        days = plan.days.get(p.id, [])
        table.add_row(
            escape(f"{p.id} {p.name}"), str(plan.owed.get(p.id, 0) + result.already_taken.get(p.id, 0)),
            str(result.already_taken.get(p.id, 0)), str(len(days)),
            "、".join(d.strftime("%m-%d") for d in days[:8]) + ("…" if len(days) > 8 else ""),
        )  # fmt: skip
    console.print(table)
    proven = "已证明最少" if plan.coverage_status == "OPTIMAL" else f"未证明，下界 {plan.coverage_bound:g}"
    base_text = "?" if base.value is None else f"{base.value:g}"
    console.print(
        f"覆盖缺口（加权）：安排年休假后 {plan.coverage}（{proven}）；不休假时 {base_text}"
        f"（{'已证明' if base.status == 'OPTIMAL' else base.status}）",
        highlight=False,
    )
    if plan.wishes:
        console.print(f"休假意愿：{plan.wishes} 条，满足 {plan.wishes_granted} 条", highlight=False)
    for pid, why in plan.impossible.items():
        console.print(f"[yellow]{pid}：可休的工作日不够（{why}），少安排的天数须另行补足或按 300% 支付[/]")
    console.print(f"written: {result.scenario_file}, {result.table_file}（月度求解请用这个场景文件）")


# -- batch ------------------------------------------------------------------------------------
@handle_input_errors
def batch(
    paths: Annotated[
        list[Path], typer.Argument(help="scenario files, or folders of them (*.yaml)", show_default=False)
    ],
    start: StartOpt,
    end: EndOpt,
    out: Annotated[
        Path, typer.Option("--out", help="output folder: one sub-folder per scenario, summary.csv")
    ],
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="scenarios solved at once (processes)")] = 2,
    time_limit: TimeLimitOpt = 60.0,
    workers: Annotated[int, typer.Option("--workers", min=1, help="CP-SAT threads per scenario")] = 1,
    force_jobs: Annotated[
        bool, typer.Option("--force-jobs", help="run --jobs processes even beyond this machine's cores")
    ] = False,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    seed: SeedOpt = 0,
    deterministic: DeterministicOpt = False,
) -> None:
    """Solve many scenarios in parallel; one folder each and a summary.csv (批量求解)."""
    from planner.engine.tasks import make_engine
    from planner.problem.results import SolveOptions
    from planner.workflows.batch import available_cores, capped_jobs, run_batch, scenario_files

    first, last = date_range(start, end)
    files = scenario_files(list(paths))
    allowed = capped_jobs(jobs, workers, force_jobs)
    if engine == "local" and allowed < jobs:
        err_console.print(
            f"[yellow]--jobs {jobs} × --workers {workers} 超过本机 {available_cores()} 个核心，"
            f"改为同时求解 {allowed} 个（确需更多请加 --force-jobs）[/]",
            highlight=False,
        )
        jobs = allowed
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a folder")
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic)
    runner = make_engine(engine, address, jobs)
    progress = Progress(
        TextColumn("批量求解"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
    )
    with progress:
        task = progress.add_task("", total=len(files))

        def counts(c) -> None:
            progress.update(task, description=f"{runner.name}：{c.zh()}")

        def done(item) -> None:
            progress.advance(task)
            if item.failed:
                progress.console.print(
                    f"[red]失败[/] {escape(item.file)}：{item.status} {escape(item.error)}",
                    highlight=False,
                    soft_wrap=True,
                )

        try:
            items = run_batch(files, first, last, out, jobs, options, on_done=done, engine=runner,
                              on_progress=counts)  # fmt: skip
        finally:
            runner.close()
    failed = [i for i in items if i.failed]
    console.print(
        f"完成 {len(items) - len(failed)} 个，失败 {len(failed)} 个；"
        f"汇总：{escape(str(out / 'summary.csv'))}",
        highlight=False,
        soft_wrap=True,
    )
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)
