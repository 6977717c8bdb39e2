"""Fuzzing the two readers users feed by hand (issue 13): the scenario loader and the roster CSV.

Hypothesis mutates the contract scenario's text (a line dropped, doubled, swapped or replaced; a
span of characters cut or overwritten), writes random bytes, and mutates a real roster CSV. Every
input must end in one of two ways: accepted (a Scenario, a Roster), or refused with an InputError
whose message is one line and names the file. Any other exception, a traceback, is a failure. A
sample goes through the CLI too: exit 0 or exit 2 with one line, never anything else.

The seed is fixed (derandomize) so that CI runs the same cases every time; a failure prints the
smallest input hypothesis found. ROSTER_FUZZ_EXAMPLES=5000 runs a longer fuzz by hand.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from models.errors import InputError
from models.loader import load_scenario
from models.roster import Assignment, Roster
from planner.cli import app
from planner.files.roster_csv import parse_roster_csv, roster_csv_text
from tests.cli.helpers import one_line_error

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "scenarios" / "contract-2026.yaml"
CONTRACT_TEXT = CONTRACT.read_text(encoding="utf-8")
CONTRACT_LINES = CONTRACT_TEXT.splitlines(keepends=True)

FUZZ = settings(
    max_examples=int(os.environ.get("ROSTER_FUZZ_EXAMPLES", "200")),
    deadline=None,
    derandomize=os.environ.get("ROSTER_FUZZ_RANDOM") is None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a hand edit can put in a YAML file: structure, dates (impossible ones too), numbers.
YAML_BITS = st.sampled_from(
    [":", "-", " ", "  ", "\n", "[", "]", "{", "}", "'", '"', "&a", "*a", "!!python/object:os.system",
     "2026-02-30", "2026-13-01", "2027-02-29", "1e400", "-1", "99999999999999999999", "nan", ".inf",
     "null", "~", "yes", "extends: /etc/shadow", "extends: /dev/zero", "\t", "#", "\ufeff", "\x00"]
)  # fmt: skip


@st.composite
def mutated_scenarios(draw: st.DrawFn) -> str:
    lines = list(CONTRACT_LINES)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "double", "swap", "replace", "cut", "overwrite", "insert"]))
        event(how)
        if how == "drop":
            del lines[i]
        elif how == "double":
            lines.insert(i, lines[i])
        elif how == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif how == "replace":
            lines[i] = draw(st.text(max_size=40)) + "\n"
        else:
            line = lines[i]
            a = draw(st.integers(0, len(line)))
            b = draw(st.integers(a, len(line)))
            if how == "cut":
                lines[i] = line[:a] + line[b:]
            elif how == "overwrite":
                lines[i] = line[:a] + draw(YAML_BITS) + line[b:]
            else:
                lines[i] = line[:a] + "".join(draw(st.lists(YAML_BITS, max_size=4))) + line[a:]
        if not lines:
            break
    return "".join(lines)


def assert_accepted_or_one_line(call, file: Path) -> None:
    try:
        call()
    except InputError as exc:
        message = str(exc)
        event("refused")
        assert message.strip(), "an empty refusal"
        assert "\n" not in message.strip(), message
        assert "Traceback" not in message
        assert file.name in message, message
    else:
        event("accepted")


@FUZZ
@given(text=mutated_scenarios())
def test_mutated_scenarios_are_loaded_or_refused_in_one_line(tmp_path_factory, text: str) -> None:
    file = tmp_path_factory.mktemp("fuzz") / "contract-2026.yaml"
    file.write_text(text, encoding="utf-8")
    assert_accepted_or_one_line(lambda: load_scenario(file), file)


@FUZZ
@given(
    data=st.binary(max_size=2000)
    | st.lists(YAML_BITS | st.text(max_size=3), max_size=80).map(lambda parts: "".join(parts).encode())
)
def test_random_bytes_and_yaml_bits_are_refused_in_one_line(tmp_path_factory, data: bytes) -> None:
    file = tmp_path_factory.mktemp("fuzz") / "random.yaml"
    file.write_bytes(data)
    assert_accepted_or_one_line(lambda: load_scenario(file), file)


SCENARIO = load_scenario(CONTRACT)


def december_roster_csv() -> str:
    """Five December days of the contract team on the day shift, as the planner writes them."""
    start, end = dt.date(2026, 12, 1), dt.date(2026, 12, 5)
    assignments = tuple(
        Assignment(date=start + dt.timedelta(days=d), shift="D", staff_id=p.id, role=p.role)
        for d in range(5)
        for p in SCENARIO.staff[:4]
    )
    return roster_csv_text(Roster(start=start, end=end, assignments=assignments), SCENARIO)


GOOD_CSV = december_roster_csv()
CSV_BITS = st.sampled_from(
    [",", '"', "\n", "\r", "2026-02-30", "2026/12/01", "1e9", "S99", "N", "X", "video", "", " ", "\x00", "é",
     "=cmd|' /C calc'!A0", "2026-12-01T00:00", "-1", "99999999999"]
)  # fmt: skip


@st.composite
def mutated_csvs(draw: st.DrawFn) -> bytes:
    text = GOOD_CSV
    for _ in range(draw(st.integers(1, 4))):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 30)))
        text = text[:a] + "".join(draw(st.lists(CSV_BITS, max_size=3))) + text[b:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(data=st.one_of(mutated_csvs(), st.binary(max_size=2000)))
def test_roster_csvs_are_read_or_refused_in_one_line(data: bytes) -> None:
    file = Path("roster-fuzz.csv")
    assert_accepted_or_one_line(lambda: parse_roster_csv(data, str(file), SCENARIO), file)


def test_the_mutations_reach_both_outcomes(tmp_path: Path) -> None:
    """The fuzz above is worth something only if it reaches both sides: some mutations must be
    accepted (the loader is not refusing everything) and some refused; and the unmutated inputs
    are accepted."""
    import random

    load_scenario(CONTRACT)
    parse_roster_csv(GOOD_CSV.encode(), "good.csv", SCENARIO)
    outcomes = set()
    rng = random.Random(13)
    for n in range(40):
        lines = list(CONTRACT_LINES)
        i = rng.randrange(len(lines))
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)] + "\n"  # cut a line short
        file = tmp_path / f"cut-{n}.yaml"
        file.write_text("".join(lines), encoding="utf-8")
        try:
            load_scenario(file)
            outcomes.add("accepted")
        except InputError:
            outcomes.add("refused")
    assert outcomes == {"accepted", "refused"}


@pytest.mark.parametrize("seed", range(6))
def test_the_cli_gives_exit_0_or_one_line_and_exit_2(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    lines = list(CONTRACT_LINES)
    for _ in range(3):
        i = rng.randrange(len(lines))
        lines[i] = rng.choice(["", "  : x\n", "- 2026-02-30\n", lines[i][::-1]])
    file = tmp_path / "contract-2026.yaml"
    file.write_text("".join(lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["check-scenario", str(file)])
    if result.exit_code != 0:
        line = one_line_error(result)
        assert file.name in line
