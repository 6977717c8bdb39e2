"""The one exception type for bad input: files, keys and values a user can fix."""


class InputError(Exception):
    """Bad input, reported on one line with where it is; the CLI exits 2 on it."""


class WriteError(InputError):
    """The operating system refused a write (disk full, read-only, no permission): not the
    user's input but the disk, so the CLI exits 1 (planner/files/atomic.py writes everything)."""


def shown(value: object, limit: int = 60) -> str:
    """A value as an error message quotes it: repr (so one line: a newline shows as \\n), cut
    short, so that a message never echoes a file's content."""
    quoted = repr(value)
    return quoted if len(quoted) <= limit else quoted[: limit - 1] + "…"
