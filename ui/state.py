"""Session-state helpers: the chosen scenario and month, pins, the current roster, jobs.

Session state holds pydantic objects and plain results (Scenario, Roster, SolveResult,
Instance facts), never solver objects. Everything a page needs from the session goes through
these functions, so the keys are named in one place.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from calendars.cn import replaced_by, with_overrides
from models.errors import InputError
from models.loader import load_scenario
from models.roster import Roster
from models.scenario import Scenario
from planner.check.validate import ValidationReport, validate
from planner.problem.horizon import month_horizon, month_options  # noqa: F401  (the pages' month rules)
from planner.problem.instance import Instance
from planner.problem.results import SolveResult
from planner.workflows.jobs import Busy, Job, JobState, app_admission
from ui.pins import Pin, apply_pins

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_DIRS = (ROOT / "scenarios", ROOT / "scenarios" / "whatif")
DEFAULT_SCENARIO = ROOT / "scenarios" / "contract-2026.yaml"
DEFAULT_MONTH = "2026-12"

# Session-state keys.
K_SCENARIO = "scenario_path"
K_MONTH = "month"
K_PINS = "pins"  # {scenario path: [Pin]}
K_OVERRIDES = "calendar_overrides"  # {scenario path: [override file paths]} for this session
K_RUN = "roster_run"  # the current RosterRun
K_JOB = "solve_job"  # a running solve Job
K_EXPLAIN_JOB = "explain_job"
K_EXPLAIN = "explanation"  # {"context": ..., "items": [...]}
K_SCENARIO_CACHE = "_scenario_cache"
K_ROOTS = "_scenario_roots"  # folders whose scenario files this session may open and save
K_URL_FLASH = "_url_flash"  # a refused ?scenario= from the URL


# -- the session's values: every page reads and writes session state through these -----------
def get(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


def take(key: str, default: Any = None) -> Any:
    """The value, removed: a one-time message (a flash) or a hand-over between reruns."""
    return st.session_state.pop(key, default)


def keep(key: str, default: Any) -> Any:
    """The value, set to `default` first if the session has none yet."""
    return st.session_state.setdefault(key, default)


def has(key: str) -> bool:
    return key in st.session_state


def flash(key: str, kind: str, text: str) -> None:
    """A message for the next rerun (`kind`: success, error, warning, info), shown once."""
    st.session_state[key] = (kind, text)


def show_flash(key: str) -> None:
    message = st.session_state.pop(key, None)
    if message:
        getattr(st, message[0])(message[1])


# -- scenario files ---------------------------------------------------------------------------
def list_scenarios() -> list[Path]:
    """scenarios/*.yaml and scenarios/whatif/*.yaml, the contract first."""
    files: list[Path] = []
    for folder in SCENARIO_DIRS:
        if folder.is_dir():
            files += sorted(folder.glob("*.yaml"))
    files.sort(key=lambda p: (p != DEFAULT_SCENARIO, p.parent != SCENARIO_DIRS[0], p.name))
    return files


def display_path(path: str | Path) -> str:
    p = Path(path).resolve()
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


def resolve_path(text: str) -> Path:
    """A scenario path from the command line or the URL: relative to the repo or the cwd."""
    p = Path(text)
    if not p.is_absolute():
        p = (ROOT / p) if (ROOT / p).exists() else Path.cwd() / p
    return p.resolve()


def scenario_options() -> list[str]:
    options = [str(p) for p in list_scenarios()]
    current = st.session_state.get(K_SCENARIO)
    if current and current not in options:
        options.insert(0, current)
    return options


def base_scenario(path: str) -> Scenario:
    """The scenario file as loaded (cached per file modification time). Raises InputError."""
    p = Path(path)
    try:
        stamp = p.stat().st_mtime_ns
    except OSError:
        raise InputError(f"{display_path(p)}: 场景文件不存在或无法读取") from None
    cache: dict[tuple[str, int], Scenario] = st.session_state.setdefault(K_SCENARIO_CACHE, {})
    key = (str(p), stamp)
    if key not in cache:
        cache.clear()
        cache[key] = load_scenario(p)
    return cache[key]


def forget_loaded_scenarios() -> None:
    st.session_state[K_SCENARIO_CACHE] = {}


def session_overrides(path: str) -> list[str]:
    return list(st.session_state.get(K_OVERRIDES, {}).get(path, []))


def add_session_override(path: str, override_path: str) -> None:
    """Use an override file for this session; it replaces this session's earlier file for its year."""
    table = dict(st.session_state.get(K_OVERRIDES, {}))
    earlier = table.get(path, [])
    table[path] = [p for p in earlier if p not in replaced_by(earlier, override_path)] + [override_path]
    st.session_state[K_OVERRIDES] = table


def calendar_scenario(path: str) -> Scenario:
    """The scenario with this session's calendar override files (日历 page)."""
    return with_overrides(base_scenario(path), session_overrides(path))


def pins(path: str) -> list[Pin]:
    return list(st.session_state.get(K_PINS, {}).get(path, []))


def set_pins(path: str, new: list[Pin]) -> None:
    table = dict(st.session_state.get(K_PINS, {}))
    table[path] = list(new)
    st.session_state[K_PINS] = table


def effective_scenario(path: str) -> Scenario:
    """What a solve uses: the file, this session's calendar overrides, and the pins."""
    return apply_pins(calendar_scenario(path), pins(path))


def current_selection() -> tuple[str, str]:
    return st.session_state[K_SCENARIO], st.session_state[K_MONTH]


# -- the current roster -----------------------------------------------------------------------
@dataclass
class RosterRun:
    """A solved (and maybe hand-edited) roster with everything needed to show and export it."""

    scenario_path: str
    month: str
    pins: list[Pin]
    instance: Instance  # plain facts over the horizon, with the pins applied
    result: SolveResult  # as the solver returned it
    roster: Roster  # the current roster: the solver's, or after hand edits
    report: ValidationReport  # planner.check.validate on `roster`
    edited: list[str] = field(default_factory=list)  # descriptions of hand edits since the solve
    solved_at: str = ""

    @property
    def scenario(self) -> Scenario:
        return self.instance.scenario

    def matches(self, path: str, month: str) -> bool:
        return self.scenario_path == path and self.month == month


def new_run(path: str, month: str, pins_: list[Pin], inst: Instance, result: SolveResult) -> RosterRun:
    return RosterRun(
        scenario_path=path,
        month=month,
        pins=list(pins_),
        instance=inst,
        result=result,
        roster=result.roster,
        report=result.validation,
        solved_at=dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
    )


def edit_run(run: RosterRun, roster: Roster, description: str) -> RosterRun:
    """The run with a hand-edited roster, re-checked by the validator."""
    run.roster = roster.sorted()
    run.report = validate(run.instance, run.roster)
    run.edited.append(description)
    return run


def get_run() -> RosterRun | None:
    return st.session_state.get(K_RUN)


def set_run(run: RosterRun | None) -> None:
    st.session_state[K_RUN] = run


def get_job(key: str = K_JOB) -> Job | None:
    return st.session_state.get(key)


def set_job(job: Job | None, key: str = K_JOB) -> None:
    st.session_state[key] = job


# One session computes one thing at a time (a solve, an explanation, a comparison, a staffing
# analysis): on two cores a second would only slow the first, and a page that can start any
# number of solves lets one browser tab take the machine (issue 17, resource bounds). Across
# sessions, planner.workflows.jobs.app_admission() bounds what computes and what waits.
JOB_LABEL_ZH = {"solve": "求解", "explain": "缺口分析", "compare": "情景对比", "staffing": "人员测算"}


def start_job(job: Job, key: str = K_JOB) -> bool:
    """Start `job` under the app's admission, unless this session has one going already.
    Shows why when it does not start; True when it started (running or waiting in line)."""
    active = [v for v in st.session_state.values() if isinstance(v, Job) and v.snapshot().running]
    if active:
        names = "、".join(JOB_LABEL_ZH.get(j.label, j.label) for j in active)
        st.error(f"本页面已有计算在进行（{names}），请等它完成或停止后再开始。")
        return False
    job.admission = app_admission()
    try:
        job.start()
    except Busy as exc:
        st.error(str(exc))
        return False
    set_job(job, key)
    return True


def waiting_text(snap: JobState) -> str | None:
    """The line shown while a job waits for its turn, or None once it computes."""
    if snap.waiting_behind is None:
        return None
    ahead = f"前面还有 {snap.waiting_behind} 个" if snap.waiting_behind else "下一个就是它"
    return f"排队等待中：本机同时只运行 {app_admission().running_limit} 个计算，{ahead}。可以停止排队。"


def job_panel(
    job_key: str,
    result_key: str,
    running_text: Callable[[str | None, float], str],
    stop_key: str,
    unpack: Callable[[Any], dict[str, Any]],
) -> None:
    """Progress of a background job (planner.workflows.jobs) with a stop button; when it ends, its result (or
    error) goes to `st.session_state[result_key]`, tagged with the job's context key.

    Meant to run in a fragment that polls every second while the job runs.
    """
    job = get_job(job_key)
    if job is None:
        return
    snap = job.snapshot()
    if snap.running:
        st.info(waiting_text(snap) or running_text(snap.latest.level if snap.latest else None, snap.elapsed))
        if st.button("停止", key=stop_key, icon=":material/stop:"):
            job.stop()
        return
    set_job(None, job_key)
    key = job.context["key"]
    if snap.error:
        st.session_state[result_key] = {"key": key, "error": snap.error}
    else:
        st.session_state[result_key] = {"key": key, **unpack(snap.result)}
    st.rerun()


def user_data_dir() -> Path:
    """Where the app keeps files the user loads (calendar overrides): local, never uploaded."""
    env = os.environ.get("ROSTER_PLANNER_HOME")
    if env:
        return Path(env)
    from platformdirs import user_data_dir as _user_data_dir

    return Path(_user_data_dir("roster-planner", appauthor=False))


def init_defaults(argv_scenario: str | None = None) -> None:
    """First run of a session: scenario and month from the URL, the command line, or defaults.

    The command line is the manager's own choice; a URL may come from anywhere, so a scenario
    named there must lie in the scenario folders (the project's, or the launch scenario's):
    the page reads that file and 人员 saves to it."""
    if K_SCENARIO not in st.session_state:
        launched = resolve_path(argv_scenario) if argv_scenario else None
        st.session_state[K_ROOTS] = [str(p) for p in scenario_roots(launched)]
        path = launched or DEFAULT_SCENARIO
        wanted = st.query_params.get("scenario")
        if wanted:
            asked = resolve_path(wanted)
            if is_scenario_path(asked):
                path = asked
            else:
                refused = f"?scenario={wanted}：不在场景文件夹内，未打开（仍使用 {display_path(path)}）"
                flash(K_URL_FLASH, "error", refused)
        st.session_state[K_SCENARIO] = str(path)
    if K_MONTH not in st.session_state:
        st.session_state[K_MONTH] = st.query_params.get("month") or DEFAULT_MONTH


def scenario_roots(launched: Path | None = None) -> list[Path]:
    """The folders whose scenario files the app may open and save: the project's scenarios/,
    and the folder of the scenario it was launched with."""
    roots = [SCENARIO_DIRS[0].resolve()]
    if launched is not None and launched.parent not in roots:
        roots.append(launched.parent)
    return roots


def is_scenario_path(path: Path) -> bool:
    """A .yaml file inside one of the session's scenario folders (symlinks resolved)."""
    roots = [Path(r) for r in st.session_state.get(K_ROOTS, [])] or scenario_roots()
    resolved = path.resolve()
    return resolved.suffix == ".yaml" and any(resolved.is_relative_to(root) for root in roots)


def describe_error(exc: Exception) -> str:
    return str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
