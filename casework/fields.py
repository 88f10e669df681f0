"""What each input may hold: one declaration per field, checked where input enters.

Every input DTO's fields and every service method's parameters carry a spec in their
annotation (`given_name: Annotated[str, Text(NAME)]`, or an alias such as `Id`). The
services check each call against those declarations before reading or writing anything
(`casework.services.checked`), the database columns take their lengths from the same
constants, and the forms set their limits from them too — so the screen, the service and
the column never disagree about what fits.

The specs check what any field of that kind must be: the right type, within bounds, and
text that can be stored and shown as typed (no unpaired surrogates, no control characters,
no text-direction overrides that can disguise what a name or a subject says). What a value
means — a CHI number's check digit, a date not in the future — is the service's rule.

Pure Python with no project imports, so the UI may use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

# -- limits, in characters ---------------------------------------------------------------
ID = 64  # a record's id (UUIDs are 36)
CODE = 64  # a value of one of the vocabularies (vocab.py), a reserved function's code
NAME = 100  # a person's or key person's given or family name, a relationship
NAME_KEY = 2 * NAME + 1  # a person's folded name, for search and order (casework.text)
DISPLAY_NAME = 120  # a member of staff's name as shown, a team's name
USERNAME = 64
EMAIL = 200
ADDRESS = 300
POSTCODE = 10
PHONE = 40
CHI_TYPED = 14  # ten digits, with the spaces people type
SSSC_NUMBER = 20
PREFERENCE = 200  # how someone wants to be contacted
SUBJECT = 200  # a note's subject
CONTACT = 200  # whom a contact was with
REFERRAL_SOURCE = 160  # who referred: it goes into "Referral received from …" (a subject)
CONTRIBUTOR = 200  # who contributed to an assessment, who owns a plan action
RULE_LABEL = 200
WORKSPACE_NAME = 200
BACKUP_LABEL = 40
REASON = 2_000  # why a named worker changes
ACCESS_REASON = 500  # why someone outside the team opens a case file
DESCRIPTION = 2_000  # an outcome, an action
COMMENT = 2_000  # a review's comment on one outcome
LONG_TEXT = 20_000  # summaries, assessment sections, contributions, what matters
NOTE_BODY = 50_000
PASSWORD = 1_024
SEARCH = 200  # what is typed into a search box
SEARCH_WORDS = 12  # words of a search (each one becomes a condition)
ITEMS = 50  # entries of a list given as one field (statuses, accreditations)
ROWS = 500  # records given at once (a review's ratings, one per live outcome)

# -- bounds --------------------------------------------------------------------------------
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
MAX_INT = 2**31 - 1  # versions, counts, offsets: far beyond any real one, inside every int
MAX_PAGE = 500  # rows a list may ask for at once

# Characters no field keeps: unpaired surrogates (they cannot be encoded), control
# characters, and the embedding, override and isolate controls of bidirectional text.
_NEVER = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_BAD_BLOCK = re.compile(f"[{_NEVER}]")
_BAD_LINE = re.compile(f"[{_NEVER}\t\n\r\u2028\u2029]")
_ID_CHARS = re.compile(r"[A-Za-z0-9_.:-]*")


def _long_date(d: date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _character_problem(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    if "\ud800" <= ch <= "\udfff":
        return f"contains a character that cannot be stored ({code}, half of a pair)"
    if ch in "\t\n\r\u2028\u2029":
        return "must be a single line"
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        return (f"contains a text-direction control ({code}), which can disguise what the "
                f"text says")
    return f"contains a control character ({code}), which cannot be shown"


class Spec:
    """What one field may hold. `problem` says what is wrong in words, or None."""

    def problem(self, value: Any) -> str | None:  # pragma: no cover - every spec overrides
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Spec):
    """Text of at most `max_len` characters: one line unless `multiline`."""

    max_len: int
    multiline: bool = False
    max_words: int | None = None

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be text"
        if len(value) > self.max_len:
            return f"must be at most {self.max_len:,} characters; this has {len(value):,}"
        bad = (_BAD_BLOCK if self.multiline else _BAD_LINE).search(value)
        if bad is not None:
            return _character_problem(bad.group())
        if self.max_words is not None and len(value.split()) > self.max_words:
            return f"use at most {self.max_words} words"
        return None


@dataclass(frozen=True)
class Ident(Spec):
    """A record's id as the services hand it out (blank is the service's to refuse)."""

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be a record's id (text)"
        if len(value) > ID or not _ID_CHARS.fullmatch(value):
            return "is not a record's id"
        return None


@dataclass(frozen=True)
class Whole(Spec):
    """A whole number between `low` and `high`."""

    low: int = 0
    high: int = MAX_INT

    def problem(self, value: Any) -> str | None:
        if type(value) is not int:  # bool is an int too, and means something else
            return "must be a whole number"
        if not self.low <= value <= self.high:
            return f"must be between {self.low:,} and {self.high:,}"
        return None


@dataclass(frozen=True)
class Flag(Spec):
    def problem(self, value: Any) -> str | None:
        return None if type(value) is bool else "must be yes or no"


def _bounds_problem(day: date, earliest: date, latest: date) -> str | None:
    if day < earliest:
        if (earliest.month, earliest.day) == (1, 1):
            return f"must be in {earliest.year} or later"
        return f"must be on or after {_long_date(earliest)}"
    if day > latest:
        if (latest.month, latest.day) == (12, 31):
            return f"must be in {latest.year} or earlier"
        return f"must be on or before {_long_date(latest)}"
    return None


@dataclass(frozen=True)
class Day(Spec):
    """A calendar date between `earliest` and `latest`."""

    earliest: date = EARLIEST
    latest: date = LATEST

    def problem(self, value: Any) -> str | None:
        if type(value) is not date:  # a datetime is a date too, with a time and a zone
            return "must be a date"
        return _bounds_problem(value, self.earliest, self.latest)


@dataclass(frozen=True)
class Moment(Spec):
    """A date and time with its time zone, between `earliest` and `latest`."""

    earliest: date = EARLIEST
    latest: date = LATEST

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
            return "must be a date and time with its time zone"
        return _bounds_problem(value.date(), self.earliest, self.latest)


@dataclass(frozen=True)
class OneOf(Spec):
    """One of a fixed set of values (an enumeration's, say)."""

    values: frozenset[str]

    @classmethod
    def of(cls, enum: Any) -> "OneOf":
        return cls(frozenset(m.value for m in enum))

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, str) or value not in self.values:
            return "is not one of the choices"
        return None


@dataclass(frozen=True)
class Many(Spec):
    """A list of at most `max_items` entries, each as `item` says."""

    item: Spec
    max_items: int = ITEMS

    def problem(self, value: Any) -> str | None:
        if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list, set, frozenset)):
            return "must be a list"
        if len(value) > self.max_items:
            return f"must have at most {self.max_items} entries"
        for n, entry in enumerate(value, 1):
            if (problem := self.item.problem(entry)) is not None:
                return f"entry {n} {problem}"
        return None


@dataclass(frozen=True)
class Opaque(Spec):
    """A value checked elsewhere: a callback the service calls, or the entries of a list of
    input DTOs (each checked as its own DTO)."""

    def problem(self, value: Any) -> str | None:
        return None


# -- the specs fields use most, by what they hold ------------------------------------------
Id = Annotated[str, Ident()]
Version = Annotated[int, Whole()]
Offset = Annotated[int, Whole()]
Limit = Annotated[int, Whole(1, MAX_PAGE)]
Code = Annotated[str, Text(CODE)]
Search = Annotated[str, Text(SEARCH, max_words=SEARCH_WORDS)]
Secret = Annotated[str, Text(PASSWORD)]
Reason = Annotated[str, Text(REASON, multiline=True)]
LongText = Annotated[str, Text(LONG_TEXT, multiline=True)]
Description = Annotated[str, Text(DESCRIPTION, multiline=True)]
Codes = Annotated[tuple[str, ...], Many(Text(CODE))]


def spec_of(annotated: Any) -> Spec:
    """The spec an `Annotated[...]` alias carries (for forms: `spec_of(fields.Search)`)."""
    for extra in getattr(annotated, "__metadata__", ()):
        if isinstance(extra, Spec):
            return extra
    raise TypeError(f"{annotated!r} carries no field spec")


def max_length(annotated_or_spec: Any) -> int:
    """The most characters a text field takes, for a form's `setMaxLength`."""
    spec = annotated_or_spec if isinstance(annotated_or_spec, Spec) else spec_of(annotated_or_spec)
    assert isinstance(spec, Text)
    return spec.max_len
