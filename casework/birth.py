"""The rule for a date of birth, as the people service enforces it and the person forms say
it while the worker types: not in the future, and not before the earliest date any field
takes (`casework.fields.EARLIEST`).

Pure Python, beside `casework.chi`, which checks a CHI number against the same date.
"""

from __future__ import annotations

from datetime import date

from casework.fields import Day


def birth_date_problem(born: date | None, today: date) -> str | None:
    """What is wrong with `born` as a date of birth on `today`, or None (no date is fine:
    it may not be known)."""
    if born is None:
        return None
    if type(born) is date and born > today:
        return "must not be in the future"
    return Day().problem(born)
