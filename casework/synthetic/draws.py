"""Small draws every part of the generator makes from its Random: ids, office-hours times,
weighted choices, names; and the date arithmetic they count back from as_of with."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any

from casework.synthetic.words import FAMILY, FEMALE, MALE
from casework.timeutil import LONDON


def new_id(rng: Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def london_time(day: date, minute: int) -> datetime:
    """A London wall-clock time on `day`, as the UTC instant it is stored as."""
    local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=LONDON)
    return local.astimezone(UTC)


def office_time(rng: Random, day: date) -> datetime:
    return london_time(day, rng.randrange(8 * 60 + 30, 17 * 60 + 30))


def office_between(rng: Random, after: datetime, before: datetime) -> datetime:
    """An office-hours minute strictly between two instants (or their midpoint, for a window
    too short to hold one)."""
    days = max((before.date() - after.date()).days, 0)
    for _ in range(4):
        at = office_time(rng, after.date() + timedelta(days=rng.randint(0, days)))
        if after < at < before:
            return at
    return after + (before - after) / 2


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def months_before(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, 28))


def weighted(rng: Random, table: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*table)
    return rng.choices(values, weights)[0]


def person_name(rng: Random, female: bool) -> tuple[str, str]:
    given = rng.choice(FEMALE if female else MALE)
    family = rng.choice(FAMILY)
    if isinstance(family, tuple):  # Gaelic, Irish and Polish surnames change with sex
        family = family[1] if female else family[0]
    return given, family
