"""Engines and transactions.

A workspace on SQLite is a SQLCipher file; its connections are made keyed, then set up with
foreign keys, WAL, a busy timeout and a page cache of a deliberate size (CACHE_KIB).
PostgreSQL (the team hub, and the migration tests) uses psycopg. Services open one
transaction per user action through `read()` or `write()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from casework.errors import Conflict, WorkspaceKeyError
from casework.secrets import WorkspaceKey

# Set while a write transaction begins, so that SQLite takes the write lock at BEGIN and a
# concurrent writer waits (busy_timeout) instead of failing on a lock upgrade.
_begin_immediate: ContextVar[bool] = ContextVar("_begin_immediate", default=False)

# Each connection keeps the pages it has decrypted in its own cache, up to this size, and
# keeps them for as long as it lives: so the cache is what a long session's memory grows by,
# and on a large file it fills to the limit (on a small one, to the file's size). With 64 MiB
# the app grew 41 MB over 400 case windows on the council-scale file against 14 MB on the
# team file; with 8 MiB, 8 and 10 MB (bench/foundation.py, case_window_memory). 8 MiB holds the
# pages every read goes through (the upper levels of the indexes, staff, teams) and the last
# few case files read; a page outside it costs one decryption (microseconds) from the
# operating system's file cache. The four reads of a case window took the same CPU time
# (24-30 ms on the council file) with caches of 2, 8, 16 and 64 MiB.
CACHE_KIB = 8 * 1024
# The app reads and writes through one worker thread (casework.ui.tasks), so one connection
# does nearly all the work; a second one serves whatever runs beside it (a backup, a nested
# read, another thread in a test or a tool), and two more may open for a burst and are closed
# when returned. Most recently used first, so the warm connection is the one reused and the
# spare ones stay small. At most POOL_SIZE + POOL_OVERFLOW caches, each under CACHE_KIB.
POOL_SIZE = 2
POOL_OVERFLOW = 2


def to_url(url_or_path: str | Path) -> URL:
    """A SQLAlchemy URL, or a plain file path taken as a SQLite workspace."""
    text = str(url_or_path)
    if "://" in text:
        return make_url(text)
    return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))


def sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def connect_keyed(path: Path, key: WorkspaceKey) -> sqlcipher.Connection:
    """A keyed SQLCipher connection with SQLite's defaults otherwise, checked: a wrong key
    fails here, not on first query. (A copy being written is set up differently from a
    workspace in use: see casework.backups.)"""
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key.pragma())
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        raise WorkspaceKeyError(
            f"{path.name} cannot be opened with this key or passphrase ({exc})."
        ) from exc
    return conn


def connect_sqlcipher(path: Path, key: WorkspaceKey) -> sqlcipher.Connection:
    """A keyed connection to a workspace in use: foreign keys, WAL, durable commits."""
    conn = connect_keyed(path, key)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return conn


def make_engine(url_or_path: str | Path, key: WorkspaceKey | None = None) -> Engine:
    url = to_url(url_or_path)
    path = sqlite_path(url)
    if path is None:
        if url.get_backend_name() == "sqlite":
            raise ValueError("a workspace is a file; in-memory SQLite is not supported")
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return create_engine(url, pool_pre_ping=True)
    if key is None:
        raise WorkspaceKeyError(f"{path.name} is encrypted: a key or passphrase is needed.")
    engine = create_engine(
        url,
        module=sqlcipher,
        creator=lambda: connect_sqlcipher(path, key),
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_use_lifo=True,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn):  # the driver is in autocommit mode; SQLAlchemy's BEGIN is ours to emit
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _begin_immediate.get() else "BEGIN")

    return engine


class Database:
    """An engine and its sessions. One Session lives for one user action."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.engine.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work; closing it ends the transaction without expiring what
        was loaded."""
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """Commit when the block ends; roll everything back if it raises."""
        token = _begin_immediate.set(True)
        try:
            with self._sessions() as session:
                try:
                    with session.begin():
                        if self.engine.dialect.name == "sqlite":
                            session.connection()  # take the write lock now
                        _begin_immediate.reset(token)
                        token = None
                        yield session
                except StaleDataError as exc:
                    raise Conflict(
                        "Someone else changed this record since you opened it; "
                        "nothing was saved. Reopen it and try again."
                    ) from exc
        finally:
            if token is not None:
                _begin_immediate.reset(token)

    def integrity_check(self) -> str:
        if not self.is_sqlite:
            return "ok"
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())

    def dispose(self) -> None:
        self.engine.dispose()
