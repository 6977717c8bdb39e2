"""Impossible dates anywhere in a scenario or calendar file are one line with the line number
(issue 13: they were a 95-line traceback from the YAML reader's timestamp constructor)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from calendars.cn import parse_override
from models.errors import InputError
from planner.cli import app
from planner.workflows.save import install_override
from tests.cli.helpers import one_line_error

CONTRACT = Path(__file__).resolve().parents[2] / "scenarios" / "contract-2026.yaml"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2026-02-30", "day is out of range"),
        ("2026-13-01", "month must be in 1..12"),
        ("2027-02-29", "day is out of range"),
    ],
)
def test_an_impossible_date_in_a_scenario_is_one_line(tmp_path: Path, value: str, why: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"extends: {CONTRACT}\nabsences:\n  - {{staff: S02, start: {value}, end: 2026-12-31}}\n", "utf-8"
    )
    line = one_line_error(CliRunner().invoke(app, ["check-scenario", str(path)]))
    assert f"bad.yaml:3: malformed YAML: impossible date '{value}'" in line and why in line


def test_an_impossible_date_in_an_override_upload_is_refused_and_not_saved(tmp_path: Path) -> None:
    text = "year: 2027\nnotice: {title: 国办发明电, date: 2026-11-31}\nholidays: {2027-01-01: 元旦}\n"
    with pytest.raises(InputError, match=r"upload\.yaml:2: malformed YAML: impossible date '2026-11-31'"):
        parse_override(text, "upload.yaml")
    with pytest.raises(InputError, match="impossible date"):
        install_override(text.encode(), "upload.yaml", tmp_path / "calendars")
    assert not (tmp_path / "calendars").exists() or not list((tmp_path / "calendars").iterdir())
