"""The app's settings do not depend on the folder it is started from (issue 17)."""

from __future__ import annotations

import tomllib

import pytest

from ui import launch, state


def test_the_launcher_passes_every_setting_of_the_config_file():
    flags = launch.config_flags()
    assert "--server.address=127.0.0.1" in flags
    assert "--browser.gatherUsageStats=false" in flags
    with launch.CONFIG.open("rb") as fh:
        data = tomllib.load(fh)
    assert len(flags) == sum(len(options) for options in data.values())


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
    monkeypatch.setattr(state.st, "get_option", options.__getitem__)
    monkeypatch.delenv("ROSTER_ALLOW_REMOTE", raising=False)
    assert (state.exposure_problem() is not None) == refused


def test_serving_beyond_this_machine_is_a_named_choice(monkeypatch):
    options = {"server.address": "0.0.0.0", "browser.gatherUsageStats": False}
    monkeypatch.setattr(state.st, "get_option", options.__getitem__)
    monkeypatch.setenv("ROSTER_ALLOW_REMOTE", "1")
    assert state.exposure_problem() is None
