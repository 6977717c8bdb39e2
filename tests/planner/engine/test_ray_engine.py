"""--engine ray on a real Ray cluster on this machine: a head and one worker node, each its own
`ray start` process, joined by address with a token of the test's own. The results must be
those of the local engine, file for file; a failing task is reported and the others go on.

Every Ray client runs as its own process (the `roster` command, as a user runs it): Ray reads
its authentication settings once per process, so this test process never imports Ray.
Marked `ray` (and slow): starting the cluster takes some seconds, once for the module.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [
    pytest.mark.ray,
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray is a dev dependency"),
]

RAY = Path(sys.executable).with_name("ray")
ROSTER = Path(sys.executable).with_name("roster")
WHATIF = ROOT / "scenarios" / "whatif"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kill_cluster(folder: str) -> None:
    """Every process of this cluster (their command lines name its temp folder), and only those:
    `ray stop` would stop any Ray on the machine."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if folder.encode() in cmdline and int(entry.name) != os.getpid():
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except OSError:
                pass


JOINED = """
import sys, time, ray
ray.init(address=sys.argv[1], log_to_driver=False, configure_logging=False)
deadline = time.monotonic() + 60
while ray.cluster_resources().get("CPU", 0) < 2 and time.monotonic() < deadline:
    time.sleep(0.5)
print(int(ray.cluster_resources().get("CPU", 0)))
"""
FAILING = """
import sys
from planner.engine.tasks import RayEngine
engine = RayEngine(sys.argv[1])
print(dict(engine.run(int, [("1",), ("x",), ("3",)])))
engine.close()
"""


def client(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, dict[str, str]]]:
    """(address, the environment a client needs to join it)."""
    folder = tempfile.mkdtemp(prefix="ray-test-", dir="/tmp")  # short: Ray's socket paths
    token = Path(folder) / "token"
    token.write_text(secrets.token_hex(32), encoding="ascii")
    settings = {
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN_PATH": str(token),
    }
    env = {**os.environ, **settings}
    port = free_port()
    address = f"127.0.0.1:{port}"
    common = ["--num-cpus=1", "--object-store-memory=100000000", "--block", "--disable-usage-stats"]
    logs = open(Path(folder) / "cluster.log", "wb")  # noqa: SIM115 - closed at teardown
    head = subprocess.Popen(
        [str(RAY), "start", "--head", f"--port={port}", "--include-dashboard=false",
         f"--temp-dir={folder}", *common],
        stdout=logs, stderr=subprocess.STDOUT, start_new_session=True, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert head.poll() is None, (Path(folder) / "cluster.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "the Ray head did not start"
            time.sleep(0.2)
        subprocess.Popen(
            [str(RAY), "start", f"--address={address}", *common],
            stdout=logs, stderr=subprocess.STDOUT, start_new_session=True, env=env,
        )  # fmt: skip
        joined = client(env, sys.executable, "-c", JOINED, address)
        log = (Path(folder) / "cluster.log").read_text("utf-8", "replace")
        assert joined.stdout.strip() == "2", joined.stderr + log
        yield address, env
    finally:
        kill_cluster(folder)
        logs.close()
        shutil.rmtree(folder, ignore_errors=True)


def summary_rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    skip = ("seconds", "out_dir")
    return {Path(r["file"]).name: {k: v for k, v in r.items() if k not in skip} for r in rows}


def test_a_batch_on_ray_writes_what_the_local_engine_writes(cluster, tmp_path):
    address, env = cluster
    common = [str(ROSTER), "batch", str(WHATIF), "--start", "2026-12-01", "--end", "2026-12-04",
              "--time-limit", "30"]  # fmt: skip
    local = client(env, *common, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    on_ray = client(env, *common, "--out", str(tmp_path / "ray"), "--engine", "ray", "--address", address)
    assert on_ray.returncode == 0, on_ray.stderr
    assert "ray：完成 8 · 运行中 0 · 失败 0 · 等待 0" in on_ray.stderr
    assert summary_rows(tmp_path / "ray" / "summary.csv") == summary_rows(tmp_path / "local" / "summary.csv")
    folders = [f for f in sorted((tmp_path / "local").iterdir()) if f.is_dir()]
    assert len(folders) == 8
    for folder in folders:
        other = tmp_path / "ray" / folder.name
        assert (other / "roster.csv").read_bytes() == (folder / "roster.csv").read_bytes(), folder.name


def test_a_failing_task_on_ray_is_reported_and_the_others_go_on(cluster):
    address, env = cluster
    run = client(env, sys.executable, "-c", FAILING, address)
    assert run.returncode == 0, run.stderr
    assert (
        run.stdout.strip()
        == (
            "{0: 1, 2: 3, 1: TaskFailed(message=\"ValueError: invalid literal for int() with base 10: 'x'\")}"
        )
        or "1: TaskFailed(message=\"ValueError: invalid literal for int() with base 10: 'x'\")" in run.stdout
    )


def test_staffing_on_ray_gives_the_local_answer(cluster):
    address, env = cluster
    common = [str(ROSTER), "staffing", str(ROOT / "scenarios" / "contract-2026.yaml"), "--start",
              "2026-12-01", "--end", "2026-12-03", "--format", "json", "--time-limit", "10"]  # fmt: skip
    # Each node has one CPU: a task wanting two would never start, so it is refused at once.
    too_wide = client(env, *common, "--workers", "2", "--engine", "ray", "--address", address)
    assert too_wide.returncode == 2
    assert "--workers 2: no node of the Ray cluster" in too_wide.stderr and "has 1" in too_wide.stderr
    local = client(env, *common, "--workers", "1")
    on_ray = client(env, *common, "--workers", "1", "--engine", "ray", "--address", address)
    assert local.returncode == 0 and on_ray.returncode == 0, on_ray.stderr
    assert local.stdout == on_ray.stdout
