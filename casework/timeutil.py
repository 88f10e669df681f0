"""Time: stored in UTC, shown in Europe/London. A clock is injected where time matters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def london_today(clock: Clock = utcnow) -> date:
    return clock().astimezone(LONDON).date()


def show_datetime(dt: datetime | None) -> str:
    if dt is None:
        return ""
    return as_utc(dt).astimezone(LONDON).strftime("%d %b %Y %H:%M")


def show_time(dt: datetime) -> str:
    return as_utc(dt).astimezone(LONDON).strftime("%H:%M")


def show_date(d: date | None) -> str:
    return d.strftime("%d %b %Y") if d else ""
