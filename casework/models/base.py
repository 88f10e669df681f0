"""Declarative base, naming conventions and the columns every synced table carries."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Date, DateTime, Integer, MetaData, String, TypeDecorator, event
from sqlalchemy import inspect as inspect_row
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

from casework.errors import ValidationError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps are UTC: stored naive-UTC in SQLite and as timestamptz in PostgreSQL,
    always handed back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect, coltype):
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite":
            return general
        parse = datetime.fromisoformat

        def process(value):
            # SQLite holds the text SQLAlchemy wrote ("2026-11-22 10:00:00.123456", UTC):
            # read as UTC in one step, since datetime.replace() costs four times the parse
            # (a page of notes has two hundred of these). Anything else takes the long way.
            if value is None:
                return None
            try:
                return parse(value + "+00:00")
            except (TypeError, ValueError):
                return general(value)

        return process


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), date: Date(), str: String()}


ID = String(36)


class Synced:
    """Columns for sync: a UUID key, the owning team, an optimistic-lock version, who last
    changed the row and when, and a soft-delete mark."""

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    team_id: Mapped[str | None] = mapped_column(ID, index=True)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(nullable=False)
    updated_by: Mapped[str | None] = mapped_column(ID)
    deleted_at: Mapped[datetime | None]

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.row_version}


@event.listens_for(Session, "before_flush")
def _text_fits_its_column(session: Session, _context, _instances) -> None:
    """The last check before anything is written: text columns hold text that fits them.
    Input is checked at the service boundary (casework.services.checked); this catches what
    a service derives from it (a folded name key, a name put together from two), so that a
    value PostgreSQL would refuse, or that a later read could not show, is never stored."""
    for row in (*session.new, *session.dirty):
        state = inspect_row(row)
        for attr in state.mapper.column_attrs:
            column = attr.columns[0]
            if not isinstance(column.type, String) or attr.key not in state.dict:
                continue
            value = state.dict[attr.key]
            if value is None:
                continue
            where = f"{column.table.name}.{column.name}"
            if not isinstance(value, str):
                raise ValidationError(where, "must be text")
            if column.type.length is not None and len(value) > column.type.length:
                raise ValidationError(where, f"must be at most {column.type.length:,} "
                                      f"characters; this has {len(value):,}")
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise ValidationError(where, "contains a character that cannot be "
                                          "stored (half of a pair)") from None
