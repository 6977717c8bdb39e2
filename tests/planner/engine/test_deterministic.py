"""--deterministic: the same inputs give the same roster.csv, byte for byte, in separate processes;
summary.json says how to reproduce it (versions, parameters, an input digest over content)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models.loader import load_scenario
from planner.problem.instance import Instance
from planner.problem.provenance import input_digest
from tests.conftest import ROOT

CONTRACT = ROOT / "scenarios" / "contract-2026.yaml"


def solve_in_a_new_process(out, hash_seed: str) -> tuple[str, dict]:
    """`roster solve --deterministic` in its own interpreter, with its own string hashing."""
    args = [str(Path(sys.executable).with_name("roster")), "solve", str(CONTRACT), "--start", "2026-12-01",
            "--end", "2026-12-07", "--out", str(out), "--deterministic", "--seed", "7",
            "--workers", "2", "--time-limit", "30"]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    run = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    digest = hashlib.sha256((out / "roster.csv").read_bytes()).hexdigest()
    return digest, json.loads((out / "summary.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_two_deterministic_solves_write_the_same_roster(tmp_path):
    first, summary = solve_in_a_new_process(tmp_path / "a", "1")
    second, again = solve_in_a_new_process(tmp_path / "b", "2")
    assert first == second
    assert summary["roster_sha256"] == first
    params = summary["parameters"]
    assert params["deterministic"] is True and params["reproducible"] is True
    assert (params["seed"], params["workers"]) == (7, 2)
    assert summary["versions"]["ortools"] and summary["versions"]["roster-planner"]
    assert summary["input_sha256"] == again["input_sha256"]


def test_the_input_digest_is_over_content_not_paths(tmp_path, contract):
    here = Instance(contract, dt.date(2026, 12, 1), dt.date(2026, 12, 7))
    moved = tmp_path / "elsewhere" / "contract.yaml"
    moved.parent.mkdir()
    shutil.copy(CONTRACT, moved)
    there = Instance(load_scenario(moved), here.start, here.end)
    assert input_digest(there) == input_digest(here)

    person = contract.staff[0]
    renamed = contract.model_copy(
        update={"staff": (person.model_copy(update={"years": 9.0}), *contract.staff[1:])}
    )
    assert input_digest(Instance(renamed, here.start, here.end)) != input_digest(here)
    longer = Instance(contract, here.start, dt.date(2026, 12, 8))
    assert input_digest(longer) != input_digest(here)
