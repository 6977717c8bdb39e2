"""Load a scenario file: YAML 1.2, `extends` chains, validation with file/key/line messages.

The loader is the only place that reads scenario YAML. It refuses a bad file with one
`ScenarioError` naming the file, the key path, the line and the offending value, and it never
returns anything half-loaded: the result is a frozen, fully resolved `Scenario`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from models.dates import year_problem
from models.errors import InputError, shown
from models.reading import MIB, FileRefused, read_bounded
from models.scenario import LabourRules, Scenario, Staff

MERGED_BY_ID = ("roles", "shifts", "staff")
TOP_LEVEL_KEYS = {
    "version", "name", "extends", "contract", "calendar", "roles", "shifts", "staff", "coverage",
    "surges", "rules", "absences", "requests", "fixed", "changes", "remove_staff", "objective",
}  # fmt: skip
Loc = tuple[str | int, ...]


class ScenarioError(InputError):
    """A scenario file that cannot be used, with where and why, on one line."""

    def __init__(self, file: str | os.PathLike, key: str, line: int | None, value: Any, message: str):
        self.file, self.key, self.line, self.value, self.message = str(file), key, line, value, message
        super().__init__(str(self))

    def __str__(self) -> str:
        file = _display_path(self.file)
        where = f"{file}:{self.line}" if self.line else file
        key = f" {self.key}" if self.key else ""
        value = "" if self.value is None else f" = {_short(self.value)}"
        return f"{where}:{key}{value}: {self.message}" if key or value else f"{where}: {self.message}"


def _display_path(file: str) -> str:
    try:
        rel = os.path.relpath(file)
    except ValueError:
        return file
    return file if rel.startswith("..") else rel


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(str(k) for k in list(value)[:4]) + (", …}" if len(value) > 4 else "}")
    if isinstance(value, list):
        return f"[{len(value)} items]"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return shown(value)


def format_loc(loc: Loc) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


class _Provenance:
    """Remembers which file and line every YAML node of a merged scenario came from."""

    def __init__(self, main: Path):
        self.main = main
        self.node_file: dict[int, Path] = {}
        self.files: list[Path] = []  # in read order: the main file first, its bases after
        # For dicts built by merging: key -> (file, line) of the file that supplied the key.
        self.merged_keys: dict[int, dict[str, tuple[Path, int | None]]] = {}
        self._keep: list[Any] = []  # keeps tagged nodes alive so their ids stay unique

    def tag(self, node: Any, path: Path) -> None:
        if isinstance(node, CommentedMap | CommentedSeq):
            self.node_file[id(node)] = path
            self._keep.append(node)
            for child in node.values() if isinstance(node, CommentedMap) else node:
                self.tag(child, path)

    def key_origin(self, node: Any, key: str) -> tuple[Path, int | None]:
        if id(node) in self.merged_keys and key in self.merged_keys[id(node)]:
            return self.merged_keys[id(node)][key]
        if isinstance(node, CommentedMap) and key in node:
            return self.node_file.get(id(node), self.main), node.lc.key(key)[0] + 1
        return self.node_file.get(id(node), self.main), _line_of(node)

    def locate(self, root: Any, loc: Loc) -> tuple[Path, int | None, Any]:
        """File, line and value at a key path; stops at the deepest step that exists."""
        node, file, line, value = root, self.main, None, None
        for step in loc:
            if isinstance(node, dict) and step in node:
                file, line = self.key_origin(node, step)
                node = value = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                child = node[step]
                if id(child) in self.node_file:
                    file, line = self.node_file[id(child)], _line_of(child)
                elif isinstance(node, CommentedSeq):
                    file, line = self.node_file.get(id(node), file), node.lc.item(step)[0] + 1
                node = value = child
            else:
                break
        return file, line, value


def _line_of(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


class _Constructor(RoundTripConstructor):
    """The round-trip constructor, with an impossible date (2026-02-30, month 13) or one outside
    the supported years reported at its line like any other YAML error, instead of a ValueError
    from deep inside the reader (or an overflow later)."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            value = super().construct_yaml_timestamp(node, values)
        except ValueError as exc:
            raise ConstructorError(
                None, None, f"impossible date {node.value!r} ({exc})", node.start_mark
            ) from None
        problem = year_problem(value)
        if problem:
            raise ConstructorError(None, None, f"date {node.value!r}: {problem}", node.start_mark)
        return value


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")  # round-trip: keeps line numbers; YAML 1.2, so `on`/`off` stay words
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


# The largest scenario or calendar file read: the contract's is a few KiB. Reading stops here,
# so `extends: /dev/zero` or a huge upload cannot take the machine's memory.
MAX_YAML_BYTES = MIB


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning any parser error into a ScenarioError."""
    try:
        text = read_bounded(path, MAX_YAML_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError(path, "", None, None, "file not found") from None
    except FileRefused as exc:
        raise ScenarioError(path, "", None, None, str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, "", None, None, f"not a UTF-8 text file (byte {exc.start})") from None
    return parse_yaml(text, path)


# Bounds on the parsed shape, checked on the event stream before anything is built: an alias
# bomb ("billion laughs") is a few hundred bytes that expand to billions of nodes, and deep
# nesting overflows the recursive composer. Real scenarios are a few hundred nodes, 6 deep.
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 64


def _plainly_small(text: str) -> bool:
    """A quick pass that proves the bounds hold without parsing: no anchor (so no alias can
    expand), flow brackets and block indentation both shallow. Anything else is parsed below."""
    if "&" in text:
        return False
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    # Block nesting: a mapping inside a "- " item indents by 2 at least, a list under a key by 0,
    # so block depth is at most 2 × indent + 1; with flow depth on top, 16 and 16 stay under 64.
    shallow = deepest <= MAX_YAML_DEPTH // 4 and indent <= MAX_YAML_DEPTH // 4
    return shallow and len(text) < MAX_YAML_NODES  # without anchors, nodes < characters


def _check_shape(text: str, path: str | os.PathLike) -> None:
    """Refuse YAML whose nodes, aliases expanded, exceed MAX_YAML_NODES or nest deeper than
    MAX_YAML_DEPTH, without building it (events only: linear in the text)."""
    if _plainly_small(text):
        return
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent

    sizes: dict[str, int] = {}  # anchor -> nodes it stands for
    stack: list[list] = []  # open collections: [anchor, nodes in it so far, itself included]
    total = 0

    def count(nodes: int, line: int | None) -> None:
        nonlocal total
        total += nodes
        if stack:
            stack[-1][1] += nodes
        if total > MAX_YAML_NODES:
            raise ScenarioError(
                path, "", line, None, f"too many YAML nodes (aliases expanded, more than {MAX_YAML_NODES})"
            )

    for event in YAML(typ="rt").parse(text):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, AliasEvent):
            count(sizes.get(event.anchor, 1), line)
        elif isinstance(event, CollectionStartEvent):
            count(1, line)
            stack.append([event.anchor, 1])
            if len(stack) > MAX_YAML_DEPTH:
                raise ScenarioError(path, "", line, None, f"YAML nested deeper than {MAX_YAML_DEPTH} levels")
        elif isinstance(event, CollectionEndEvent):
            anchor, nodes = stack.pop()
            if anchor:
                sizes[anchor] = nodes
            if stack:  # already in `total`; the parent's size now holds it too
                stack[-1][1] += nodes - 1
        elif isinstance(event, NodeEvent):  # a scalar
            if event.anchor:
                sizes[event.anchor] = 1
            count(1, line)


def parse_yaml(text: str, path: str | os.PathLike) -> Any:
    """Parse YAML text; errors name `path` (the file, or the name of an upload)."""
    if len(text) > MAX_YAML_BYTES:
        raise ScenarioError(path, "", None, None, f"file too large (more than {MAX_YAML_BYTES} bytes)")
    try:
        _check_shape(text, path)
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p).splitlines()[0] for p in (exc.context, exc.problem) if p)
        raise ScenarioError(path, "", line, None, f"malformed YAML: {problem}") from None
    except YAMLError as exc:
        raise ScenarioError(path, "", None, None, f"malformed YAML: {str(exc).splitlines()[0]}") from None


# How many files an `extends` chain may have: real chains have two or three.
MAX_EXTENDS_DEPTH = 16


# The scenarios shipped with the product: any scenario may extend them (`extends:
# /opt/roster/scenarios/contract-2026.yaml` from the manager's own folder).
SHIPPED_SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
# More folders a scenario may refer into (os.pathsep-separated), e.g. a team's shared bases.
ROOTS_ENV = "ROSTER_SCENARIO_ROOTS"


def scenario_tree(main: Path) -> Path:
    """The folder tree a scenario's `extends` and `overrides` must stay in: the parent of the
    main file's folder, and everything below it.

    One level up is what the format's own layout needs (`whatif/x.yaml` extends
    `../contract-2026.yaml`); anything further, or an absolute path elsewhere, would let a
    scenario someone hands over read any file the user can (`extends: /etc/shadow`, a device, a
    FIFO) and show part of it in an error (issue 13, issue 17)."""
    return main.resolve().parent.parent


def scenario_roots(main: Path, root: Path | None = None) -> tuple[Path, ...]:
    """Every folder tree `main`'s references may lead into: its own tree (or `root`), the
    shipped scenarios, and the folders in $ROSTER_SCENARIO_ROOTS."""
    extra = [Path(p) for p in os.environ.get(ROOTS_ENV, "").split(os.pathsep) if p]
    return tuple(p.resolve() for p in (root or scenario_tree(main), SHIPPED_SCENARIOS, *extra))


class _Loader:
    def __init__(self, main: Path, root: Path | None = None):
        self.main = main
        self.roots = scenario_roots(main, root)
        self.prov = _Provenance(main)

    def inside(self, data: Any, loc: Loc, target: Path, what: str) -> Path:
        """`target` if it lies in the scenario's folder tree; refused (naming the key) otherwise."""
        if not any(target.is_relative_to(r) for r in self.roots):
            raise self.fail(
                data,
                loc,
                f"{what} outside the scenario's folder tree {self.roots[0]} and the shipped scenarios "
                f"(add a folder to ${ROOTS_ENV} to allow it): refused, nothing read",
            )
        return target

    def fail(self, root: Any, loc: Loc, message: str, value: Any = None) -> ScenarioError:
        file, line, found = self.prov.locate(root, loc)
        return ScenarioError(file, format_loc(loc), line, found if value is None else value, message)

    # -- reading one file and its chain of bases -------------------------------------------
    def read_chain(self, path: Path, stack: tuple[tuple[Path, CommentedMap], ...] = ()) -> dict[str, Any]:
        path = path.resolve()
        if path in [p for p, _ in stack]:
            cycle = " -> ".join(p.name for p in (*[p for p, _ in stack], path))
            raise self.fail(stack[-1][1], ("extends",), f"extends cycle: {cycle}")
        if len(stack) >= MAX_EXTENDS_DEPTH:
            raise self.fail(
                stack[-1][1], ("extends",), f"extends chain longer than {MAX_EXTENDS_DEPTH} files"
            )
        data = read_yaml(path)
        if not isinstance(data, CommentedMap):
            raise ScenarioError(path, "", None, None, "a scenario must be a YAML mapping of keys")
        if "version" not in data and "extends" not in data:
            # Nothing of a file that is not a scenario is shown (its first key could be a secret):
            # a scenario says `version`, a what-if file at least `extends`.
            raise ScenarioError(
                path, "", None, None, "not a scenario file (it has neither 'version' nor 'extends')"
            )
        self.prov.tag(data, path)
        self.prov.files.append(path)
        self.check_file(path, data)
        if "extends" not in data:
            return self.as_merged(data, path)
        base_ref = data["extends"]
        if not isinstance(base_ref, str) or not base_ref:
            raise self.fail(data, ("extends",), "must be a path relative to this file")
        base_path = self.inside(data, ("extends",), (path.parent / base_ref).resolve(), "extends")
        if not base_path.exists():
            raise self.fail(data, ("extends",), f"base scenario not found: {base_path}")
        base = self.read_chain(base_path, (*stack, (path, data)))
        return self.merge(base, data, path)

    def check_file(self, path: Path, data: CommentedMap) -> None:
        """Checks that belong to one file before merging: keys, list shapes, duplicate ids."""
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                raise self.fail(data, (key,), f"unknown key '{key}'")
        for key in (*MERGED_BY_ID, "coverage", "surges", "absences", "requests", "fixed", "changes"):
            if key in data and not isinstance(data[key], list):
                raise self.fail(data, (key,), "must be a list")
        for key in MERGED_BY_ID:
            seen: dict[Any, int] = {}
            for i, item in enumerate(data.get(key) or []):
                if not isinstance(item, dict):
                    raise self.fail(data, (key, i), "each entry must be a mapping")
                item_id = item.get("id")
                if not isinstance(item_id, str | int | float | type(None)):
                    raise self.fail(data, (key, i, "id"), "an id is a short text, not a list or mapping")
                if item_id in seen:
                    raise self.fail(data, (key, i, "id"), f"duplicate id (first at {key}[{seen[item_id]}])")
                seen[item_id] = i
        remove = data.get("remove_staff")
        if remove is not None and not (isinstance(remove, list) and all(isinstance(x, str) for x in remove)):
            raise self.fail(data, ("remove_staff",), "must be a list of staff ids")
        calendar = data.get("calendar")
        if isinstance(calendar, dict) and isinstance(calendar.get("overrides"), list):
            # Override paths are relative to the file that names them.
            for i, ref in enumerate(calendar["overrides"]):
                if not isinstance(ref, str):
                    raise self.fail(data, ("calendar", "overrides", i), "must be a file path")
                where = ("calendar", "overrides", i)
                resolved = self.inside(data, where, (path.parent / ref).resolve(), "override file")
                if not resolved.exists():
                    raise self.fail(
                        data, ("calendar", "overrides", i), f"override file not found: {resolved}"
                    )
                calendar["overrides"][i] = str(resolved)

    def as_merged(self, data: CommentedMap, path: Path) -> dict[str, Any]:
        merged = {k: v for k, v in data.items() if k not in ("extends", "remove_staff")}
        self.prov.merged_keys[id(merged)] = {k: (path, data.lc.key(k)[0] + 1) for k in merged}
        self.apply_remove_staff(merged, data)
        self.prov._keep.append(merged)
        return merged

    def merge(self, base: dict[str, Any], over: CommentedMap, path: Path) -> dict[str, Any]:
        """What-if semantics: roles/shifts/staff merge by id, other lists append, mappings override."""
        merged = dict(base)
        origins = dict(self.prov.merged_keys[id(base)])
        # Removal applies to what the base says, before this file's own entries: a person a later
        # file adds again stays, and this file's own entries for a removed person are refused.
        self.apply_remove_staff(merged, over)
        for key, value in over.items():
            if key in ("extends", "remove_staff"):
                continue
            origins[key] = (path, over.lc.key(key)[0] + 1)
            old = merged.get(key)
            if key in MERGED_BY_ID and isinstance(old, list):
                items = list(old)
                index = {item.get("id"): i for i, item in enumerate(items) if isinstance(item, dict)}
                for item in value:
                    if item.get("id") in index:
                        items[index[item["id"]]] = item
                    else:
                        items.append(item)
                merged[key] = items
            elif isinstance(value, list) and isinstance(old, list):
                merged[key] = [*old, *value]
            elif isinstance(value, dict) and isinstance(old, dict):
                merged[key] = self._override_mapping(old, value, path)
            else:
                merged[key] = value
        self.prov.merged_keys[id(merged)] = origins
        self.prov._keep.append(merged)
        return merged

    def _override_mapping(self, old: dict, new: CommentedMap, path: Path) -> dict:
        # Key-wise override: a variant's `rules: {overtime_cap: hard}` keeps the base's other rules.
        out = dict(old)
        origins = {k: self.prov.key_origin(old, k) for k in old}
        for k, v in new.items():
            if isinstance(v, list) and isinstance(out.get(k), list):
                out[k] = [*out[k], *v]
            else:
                out[k] = v
            origins[k] = (path, new.lc.key(k)[0] + 1)
        self.prov.merged_keys[id(out)] = origins
        self.prov._keep.append(out)
        return out

    # -- validation and resolution ---------------------------------------------------------
    def build(self, merged: dict[str, Any], sources: tuple[str, ...]) -> Scenario:
        try:
            scenario = Scenario.model_validate({**merged, "sources": sources})
        except ValidationError as exc:
            raise self.pydantic_error(merged, exc) from None
        for loc, message in _semantic_problems(scenario):
            raise self.fail(merged, loc, message)
        resolved = resolve_scenario(scenario)
        for loc, message in _working_time_problems(resolved):
            raise self.fail(merged, loc, message)
        return resolved

    def apply_remove_staff(self, merged: dict[str, Any], file_data: CommentedMap) -> None:
        """Remove from `merged` the people that one file's `remove_staff` names."""
        remove = file_data.get("remove_staff") or []
        staff = merged.get("staff") or []
        ids = {item.get("id") for item in staff if isinstance(item, dict)}
        for i, staff_id in enumerate(remove):
            if staff_id not in ids:
                raise self.fail(file_data, ("remove_staff", i), "unknown staff id")
        removed = set(remove)
        if removed:
            merged["staff"] = [s for s in staff if s.get("id") not in removed]
            # A base's absences, requests, pins and changes of a removed person no longer apply.
            for key in ("absences", "requests", "fixed", "changes"):
                if isinstance(merged.get(key), list):
                    merged[key] = [
                        e for e in merged[key] if not (isinstance(e, dict) and e.get("staff") in removed)
                    ]

    def pydantic_error(self, data: dict[str, Any], exc: ValidationError) -> ScenarioError:
        errors = exc.errors()
        first = errors[0]
        clean = _clean_loc(tuple(first["loc"]))
        kind = first["type"]
        if kind == "extra_forbidden":
            message = f"unknown key '{clean[-1]}'"
        elif kind == "missing":
            message = f"missing required key '{clean[-1]}'"
        else:
            message = first["msg"].removeprefix("Value error, ")
        # A union reports the same problem once per branch (staff rules: RuleOverrides | LabourRules).
        more = len({(_clean_loc(tuple(e["loc"])), e["type"]) for e in errors}) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        if kind == "missing":  # no value to show: the located node is the mapping that lacks the key
            file, line, _ = self.prov.locate(data, clean)
            return ScenarioError(file, format_loc(clean), line, None, message)
        return self.fail(data, clean, message, first.get("input") if kind != "extra_forbidden" else None)


def _clean_loc(loc: Loc) -> Loc:
    """A pydantic error location as a key path: without union-branch labels.

    Labels are e.g. "literal['all',...]", "function-after[...]" or a model class name such as
    "RuleOverrides"; a class name is never the last step (an unknown key is), and scenario keys are
    lower case.
    """
    clean: list[str | int] = []
    for i, step in enumerate(loc):
        if isinstance(step, str) and (
            "[" in step or step.startswith("function-") or (step[:1].isupper() and i < len(loc) - 1)
        ):
            continue
        clean.append(step)
    return tuple(clean)


def _semantic_problems(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Cross-reference checks pydantic cannot do: ids, date order, roles nobody can fill."""
    role_ids = {r.id for r in s.roles}
    side_ids = {r.id for r in s.roles if r.side}
    shift_ids = {x.id for x in s.shifts}
    staff_ids = {p.id for p in s.staff}

    def check_order(loc: Loc, start: dt.date | None, end: dt.date | None, what: str) -> Iterator:
        if start and end and end < start:
            yield loc, f"{what} {end.isoformat()} is before its start {start.isoformat()}"

    if s.contract:
        # A quoted date ("0001-06-15") reaches here as text parsed by pydantic, not the YAML reader.
        for key in ("start", "end"):
            problem = year_problem(getattr(s.contract, key))
            if problem:
                yield ("contract", key), problem
        yield from check_order(("contract", "end"), s.contract.start, s.contract.end, "end")
    for i, p in enumerate(s.staff):
        if p.role not in role_ids:
            yield ("staff", i, "role"), "unknown role id"
        elif p.role in side_ids:
            yield ("staff", i, "role"), "a side duty (side: true) is nobody's own role: give it as a skill"
        for j, skill in enumerate(p.skills):
            if skill not in role_ids:
                yield ("staff", i, "skills", j), "unknown role id"
        yield from check_order(("staff", i, "end_date"), p.start_date, p.end_date, "end_date")
    for i, sh in enumerate(s.shifts):
        for j, nxt in enumerate(sh.not_followed_by):
            if nxt not in shift_ids:
                yield ("shifts", i, "not_followed_by", j), "unknown shift id"
    limits = [(("rules", "max_shifts"), s.rules.max_shifts)]
    limits += [(("staff", i, "rules", "max_shifts"), p.rules.max_shifts) for i, p in enumerate(s.staff)]
    for loc, table in limits:
        for shift_id in table or {}:
            if shift_id not in shift_ids:
                yield (*loc, shift_id), "unknown shift id"
    for i, c in enumerate(s.coverage):
        if c.role not in role_ids:
            yield ("coverage", i, "role"), "unknown role id"
        if c.shift not in shift_ids:
            yield ("coverage", i, "shift"), "unknown shift id"
    for i, surge in enumerate(s.surges):
        yield from check_order(("surges", i, "end"), surge.start, surge.end, "end")
        for j, add in enumerate(surge.add):
            if add.role not in role_ids:
                yield ("surges", i, "add", j, "role"), "unknown role id"
            if add.shift not in shift_ids:
                yield ("surges", i, "add", j, "shift"), "unknown shift id"
    for key in ("absences", "requests", "fixed", "changes"):
        for i, entry in enumerate(getattr(s, key)):
            if entry.staff not in staff_ids:
                yield (key, i, "staff"), "unknown staff id"
    for i, a in enumerate(s.absences):
        yield from check_order(("absences", i, "end"), a.start, a.end, "end")
    for i, r in enumerate(s.requests):
        if r.shift != "any" and r.shift not in shift_ids:
            yield ("requests", i, "shift"), "unknown shift id (or 'any')"
    pinned: dict[tuple[str, dt.date], int] = {}
    for i, f in enumerate(s.fixed):
        if f.shift != "off" and f.shift not in shift_ids:
            yield ("fixed", i, "shift"), "unknown shift id (or 'off')"
        if (f.staff, f.date) in pinned:
            yield ("fixed", i), f"{f.staff} on {f.date} is already fixed at fixed[{pinned[f.staff, f.date]}]"
        pinned[f.staff, f.date] = i
        if f.shift != "off" and f.staff in staff_ids and not s.available(f.staff, f.date):
            yield ("fixed", i), f"{f.staff} is fixed to work on {f.date} but is absent or not employed then"
    added: dict[str, int] = {}  # replacement id -> the change that adds it
    for i, c in enumerate(s.changes):
        if c.replacement is not None:
            if c.replacement.id in staff_ids:
                yield (
                    ("changes", i, "replacement", "id"),
                    "duplicate id: the change adds the replacement itself",
                )
            if c.replacement.role not in role_ids:
                yield ("changes", i, "replacement", "role"), "unknown role id"
            for j, skill in enumerate(c.replacement.skills):
                if skill not in role_ids:
                    yield ("changes", i, "replacement", "skills", j), "unknown role id"
            r = c.replacement
            yield from check_order(
                ("changes", i, "replacement", "end_date"), r.start_date, r.end_date, "end_date"
            )
            if r.id in added:
                yield (
                    ("changes", i, "replacement", "id"),
                    f"duplicate id: changes[{added[r.id]}] already adds {r.id}",
                )
            added.setdefault(r.id, i)
    if s.contract:
        # A wish or a pin outside the contract year can never be rostered under it.
        for key in ("requests", "fixed"):
            for i, entry in enumerate(getattr(s, key)):
                if not s.contract.start <= entry.date <= s.contract.end:
                    yield (
                        (key, i, "date"),
                        f"outside the contract {s.contract.start.isoformat()} .. "
                        f"{s.contract.end.isoformat()}",
                    )
    skilled = {skill for p in s.staff for skill in p.all_skills}
    skilled |= {c.replacement.role for c in s.changes if c.replacement}
    for i, role in enumerate(s.roles):
        if role.id not in skilled:
            yield ("roles", i, "id"), "role is no one's skill: give it to someone or remove it"


def _working_time_problems(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """A shift nobody may work under their working-time system (劳动法 41: at most 3 h of
    overtime a day) is refused: a roster could only leave it empty, or break the law."""
    for i, shift in enumerate(s.shifts):
        limits = [p.effective_rules.max_hours_per_day for p in s.staff]
        if shift.works and limits and all(limit is not None and shift.paid > limit for limit in limits):
            rules = s.rules
            if rules.working_time.system == "standard":
                why = (
                    f"standard hours (标准工时制) {rules.standard_hours_per_day:g} h + at most "
                    f"{rules.max_overtime_hours_per_day:g} h overtime a day (劳动法 36, 41)"
                )
            else:
                why = "max_hours_per_day of the working-time system"
            yield (
                ("shifts", i, "paid_hours"),
                f"shift {shift.id} ({shift.name}) is {shift.paid_hours:g} h, longer than the "
                f"{max(x for x in limits if x is not None):g} h daily limit for everyone: {why}; shorten "
                "the shift, or declare rules.working_time: comprehensive (综合计算工时, needs the labour "
                "authority's approval, 劳动法 39)",
            )


def resolve_scenario(s: Scenario) -> Scenario:
    """Apply defaults once: effective per-person rules, skills, and staff changes."""

    def resolve_person(p: Staff, end_date: dt.date | None = None) -> Staff:
        # The given values themselves (model_dump would turn a WorkingTime into a plain dict).
        given = p.rules if not isinstance(p.rules, LabourRules) else None
        overrides = (
            {k: getattr(given, k) for k in type(given).model_fields if getattr(given, k) is not None}
            if given
            else {}
        )
        end = min(d for d in (p.end_date, end_date) if d) if (p.end_date or end_date) else None
        return p.model_copy(
            update={"rules": s.rules.model_copy(update=overrides), "skills": p.all_skills, "end_date": end}
        )

    last_days = {c.staff: c.last_day for c in s.changes}
    staff = [resolve_person(p, last_days.get(p.id)) for p in s.staff]
    staff += [resolve_person(c.replacement) for c in s.changes if c.replacement]
    changes = tuple(
        c.model_copy(update={"replacement": resolve_person(c.replacement) if c.replacement else None})
        for c in s.changes
    )
    return s.model_copy(update={"staff": tuple(staff), "changes": changes})


def load_scenario(path: str | os.PathLike, root: str | os.PathLike | None = None) -> Scenario:
    """Read, merge, validate and resolve a scenario file. Raises ScenarioError on any problem.

    `extends` and `overrides` must stay inside scenario_roots(path, root)."""
    main = Path(path)
    loader = _Loader(main.resolve(), Path(root) if root is not None else None)
    merged = loader.read_chain(main)
    sources = tuple(str(f) for f in reversed(loader.prov.files))  # base first
    return loader.build(merged, sources)


def check_changed(scenario: Scenario, source: str | os.PathLike) -> Scenario:
    """A resolved scenario changed in code (a shift design, a working-time system) checked like
    a loaded one: every cross-reference and the daily limit, errors naming `source`."""
    for loc, message in (*_semantic_problems(scenario), *_working_time_problems(scenario)):
        raise ScenarioError(source, format_loc(loc), None, None, message)
    return scenario
