"""Scenario files as text: editing a file's own lists (absences, requests, fixed) without losing
anything else, checking a text as if it were the file, and new files that `extend` another.

Scenario files are written by hand and carry their reasons in comments (contract clauses,
assumptions for the buyer to confirm), so an edit must keep every comment, every other key and
the file's layout. The file is read with ruamel.yaml's round-trip loader and only the edited
lists are replaced (an entry that did not change keeps its node, and so its comments and
style). `check_text` loads the result with `models.loader.load_scenario` from a temporary copy
beside the original (so `extends` and override paths resolve the same way). Saving, which checks
first and then replaces the file atomically, is planner.workflows.save.save_entries.

Only the file's *own* entries are edited: in a what-if file that `extends` a base, the base's
absences stay in the base file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from models.errors import InputError
from models.loader import ScenarioError, load_scenario, read_yaml
from models.scenario import Scenario

EDITABLE_KEYS = ("absences", "requests", "fixed")
# Key order of new entries, as in the format spec's table.
FIELD_ORDER = {
    "absences": ("staff", "start", "end", "kind", "reason"),
    "requests": ("staff", "date", "shift", "want", "weight"),
    "fixed": ("staff", "date", "shift"),
}

Entry = dict[str, Any]


class ConcurrentEditError(InputError):
    """The file changed on disk since the entries being edited were read."""


def _plain(value: Any) -> Any:
    """A YAML scalar as plain Python: dates as dt.date, strings as str."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def normalize(entry: dict[str, Any]) -> Entry:
    """An entry as plain Python without empty optional values (for comparing entries)."""
    return {str(k): _plain(v) for k, v in entry.items() if v is not None and v != ""}


def own_entries(path: str | os.PathLike, key: str) -> list[Entry]:
    """The entries of list `key` written in this file itself (not inherited), as plain dicts."""
    _check_key(key)
    data = read_yaml(Path(path))
    items = data.get(key) if isinstance(data, dict) else None
    if not items:
        return []
    return [normalize(item) for item in items if isinstance(item, dict)]


def _check_key(key: str) -> None:
    if key not in EDITABLE_KEYS:
        raise ValueError(f"not an editable list: {key!r} (one of {', '.join(EDITABLE_KEYS)})")


def _yaml_for(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long flow mapping
    yaml.allow_duplicate_keys = False
    offset = _sequence_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def _sequence_offset(text: str) -> int:
    """How far this file indents a list's dash under its key (0 or 2 in practice)."""
    lines = text.splitlines()
    for prev, line in zip(lines, lines[1:], strict=False):
        if re.match(r"^[A-Za-z_][\w-]*:\s*(#.*)?$", prev):
            match = re.match(r"^( *)- ", line)
            if match:
                return len(match.group(1))
    return 2


def _uses_flow_entries(data: CommentedMap) -> bool:
    """Whether this file writes list entries as one-line {key: value} mappings."""
    for key in (*EDITABLE_KEYS, "staff", "coverage", "roles", "shifts"):
        seq = data.get(key)
        if isinstance(seq, list):
            for item in seq:
                if isinstance(item, CommentedMap):
                    return bool(item.fa.flow_style())
    return True


def _node(key: str, entry: Entry, flow: bool) -> CommentedMap:
    order = FIELD_ORDER[key]
    keys = [k for k in order if k in entry] + [k for k in entry if k not in order]
    node = CommentedMap((k, entry[k]) for k in keys if entry[k] is not None and entry[k] != "")
    if flow:
        node.fa.set_flow_style()
    return node


def render(text: str, updates: dict[str, list[Entry]]) -> str:
    """The file's text with the lists in `updates` replaced; everything else kept as it was."""
    for key in updates:
        _check_key(key)
    yaml = _yaml_for(text)
    data = yaml.load(text)
    if not isinstance(data, CommentedMap):
        raise InputError("a scenario must be a YAML mapping of keys")
    flow = _uses_flow_entries(data)
    for key, entries in updates.items():
        old = data.get(key)
        old_nodes = [n for n in old if isinstance(n, CommentedMap)] if isinstance(old, list) else []
        unused = list(old_nodes)
        nodes = []
        for entry in entries:
            wanted = normalize(entry)
            match = next((n for n in unused if normalize(n) == wanted), None)
            if match is not None:
                unused.remove(match)  # unchanged: keep the node with its comments and style
                nodes.append(match)
            else:
                nodes.append(_node(key, wanted, flow))
        if isinstance(old, CommentedSeq):
            # Keep the sequence object (and the comments attached to it); replace its items.
            # End-of-line comments of items are kept by item index, so move them with their nodes.
            was = {id(n): i for i, n in enumerate(old)}
            comments = {
                new: old.ca.items[was[id(n)]]
                for new, n in enumerate(nodes)
                if id(n) in was and was[id(n)] in old.ca.items
            }
            old[:] = nodes
            old.ca.items.clear()
            old.ca.items.update(comments)
        else:
            seq = CommentedSeq(nodes)
            if not nodes:
                seq.fa.set_flow_style()  # an empty list is written as []
            data[key] = seq
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def check_text(path: Path, text: str) -> Scenario:
    """Load `text` as if it were `path`, from a temporary copy beside it; errors name `path`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.check-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        try:
            return load_scenario(tmp)
        except ScenarioError as exc:
            if Path(exc.file).resolve() == Path(tmp).resolve():
                raise ScenarioError(path, exc.key, exc.line, exc.value, exc.message) from None
            raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


# -- new files that `extend` another ----------------------------------------------------------
def clean_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """Without empty values; whole numbers as integers (years: 6, not 6.0)."""
    return {
        k: int(v) if isinstance(v, float) and v.is_integer() else v
        for k, v in entry.items()
        if v not in (None, "", [], {})
    }


def _flow(value: Any) -> Any:
    """One-line entries, as the hand-written scenario files have them."""
    if isinstance(value, dict):
        node: Any = CommentedMap((k, _flow(v)) for k, v in clean_entry(value).items())
    elif isinstance(value, list | tuple):
        node = CommentedSeq(_flow(v) for v in value)
    else:
        return value
    node.fa.set_flow_style()
    return node


def flow_seq(entries: list[dict[str, Any]]) -> CommentedSeq:
    """A block list of one-line entries (`- {staff: S02, start: 2026-12-10, ...}`)."""
    return CommentedSeq(_flow(e) for e in entries)


def extends_text(comment: list[str], name: str, extends: str, sections: dict[str, Any]) -> str:
    """A scenario file (format version 1) that `extends` another and adds `sections`, with a
    comment on top saying who wrote it and why. Written with ruamel, like every edit here."""
    data = CommentedMap()
    data["version"] = 1
    data["name"] = name
    data["extends"] = extends
    for key, value in sections.items():
        data[key] = value
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    # A one-day absence has start and end as the same date object; without this ruamel writes
    # `&id001` anchors and aliases, which people do not write and readers may refuse.
    yaml.representer.ignore_aliases = lambda *_: True
    buf = io.StringIO()
    buf.writelines(f"# {line}\n" for line in comment)
    yaml.dump(data, buf)
    return buf.getvalue()
