"""Where the store lives and how it is opened: URL, engine, transactions, migrations.

The store is found, in this order, from `--db URL`, the ROSTER_DB environment variable, or a
SQLite file in the user's data directory (platformdirs). A URL is any SQLAlchemy URL
(`sqlite:///path.db`, `postgresql+psycopg://user@host/db`); a plain file path means SQLite.

Transactions (reliability: concurrent writers never corrupt or lose a version):
- Every write runs in one transaction (`Store.write()`), committed at the end or rolled back
  entirely, so a crash in the middle of a publish leaves the previous state intact.
- SQLite: WAL (readers never block the writer), busy_timeout (a second writer waits instead of
  failing), and BEGIN IMMEDIATE for writes (the write lock is taken at the start, so two writers
  cannot both read, then both write). pysqlite's own implicit BEGIN is switched off so that
  SQLAlchemy's transaction boundaries are the real ones (SQLAlchemy's SQLite docs,
  "Enabling Non-Legacy SQLite Transactional Modes").
- Every backend: a write transaction first locks the single `store_meta` row (SELECT ... FOR
  UPDATE), which serialises writers on PostgreSQL too. Only portable SQL is used.

Migrations (Alembic) run on first use, inside a write transaction, so two processes opening a
new store at once cannot both create it. They run only on an empty database or on one of ours
(marked by the `store_meta` table): another application's database is never migrated.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import platformdirs
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from models.errors import InputError
from planner.files.atomic import ensure_folder
from planner.store.schema import StoreMeta

log = logging.getLogger(__name__)

ENV_VAR = "ROSTER_DB"
APP_NAME = "roster-planner"
DEFAULT_FILE = "roster.db"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# How long a SQLite writer waits for another one to finish, in milliseconds.
BUSY_TIMEOUT_MS = 60_000
_WRITE = "roster_write"  # execution option that marks a write transaction


class StoreError(InputError):
    """The store cannot be used as given (bad URL, not a store, newer schema, corrupt data)."""


def default_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / DEFAULT_FILE


def resolve_url(db: str | os.PathLike | None = None) -> str:
    """The store's URL from --db, else $ROSTER_DB, else the default SQLite file."""
    value = str(db) if db else os.environ.get(ENV_VAR) or str(default_path())
    if "://" in value:
        return value
    return URL.create("sqlite", database=str(Path(value).expanduser().resolve())).render_as_string()


def display_url(url: str) -> str:
    """The URL for messages, without a password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin); pysqlite would defer it to the first
    # INSERT, so a read-then-write transaction would not hold its lock from the start.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _set_wal(cursor) -> None:
    """Switch the file to WAL (persistent, so once is enough), retrying while it is locked.

    Two processes opening a new store at once race to change its journal mode, and SQLite
    answers "database is locked" at once there instead of waiting out busy_timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def sqlite_access(database: Path) -> str:
    """How an existing SQLite file can be opened: "rw", "ro" (we may not write it, but others
    may), or "immutable" (it lies on a read-only file system, so nobody changes it)."""
    if not database.exists():
        return "rw"
    try:
        if os.statvfs(database.parent).f_flag & os.ST_RDONLY:
            return "immutable"
    except OSError:
        pass
    writable = os.access(database, os.W_OK) and os.access(database.parent, os.W_OK)
    return "rw" if writable else "ro"


def _read_only_creator(database: Path, access: str) -> Callable[[], sqlite3.Connection]:
    # A WAL file opened read-only needs its -shm beside it, which a read-only file system cannot
    # hold: there `immutable=1` tells SQLite that nothing can change the file (sqlite.org/uri.html).
    uri = f"file:{urllib.parse.quote(str(database))}?mode=ro" + (
        "&immutable=1" if access == "immutable" else ""
    )
    return lambda: sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)


def make_engine(url: str) -> tuple[Engine, bool]:
    """The engine for `url`, and whether the store can only be read."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"--db {url}: not a database URL (e.g. sqlite:///roster.db)") from None
    kwargs: dict = {}
    read_only = False
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file::memory:"):
            raise StoreError(f"--db {url}: an in-memory database would vanish; give a file")
        path = Path(database).expanduser()
        if path.exists() and not path.is_file():
            raise StoreError(f"--db {url}: not a regular file (a device or folder); nothing opened")
        access = sqlite_access(path)
        if access == "rw":
            try:
                ensure_folder(path.parent)
            except InputError as exc:
                raise StoreError(f"--db {url}: {exc}") from None
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        else:
            # A store on a read-only disk or owned by someone else can still be read (history,
            # actual, report); every write is refused with one line (Store.write).
            read_only = True
            parsed = make_url("sqlite://")
            kwargs["creator"] = _read_only_creator(path, access)
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"--db {display_url(url)}: no driver for this database ({exc})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine, read_only


class Store:
    """An opened store. Cheap to create; the schema is checked (and migrated) on first use."""

    def __init__(self, url: str | None = None):
        self.url = resolve_url(url)
        self.engine, self.read_only = make_engine(self.url)
        self._ready = False

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)})"

    @property
    def location(self) -> str:
        """Where the store is, for messages: the file of a SQLite store, else the URL."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            return parsed.database
        return display_url(self.url)

    def close(self) -> None:
        self.engine.dispose()

    # -- schema ----------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Bring the schema to the newest migration (once per process)."""
        if self._ready:
            return
        cfg = _alembic_config()
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with self._errors():
            with self.engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                tables = set(sa.inspect(conn).get_table_names())
            self._check_ours(tables)
            if self.read_only:
                if current != head:
                    raise StoreError(
                        f"{self.location}: 存储为只读，且结构版本 {current} 需要升级 (a read-only store "
                        f"at schema revision {current}; open it once where it can be written)"
                    )
                self._ready = True
                return
            if self.engine.dialect.name == "sqlite":
                # Only now, once the file is known to be ours or empty: WAL rewrites its header.
                raw = self.engine.raw_connection()
                try:
                    _set_wal(raw.cursor())
                finally:
                    raw.close()
            if current != head:
                self._check_known(cfg, current)
                with self.engine.connect() as conn:
                    conn = conn.execution_options(**{_WRITE: True})
                    with conn.begin():
                        cfg.attributes["connection"] = conn
                        log.info("migrating store %s from %s to %s", display_url(self.url), current, head)
                        command.upgrade(cfg, "head")
        self._ready = True

    def _check_ours(self, tables: set[str]) -> None:
        """Only an empty database or one of ours (it has the `store_meta` marker table, made by
        the first migration) is used: another application's database given as --db is refused
        before anything is created in it, rather than silently migrated into a roster store."""
        if tables and StoreMeta.__tablename__ not in tables:
            shown = ", ".join(sorted(tables)[:5])
            raise StoreError(
                f"{self.location}: 不是排班存储库，未做任何改动 (not a roster store: it holds other "
                f"tables ({shown}) and no {StoreMeta.__tablename__}; give an empty database or a store)"
            )

    def _check_known(self, cfg: Config, current: str | None) -> None:
        if current is None:
            return
        try:
            ScriptDirectory.from_config(cfg).get_revision(current)
        except CommandError:
            raise StoreError(
                f"{self.location}: 数据库结构版本 {current} 比本程序新，请升级程序 "
                f"(schema revision {current} is unknown)"
            ) from None

    def revision(self) -> str | None:
        self.ensure_schema()
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # -- transactions ----------------------------------------------------------------------
    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Database errors a user can act on become one-line StoreErrors."""
        try:
            yield
        except DBAPIError as exc:
            # Operational problems (locked, unreachable, not a database), not programming errors.
            if exc.connection_invalidated or type(exc) in (sa.exc.OperationalError, sa.exc.DatabaseError):
                origin = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
                raise StoreError(f"{self.location}: 数据库错误 database error: {origin}") from None
            raise

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session: one consistent snapshot of the store."""
        self.ensure_schema()
        # Closing rolls the transaction back without expiring what was loaded.
        with self._errors(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: all of it is committed at the end, or none of it."""
        if self.read_only:
            raise StoreError(
                f"{self.location}: 存储为只读，未做任何改动 (a read-only store; nothing changed)"
            )
        self.ensure_schema()
        with self._errors(), Session(self.engine, expire_on_commit=False) as session:
            session.connection(execution_options={_WRITE: True})
            # Serialise writers on every backend (SQLite already holds its lock from BEGIN IMMEDIATE).
            session.execute(sa.select(StoreMeta.id).where(StoreMeta.id == 1).with_for_update()).one()
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()


def open_store(db: str | os.PathLike | None = None) -> Store:
    return Store(str(db) if db is not None else None)
