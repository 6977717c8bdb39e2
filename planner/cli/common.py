"""Shared CLI plumbing: date options, one-line errors with exit code 2, the console."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.dates import year_problem
from models.errors import InputError, WriteError
from models.loader import load_scenario
from models.scenario import Scenario
from planner.problem.labels import LEVEL_STATUS_ZH
from planner.problem.results import LevelResult, TaskError
from planner.rules import label

console = Console(soft_wrap=True)
err_console = Console(stderr=True)

EXIT_BAD_INPUT = 2


def parse_date(value: str | None, option: str = "--start") -> dt.date | None:
    if value is None:
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)", param_hint=option) from None
    problem = year_problem(date)
    if problem:
        raise typer.BadParameter(f"'{value}': {problem}", param_hint=option)
    return date


StartOpt = Annotated[str, typer.Option("--start", help="first date, YYYY-MM-DD")]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", envvar="ROSTER_DB", show_envvar=True, help="store: SQLAlchemy URL or SQLite file"),
]
WorkersOpt = Annotated[int, typer.Option("--workers", min=1, max=64, help="CP-SAT worker threads per solve")]
# CP-SAT's random_seed is a 32-bit signed integer.
SeedOpt = Annotated[int, typer.Option("--seed", min=0, max=2**31 - 1, help="CP-SAT's random seed")]
DeterministicOpt = Annotated[
    bool,
    typer.Option(
        "--deterministic",
        help="reproducible: the same inputs, --seed, --workers and version give the same roster.csv; "
        "--time-limit then counts CP-SAT's deterministic time (about seconds, but not on the clock)",
    ),
]
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        help="local: this machine (processes); ray: a Ray cluster (--address), or a local Ray runtime",
    ),
]
AddressOpt = Annotated[
    str | None,
    typer.Option(
        "--address",
        envvar="RAY_ADDRESS",
        show_envvar=True,
        help="--engine ray: the cluster to join, HOST:PORT",
    ),
]
HistoryOpt = Annotated[
    Path | None,
    typer.Option("--history", help="roster CSV of the days before the period (rest, consecutive days)"),
]
# A week: beyond any real solve; NaN and infinity are not time limits either.
MAX_SECONDS = 7 * 24 * 3600.0


def seconds_limit(value: float) -> float:
    """--time-limit: a finite, positive number of seconds (NaN compares false to everything)."""
    if not (0 < value <= MAX_SECONDS):
        raise typer.BadParameter(f"{value}: must be a number of seconds above 0 and at most {MAX_SECONDS:g}")
    return value


SolveTimeOpt = Annotated[
    float, typer.Option("--time-limit", callback=seconds_limit, help="seconds for the whole solve")
]
EndOpt = Annotated[str, typer.Option("--end", help="last date, YYYY-MM-DD")]
ScenarioArg = Annotated[Path, typer.Argument(help="scenario YAML file", show_default=False)]


def date_range(start: str, end: str) -> tuple[dt.date, dt.date]:
    first, last = parse_date(start), parse_date(end, "--end")
    assert first and last
    if last < first:
        raise InputError(f"--end {last} is before --start {first}: an impossible date range")
    if (last - first).days > 3 * 366:
        raise InputError(f"--start {first} --end {last}: a horizon longer than three years is not supported")
    return first, last


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    err_console.print(f"[bold red]错误 error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def handle_input_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn bad input into one line on stderr and exit code 2; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except WriteError as exc:
            # Not the user's input: the disk. Nothing was half-written (planner/files/atomic.py).
            fail(f"写入失败 write failed: {exc}", code=1)
        except InputError as exc:
            fail(str(exc))
        except TaskError as exc:
            fail(f"求解任务失败 a solve task failed: {exc}", code=1)
        except KeyboardInterrupt:
            err_console.print("interrupted")
            sys.exit(130)

    return wrapper


def load(path: Path) -> Scenario:
    return load_scenario(path)


def span(start: dt.date, end: dt.date) -> str:
    """A date range as people write it: one date, or "start 至 end"."""
    return str(start) if start == end else f"{start} 至 {end}"


def warn_uncovered(dates: list[dt.date]) -> None:
    """Dates of a range that no published roster covers (the store's actual roster)."""
    if dates:
        console.print(
            f"[yellow]注意：{len(dates)} 天没有已发布的排班（{span(dates[0], dates[-1])} 之间）[/]",
            highlight=False,
        )


def print_violations(violations: list[Any], title: str, limit: int = 20) -> None:
    """A red title with the count, then the first `limit` hard violations, one line each."""
    console.print(f"[bold red]{title} {len(violations)} 条：[/]", highlight=False, soft_wrap=True)
    for v in violations[:limit]:
        console.print(f"  ✗ {label(v.rule)} ({v.rule})：{escape(v.message)}", highlight=False, soft_wrap=True)
    if len(violations) > limit:
        console.print(f"  …另有 {len(violations) - limit} 条，用 roster validate 查看全部", highlight=False)


def level_table(levels: list[LevelResult], title: str = "目标层级 objective levels") -> Table:
    """Every level's status, value, bound and gap: a solve is never shown without its proof."""
    table = Table(title=title, title_justify="left")
    for col in ("level", "层级", "status", "value", "bound", "gap", "s"):
        table.add_column(col, justify="right" if col in ("value", "bound", "gap", "s") else "left")
    for lv in levels:
        fmt = lambda x: "—" if x is None else f"{x:g}"  # noqa: E731
        table.add_row(lv.name, label(lv.name), LEVEL_STATUS_ZH.get(lv.status, lv.status),
                      fmt(lv.value), fmt(lv.bound), fmt(lv.gap), f"{lv.seconds:.2f}")  # fmt: skip
    return table


def lazy_module(name: str) -> types.ModuleType:
    """The module `name`, loaded on its first attribute access (importlib.util.LazyLoader): a
    command module can name the store or the solver at the top and still not load them until
    one of its commands runs, so `roster --help` starts fast."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
