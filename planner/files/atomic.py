"""Atomic file writes: write beside the target, fsync, then rename over it.

A reader (or a crash) sees either the old file or the new one, never half of one; this is how
every output of the planner is written, so a saved roster is never lost to an interrupted write.

Where a write cannot happen, the caller gets one line: a target that is not a place for a file
(a device such as /dev/full, a folder, a path under a regular file) is bad input (InputError,
exit 2); a disk that fills or turns read-only while writing is a WriteError (exit 1). Either
way nothing half-written is left behind and the previous file is kept.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

from models.errors import InputError, WriteError


def os_reason(exc: OSError) -> str:
    """An OSError as one short line: its strerror, not its repr."""
    return exc.strerror or type(exc).__name__


def check_folder(path: str | os.PathLike) -> Path:
    """`path` can be (or become) a folder; one line when it cannot. Nothing is created, so a
    command that fails later leaves no empty folder behind."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: exists and is not a folder; nothing written")
    for parent in folder.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"{folder}: {parent} is a file, not a folder; nothing written")
            break
    return folder


def ensure_folder(path: str | os.PathLike) -> Path:
    """The folder `path`, created if missing; one line when it cannot be a folder."""
    folder = check_folder(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{folder}: cannot create the folder ({os_reason(exc)}); nothing written") from None
    return folder


def _check_target(target: Path) -> None:
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WriteError(f"{target}: cannot be written ({os_reason(exc)}); nothing written") from None
    # Renaming over a device or a folder would replace it (as root, /dev/full becomes a file).
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise InputError(f"{target}: not a regular file (a device, folder or pipe); nothing written")


def _temp_beside(target: Path) -> tuple[int, str]:
    ensure_folder(target.parent)
    _check_target(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise WriteError(f"{target}: cannot be written ({os_reason(exc)}); nothing written") from None
    # mkstemp makes the file private (0600); give the result the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return fd, tmp


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO]:
    target = Path(path)
    fd, tmp = _temp_beside(target)
    try:
        binary = "b" in mode
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else newline
        ) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(
            f"{target}: writing failed ({os_reason(exc)}); nothing written, the previous file is kept"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    with atomic_open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def write_files_atomically(folder: str | os.PathLike, files: Mapping[str, str | bytes]) -> dict[str, Path]:
    """Several files of one output, all or none: each is written and synced to a temporary file
    first, and only when every one of them is on disk are they renamed into place. A disk that
    fills half-way leaves the folder as it was (a solve's roster.csv never without its summary)."""
    out = ensure_folder(folder)
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in files.items():
            target = out / name
            fd, tmp = _temp_beside(target)
            staged.append((tmp, target))
            data = content.encode("utf-8") if isinstance(content, str) else content
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise WriteError(f"{out}: writing failed ({os_reason(exc)}); nothing written there") from None
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    return {name: out / name for name in files}
