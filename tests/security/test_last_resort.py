"""The last-resort handlers: an error nobody foresaw ends in one line naming a log file on this
machine (the traceback is there), never in a traceback on the screen (issue 13)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from planner.cli import EXIT_INTERNAL, main
from planner.files.crash_log import KEEP_LOGS, record_crash
from planner.workflows.jobs import Job
from tests.ui.conftest import ROOT, new_app

SECRET = "张三 13800000000"  # what an unforeseen error might carry: it stays in the log file


@pytest.fixture
def logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv("ROSTER_LOG_DIR", str(folder))
    return folder


def boom(*args, **kwargs):
    raise RuntimeError(f"unforeseen: {SECRET}")


def test_the_cli_shows_one_line_and_logs_the_traceback(logs, monkeypatch, capsys) -> None:
    monkeypatch.setattr("planner.cli.common.load_scenario", boom)
    monkeypatch.setattr(sys, "argv", ["roster", "check-scenario", str(ROOT / "scenarios/contract-2026.yaml")])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "内部错误 internal error (RuntimeError)" in err and "Traceback" not in err
    assert SECRET not in err
    (log,) = logs.glob("crash-*.log")
    assert str(log) in err.replace("\n", "")
    text = log.read_text()
    assert "roster check-scenario" in text and "Traceback" in text and SECRET in text


def test_bad_input_still_exits_2_through_the_handler(logs, monkeypatch, tmp_path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: [1\n")
    monkeypatch.setattr(sys, "argv", ["roster", "check-scenario", str(bad)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    assert not logs.exists()


def test_an_unforeseen_error_in_the_app_is_one_chinese_line(logs, monkeypatch) -> None:
    monkeypatch.setattr("ui.state.month_options", boom)
    at = new_app(ROOT / "scenarios" / "contract-2026.yaml").run()
    assert not at.exception, [e.value for e in at.exception]
    (shown,) = [e.value for e in at.error if "内部错误" in e.value]
    assert shown.startswith("页面出现意外错误，已停止。") and "RuntimeError" in shown
    assert SECRET not in shown
    (log,) = logs.glob("crash-*.log")
    assert SECRET in log.read_text()


def test_an_unforeseen_error_in_a_background_job_is_logged_and_shown_on_one_line(logs) -> None:
    job = Job(lambda progress, stop: boom(), "solve").start()
    job._thread.join(10)
    snap = job.snapshot()
    assert not snap.running and snap.error_type == "RuntimeError"
    assert snap.error.startswith("内部错误 internal error (RuntimeError)") and SECRET not in snap.error
    (log,) = logs.glob("crash-*.log")
    assert "background job solve" in log.read_text()


def test_the_log_folder_is_kept_small(logs) -> None:
    for _ in range(KEEP_LOGS + 5):
        record_crash(RuntimeError("x"), "test")
    last = record_crash(RuntimeError("the newest"), "test")
    kept = sorted(logs.glob("crash-*.log"))
    assert len(kept) == KEEP_LOGS and kept[-1] == last


def test_a_log_that_cannot_be_written_still_gives_one_line(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("ROSTER_LOG_DIR", str(blocker / "logs"))
    assert record_crash(RuntimeError("x"), "test") is None
