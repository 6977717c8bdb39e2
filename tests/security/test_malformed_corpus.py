"""A corpus of malformed scenarios (issue 13): every one is refused with one line that names the
file, the key and the value, and none is silently accepted.

The corpus is built from the contract scenario by replacing one value at a time (and from a few
hand-written files: an alias bomb, deep nesting). Each case goes through the real loader; the CLI's
turning of that error into one line and exit 2 is checked on a sample (tests/cli, and below).
"""

from __future__ import annotations

import copy
import json
import time
import tracemalloc
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from models.errors import InputError
from models.loader import load_scenario
from planner.cli import app
from tests.cli.helpers import one_line_error

CONTRACT = Path(__file__).resolve().parents[2] / "scenarios" / "contract-2026.yaml"

# (where, bad value, what the message must say). `where` is a path into the contract's data.
BAD_VALUES: list[tuple[str, object]] = [
    ("null", None), ("text", "abc"), ("negative", -1), ("huge", 10**20), ("list", [1, 2]),
    ("map", {"x": 1}), ("float", 1.5), ("bool", True),
]  # fmt: skip
FIELDS: list[tuple[tuple, set[str]]] = [
    # path, the bad kinds that must be refused there
    (("contract", "start"), {"null", "text", "negative", "huge", "list", "map", "float", "bool"}),
    (("contract", "end"), {"text", "negative", "huge", "list", "map", "float"}),
    (("contract", "value_cny"), {"text", "negative", "list", "map"}),
    (("roles", 1, "id"), {"null", "list", "map", "negative", "huge"}),
    (("roles", 1, "weight"), {"text", "negative", "huge", "list", "map", "float"}),
    (("shifts", 0, "start"), {"null", "text", "negative", "list", "map", "float"}),
    (("shifts", 0, "paid_hours"), {"text", "negative", "huge", "list", "map"}),
    (("staff", 1, "role"), {"null", "text", "list", "map", "negative"}),
    (("staff", 1, "years"), {"text", "negative", "list", "map"}),
    (("staff", 1, "skills"), {"text", "map", "negative"}),
    (("coverage", 2, "min"), {"text", "negative", "huge", "list", "map", "float"}),
    (("coverage", 2, "role"), {"null", "text", "list", "negative"}),
    (("coverage", 2, "shift"), {"null", "text", "list", "negative"}),
    (("coverage", 2, "days"), {"null", "text", "negative", "huge", "map"}),
    (("surges", 0, "start"), {"null", "text", "negative", "huge", "list", "map", "float"}),
    (("rules", "min_rest_hours"), {"text", "negative", "huge", "list", "map"}),
    (("rules", "max_consecutive_days"), {"text", "negative", "huge", "list", "map", "float"}),
    (("rules", "max_overtime_hours_per_month"), {"text", "negative", "huge", "list", "map"}),
    (("rules", "max_presence_per_month"), {"text", "negative", "huge", "list", "map", "float"}),
    (("rules", "working_time", "system"), {"null", "text", "negative", "list", "map"}),
]


def contract_data() -> dict:
    yaml = YAML(typ="safe")
    return yaml.load(CONTRACT.read_text(encoding="utf-8"))


def cases() -> list[tuple[str, dict | str]]:
    out: list[tuple[str, dict | str]] = []
    base = contract_data()
    for path, kinds in FIELDS:
        for kind, value in BAD_VALUES:
            if kind not in kinds:
                continue
            data = copy.deepcopy(base)
            node = data
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = value
            out.append((f"{'.'.join(map(str, path))}={kind}", data))
    # Entries that refer to nothing, or to impossible things.
    extra = {
        "absence unknown staff": {"absences": [{"staff": "S99", "start": "2026-12-01", "end": "2026-12-02"}]},
        "absence end before start": {"absences": [{"staff": "S02", "start": "2026-12-05", "end": "2026-12-01"}]},  # noqa: E501
        "request outside contract": {"requests": [{"staff": "S02", "date": "2031-01-01", "want": "off"}]},
        "request unknown shift": {"requests": [{"staff": "S02", "date": "2026-12-01", "shift": "X"}]},
        "request bad want": {"requests": [{"staff": "S02", "date": "2026-12-01", "want": "maybe"}]},
        "fixed outside contract": {"fixed": [{"staff": "S02", "date": "2020-01-01", "shift": "D"}]},
        "fixed twice": {"fixed": [{"staff": "S02", "date": "2026-12-01", "shift": "D"},
                                  {"staff": "S02", "date": "2026-12-01", "shift": "N"}]},
        "change unknown staff": {"changes": [{"staff": "S99", "notice_date": "2027-01-01", "last_day": "2027-02-01"}]},  # noqa: E501
        "replacement duplicate": {"changes": [
            {"staff": "S04", "notice_date": "2027-01-20", "last_day": "2027-03-01",
             "replacement": {"id": "S05", "name": "x", "role": "video"}}]},
        "replacement unknown skill": {"changes": [
            {"staff": "S04", "notice_date": "2027-01-20", "last_day": "2027-03-01",
             "replacement": {"id": "S19", "name": "x", "role": "video", "skills": ["nosuch"]}}]},
        "replacement end before start": {"changes": [
            {"staff": "S04", "notice_date": "2027-01-20", "last_day": "2027-03-01",
             "replacement": {"id": "S19", "name": "x", "role": "video", "start_date": "2027-02-25",
                             "end_date": "2027-01-01"}}]},
        "two replacements one id": {"changes": [
            {"staff": "S04", "notice_date": "2027-01-20", "last_day": "2027-03-01",
             "replacement": {"id": "S19", "name": "x", "role": "video"}},
            {"staff": "S05", "notice_date": "2027-01-20", "last_day": "2027-03-01",
             "replacement": {"id": "S19", "name": "y", "role": "video"}}]},
        "unix date": {"contract": {**base["contract"], "start": 1781481600}},
        "unknown top key": {"nonsense": 1},
        "side role as own role": {"staff": [*base["staff"][:-1], {**base["staff"][-1], "role": "phone"}]},
    }  # fmt: skip
    for name, change in extra.items():
        data = copy.deepcopy(base)
        for key, value in change.items():
            data[key] = (
                value if not isinstance(value, list) or key in ("staff",) else [*data.get(key, []), *value]
            )
        out.append((name, data))
    # Hand-written texts that attack the YAML reader itself.
    laughs = "version: 1\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    out += [
        ("alias bomb", laughs),
        ("deep nesting", "version: 1\nname: " + "[" * 3000 + "]" * 3000 + "\n"),
        ("deep maps", "version: 1\nname: " + "{a: " * 200 + "1" + "}" * 200 + "\n"),
        ("tab indent", "version: 1\n\tname: x\n"),
        ("duplicate key", "version: 1\nname: a\nname: b\n"),
        ("binary", "version: 1\nname: \x00\x01\n"),
        ("unclosed", "version: 1\nname: [a, b\n"),
        ("not a mapping", "- a\n- b\n"),
        ("empty", ""),
        (
            "impossible date",
            CONTRACT.read_text(encoding="utf-8").replace("start: 2026-06-15", "start: 2026-02-30", 1),
        ),
    ]
    return out


CASES = cases()


def test_the_corpus_has_at_least_a_hundred_inputs():
    assert len(CASES) >= 100, len(CASES)


@pytest.mark.parametrize(("name", "content"), CASES, ids=[name for name, _ in CASES])
def test_each_malformed_input_is_one_line_naming_the_file(tmp_path, name, content):
    path = tmp_path / "bad.yaml"
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            load_scenario(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 10, name
    assert peak < 500 * 2**20, f"{name}: {peak / 2**20:.0f} MiB"  # Python's allocations while reading
    message = str(caught.value)
    assert "\n" not in message and "bad.yaml" in message, message
    assert "Traceback" not in message


@pytest.mark.parametrize("name", ["alias bomb", "deep nesting", "unix date", "coverage.2.min=huge"])
def test_the_cli_prints_one_line_and_exits_2(tmp_path, name):
    content = dict(CASES)[name]
    path = tmp_path / "bad.yaml"
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")
    line = one_line_error(CliRunner().invoke(app, ["check-scenario", str(path)]))
    assert "bad.yaml" in line
