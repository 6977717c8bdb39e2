"""tests/postgres/start.sh gives each run its own server and folder, and stop.sh removes them
(issue 13: two runs on one machine shared one fixed folder and emptied each other's database)."""

from __future__ import annotations

import glob
import re
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/initdb"), reason="PostgreSQL is not installed here"
)


def _run(script: str, *args: str) -> str:
    done = subprocess.run(["bash", str(HERE / script), *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_two_runs_get_two_servers_and_stop_removes_them() -> None:
    first, second = _run("start.sh"), _run("start.sh")
    try:
        folders = [re.search(r"host=([^&]+)", url)[1] for url in (first, second)]
        assert folders[0] != folders[1]
        assert all(Path(f, ".s.PGSQL.5432").is_socket() for f in folders)
    finally:
        _run("stop.sh", first)
        _run("stop.sh", second)
    assert not any(Path(f).exists() for f in folders)


def test_stop_leaves_a_url_it_did_not_make_alone(tmp_path: Path) -> None:
    keep = tmp_path / "data"
    keep.mkdir()
    _run("stop.sh", f"postgresql+psycopg://x@/y?host={tmp_path}&port=5432")
    assert keep.exists()
