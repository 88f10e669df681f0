"""Writing the rows: buffered per table and inserted with SQLAlchemy Core executemany in
large batches over a few transactions (no ORM unit of work), so that a council's worth goes
in within minutes on a small laptop."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from typing import Any

from sqlalchemy import Table, insert

from casework.db import Database
from casework.synthetic.scales import Scale

Progress = Callable[[str, float], None]
GENERATION_CACHE_KIB = 512 * 1024


class Writer:
    """Buffers rows per table and inserts them with executemany, parents first (foreign keys
    are checked row by row). Commits every `commit_rows` rows: few transactions, a small WAL."""

    def __init__(self, db: Database, scale: Scale, expected_rows: int, progress: Progress):
        self.db, self.scale = db, scale
        self.expected = max(expected_rows, 1)
        self.progress = progress
        self.stage = "Staff and teams"
        self.buffers: dict[Table, list[dict[str, Any]]] = {}
        self.buffered = self.written = self.in_transaction = 0
        self.counts: dict[str, int] = {}
        self._stack = ExitStack()
        self._session = None

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.buffers.setdefault(table, []).append(row)
        self.buffered += 1
        if self.buffered >= self.scale.batch_rows:
            self.flush()

    def order(self, *tables: Table) -> None:
        """Tables about to be filled, parents first: each flush inserts in this order."""
        for table in tables:
            self.buffers.setdefault(table, [])

    def add_all(self, table: Table, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.add(table, row)

    def flush(self) -> None:
        if not self.buffered:
            return
        session = self.session()
        for table, rows in self.buffers.items():  # insertion order: parents were added first
            if rows:
                session.execute(insert(table), rows)
                self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
                rows.clear()
        self.written += self.buffered
        self.in_transaction += self.buffered
        self.buffered = 0
        # Planning took the first 5%; checking and the audit event take the last few.
        self.progress(self.stage, 0.05 + 0.9 * min(self.written / self.expected, 1.0))
        if self.in_transaction >= self.scale.commit_rows:
            self.commit()

    def session(self):
        if self._session is None:
            self._session = self._stack.enter_context(self.db.write())
            if self.db.is_sqlite:
                self._widen_cache(self._session.connection())
        return self._session

    def _widen_cache(self, conn) -> None:
        """Random UUID keys scatter inserts over every page of each index; once the indexes
        outgrow the connection's page cache each insert rereads (and decrypts) pages. A larger
        cache while generating, given back before the connection returns to the pool."""
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size = -{GENERATION_CACHE_KIB}")
        self._stack.callback(conn.exec_driver_sql, f"PRAGMA cache_size = {int(before)}")

    def commit(self) -> None:
        self._stack.close()
        self._session, self.in_transaction = None, 0

    def abort(self, exc: BaseException) -> None:
        """Roll back the open transaction; those already committed stay."""
        self.buffers.clear()
        self._stack.__exit__(type(exc), exc, exc.__traceback__)
        self._session = None
