"""`roster-app`: start the web app with the project's settings, from any folder.

Streamlit reads `.streamlit/config.toml` only from the folder it is started in, so
`streamlit run <repo>/ui/app.py` from elsewhere would listen on every interface and send usage
statistics. The launcher reads the project's config file itself and passes every setting as a
command-line option, which takes precedence over anything else (issue 17). The app also refuses
to show data when it finds itself bound beyond this machine or with usage statistics on
(ui/app.py).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
APP = ROOT / "ui" / "app.py"


def config_flags(config: Path = CONFIG) -> list[str]:
    """Every option of the project's Streamlit config as `--section.key=value`."""
    with config.open("rb") as fh:
        data = tomllib.load(fh)
    flags = []
    for section, options in data.items():
        for key, value in options.items():
            # A list is given by repeating its option, as Streamlit's command line takes it.
            for item in value if isinstance(value, list) else [value]:
                text = str(item).lower() if isinstance(item, bool) else str(item)
                flags.append(f"--{section}.{key}={text}")
    return flags


SERVER_ENV = "ROSTER_SERVER"  # set by `roster-app --server` for the app it starts


def server_flags(public_hosts: list[str], address: str | None) -> list[str]:
    """The team server's settings on top of the config file's: the proxy's public host names
    allowed (DNS rebinding protection stays on for every other name), and the bound address."""
    # A list option repeated adds to the config file's localhost and 127.0.0.1.
    flags = [f"--server.allowedHosts={h}" for h in public_hosts]
    if address:
        flags.append(f"--server.address={address}")
    return flags


def main(argv: list[str] | None = None) -> None:
    """roster-app [--port N] [--scenario FILE] [--server --public-host NAME [--address ADDR]].

    Without --server: the app on this machine only. With --server (issue 15): the team server,
    behind a TLS reverse proxy that answers as NAME; every page needs a login, the first
    manager account is made with `roster user add` (not by the first visitor), and the store is
    the one ROSTER_DB names (PostgreSQL for a team). --address 0.0.0.0 only when the proxy runs
    on another host or container (compose.yaml)."""
    import argparse

    from streamlit.web import cli

    parser = argparse.ArgumentParser(prog="roster-app", add_help=False)
    parser.add_argument("--port", type=int)
    parser.add_argument("--server", action="store_true")
    parser.add_argument("--public-host", action="append", default=[])
    parser.add_argument("--address")
    known, app_args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    port = [f"--server.port={known.port}"] if known.port else []
    extra: list[str] = []
    if known.server:
        if not os.environ.get("ROSTER_DB"):
            sys.exit("roster-app --server: set ROSTER_DB to the team's store (postgresql+psycopg://…)")
        os.environ[SERVER_ENV] = "1"
        extra = server_flags(known.public_host, known.address)
    elif known.public_host or known.address:
        sys.exit("roster-app: --public-host and --address belong to --server (the team server)")
    # A relative scenario path means the caller's folder, whatever folder Streamlit runs in.
    for i, arg in enumerate(app_args[:-1]):
        if arg == "--scenario":
            app_args[i + 1] = str(Path(app_args[i + 1]).resolve())
    cli.main(["run", str(APP), *config_flags(), *extra, *port, "--", *app_args], prog_name="streamlit")


# -- how the running app checks it was started right -------------------------------------------
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def server_mode() -> bool:
    """Started as the team server (`roster-app --server`), or told it may listen beyond this
    machine: then the first account is never made in the browser."""
    return os.environ.get(SERVER_ENV) == "1" or os.environ.get("ROSTER_ALLOW_REMOTE") == "1"


def is_local() -> bool:
    """The app serves this machine only: bound to loopback and not the team server."""
    return (st.get_option("server.address") or "") in LOOPBACK and not server_mode()


def exposure_problem() -> str | None:
    """Why the app must not show staff data as it was started, or None (PIPL: names, phone
    numbers and leave reasons stay on this machine). `roster-app` starts it right."""
    address = st.get_option("server.address") or ""
    if address not in LOOPBACK and not server_mode():
        return (
            f"本程序只在本机提供服务，当前监听地址为「{address or '所有网络接口'}」，已停止显示数据。"
            "请用 roster-app（或 make run）启动。"
        )
    if st.get_option("browser.gatherUsageStats"):
        return "Streamlit 使用统计处于开启状态，已停止显示数据。请用 roster-app（或 make run）启动。"
    return None


def page_icon() -> Any:
    """A small icon drawn here, so the page needs nothing from the internet."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (32, 32), "#1F3864")
    draw = ImageDraw.Draw(image)
    for row in range(3):
        for col in range(3):
            x, y = 5 + col * 8, 5 + row * 8
            draw.rectangle((x, y, x + 5, y + 5), fill="#FFFFFF" if (row + col) % 2 == 0 else "#FFF2CC")
    return image


if __name__ == "__main__":
    main()
