"""Scenario snapshots: the exact files a roster was planned from, and loading them back.

A scenario is more than one file: `extends` bases and calendar override files are referred to by
paths relative to the file naming them. A snapshot therefore keeps every file, each under its
path relative to the files' common folder, so that written out again into any folder, the
references resolve exactly as they did (format spec, What-if: `extends`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from models.errors import InputError
from models.loader import MAX_YAML_BYTES, load_scenario
from models.reading import FileRefused, read_bounded
from models.scenario import Scenario
from planner.files.atomic import WriteError, ensure_folder, os_reason


def checked_path(path: str) -> str:
    """A snapshot file's path as stored: relative, '/'-separated, and inside the snapshot's folder.

    Snapshots come back from the store and from backups, which anyone who can write the store
    could have crafted: a path with '..', an absolute path or a drive letter would make every
    later `roster actual` or re-plan write outside its folder. Such a path is refused on read.
    """
    parts = path.split("/")
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or PurePosixPath(path).is_absolute()
        or ":" in parts[0]
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise InputError(f"snapshot file path {path!r}: not a relative path inside the snapshot's folder")
    return path


@dataclass(frozen=True)
class SnapshotFile:
    path: str  # relative, '/'-separated, inside the snapshot's folder (checked_path)
    content: str

    def __post_init__(self) -> None:
        checked_path(self.path)

    @property
    def sha256(self) -> str:
        return file_digest(self.content)


@dataclass(frozen=True)
class Snapshot:
    files: tuple[SnapshotFile, ...]  # sorted by path
    main_path: str

    def __post_init__(self) -> None:
        if self.main_path not in {f.path for f in self.files}:
            raise InputError(f"snapshot main file {self.main_path!r}: not one of the snapshot's files")

    @property
    def digest(self) -> str:
        return snapshot_digest(self.files)

    def file(self, path: str) -> SnapshotFile:
        return next(f for f in self.files if f.path == path)

    def with_file(self, path: str, content: str, main: bool = False) -> Snapshot:
        """A new snapshot with one file added or replaced (e.g. a re-plan's what-if file)."""
        files = [f for f in self.files if f.path != path] + [SnapshotFile(path, content)]
        return Snapshot(tuple(sorted(files, key=lambda f: f.path)), path if main else self.main_path)

    def write_to(self, folder: str | os.PathLike) -> Path:
        """Write every file under `folder`; returns the main file's path."""
        root = Path(folder)
        inside = root.resolve()
        for f in self.files:
            target = root.joinpath(*PurePosixPath(f.path).parts)
            # checked_path already refused '..' and absolute paths; a symlink in the folder must
            # not lead out of it either.
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.parent.resolve().is_relative_to(inside):
                raise InputError(f"{target}: outside the folder {root}; nothing written there")
            # newline="" keeps the stored text byte for byte (the digest is over these bytes).
            target.write_text(f.content, encoding="utf-8", newline="")
        return root.joinpath(*PurePosixPath(self.main_path).parts)

    def write_to_atomically(self, folder: str | os.PathLike) -> Path:
        """Like write_to, but `folder` holds either its old content or the whole new snapshot."""
        target = Path(folder)
        ensure_folder(target.parent)
        try:
            fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        except OSError as exc:
            raise WriteError(f"{target}: cannot be written ({os_reason(exc)}); nothing written") from None
        try:
            main = self.write_to(fresh)
        except OSError as exc:
            shutil.rmtree(fresh, ignore_errors=True)
            raise WriteError(f"{target}: writing failed ({os_reason(exc)}); nothing written there") from None
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(fresh, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return target / main.relative_to(fresh)


def file_digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def snapshot_digest(files: tuple[SnapshotFile, ...] | list[SnapshotFile]) -> str:
    lines = "".join(f"{f.path}\t{f.sha256}\n" for f in sorted(files, key=lambda f: f.path))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def scenario_files(scenario: Scenario) -> list[Path]:
    """Every file a loaded scenario was read from: its sources (base first) and calendar overrides."""
    paths = [Path(p) for p in scenario.sources] + [Path(p) for p in scenario.calendar.overrides]
    unique: list[Path] = []
    for p in paths:
        resolved = p.resolve()
        if resolved not in unique:
            unique.append(resolved)
    return unique


def snapshot_of(scenario: Scenario) -> Snapshot:
    """Read the files of a loaded scenario into a snapshot."""
    paths = scenario_files(scenario)
    if not paths:
        raise InputError(f"scenario {scenario.name!r}: no source files to snapshot")
    root = Path(os.path.commonpath([str(p.parent) for p in paths]))
    files = []
    for p in paths:
        try:
            content = read_bounded(p, MAX_YAML_BYTES).decode("utf-8")
        except FileNotFoundError:
            raise InputError(
                f"{p}: scenario file not found (it was read when the roster was solved)"
            ) from None
        except (FileRefused, UnicodeDecodeError) as exc:
            raise InputError(f"{p}: cannot read scenario file: {exc}") from None
        files.append(SnapshotFile(p.relative_to(root).as_posix(), content))
    main = Path(scenario.sources[-1]).resolve().relative_to(root).as_posix()
    return Snapshot(tuple(sorted(files, key=lambda f: f.path)), main)


# Loaded snapshots, by digest. Their folders live as long as the process: calendar override files
# are read when an Instance is built, which may be long after loading.
_LOADED: dict[str, tuple[tempfile.TemporaryDirectory, Scenario]] = {}


def load_snapshot(snapshot: Snapshot) -> Scenario:
    """Load a snapshot's scenario (through the ordinary loader, so it is checked like a file)."""
    key = f"{snapshot.digest}:{snapshot.main_path}"
    if key not in _LOADED:
        folder = tempfile.TemporaryDirectory(prefix="roster-snapshot-")
        main = snapshot.write_to(folder.name)
        # Its files refer to each other inside the snapshot's folder, however deep the main file is.
        _LOADED[key] = (folder, load_scenario(main, root=folder.name))
    return _LOADED[key][1]
