"""The one exception type for bad input: files, keys and values a user can fix."""


class InputError(Exception):
    """Bad input, reported on one line with where it is; the CLI exits 2 on it."""
