"""The encrypted workspace file: unreadable without its key, transactional, safe for two
writers, and whole after the process writing it is killed."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from killed_writer import kill_mid_write
from casework.db import CACHE_KIB, POOL_OVERFLOW, POOL_SIZE, Database, make_engine
from casework.errors import WorkspaceKeyError
from casework.secrets import WorkspaceKey


@pytest.fixture
def key() -> WorkspaceKey:
    return WorkspaceKey.new_raw()


@pytest.fixture
def workspace(tmp_path, key) -> Path:
    """A workspace file holding one table and one row, closed again."""
    path = tmp_path / "workspace.db"
    engine = make_engine(path, key)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, batch INTEGER, body TEXT)"))
        conn.execute(text("INSERT INTO item (batch, body) VALUES (0, 'first')"))
    engine.dispose()
    return path


def count_items(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM item")).scalar_one()


# --- encryption -------------------------------------------------------------------------


def test_plain_sqlite_cannot_read_the_file(workspace):
    conn = sqlite3.connect(workspace)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            conn.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        conn.close()
    assert b"first" not in workspace.read_bytes()


def test_opening_without_a_key_is_refused(workspace):
    with pytest.raises(WorkspaceKeyError, match="key or passphrase is needed"):
        make_engine(workspace)


def test_wrong_key_is_refused_quietly(workspace, capfd):
    engine = make_engine(workspace, WorkspaceKey.new_raw())
    try:
        with pytest.raises(WorkspaceKeyError, match="cannot be opened with this key"):
            engine.connect()
    finally:
        engine.dispose()
    out, err = capfd.readouterr()
    assert (out, err) == ("", ""), "SQLCipher must not write its hmac errors to the terminal"


def test_passphrase_opens_and_a_wrong_passphrase_does_not(tmp_path, capfd):
    path = tmp_path / "passphrase.db"
    engine = make_engine(path, WorkspaceKey.from_passphrase("Tattie scone 1987!"))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO item DEFAULT VALUES"))
    engine.dispose()

    again = make_engine(path, WorkspaceKey.from_passphrase("Tattie scone 1987!"))
    assert count_items(again) == 1
    again.dispose()

    wrong = make_engine(path, WorkspaceKey.from_passphrase("tattie scone 1987!"))
    with pytest.raises(WorkspaceKeyError):
        wrong.connect()
    wrong.dispose()
    assert capfd.readouterr().err == ""


# --- transactions -----------------------------------------------------------------------


def test_write_rolls_back_everything_when_the_block_raises(workspace, key):
    db = Database(make_engine(workspace, key))
    try:
        with pytest.raises(RuntimeError, match="half way"):
            with db.write() as session:
                session.execute(text("INSERT INTO item (batch, body) VALUES (1, 'a')"))
                session.execute(text("UPDATE item SET body = 'changed' WHERE batch = 0"))
                session.flush()
                raise RuntimeError("half way")
        with db.read() as session:
            rows = session.execute(text("SELECT batch, body FROM item")).all()
        assert rows == [(0, "first")]
        with db.write() as session:  # and the write lock was released
            session.execute(text("INSERT INTO item (batch, body) VALUES (2, 'b')"))
        assert count_items(db.engine) == 2
    finally:
        db.dispose()


def test_a_second_writer_waits_for_the_first(workspace, key):
    """Both writers read, then write. The second asks for the write lock while the first
    holds it; it must wait for the first and see its row, not fail with 'database is
    locked' as two deferred transactions would. Events order the two, not timings: the
    first commits only once the second has begun its transaction, and the second's read
    coming after that commit shows it waited."""
    db = Database(make_engine(workspace, key))
    first_inside = threading.Event()
    second_begins = threading.Event()
    seen: dict[str, int] = {}
    errors: list[BaseException] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _begun(conn, cursor, statement, *args):
        if threading.current_thread().name == "second" and statement.startswith("BEGIN"):
            seen["second_began_with"] = statement
            second_begins.set()

    def writer(name: str, ready: threading.Event | None) -> None:
        try:
            if ready is not None:
                assert ready.wait(30), "the first writer never started"
            with db.write() as session:
                seen[name] = session.execute(text("SELECT count(*) FROM item")).scalar_one()
                if ready is None:
                    first_inside.set()
                    # Hold the transaction open until the other one is asking for the lock.
                    assert second_begins.wait(30), "the second writer never began"
                session.execute(text("INSERT INTO item (batch, body) VALUES (1, :n)"), {"n": name})
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=("first", None), name="first"),
               threading.Thread(target=writer, args=("second", first_inside), name="second")]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not any(t.is_alive() for t in threads), "a writer is still waiting"
        assert not errors, f"a writer failed: {errors!r}"
        assert seen["first"] == 1
        assert seen["second_began_with"] == "BEGIN IMMEDIATE"
        assert seen["second"] == 2, "the second writer did not see the first one's row"
        assert count_items(db.engine) == 3
    finally:
        db.dispose()


# --- memory -----------------------------------------------------------------------------


def test_each_connection_caches_a_bounded_number_of_pages(workspace, key):
    engine = make_engine(workspace, key)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -CACHE_KIB
    finally:
        engine.dispose()


def test_the_pool_keeps_few_connections_and_reuses_the_warm_one(workspace, key):
    """After a burst of connections at once, no more than POOL_SIZE stay open, and one
    reader after another gets the connection used last, whose cache is warm."""
    engine = make_engine(workspace, key)
    try:
        burst = [engine.raw_connection() for _ in range(POOL_SIZE + POOL_OVERFLOW)]
        for conn in burst:
            conn.close()  # back to the pool, or closed when the pool is full
        assert engine.pool.checkedin() == POOL_SIZE
        used = []
        for _ in range(3):
            with engine.connect() as conn:
                used.append(id(conn.connection.driver_connection))
        assert len(set(used)) == 1
    finally:
        engine.dispose()


# --- crash safety -----------------------------------------------------------------------

ROWS_PER_TRANSACTION = 25
COMMITS_BEFORE_KILL = 15

# Writes whole batches in a loop and reports each commit; the key arrives on stdin.
WRITER = f"""
import sys
from sqlalchemy import text
from casework.db import CACHE_KIB, POOL_OVERFLOW, POOL_SIZE, Database, make_engine
from casework.secrets import WorkspaceKey

db = Database(make_engine(sys.argv[1], WorkspaceKey(raw_hex=sys.stdin.readline().strip())))
body = "x" * 2000
batch = 1
while True:
    with db.write() as session:
        for _ in range({ROWS_PER_TRANSACTION}):
            session.execute(text("INSERT INTO item (batch, body) VALUES (:b, :body)"),
                            {{"b": batch, "body": body}})
    print(batch, flush=True)
    batch += 1
"""


def test_killed_writer_leaves_whole_transactions_only(workspace, key):
    # Killed once it is already inside its next transaction.
    reported = kill_mid_write(WRITER, [str(workspace)], key.raw_hex,
                              commits=COMMITS_BEFORE_KILL, watchdog_seconds=30)
    assert workspace.with_name(workspace.name + "-wal").exists(), "not a crash: WAL was cleaned"

    db = Database(make_engine(workspace, key))
    try:
        assert db.integrity_check() == "ok"
        with db.read() as session:
            batches = dict(session.execute(
                text("SELECT batch, count(*) FROM item WHERE batch > 0 GROUP BY batch")).all())
    finally:
        db.dispose()
    assert set(batches) == set(range(1, max(batches) + 1)), "a batch is missing"
    partial = {b: n for b, n in batches.items() if n != ROWS_PER_TRANSACTION}
    assert not partial, f"half-written transactions survived: {partial}"
    assert max(batches) >= reported, "a transaction reported as committed was lost"
