"""The team server's deployment files (deploy/): what can be checked without Docker or systemd.

The live checks are elsewhere: `roster-app --server` answering its public name and no other
(test_app_exposure.py), and the browser tests on the throwaway PostgreSQL (tests/ui)."""

from __future__ import annotations

import configparser
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def test_compose_publishes_only_the_tls_proxy_and_runs_the_app_as_the_team_server() -> None:
    compose = YAML(typ="safe").load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"db", "app", "proxy"}
    assert [s for s, spec in services.items() if "ports" in spec] == ["proxy"]
    assert services["proxy"]["ports"] == ["443:443"]
    app = services["app"]
    assert app["command"][:2] == ["roster-app", "--server"] and "--public-host" in app["command"]
    assert app["environment"]["ROSTER_DB"].startswith("postgresql+psycopg://")
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "tls internal" in caddyfile and "reverse_proxy app:8501" in caddyfile


def test_the_image_installs_what_the_launcher_reads() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for folder in ("models", "calendars", "planner", "ui", "scenarios", ".streamlit"):
        assert f"COPY {folder} {folder}" in text, folder
    assert "pip install --no-cache-dir -e '.[postgres]'" in text and "USER roster" in text
    assert "umask 077" in text


def test_the_systemd_unit_keeps_the_app_on_loopback_with_a_private_umask() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "roster-planner.service", encoding="utf-8")
    service = unit["Service"]
    assert "--server" in service["ExecStart"] and "--address" not in service["ExecStart"]
    assert service["UMask"] == "0077" and service["User"] == "roster"
    assert service["ProtectSystem"] == "strict" and service["EnvironmentFile"] == "/etc/roster-planner.env"


def test_the_env_file_with_passwords_is_kept_out_of_git() -> None:
    assert "deploy/.env" in (ROOT / ".gitignore").read_text().splitlines()
