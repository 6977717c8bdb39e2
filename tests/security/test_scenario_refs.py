"""A scenario's `extends` and `overrides` stay in its folder tree, and nothing of a file that is
not a scenario is ever shown (issue 17 "Paths", issue 13 "A leak").

The tree is the parent of the main file's folder and below (what `whatif/x.yaml` extending
`../contract-2026.yaml` needs), plus the shipped scenarios and any folder in
$ROSTER_SCENARIO_ROOTS.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.errors import InputError
from models.loader import MAX_EXTENDS_DEPTH, ROOTS_ENV, load_scenario
from planner.cli import app
from tests.cli.helpers import one_line_error

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "scenarios" / "contract-2026.yaml"
SECRET = "password: hunter2-do-not-show\n"
runner = CliRunner()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _check(path: Path) -> str:
    return one_line_error(runner.invoke(app, ["check-scenario", str(path)]))


def test_extends_outside_the_tree_is_refused_without_reading_it(tmp_path: Path) -> None:
    _write(tmp_path / "outside" / "secret.yaml", SECRET)
    main = _write(
        tmp_path / "team" / "plans" / "dec.yaml", "version: 1\nextends: ../../outside/secret.yaml\n"
    )
    line = _check(main)
    assert "extends outside the scenario's folder tree" in line and "dec.yaml:2" in line
    assert "hunter2" not in line and "password" not in line


def test_a_file_that_is_not_a_scenario_is_not_shown(tmp_path: Path) -> None:
    _write(tmp_path / "team" / "secret.yaml", SECRET)  # inside the tree, but not a scenario
    main = _write(tmp_path / "team" / "plans" / "dec.yaml", "version: 1\nextends: ../secret.yaml\n")
    line = _check(main)
    assert "not a scenario file" in line
    assert "hunter2" not in line and "password" not in line


def test_an_override_outside_the_tree_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "elsewhere" / "2027.yaml", "year: 2027\n")
    main = _write(
        tmp_path / "team" / "plans" / "dec.yaml",
        f"extends: {CONTRACT}\ncalendar: {{overrides: [../../elsewhere/2027.yaml]}}\n",
    )
    line = _check(main)
    assert "calendar.overrides[0]" in line and "override file outside" in line


def test_an_override_that_is_not_a_calendar_is_not_shown(tmp_path: Path) -> None:
    _write(tmp_path / "team" / "secret.yaml", SECRET)
    main = _write(
        tmp_path / "team" / "plans" / "dec.yaml",
        f"extends: {CONTRACT}\ncalendar: {{overrides: [../secret.yaml]}}\n",
    )
    line = _check(main)
    assert "not a calendar override file" in line and "hunter2" not in line


def test_the_shipped_scenarios_and_named_roots_may_be_extended(tmp_path: Path, monkeypatch) -> None:
    main = _write(tmp_path / "a" / "b" / "dec.yaml", f"extends: {CONTRACT}\nname: 我的十二月\n")
    assert load_scenario(main).name == "我的十二月"
    shared = _write(tmp_path / "shared" / "base.yaml", f"extends: {CONTRACT}\nname: 共享底稿\n")
    mine = _write(tmp_path / "a" / "b" / "mine.yaml", f"extends: {shared}\n")
    with pytest.raises(InputError, match="outside the scenario's folder tree"):
        load_scenario(mine)
    monkeypatch.setenv(ROOTS_ENV, str(tmp_path / "shared"))
    assert load_scenario(mine).name == "共享底稿"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_extends_a_fifo_or_a_device_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    os.mkfifo(tmp_path / "team" / "pipe.yaml")
    main = _write(tmp_path / "team" / "plans" / "dec.yaml", "version: 1\nextends: ../pipe.yaml\n")
    assert "not a regular file" in _check(main)
    device = _write(tmp_path / "dev.yaml", "version: 1\nextends: /dev/zero\n")
    line = _check(device)  # /tmp's tree is the whole disk: the regular-file check still holds
    assert "not a regular file" in line or "outside the scenario's folder tree" in line


def test_an_endless_extends_chain_is_cut(tmp_path: Path) -> None:
    folder = tmp_path / "team" / "chain"
    _write(folder / "f0.yaml", f"extends: {CONTRACT}\n")
    for i in range(1, MAX_EXTENDS_DEPTH + 5):
        _write(folder / f"f{i}.yaml", f"extends: f{i - 1}.yaml\n")
    line = _check(folder / f"f{MAX_EXTENDS_DEPTH + 4}.yaml")
    assert f"extends chain longer than {MAX_EXTENDS_DEPTH} files" in line
