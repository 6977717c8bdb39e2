"""`roster solve` and `roster explain`."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from models.errors import InputError
from models.roster import Roster
from models.scenario import Scenario
from planner.cli.common import (
    DbOpt,
    DeterministicOpt,
    EndOpt,
    HistoryOpt,
    ScenarioArg,
    SeedOpt,
    SolveTimeOpt,
    StartOpt,
    WorkersOpt,
    console,
    date_range,
    err_console,
    fail,
    handle_input_errors,
    level_table,
    load,
    seconds_limit,
)
from planner.files.roster_csv import read_roster_csv
from planner.problem.instance import Instance
from planner.problem.labels import working_time_lines, working_time_summary
from planner.problem.results import SolveOptions, SolveResult

# The solver (OR-Tools), the store (SQLAlchemy) and the writers are imported in the commands
# that use them: `roster --help` and light commands start without loading them (issue 13).


def build_instance(file: Path, start: str, end: str, history: Path | None) -> Instance:
    scenario = load(file)
    first, last = date_range(start, end)
    past = read_roster_csv(history, scenario) if history else None
    return Instance(scenario, first, last, past)


def run_with_progress(
    inst: Instance, options: SolveOptions
) -> tuple[SolveResult | None, BaseException | None, bool]:
    """Solve as a background job (planner.workflows.jobs, as the app does) with a live display;
    Ctrl-C stops it and keeps the best roster."""
    from planner.engine.solve import solve
    from planner.workflows.jobs import Job

    job = Job(lambda progress, stop: solve(inst, options, progress=progress, stop=stop), "solve").start()

    def view() -> Table:
        state = job.snapshot()
        p = state.latest
        table = Table(title="求解中 solving (Ctrl-C 停止并保留当前最好排班)", title_justify="left")
        for col in ("level", "incumbent", "bound", "elapsed"):
            table.add_column(col)
        if p:
            fmt = lambda x: "—" if x is None else f"{x:g}"  # noqa: E731
            table.add_row(p.level, fmt(p.incumbent), fmt(p.bound), f"{state.elapsed:.1f}s")
        else:
            table.add_row("presolve", "—", "—", f"{state.elapsed:.1f}s")
        return table

    interrupted_by_user = False
    with Live(view(), console=err_console, refresh_per_second=4, transient=True) as live:
        while True:
            try:
                if job.join(0.25):
                    break
            except KeyboardInterrupt:
                interrupted_by_user = True
                job.stop()
            live.update(view())
    state = job.snapshot()
    return state.result, state.exception, interrupted_by_user


@handle_input_errors
def solve_cmd(
    file: ScenarioArg,
    start: StartOpt,
    end: EndOpt,
    out: Annotated[Path, typer.Option("--out", help="output folder")],
    history: HistoryOpt = None,
    time_limit: SolveTimeOpt = 60.0,
    workers: WorkersOpt = 2,
    seed: SeedOpt = 0,
    deterministic: DeterministicOpt = False,
    log_search: Annotated[bool, typer.Option("--log-search", help="print CP-SAT's search log")] = False,
    history_from_store: Annotated[
        bool, typer.Option("--history-from-store", help="history: the store's actual roster before --start")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Solve a roster: every hard rule, five objective levels in strict priority."""
    from planner.engine.solve import SolveError
    from planner.whatif.explain import explain as explain_instance
    from planner.workflows.solve_folder import write_solve_outputs

    if history_from_store and history is not None:
        raise InputError("--history and --history-from-store: give only one of them")
    inst = build_instance(file, start, end, history)
    if history_from_store:
        past = _history_from_store(db, inst.scenario, inst.start)
        inst = Instance(inst.scenario, inst.start, inst.end, past)
    options = SolveOptions(
        time_limit=time_limit, workers=workers, seed=seed, log_search=log_search, deterministic=deterministic
    )
    began = time.monotonic()
    result, error, by_user = run_with_progress(inst, options)
    if error is not None:
        if isinstance(error, InputError):
            raise error
        if isinstance(error, SolveError):
            fail(f"求解失败 solve failed: {error}", code=1)
        raise error
    assert result is not None
    # The explanation's solves share what is left of --time-limit: the command as a whole
    # stays inside the limit it was given.
    result.explanation = explain_instance(inst, result, time_limit=time_limit - (time.monotonic() - began))
    paths = write_solve_outputs(out, result, inst)
    console.print(level_table(result.levels))
    report = result.validation
    short = sum(s.shortfall for s in report.slots)
    console.print(
        f"独立校验 validator: {'通过 OK' if report.ok else '失败 FAILED'}; 缺口 shortfall {short} 个班次岗位"
    )
    for item in result.explanation:
        console.print(f"  · {item['text']}", highlight=False)
    for line in duty_lines(inst, report.slots):
        console.print(line, highlight=False, soft_wrap=True)
    for line in working_time_lines(working_time_summary(inst.scenario)):
        console.print(f"[yellow]{line}[/]" if "须经" in line else line, highlight=False)
    if inst.provisional_dates:
        console.print(f"[yellow]注意: {len(inst.provisional_dates)} 天属于暂定年份（尚无官方节假日通知）[/]")
    if not result.proven:
        why = "已被用户中断" if by_user else "时间用尽"
        console.print(f"[bold yellow]未证明最优 NOT PROVEN ({why}); 已保存当前最好排班[/]")
    if deterministic:
        if result.parameters["reproducible"]:
            console.print(
                f"可复现 reproducible: 同样的输入、--seed {seed}、--workers {workers} 与版本得到同一份排班"
            )
        else:
            console.print(
                "[bold yellow]不保证可复现 NOT reproducible: 求解被中断或被时钟（而非确定性时间）截止；"
                "请放宽 --time-limit 或在较空闲的机器上重算[/]"
            )
    console.print(f"written: {', '.join(str(p) for p in paths.values())}")


@handle_input_errors
def duty_lines(inst: Instance, slots) -> list[str]:
    """Presence duties (the manager's night stay) and side duties (the desk phone): where they
    are met, and exactly where they cannot be."""
    from calendars.cn import date_runs

    lines = []
    watched = [(s.id, r.id) for s in inst.presence_shifts for r in inst.roles] + [
        (s.id, r) for s in inst.work_shifts for r in sorted(inst.side_roles)
    ]
    names = {r.id: r.name for r in inst.roles}
    for shift, role in watched:
        mine = [x for x in slots if x.shift == shift and x.role == role and x.required > 0]
        if not mine:
            continue
        short = [x.date for x in mine if x.shortfall > 0]
        who: dict[str, int] = {}
        for x in mine:
            for pid in x.staff_ids:
                who[pid] = who.get(pid, 0) + 1
        done = "、".join(f"{pid} {n} 次" for pid, n in sorted(who.items())) or "无人"
        met = len(mine) - len(short)
        head = f"{names[role]}·{inst.shift_by_id[shift].name}：{len(mine)} 次中 {met} 次有人（{done}）"
        if short:
            runs = "、".join(str(a) if a == b else f"{a}至{b}" for a, b in date_runs(short))
            lines.append(f"[yellow]{head}；{len(short)} 次无人：{runs}[/]")
        else:
            lines.append(f"{head}；全部有人")
    return lines


def explain_cmd(
    file: ScenarioArg,
    start: StartOpt,
    end: EndOpt,
    history: HistoryOpt = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", callback=seconds_limit, help="seconds in all")
    ] = 60.0,
) -> None:
    """Why coverage falls short: for each role, the binding reason in words and numbers."""
    from planner.whatif.explain import explain as explain_instance

    inst = build_instance(file, start, end, history)
    for item in explain_instance(inst, None, time_limit=time_limit, per_solve=time_limit):
        console.print(f"[bold]{item['role_name']}[/] ({item['role']}): {item['text']}", highlight=False)
        for reason in item["reasons"]:
            console.print(f"    - {reason}", highlight=False)


def _history_from_store(db: str | None, scenario: Scenario, start: dt.date) -> Roster | None:
    """`--history-from-store`: the store's actual roster of the weeks before `start`."""
    from planner.workflows import actual
    from planner.workflows.records import open_store

    store = open_store(db)
    past = actual.history_from_store(store, scenario, start)
    n = len(past.assignments) if past else 0
    console.print(
        f"历史排班取自存储 {escape(store.location)}：{start - dt.timedelta(days=31)} 起 {n} 个排班",
        highlight=False,
    )
    return past
