"""Work a user can ask for is bounded (issue 17, "Resource bounds").

`--jobs` is capped at the machine's cores unless forced; a time limit is a finite positive
number; the explanation after a solve shares the solve's time limit instead of running its own
solves beyond it.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.loader import load_scenario
from planner.cli import app
from planner.problem.instance import Instance
from planner.problem.results import LevelResult
from planner.whatif import explain as explain_module
from planner.workflows import batch, jobs

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "scenarios" / "contract-2026.yaml"
runner = CliRunner()


def test_jobs_are_capped_at_the_cores_unless_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "available_cores", lambda: 2)
    assert batch.capped_jobs(12, 1) == 2
    assert batch.capped_jobs(12, 2) == 1
    assert batch.capped_jobs(1, 4) == 1  # always at least one
    assert batch.capped_jobs(12, 1, force=True) == 12


def test_batch_says_it_lowered_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, int] = {}

    def fake_run_batch(paths, start, end, out, jobs, options, on_done=None, engine=None, on_progress=None):
        seen["jobs"] = engine.jobs  # the pool of local processes that would run the solves
        return []

    monkeypatch.setattr(batch, "available_cores", lambda: 2)
    monkeypatch.setattr(batch, "run_batch", fake_run_batch)
    args = [
        "batch",
        str(CONTRACT),
        "--start",
        "2026-12-01",
        "--end",
        "2026-12-02",
        "--out",
        str(tmp_path / "b"),
    ]
    result = runner.invoke(app, [*args, "--jobs", "12"])
    assert result.exit_code == 0, result.output
    assert seen["jobs"] == 2
    assert "改为同时求解 2 个" in result.stderr
    runner.invoke(app, [*args, "--jobs", "12", "--force-jobs"])
    assert seen["jobs"] == 12


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "1e12"])
@pytest.mark.parametrize("command", ["solve", "explain", "batch"])
def test_a_time_limit_that_is_not_a_number_of_seconds_is_refused(
    tmp_path: Path, command: str, value: str
) -> None:
    args = [command, str(CONTRACT), "--start", "2026-12-01", "--end", "2026-12-02", "--time-limit", value]
    if command in ("solve", "batch"):
        args += ["--out", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "--time-limit" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


class _Clock:
    """A fake monotonic clock that a fake solve advances by the time it was given."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_explanation_stays_inside_its_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    clock, given = _Clock(), []

    def slow_minimise(sub, level, options, relax=frozenset()):
        given.append(options.time_limit)
        clock.now += options.time_limit  # every solve uses all of its time, and finds a shortfall
        return LevelResult("coverage", "FEASIBLE", 3, 1, options.time_limit)

    monkeypatch.setattr(explain_module.time, "monotonic", clock)
    monkeypatch.setattr(explain_module, "minimise_level", slow_minimise)
    inst = Instance(load_scenario(CONTRACT), dt.date(2026, 12, 1), dt.date(2026, 12, 7))
    items = explain_module.explain(inst, None, time_limit=12.0, per_solve=5.0)
    assert sum(given) <= 12.0
    assert max(given) <= 5.0
    # Every role still gets its arithmetic reasons (a side duty is nobody's post: the solve
    # output lists it on its own line).
    assert len(items) == len([r for r in inst.roles if not r.side])
    assert any("时间限制已用完" in item["text"] for item in items)


def test_no_time_left_means_no_solve_is_started(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_solve(*args, **kwargs):
        raise AssertionError("a solve was started with no time left")

    monkeypatch.setattr(explain_module, "minimise_level", no_solve)
    inst = Instance(load_scenario(CONTRACT), dt.date(2026, 12, 1), dt.date(2026, 12, 7))
    items = explain_module.explain(inst, None, time_limit=0.0)
    assert all("时间限制已用完" in item["text"] for item in items)
    assert all(item["reasons"] is not None for item in items)


# -- concurrent jobs -------------------------------------------------------------------------
def _blocking(release: threading.Event, ran: list[str], name: str):
    def work(progress, stop):
        ran.append(name)
        while not (release.is_set() or stop.is_set()):
            time.sleep(0.01)
        return name

    return work


def _until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_admission_runs_a_fixed_number_queues_the_next_and_refuses_the_rest() -> None:
    admission, release, ran = jobs.Admission(running=1, waiting=1), threading.Event(), []
    first = jobs.Job(_blocking(release, ran, "first"), "solve", admission=admission).start()
    _until(lambda: ran == ["first"])
    second = jobs.Job(_blocking(release, ran, "second"), "solve", admission=admission).start()
    _until(lambda: second.snapshot().waiting_behind == 0)
    with pytest.raises(jobs.Busy, match="计算任务已满"):
        jobs.Job(_blocking(release, ran, "third"), "solve", admission=admission).start()
    assert ran == ["first"]  # the second waits while the first computes
    release.set()
    assert first.join(5) and second.join(5)
    assert ran == ["first", "second"]
    assert second.snapshot().result == "second" and second.snapshot().waiting_behind is None


def test_a_job_stopped_while_waiting_never_computes() -> None:
    admission, release, ran = jobs.Admission(running=1, waiting=2), threading.Event(), []
    first = jobs.Job(_blocking(release, ran, "first"), "solve", admission=admission).start()
    _until(lambda: ran == ["first"])
    waiting = jobs.Job(_blocking(release, ran, "waiting"), "solve", admission=admission).start()
    _until(lambda: waiting.snapshot().waiting_behind == 0)
    waiting.stop()
    assert waiting.join(5)
    assert waiting.snapshot().error_type == "Cancelled"
    release.set()
    assert first.join(5)
    assert ran == ["first"]
    # and its place was given back: a new job runs at once
    again = jobs.Job(_blocking(release, ran, "again"), "solve", admission=admission).start()
    assert again.join(5) and ran == ["first", "again"]


def _session_script() -> None:
    import threading
    import time

    import streamlit as st

    from planner.workflows.jobs import Job
    from ui import state

    release = st.session_state.setdefault("release", threading.Event())

    def work(progress, stop):
        while not (release.is_set() or stop.is_set()):
            time.sleep(0.01)

    if st.button("one", key="one"):
        state.start_job(Job(work, "solve", {"key": 1}), "job_one")
    if st.button("two", key="two"):
        state.start_job(Job(work, "explain", {"key": 2}), "job_two")


def test_one_session_cannot_start_a_second_job_while_one_runs() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_session_script, default_timeout=30).run()
    at.button(key="one").click().run()
    at.button(key="two").click().run()
    assert not at.exception
    assert any("本页面已有计算在进行（求解）" in e.value for e in at.error), [e.value for e in at.error]
    assert "job_two" not in at.session_state
    at.session_state["release"].set()
    assert at.session_state["job_one"].join(5)
