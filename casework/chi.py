"""The Community Health Index (CHI) number: ten digits, the first six the date of birth as
DDMMYY, the tenth a modulus-11 check digit over the first nine (weights 10 down to 2).

Pure Python, so that the services (which decide) and the forms (which say it as the
person types) check a number by the same rules.
"""

from __future__ import annotations

from datetime import date

LENGTH = 10
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def chi_check_digit(first_nine: str) -> int | None:
    """The CHI modulus-11 check digit (weights 10..2); None where it would be 10, which
    makes the number invalid."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def is_digits(text: str) -> bool:
    """Only the digits 0 to 9. `str.isdigit` also takes other scripts' digits (Arabic-Indic,
    fullwidth) and superscripts, which would let one number be recorded in two ways."""
    return bool(text) and text.isascii() and text.isdigit()


def normalise(text: str) -> str:
    """The number as stored: the spaces people type ("140350 1238") taken out."""
    return "".join(text.split())


def chi_problem(chi: str, date_of_birth: date | None = None) -> str | None:
    """What is wrong with `chi` (spaces allowed) in words, or None when it is a valid CHI
    number that agrees with `date_of_birth` (when one is given)."""
    digits = normalise(chi)
    if not is_digits(digits):
        return "must be 10 digits, numbers only"
    if len(digits) != LENGTH:
        return f"must be 10 digits; this has {len(digits)}"
    day, month, yy = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if date_of_birth is not None:
        if digits[:6] != date_of_birth.strftime("%d%m%y"):
            said = _birth_date(day, month, date_of_birth.year // 100 * 100 + yy)
            given = f"give the date of birth {said}" if said else "are not a real date"
            return (f"its first six digits ({digits[:6]}) {given}, but the date of birth "
                    f"is {_long(date_of_birth)}")
    elif _birth_date(day, month, 1900 + yy) is None and _birth_date(day, month, 2000 + yy) is None:
        return (f"its first six digits ({digits[:6]}) are not a date: they are the date of "
                f"birth as DDMMYY")
    check = chi_check_digit(digits[:9])
    if check is None:
        return "no CHI number begins with these nine digits: check each digit"
    if check != int(digits[9]):
        return ("the last digit (the check digit) does not agree with the other nine: check "
                "each digit")
    return None


def _birth_date(day: int, month: int, year: int) -> str | None:
    try:
        return _long(date(year, month, day))
    except ValueError:
        return None


def _long(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
