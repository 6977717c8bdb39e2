"""Shift designs under each lawful working-time system (issue 11, `roster designs`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.errors import InputError
from planner.cli import app
from planner.engine.probes import ProbeOptions
from planner.whatif.designs import (
    SHIPPED_DESIGNS,
    apply_design,
    compare_designs,
    lawful_systems,
    own_design,
    read_design,
)
from tests.cli.helpers import one_line_error
from tests.planner.engine.builders import cover, load, person, scenario

FAST = ProbeOptions(time_limit=5, workers=1)


def _two_roles():
    return load(
        scenario(
            [person("P1"), person("P2"), person("P3"), person("Q1", role="b"), person("Q2", role="b")],
            [cover("a", "D"), cover("a", "N"), cover("b", "D", days="workday")],
        )
    )


def test_the_three_shift_design_hands_the_night_to_two_shifts() -> None:
    base = _two_roles()
    designed, dropped = apply_design(base, read_design(SHIPPED_DESIGNS[0]))
    assert [s.id for s in designed.shifts] == ["D8", "E8", "L8"]
    assert sorted((c.role, c.shift, c.days) for c in designed.coverage) == [
        ("a", "D8", "all"), ("a", "E8", "all"), ("a", "L8", "all"), ("b", "D8", "workday"),
    ]  # fmt: skip
    assert dropped == 0


def test_each_design_is_compared_only_under_the_systems_that_make_it_lawful() -> None:
    base = _two_roles()  # the builders' D/N under comprehensive hours, 16 h a day at most
    assert [w.system for w in lawful_systems(base)] == ["comprehensive"]
    designed, _ = apply_design(base, read_design(SHIPPED_DESIGNS[0]))
    assert [w.system for w in lawful_systems(designed)] == ["standard", "comprehensive"]


def test_compare_designs_proves_a_minimum_per_role_and_counts_hours() -> None:
    base = _two_roles()
    designs = [own_design(base), read_design(SHIPPED_DESIGNS[0])]
    rows = compare_designs(base, dt.date(2026, 12, 1), dt.date(2026, 12, 3), designs, "hard", FAST)
    assert [(r.working_time, r.role) for r in rows] == [
        ("comprehensive/month", "a"), ("comprehensive/month", "b"),
        ("standard", "a"), ("standard", "b"), ("comprehensive/month", "a"), ("comprehensive/month", "b"),
    ]  # fmt: skip
    assert all(r.proven and r.minimum is not None for r in rows)
    own_a = rows[0]
    # D + N every day with 12 h rest: after a night nothing the next day, so 3 people cover 3 days.
    assert (own_a.current, own_a.minimum, own_a.shortfall_now) == (3, 3, 0)
    assert all(r.overtime_hours is not None and r.premium_hours is not None for r in rows)


def test_a_broken_design_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "design: 1\nname: x\nshifts:\n  - {id: X, name: x, start: '08:00', end: '16:00', paid_hours: 8}\n"
        "replaces: {D: [Y]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"replaces\.D: must list shifts of this design"):
        read_design(bad)
    root = Path(__file__).resolve().parents[3]
    line = one_line_error(
        CliRunner().invoke(
            app,
            [
                "designs",
                str(root / "scenarios" / "contract-2026.yaml"),
                "--start",
                "2026-12-01",
                "--end",
                "2026-12-02",
                "--design",
                str(bad),
            ],
        )  # fmt: skip
    )
    assert "bad.yaml" in line and "replaces.D" in line


@pytest.mark.slow
def test_designs_json_on_the_contract_lists_both_designs() -> None:
    root = Path(__file__).resolve().parents[3]
    result = CliRunner().invoke(
        app,
        ["designs", str(root / "scenarios" / "contract-2026.yaml"), "--start", "2026-12-01",
         "--end", "2026-12-03", "--format", "json", "--time-limit", "10"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["design"].split("（")[0] for r in rows} == {"本场景", "三班制"}
    assert {r["working_time"] for r in rows if r["design"].startswith("三班制")} == {
        "standard", "comprehensive/month",
    }  # fmt: skip
    assert set(rows[0]) == {
        "design", "working_time", "role", "current", "minimum", "shortfall_now", "proven",
        "overtime_hours", "premium_hours",
    }  # fmt: skip
