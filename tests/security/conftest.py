"""The security tests use the store's fixtures (a throwaway SQLite store, a tiny scenario)."""

from tests.planner.store.conftest import store, tiny, tiny_file  # noqa: F401
