"""Where the store is, its migrations, and its SQLite settings."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from planner.store.db import ENV_VAR, Store, StoreError, default_path, resolve_url
from planner.store.schema import Base


def test_db_option_beats_environment_beats_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--db wins over ROSTER_DB, which wins over the default file in the user's data folder."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.db"))
    assert resolve_url(str(tmp_path / "opt.db")).endswith("/opt.db")
    assert resolve_url(None).endswith("/env.db")
    monkeypatch.delenv(ENV_VAR)
    assert resolve_url(None) == f"sqlite:///{default_path()}"
    assert "roster-planner" in str(default_path())


def test_plain_path_means_sqlite_and_urls_pass_through(tmp_path: Path) -> None:
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_first_use_creates_the_schema_at_head(tmp_path: Path) -> None:
    """Migrations run on first use and create exactly the tables of planner.store.schema."""
    store = Store(str(tmp_path / "new" / "roster.db"))
    assert store.revision() == "0002"
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        meta = conn.exec_driver_sql("SELECT id FROM store_meta").all()
    assert diffs == []
    assert mode == "wal"
    assert meta == [(1,)]
    store.close()


def test_a_second_open_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "roster.db"
    Store(str(path)).ensure_schema()
    again = Store(str(path))
    again.ensure_schema()
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM store_meta").scalar() == 1
    again.close()


def test_schema_newer_than_the_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.db"
    Store(str(path)).ensure_schema()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(StoreError, match="9999"):
        Store(str(path)).ensure_schema()


def test_a_file_that_is_not_a_database_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite, just some notes\n" * 200)
    with pytest.raises(StoreError, match=r"notes\.db.*database"):
        Store(str(path)).ensure_schema()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_store_is_refused(url: str) -> None:
    with pytest.raises(StoreError, match="in-memory"):
        Store(url)


def test_unknown_driver_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="no driver|not a database URL"):
        Store("nosuchdb://x/y")


def test_opening_a_new_store_waits_while_another_connection_holds_it(tmp_path: Path) -> None:
    """Switching a new file to WAL needs it unlocked, and SQLite says "database is locked" at once
    instead of waiting out busy_timeout: two processes opening a new store together raced there."""
    import sqlite3
    import threading
    import time

    path = tmp_path / "new.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # Another opener, half-way: it holds the write lock of the still rollback-journal file.
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        store = Store(str(path))
        assert store.revision() is not None  # connected, switched to WAL and migrated
        waited = time.monotonic() - started
    finally:
        release.join()
        holder.close()
    assert waited >= 0.4  # it waited for the lock instead of failing
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
