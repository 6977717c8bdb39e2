"""The scenario loader: every refusal is one line with file, key path, line and value; what-if merging."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from models.loader import ScenarioError, load_scenario
from models.scenario import LabourRules, WorkingTime
from planner.cli import app

# A small valid scenario that uses every list, so each refusal below is a one-line edit of it.
MINIMAL = """\
version: 1
name: mini
contract: {start: 2026-06-15, end: 2026-06-30}
roles:
  - {id: video, name: Video}
  - {id: image, name: Image}
shifts:
  - {id: D, name: Day, start: "08:00", end: "16:00", paid_hours: 8}
  - {id: N, name: Night, start: "16:00", end: "08:00", paid_hours: 16}
staff:
  - {id: A, name: Ann, role: video}
  - {id: B, name: Bob, role: image, skills: [video]}
coverage:
  - {role: video, shift: D, days: workday, min: 1}
  - {role: image, shift: N, min: 1}
surges:
  - {name: peak, start: 2026-06-22, end: 2026-06-23, add: [{role: video, shift: N, count: 1}]}
absences:
  - {staff: A, start: 2026-06-20, end: 2026-06-21, kind: annual}
requests:
  - {staff: B, date: 2026-06-18, shift: N, want: off}
fixed:
  - {staff: A, date: 2026-06-16, shift: D}
changes:
  - {staff: B, notice_date: 2026-05-01, last_day: 2026-06-25}
rules:
  min_rest_hours: 11
  # The 16 h night needs the comprehensive-hours system (劳动法 39, 41).
  working_time: {system: comprehensive, max_hours_per_day: 16}
"""

runner = CliRunner()
MINI_WT = WorkingTime(system="comprehensive", max_hours_per_day=16)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Run where the files are, as a user would: messages then name the file as typed.
    monkeypatch.chdir(tmp_path)


def edit(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, f"edit target not unique: {old!r}"
    return MINIMAL.replace(old, new)


def line_of(path: Path, needle: str) -> int:
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} found on lines {hits}"
    return hits[0]


def assert_refused(path: Path, expected: str) -> None:
    """The loader raises exactly `expected`; `roster check-scenario` prints it alone and exits 2."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == expected
    result = runner.invoke(app, ["check-scenario", path.name])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"错误 error: {expected}\n"
    assert "Traceback" not in result.output


@dataclass(frozen=True)
class Refusal:
    id: str
    text: str
    expected: str  # "{line}" stands for the line of `needle`
    needle: str | None = None


REFUSALS = [
    # Unknown keys, top level and nested.
    Refusal(
        "unknown-top-level-key",
        edit("name: mini\n", "name: mini\ncolour: blue\n"),
        "scenario.yaml:{line}: colour = 'blue': unknown key 'colour'",
        "colour: blue",
    ),
    Refusal(
        "unknown-staff-key",
        edit("{id: A, name: Ann, role: video}", "{id: A, name: Ann, role: video, colour: red}"),
        "scenario.yaml:{line}: staff[0].colour = 'red': unknown key 'colour'",
        "colour: red",
    ),
    Refusal(
        "unknown-contract-key",
        edit("end: 2026-06-30}", "end: 2026-06-30, price: 5}"),
        "scenario.yaml:{line}: contract.price = 5: unknown key 'price'",
        "price: 5",
    ),
    Refusal(
        "unknown-rules-key",
        edit("  min_rest_hours: 11\n", "  min_rest_hours: 11\n  max_rest: 3\n"),
        "scenario.yaml:{line}: rules.max_rest = 3: unknown key 'max_rest'",
        "max_rest: 3",
    ),
    Refusal(
        "unknown-staff-rules-key",
        edit("{id: A, name: Ann, role: video}", "{id: A, name: Ann, role: video, rules: {min_rest: 9}}"),
        "scenario.yaml:{line}: staff[0].rules.min_rest = 9: unknown key 'min_rest'",
        "min_rest: 9",
    ),
    Refusal(
        "unknown-surge-add-key",
        edit("shift: N, count: 1}", "shift: N, count: 1, when: dusk}"),
        "scenario.yaml:{line}: surges[0].add[0].when = 'dusk': unknown key 'when'",
        "when: dusk",
    ),
    # Unknown staff ids.
    Refusal(
        "unknown-staff-in-absences",
        edit("{staff: A, start: 2026-06-20", "{staff: Z, start: 2026-06-20"),
        "scenario.yaml:{line}: absences[0].staff = 'Z': unknown staff id",
        "staff: Z",
    ),
    Refusal(
        "unknown-staff-in-requests",
        edit("{staff: B, date: 2026-06-18", "{staff: Z, date: 2026-06-18"),
        "scenario.yaml:{line}: requests[0].staff = 'Z': unknown staff id",
        "staff: Z",
    ),
    Refusal(
        "unknown-staff-in-fixed",
        edit("{staff: A, date: 2026-06-16", "{staff: Z, date: 2026-06-16"),
        "scenario.yaml:{line}: fixed[0].staff = 'Z': unknown staff id",
        "staff: Z",
    ),
    Refusal(
        "unknown-staff-in-changes",
        edit("{staff: B, notice_date:", "{staff: Z, notice_date:"),
        "scenario.yaml:{line}: changes[0].staff = 'Z': unknown staff id",
        "staff: Z",
    ),
    # Unknown role ids.
    Refusal(
        "unknown-role-in-coverage",
        edit("{role: video, shift: D, days: workday", "{role: audio, shift: D, days: workday"),
        "scenario.yaml:{line}: coverage[0].role = 'audio': unknown role id",
        "role: audio",
    ),
    Refusal(
        "unknown-role-in-skills",
        edit("skills: [video]", "skills: [video, sound]"),
        "scenario.yaml:{line}: staff[1].skills[1] = 'sound': unknown role id",
        "sound",
    ),
    Refusal(
        "unknown-primary-role",
        edit("{id: A, name: Ann, role: video}", "{id: A, name: Ann, role: boss}"),
        "scenario.yaml:{line}: staff[0].role = 'boss': unknown role id",
        "role: boss",
    ),
    Refusal(
        "unknown-role-in-surge",
        edit("add: [{role: video,", "add: [{role: audio,"),
        "scenario.yaml:{line}: surges[0].add[0].role = 'audio': unknown role id",
        "role: audio",
    ),
    # Unknown shift ids.
    Refusal(
        "unknown-shift-in-coverage",
        edit("{role: image, shift: N, min: 1}", "{role: image, shift: X, min: 1}"),
        "scenario.yaml:{line}: coverage[1].shift = 'X': unknown shift id",
        "shift: X",
    ),
    Refusal(
        "unknown-shift-in-surge",
        edit("shift: N, count: 1}", "shift: X, count: 1}"),
        "scenario.yaml:{line}: surges[0].add[0].shift = 'X': unknown shift id",
        "shift: X",
    ),
    Refusal(
        "unknown-shift-in-fixed",
        edit("date: 2026-06-16, shift: D}", "date: 2026-06-16, shift: E}"),
        "scenario.yaml:{line}: fixed[0].shift = 'E': unknown shift id (or 'off')",
        "shift: E",
    ),
    Refusal(
        "unknown-shift-in-requests",
        edit("shift: N, want: off", "shift: E, want: off"),
        "scenario.yaml:{line}: requests[0].shift = 'E': unknown shift id (or 'any')",
        "shift: E",
    ),
    # Duplicate ids.
    Refusal(
        "duplicate-role-id",
        edit("{id: image, name: Image}", "{id: video, name: Image}"),
        "scenario.yaml:{line}: roles[1].id = 'video': duplicate id (first at roles[0])",
        "name: Image",
    ),
    Refusal(
        "duplicate-shift-id",
        edit("{id: N, name: Night", "{id: D, name: Night"),
        "scenario.yaml:{line}: shifts[1].id = 'D': duplicate id (first at shifts[0])",
        "name: Night",
    ),
    Refusal(
        "duplicate-staff-id",
        edit("{id: B, name: Bob", "{id: A, name: Bob"),
        "scenario.yaml:{line}: staff[1].id = 'A': duplicate id (first at staff[0])",
        "name: Bob",
    ),
    # An end before its start.
    Refusal(
        "staff-end-before-start",
        edit(
            "{id: A, name: Ann, role: video}",
            "{id: A, name: Ann, role: video, start_date: 2026-07-01, end_date: 2026-06-01}",
        ),
        "scenario.yaml:{line}: staff[0].end_date = 2026-06-01: "
        "end_date 2026-06-01 is before its start 2026-07-01",
        "end_date: 2026-06-01",
    ),
    Refusal(
        "surge-end-before-start",
        edit("end: 2026-06-23, add", "end: 2026-06-21, add"),
        "scenario.yaml:{line}: surges[0].end = 2026-06-21: end 2026-06-21 is before its start 2026-06-22",
        "name: peak",
    ),
    Refusal(
        "absence-end-before-start",
        edit("end: 2026-06-21, kind", "end: 2026-06-19, kind"),
        "scenario.yaml:{line}: absences[0].end = 2026-06-19: end 2026-06-19 is before its start 2026-06-20",
        "kind: annual",
    ),
    Refusal(
        "contract-end-before-start",
        edit("end: 2026-06-30}", "end: 2026-06-14}"),
        "scenario.yaml:{line}: contract.end = 2026-06-14: end 2026-06-14 is before its start 2026-06-15",
        "contract:",
    ),
    # Bad times.
    Refusal(
        "time-25h",
        edit('start: "08:00", end: "16:00"', 'start: "25:00", end: "16:00"'),
        "scenario.yaml:{line}: shifts[0].start = '25:00': expected HH:MM with hours 00-23 and minutes 00-59",
        "25:00",
    ),
    Refusal(
        "time-8am",
        edit('start: "08:00", end: "16:00"', 'start: 8am, end: "16:00"'),
        "scenario.yaml:{line}: shifts[0].start = '8am': expected HH:MM",
        "8am",
    ),
    # Bad values.
    Refusal(
        "negative-min",
        edit("{role: image, shift: N, min: 1}", "{role: image, shift: N, min: -1}"),
        "scenario.yaml:{line}: coverage[1].min = -1: Input should be greater than or equal to 0",
        "min: -1",
    ),
    Refusal(
        "max-below-min",
        edit("days: workday, min: 1}", "days: workday, min: 2, max: 1}"),
        "scenario.yaml:{line}: coverage[0] = {role, shift, days, min, …}: max 1 is below min 2",
        "max: 1",
    ),
    Refusal(
        "want-not-on-or-off",
        edit("want: off", "want: maybe"),
        "scenario.yaml:{line}: requests[0].want = 'maybe': Input should be 'on', 'off' or 'leave'",
        "want: maybe",
    ),
    Refusal(
        "missing-staff-name",
        edit("{id: A, name: Ann, role: video}", "{id: A, role: video}"),
        "scenario.yaml:{line}: staff[0].name: missing required key 'name'",
        "{id: A, role: video}",
    ),
    Refusal(
        "role-is-no-ones-skill",
        edit("  - {id: image, name: Image}\n", "  - {id: image, name: Image}\n  - {id: desk, name: Desk}\n"),
        "scenario.yaml:{line}: roles[2].id = 'desk': role is no one's skill: give it to someone or remove it",
        "id: desk",
    ),
    Refusal(
        "fixed-to-work-while-absent",
        edit("{staff: A, date: 2026-06-16, shift: D}", "{staff: A, date: 2026-06-20, shift: D}"),
        "scenario.yaml:{line}: fixed[0] = {staff, date, shift}: "
        "A is fixed to work on 2026-06-20 but is absent or not employed then",
        "date: 2026-06-20, shift: D",
    ),
    # Not a usable YAML document.
    Refusal(
        "malformed-yaml",
        edit("{role: image, shift: N, min: 1}", "{role: image, shift: N, min: 1]"),
        "scenario.yaml:{line}: malformed YAML: while parsing a flow mapping expected ',' or '}', but got ']'",
        "min: 1]",
    ),
    Refusal(
        "duplicate-yaml-key",
        edit("name: mini\n", "name: mini\nname: again\n"),
        'scenario.yaml:{line}: malformed YAML: while constructing a mapping found duplicate key "name" '
        'with value "again" (original value: "mini")',
        "name: again",
    ),
    Refusal(
        "list-document",
        "- version: 1\n- name: x\n",
        "scenario.yaml: a scenario must be a YAML mapping of keys",
    ),
    Refusal("scalar-document", "just words\n", "scenario.yaml: a scenario must be a YAML mapping of keys"),
    Refusal("empty-document", "", "scenario.yaml: a scenario must be a YAML mapping of keys"),
]


@pytest.mark.parametrize("case", REFUSALS, ids=lambda c: c.id)
def test_refusal_is_one_line_and_exits_2(case: Refusal, write_yaml) -> None:
    """A bad file is refused with file:line: key = value: why, and check-scenario exits 2."""
    path = write_yaml(case.text)
    expected = case.expected
    if case.needle is not None:
        expected = expected.replace("{line}", str(line_of(path, case.needle)))
    assert_refused(path, expected)


def test_minimal_scenario_loads(write_yaml) -> None:
    """The base of the refusal cases is itself valid (so each case tests exactly its one edit)."""
    s = load_scenario(write_yaml(MINIMAL))
    assert [p.id for p in s.staff] == ["A", "B"]
    assert (s.contract.start, s.contract.end) == (dt.date(2026, 6, 15), dt.date(2026, 6, 30))
    assert s.shift("N").crosses_midnight and not s.shift("D").crosses_midnight
    assert s.rules.min_rest_hours == 11


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert_refused(tmp_path / "absent.yaml", "absent.yaml: file not found")


# -- extends: refusals across files ---------------------------------------------------------------


def test_missing_base_file(write_yaml, tmp_path: Path) -> None:
    path = write_yaml("extends: nowhere.yaml\nname: v\n", "variant.yaml")
    missing = tmp_path.resolve() / "nowhere.yaml"
    assert_refused(path, f"variant.yaml:1: extends = 'nowhere.yaml': base scenario not found: {missing}")


def test_extends_cycle_of_two_files(write_yaml) -> None:
    a = write_yaml("extends: b.yaml\nname: a\n", "a.yaml")
    write_yaml("version: 1\nextends: a.yaml\n", "b.yaml")
    assert_refused(a, "b.yaml:2: extends = 'a.yaml': extends cycle: a.yaml -> b.yaml -> a.yaml")


def test_extends_itself(write_yaml) -> None:
    path = write_yaml("extends: self.yaml\nversion: 1\n", "self.yaml")
    assert_refused(path, "self.yaml:1: extends = 'self.yaml': extends cycle: self.yaml -> self.yaml")


def test_remove_staff_unknown_id(write_yaml) -> None:
    write_yaml(MINIMAL, "base.yaml")
    path = write_yaml("extends: base.yaml\nremove_staff: [A, Z]\n", "variant.yaml")
    assert_refused(path, "variant.yaml:2: remove_staff[1] = 'Z': unknown staff id")


def test_variant_entry_for_a_person_it_removes_is_refused(write_yaml) -> None:
    """Removal applies to the base; the variant's own absence for the removed person is an error."""
    write_yaml(MINIMAL, "base.yaml")
    path = write_yaml(
        """
        extends: base.yaml
        remove_staff: [A]
        absences:
          - {staff: A, start: 2026-06-24, end: 2026-06-24}
        """,
        "variant.yaml",
    )
    # The base's absence of A is dropped, so the variant's own entry is absences[0].
    assert_refused(path, "variant.yaml:4: absences[0].staff = 'A': unknown staff id")


def test_error_in_a_base_names_the_base_file(write_yaml) -> None:
    base = write_yaml(edit("{staff: A, start: 2026-06-20", "{staff: Z, start: 2026-06-20"), "base.yaml")
    path = write_yaml("extends: base.yaml\nname: variant\n", "variant.yaml")
    assert_refused(path, f"base.yaml:{line_of(base, 'staff: Z')}: absences[0].staff = 'Z': unknown staff id")


def test_missing_calendar_override_file(write_yaml, tmp_path: Path) -> None:
    path = write_yaml(edit("name: mini\n", "name: mini\ncalendar: {overrides: [cn-2027.yaml]}\n"))
    missing = tmp_path.resolve() / "cn-2027.yaml"
    assert_refused(
        path,
        f"scenario.yaml:{line_of(path, 'calendar:')}: calendar.overrides[0] = 'cn-2027.yaml': "
        f"override file not found: {missing}",
    )


# -- what loads ---------------------------------------------------------------------------------


def test_yaml_1_2_words_stay_strings(write_yaml) -> None:
    """`on`, `off`, `no` and unquoted 08:00 are text in YAML 1.2 (a 1.1 reader makes bools and 480)."""
    text = edit("{staff: B, date: 2026-06-18, shift: N, want: off}", "{staff: B, date: 2026-06-18, want: on}")
    text = text.replace("{staff: A, date: 2026-06-16, shift: D}", "{staff: A, date: 2026-06-16, shift: off}")
    text = text.replace("{id: A, name: Ann,", "{id: A, name: no,")
    text = text.replace('start: "08:00", end: "16:00"', "start: 08:00, end: 16:00")
    s = load_scenario(write_yaml(text))
    assert s.requests[0].want == "on"
    assert s.requests[0].shift == "any"
    assert s.fixed[0].shift == "off"
    assert s.person("A").name == "no"
    assert (s.shift("D").start, s.shift("D").end) == (dt.time(8, 0), dt.time(16, 0))


def test_primary_role_is_always_a_skill(write_yaml) -> None:
    text = edit("{id: A, name: Ann, role: video}", "{id: A, name: Ann, role: video, skills: [image, video]}")
    s = load_scenario(write_yaml(text))
    assert s.person("A").skills == ("video", "image")  # primary first, no duplicate
    assert s.person("B").skills == ("image", "video")


def test_per_person_rules_resolve_to_effective_labour_rules(write_yaml) -> None:
    text = edit(
        "{id: A, name: Ann, role: video}",
        "{id: A, name: Ann, role: video, rules: {max_consecutive_days: 5, overtime_cap: hard}}",
    )
    s = load_scenario(write_yaml(text))
    assert s.person("A").effective_rules == LabourRules(
        min_rest_hours=11, max_consecutive_days=5, overtime_cap="hard", working_time=MINI_WT
    )
    assert s.person("B").effective_rules == s.rules == LabourRules(min_rest_hours=11, working_time=MINI_WT)


def test_change_ends_the_leaver_and_adds_the_replacement(write_yaml) -> None:
    text = edit(
        "{staff: B, notice_date: 2026-05-01, last_day: 2026-06-25}",
        "{staff: B, notice_date: 2026-05-01, last_day: 2026-06-25,"
        " replacement: {id: R, name: Rae, role: image, years: 3, start_date: 2026-06-26}}",
    )
    s = load_scenario(write_yaml(text))
    assert [p.id for p in s.staff] == ["A", "B", "R"]
    assert s.person("B").end_date == dt.date(2026, 6, 25)
    assert s.available("B", dt.date(2026, 6, 25)) and not s.available("B", dt.date(2026, 6, 26))
    replacement = s.person("R")
    assert replacement.start_date == dt.date(2026, 6, 26)
    assert replacement.skills == ("image",)
    assert replacement.effective_rules == s.rules
    assert s.changes[0].replacement == replacement


def test_change_keeps_an_earlier_end_date(write_yaml) -> None:
    text = edit("{id: B, name: Bob, role: image,", "{id: B, name: Bob, role: image, end_date: 2026-06-20,")
    s = load_scenario(write_yaml(text))
    assert s.person("B").end_date == dt.date(2026, 6, 20)  # not the change's later last_day 2026-06-25


def test_loaded_scenario_is_frozen(contract) -> None:
    with pytest.raises(ValidationError, match="frozen"):
        contract.name = "changed"
    with pytest.raises(ValidationError, match="frozen"):
        contract.staff[0].role = "video"
    with pytest.raises(ValidationError, match="frozen"):
        contract.rules.min_rest_hours = 8
    assert isinstance(contract.staff, tuple) and isinstance(contract.coverage, tuple)


VARIANT = """\
extends: base.yaml
name: variant
contract: {value_cny: 1000}
rules: {overtime_cap: hard}
roles:
  - {id: image, name: Imaging, weight: 3}
  - {id: desk, name: Desk}
shifts:
  - {id: N, name: Late, start: "20:00", end: "08:00", paid_hours: 12}
staff:
  - {id: A, name: Ann Two, role: video, skills: [desk]}
  - {id: C, name: Cat, role: desk}
coverage:
  - {role: desk, shift: D, days: workday, min: 1}
absences:
  - {staff: C, start: 2026-06-25, end: 2026-06-26}
"""


def test_extends_merges_by_id_appends_lists_and_overrides_mappings(write_yaml) -> None:
    base = write_yaml(MINIMAL, "base.yaml")
    variant = write_yaml(VARIANT, "variant.yaml")
    s = load_scenario(variant)
    assert s.name == "variant"
    assert s.sources == (str(base.resolve()), str(variant.resolve()))
    # roles/shifts/staff: an existing id is replaced in place, a new id is appended.
    assert [(r.id, r.name, r.weight) for r in s.roles] == [
        ("video", "Video", 1), ("image", "Imaging", 3), ("desk", "Desk", 1),
    ]  # fmt: skip
    assert [(x.id, x.name, x.start) for x in s.shifts] == [
        ("D", "Day", dt.time(8)),
        ("N", "Late", dt.time(20)),
    ]
    assert [(p.id, p.name) for p in s.staff] == [("A", "Ann Two"), ("B", "Bob"), ("C", "Cat")]
    assert s.person("A").skills == ("video", "desk")
    # Other lists are appended.
    assert [(c.role, c.shift) for c in s.coverage] == [("video", "D"), ("image", "N"), ("desk", "D")]
    assert [(a.staff, a.start) for a in s.absences] == [
        ("A", dt.date(2026, 6, 20)),
        ("C", dt.date(2026, 6, 25)),
    ]
    assert len(s.requests) == len(s.fixed) == len(s.changes) == len(s.surges) == 1
    # Mappings are overridden key by key: the base's min_rest_hours and contract dates stay.
    assert s.rules == LabourRules(min_rest_hours=11, overtime_cap="hard", working_time=MINI_WT)
    assert (s.contract.start, s.contract.end, s.contract.value_cny) == (
        dt.date(2026, 6, 15), dt.date(2026, 6, 30), 1000,
    )  # fmt: skip
    # Effective per-person rules follow the merged scenario rules.
    assert all(p.effective_rules == s.rules for p in s.staff)


def test_remove_staff_drops_people_and_their_base_entries(write_yaml) -> None:
    write_yaml(MINIMAL, "base.yaml")
    # B is the only image engineer, so the variant brings in C for that role.
    path = write_yaml(
        """
        extends: base.yaml
        remove_staff: [B]
        staff:
          - {id: C, name: Cat, role: image}
        requests:
          - {staff: C, date: 2026-06-19, want: off}
        """,
        "variant.yaml",
    )
    s = load_scenario(path)
    assert [p.id for p in s.staff] == ["A", "C"]
    assert [r.staff for r in s.requests] == ["C"]  # B's base request is gone
    assert s.changes == ()  # B's base change is gone
    assert [a.staff for a in s.absences] == ["A"]  # others' entries stay
    assert [f.staff for f in s.fixed] == ["A"]


def test_a_later_file_can_add_a_removed_id_again(write_yaml) -> None:
    write_yaml(MINIMAL, "base.yaml")
    write_yaml("extends: base.yaml\nname: mid\nremove_staff: [A]\n", "mid.yaml")
    top = write_yaml(
        """
        extends: mid.yaml
        name: top
        staff:
          - {id: A, name: New Ann, role: video, start_date: 2026-06-22}
        """,
        "top.yaml",
    )
    s = load_scenario(top)
    assert [(p.id, p.name) for p in s.staff] == [("B", "Bob"), ("A", "New Ann")]
    assert s.absences == () and s.fixed == ()  # the old A's entries went with the old A


def test_chain_of_three_files(write_yaml) -> None:
    base = write_yaml(MINIMAL, "base.yaml")
    mid = write_yaml(
        """
        extends: base.yaml
        name: mid
        rules: {max_consecutive_days: 5}
        staff:
          - {id: C, name: Cat, role: image}
        """,
        "mid.yaml",
    )
    top = write_yaml(
        """
        extends: mid.yaml
        name: top
        rules: {overtime_cap: hard}
        staff:
          - {id: A, name: Ann Top, role: video, rules: {min_rest_hours: 14}}
        """,
        "top.yaml",
    )
    s = load_scenario(top)
    assert s.name == "top"
    assert s.sources == tuple(str(p.resolve()) for p in (base, mid, top))
    assert [(p.id, p.name) for p in s.staff] == [("A", "Ann Top"), ("B", "Bob"), ("C", "Cat")]
    assert s.rules == LabourRules(
        min_rest_hours=11, max_consecutive_days=5, overtime_cap="hard", working_time=MINI_WT
    )
    assert s.person("A").effective_rules == s.rules.model_copy(update={"min_rest_hours": 14})
    assert s.person("C").effective_rules == s.rules


def test_contract_scenario_loads(contract) -> None:
    assert [r.id for r in contract.roles] == ["manager", "video", "image", "av", "desk", "phone"]
    assert [r.id for r in contract.roles if r.side] == ["phone"]  # 附件一 2.6, answered from one's post
    assert [s.id for s in contract.shifts if not s.works] == ["NS"]  # 附件八 附件1 1.1, the night stay
    assert len(contract.staff) == 13
    assert len(contract.coverage) == 15
    assert contract.rules.min_duty_shifts_per_month == 2  # tender 2.2.3(1)
    assert contract.contract.value_cny == 2993700
    assert (contract.contract.start, contract.contract.end) == (dt.date(2026, 6, 15), dt.date(2027, 6, 14))
