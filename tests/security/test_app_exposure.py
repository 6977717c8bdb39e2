"""The app's settings do not depend on the folder it is started from (issue 17)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from ui import launch


def test_the_launcher_passes_every_setting_of_the_config_file():
    flags = launch.config_flags()
    assert "--server.address=127.0.0.1" in flags
    assert "--browser.gatherUsageStats=false" in flags
    with launch.CONFIG.open("rb") as fh:
        data = tomllib.load(fh)
    assert "--server.allowedHosts=localhost" in flags and "--server.allowedHosts=127.0.0.1" in flags
    count = sum(len(v) if isinstance(v, list) else 1 for options in data.values() for v in options.values())
    assert len(flags) == count


@pytest.mark.parametrize(
    ("address", "stats", "refused"),
    [
        ("127.0.0.1", False, False),
        ("localhost", False, False),
        ("", False, True),  # Streamlit's default: every interface
        ("0.0.0.0", False, True),
        ("127.0.0.1", True, True),
    ],
)
def test_the_app_shows_no_data_when_exposed(monkeypatch, address, stats, refused):
    options = {"server.address": address, "browser.gatherUsageStats": stats}
    monkeypatch.setattr(launch.st, "get_option", options.__getitem__)
    monkeypatch.delenv("ROSTER_ALLOW_REMOTE", raising=False)
    assert (launch.exposure_problem() is not None) == refused


def test_serving_beyond_this_machine_is_a_named_choice(monkeypatch):
    options = {"server.address": "0.0.0.0", "browser.gatherUsageStats": False}
    monkeypatch.setattr(launch.st, "get_option", options.__getitem__)
    monkeypatch.setenv("ROSTER_ALLOW_REMOTE", "1")
    assert launch.exposure_problem() is None


def test_the_team_server_is_a_named_mode(monkeypatch):
    """`roster-app --server` (issue 15) may listen beyond loopback; the first account is then
    never made in the browser, not even when the proxy reaches it on 127.0.0.1."""
    options = {"server.address": "127.0.0.1", "browser.gatherUsageStats": False}
    monkeypatch.setattr(launch.st, "get_option", options.__getitem__)
    monkeypatch.delenv("ROSTER_ALLOW_REMOTE", raising=False)
    monkeypatch.delenv(launch.SERVER_ENV, raising=False)
    assert launch.is_local()
    monkeypatch.setenv(launch.SERVER_ENV, "1")
    assert not launch.is_local() and launch.exposure_problem() is None
    options["server.address"] = "0.0.0.0"
    assert launch.exposure_problem() is None
    assert launch.server_flags(["roster.example.cn"], None) == ["--server.allowedHosts=roster.example.cn"]


def test_the_team_server_needs_its_store_named(monkeypatch, capsys):
    monkeypatch.delenv("ROSTER_DB", raising=False)
    with pytest.raises(SystemExit, match="ROSTER_DB"):
        launch.main(["--server", "--public-host", "roster.example.cn"])
    with pytest.raises(SystemExit, match="--server"):
        launch.main(["--public-host", "roster.example.cn"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _upgrade(port: int, host: str, origin: str) -> str:
    """The status line of a websocket upgrade to the app's stream, with the given Host and Origin."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(
            (
                f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        return s.recv(200).decode(errors="replace").split("\r\n")[0]


def _listening(port: int) -> set[str]:
    """IPv4 and IPv6 addresses listening on `port`, from /proc/net/tcp{,6} (state 0A)."""
    found = set()
    for name, width in (("tcp", 8), ("tcp6", 32)):
        for line in Path(f"/proc/net/{name}").read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                if width == 8:
                    found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
                else:
                    found.add("::" if set(address) == {"0"} else address)
    return found


def _wait_healthy(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the app did not start within 60 s")


@pytest.mark.slow
def test_started_from_another_folder_it_listens_on_loopback_and_refuses_a_foreign_host(tmp_path):
    """DNS rebinding: a page on evil.example that resolves to 127.0.0.1 gets no websocket."""
    port = _free_port()
    launcher = Path(sys.executable).with_name("roster-app")
    app = subprocess.Popen(
        [str(launcher), "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_healthy(port)
        assert "101" in _upgrade(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}")
        assert "403" in _upgrade(port, "evil.example", "http://evil.example")
        assert "403" in _upgrade(port, "evil.example", f"http://127.0.0.1:{port}")
        assert _listening(port) == {"127.0.0.1"}
    finally:
        app.terminate()
        app.wait(timeout=20)


@pytest.mark.slow
def test_the_team_server_answers_its_public_name_and_no_other(tmp_path):
    """`roster-app --server --public-host roster.example.cn`: behind the proxy, requests for that
    name get the app; a rebinding name still gets 403; it still listens on 127.0.0.1 only."""
    port = _free_port()
    launcher = Path(sys.executable).with_name("roster-app")
    env = {**os.environ, "ROSTER_DB": str(tmp_path / "team.db")}
    app = subprocess.Popen(
        [str(launcher), "--server", "--public-host", "roster.example.cn", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_healthy(port)
        assert "101" in _upgrade(port, "roster.example.cn", "https://roster.example.cn")
        assert "403" in _upgrade(port, "evil.example", "http://evil.example")
        assert _listening(port) == {"127.0.0.1"}
    finally:
        app.terminate()
        app.wait(timeout=20)
