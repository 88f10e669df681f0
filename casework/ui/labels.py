"""Words shown for stored values (vocabulary codes, roles, dates), translated at display
time. The vocabularies keep one English label each; the UI passes it through the
translator here so that every screen shows the same words."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from casework.permissions import Role
from casework.timeutil import LONDON, as_utc


def vocab(kind: type[StrEnum], value: str | None) -> str:
    """The label of a vocabulary code, or the code itself if this version does not know it
    (a record synced from a newer version must still show)."""
    if not value:
        return ""
    try:
        label = kind(value).label  # type: ignore[attr-defined]
    except ValueError:
        return value
    return QCoreApplication.translate("vocab", label)


def role(value: StrEnum | str | None) -> str:
    return vocab(Role, str(value) if value else None)


def london_date(dt: datetime) -> date:
    return as_utc(dt).astimezone(LONDON).date()


def days(n: int) -> str:
    if n == 1:
        return QCoreApplication.translate("labels", "1 day")
    return QCoreApplication.translate("labels", "{n} days").format(n=n)


def chi(number: str | None) -> str | None:
    """A CHI number as people read it out: the date of birth, then the serial."""
    return f"{number[:6]} {number[6:]}" if number and len(number) == 10 else number
