"""Paths from a URL or a form field stay inside the scenario folders (issue 17, "Paths")."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, FIXTURES, log_in, new_app

pytestmark = [pytest.mark.ui, pytest.mark.slow]


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch copy of the app tests' tiny scenario (tests/ui/fixtures/tiny.yaml)."""
    monkeypatch.setenv("ROSTER_PLANNER_HOME", str(tmp_path / "home"))
    path = tmp_path / "scenarios" / "tiny.yaml"
    path.parent.mkdir()
    shutil.copy(FIXTURES / "tiny.yaml", path)
    return path


def test_a_scenario_in_the_url_outside_the_scenario_folders_is_not_opened(tmp_path: Path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("version: 1\nname: 不该被读到的文件\n", encoding="utf-8")
    at = log_in(AppTest.from_file(str(APP), default_timeout=30))
    at.query_params["scenario"] = str(secret)
    at.run()
    assert not at.exception
    assert any("不在场景文件夹内" in e.value for e in at.error)
    assert at.session_state["scenario_path"].endswith("contract-2026.yaml")
    page = " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.error))
    assert "不该被读到的文件" not in page


@pytest.mark.parametrize("name", ["../outside", "/tmp/absolute-variant", "sub/x"])
def test_a_variant_name_with_a_path_is_refused_and_nothing_is_written(team: Path, name: str):
    at = new_app(team).run()
    at.switch_page("views/compare.py").run()
    at.selectbox(key="va_staff").set_value("S04")
    at.date_input(key="va_start").set_value(dt.date(2026, 12, 1))
    at.date_input(key="va_end").set_value(dt.date(2026, 12, 3))
    at.button(key="va_add").click().run()
    at.text_input(key="variant_file").set_value(name)
    at.button(key="variant_save").click().run()
    assert any("不能含路径" in e.value for e in at.error), [e.value for e in at.error]
    assert sorted(p.name for p in team.parent.parent.rglob("*.yaml")) == ["tiny.yaml"]
    assert not Path("/tmp/absolute-variant.yaml").exists()
