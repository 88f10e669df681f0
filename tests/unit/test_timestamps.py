"""Timestamps go in timezone-aware and come back timezone-aware in UTC, the same instant,
whatever the text SQLite holds for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text

from casework.db import make_engine
from casework.models.base import UTCDateTime
from casework.secrets import WorkspaceKey


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(tmp_path / "workspace.db", WorkspaceKey.new_raw())
    yield eng
    eng.dispose()


def table() -> Table:
    return Table("stamp", MetaData(), Column("id", Integer, primary_key=True),
                 Column("at", UTCDateTime()))


@pytest.mark.parametrize("written", [
    datetime(2026, 11, 22, 10, 0, 0, 123456, tzinfo=UTC),
    datetime(2026, 11, 22, 10, 0, tzinfo=UTC),  # no microseconds
    datetime(2026, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=1))),  # London in summer
    None,
])
def test_a_timestamp_comes_back_as_the_same_instant_in_utc(engine, written):
    t = table()
    with engine.begin() as conn:
        t.create(conn)
        conn.execute(insert(t).values(id=1, at=written))
        read = conn.execute(select(t.c.at)).scalar_one()
    assert read == written
    if written is not None:
        assert read.tzinfo == UTC and read.utcoffset() == timedelta(0)


@pytest.mark.parametrize("stored, meant", [
    ("2026-11-22 10:00:00.123456", datetime(2026, 11, 22, 10, 0, 0, 123456, tzinfo=UTC)),
    ("2026-11-22 10:00:00", datetime(2026, 11, 22, 10, 0, tzinfo=UTC)),
    ("2026-11-22T10:00:00", datetime(2026, 11, 22, 10, 0, tzinfo=UTC)),  # written elsewhere
])
def test_text_written_by_other_programs_reads_as_utc(engine, stored, meant):
    t = table()
    with engine.begin() as conn:
        t.create(conn)
        conn.execute(text("INSERT INTO stamp (id, at) VALUES (1, :at)"), {"at": stored})
        read = conn.execute(select(t.c.at)).scalar_one()
    assert read == meant and read.tzinfo == UTC
