"""The one way the product reads a file a user hands it: a regular file, of bounded size.

A FIFO would block a read forever and a device never ends (`/dev/zero`), so only regular files
are read; and reading stops at `limit`, so a huge file cannot take the machine's memory. Each
caller adds its own context (which file, which key) to the reason given here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

KIB, MIB = 1 << 10, 1 << 20


class FileRefused(Exception):
    """The file was not read; str() is the reason, one short line, never the file's content."""


def read_bounded(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them. FileNotFoundError passes
    through (callers say what they expected to find); anything else is a FileRefused."""
    file = Path(path)
    try:
        # Opened first and checked on the open file: nothing can be swapped in between.
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileRefused(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device or pipe"
        raise FileRefused(f"not a regular file ({kind})")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise FileRefused(f"file too large ({info.st_size} bytes, at most {limit})")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise FileRefused(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    if len(data) > limit:  # grew while being read
        raise FileRefused(f"file too large (more than {limit} bytes)")
    return data
