"""Saving edited absences and requests back to a scenario file (planner.files.scenario_file)."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest

from models.loader import ScenarioError
from planner.files.scenario_file import ConcurrentEditError, own_entries, render
from planner.workflows.save import save_entries

ROOT = Path(__file__).resolve().parents[3]
D = dt.date


@pytest.fixture
def contract_copy(tmp_path: Path) -> Path:
    path = tmp_path / "contract-2026.yaml"
    shutil.copy(ROOT / "scenarios" / "contract-2026.yaml", path)
    return path


def added_and_removed(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("+ ")], [d[2:] for d in diff if d.startswith("- ")]


def test_adding_an_absence_keeps_every_comment_and_key(contract_copy: Path):
    before = contract_copy.read_text(encoding="utf-8")
    entry = {"staff": "S04", "start": D(2026, 12, 7), "end": D(2026, 12, 9), "kind": "annual"}
    scenario = save_entries(contract_copy, {"absences": [entry]})
    after = contract_copy.read_text(encoding="utf-8")
    added, removed = added_and_removed(before, after)
    assert removed == []
    assert added == ["absences:", "  - {staff: S04, start: 2026-12-07, end: 2026-12-09, kind: annual}"]
    assert [(a.staff, a.start, a.end, a.kind) for a in scenario.absences] == [
        ("S04", D(2026, 12, 7), D(2026, 12, 9), "annual")
    ]
    assert len(scenario.staff) == 13
    assert scenario.sources == (str(contract_copy.resolve()),)


def test_unchanged_entries_keep_their_comments(tmp_path: Path, contract_copy: Path):
    text = contract_copy.read_text(encoding="utf-8")
    text += (
        "requests:\n"
        "  - {staff: S02, date: 2026-12-24, want: off}  # 平安夜家里有事\n"
        "  # 下面这条是经理同意的\n"
        "  - {staff: S03, date: 2026-12-25, shift: N, want: on, weight: 2}\n"
    )
    contract_copy.write_text(text, encoding="utf-8")
    entries = own_entries(contract_copy, "requests")
    assert entries == [
        {"staff": "S02", "date": D(2026, 12, 24), "want": "off"},
        {"staff": "S03", "date": D(2026, 12, 25), "shift": "N", "want": "on", "weight": 2},
    ]
    # Drop nothing, add one at the end: both old lines and their comments stay as written.
    new = [*entries, {"staff": "S05", "date": D(2026, 12, 31), "shift": "any", "want": "off", "weight": 1}]
    scenario = save_entries(contract_copy, {"requests": new}, expected={"requests": entries})
    after = contract_copy.read_text(encoding="utf-8")
    assert "  - {staff: S02, date: 2026-12-24, want: off}  # 平安夜家里有事\n" in after
    assert "  # 下面这条是经理同意的\n" in after
    assert after.endswith("  - {staff: S05, date: 2026-12-31, shift: any, want: off, weight: 1}\n")
    # `off` and `on` stay words (YAML 1.2), not booleans.
    assert [(r.staff, r.want, r.shift) for r in scenario.requests] == [
        ("S02", "off", "any"), ("S03", "on", "N"), ("S05", "off", "any"),
    ]  # fmt: skip
    # Removing the first entry keeps the second entry's comment with it.
    save_entries(contract_copy, {"requests": new[1:]})
    after = contract_copy.read_text(encoding="utf-8")
    assert "平安夜" not in after
    assert "  - {staff: S03, date: 2026-12-25, shift: N, want: on, weight: 2}\n" in after


def test_invalid_edit_is_refused_and_the_file_is_untouched(contract_copy: Path):
    before = contract_copy.read_bytes()
    bad = {"staff": "S99", "start": D(2026, 12, 1), "end": D(2026, 12, 2), "kind": "sick"}
    with pytest.raises(ScenarioError) as err:
        save_entries(contract_copy, {"absences": [bad]})
    message = str(err.value)
    assert "contract-2026.yaml" in message and "absences[0].staff" in message and "'S99'" in message
    assert "unknown staff id" in message
    assert ".check-" not in message
    assert contract_copy.read_bytes() == before
    assert sorted(p.name for p in contract_copy.parent.iterdir()) == ["contract-2026.yaml"]


def test_end_before_start_is_refused(contract_copy: Path):
    bad = {"staff": "S04", "start": D(2026, 12, 9), "end": D(2026, 12, 7), "kind": "annual"}
    with pytest.raises(ScenarioError, match="absences\\[0\\].end"):
        save_entries(contract_copy, {"absences": [bad]})


def test_concurrent_change_is_detected(contract_copy: Path):
    entry = {"staff": "S04", "start": D(2026, 12, 7), "end": D(2026, 12, 9), "kind": "annual"}
    save_entries(contract_copy, {"absences": [entry]})
    with pytest.raises(ConcurrentEditError):
        save_entries(contract_copy, {"absences": []}, expected={"absences": []})
    assert len(own_entries(contract_copy, "absences")) == 1


def test_what_if_file_edits_only_its_own_entries(tmp_path: Path, contract_copy: Path):
    base_text = contract_copy.read_text(encoding="utf-8") + (
        "absences:\n  - {staff: S02, start: 2026-12-01, end: 2026-12-03, kind: training}\n"
    )
    contract_copy.write_text(base_text, encoding="utf-8")
    whatif = tmp_path / "whatif.yaml"
    whatif.write_text(
        "# 假设：S06 请年假\nversion: 1\nname: 假设\nextends: contract-2026.yaml\n", encoding="utf-8"
    )
    assert own_entries(whatif, "absences") == []
    entry = {"staff": "S06", "start": D(2026, 12, 10), "end": D(2026, 12, 10), "kind": "annual"}
    scenario = save_entries(whatif, {"absences": [entry]})
    assert contract_copy.read_text(encoding="utf-8") == base_text
    assert [a.staff for a in scenario.absences] == ["S02", "S06"]
    assert whatif.read_text(encoding="utf-8").startswith("# 假设：S06 请年假\n")


def test_block_style_file_gets_block_entries(tmp_path: Path):
    text = (
        "version: 1\nname: block\nroles:\n- id: r\n  name: 角色\n"
        "shifts:\n- id: D\n  name: 白班\n  start: '08:00'\n  end: '16:00'\n  paid_hours: 8\n"
        "staff:\n- id: P1\n  name: 甲\n  role: r\ncoverage:\n- role: r\n  shift: D\n  min: 1\n"
    )
    path = tmp_path / "block.yaml"
    path.write_text(text, encoding="utf-8")
    save_entries(path, {"fixed": [{"staff": "P1", "date": D(2026, 12, 1), "shift": "off"}]})
    after = path.read_text(encoding="utf-8")
    assert after == text + "fixed:\n- staff: P1\n  date: 2026-12-01\n  shift: off\n"


def test_render_refuses_unknown_lists():
    with pytest.raises(ValueError, match="not an editable list"):
        render("version: 1\n", {"staff": []})
