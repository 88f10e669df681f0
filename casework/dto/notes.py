"""Case notes and the chronology."""

from __future__ import annotations

from typing import Annotated

from casework import fields as f
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class NoteQuery:
    """Which of a case's notes to list. The chronology is the significant ones, oldest
    first."""

    significant_only: bool = False
    note_types: f.Codes = ()  # vocab.NoteType values; () for every type
    text: f.Search = ""  # words in the subject or the body
    newest_first: bool = True


CHRONOLOGY = NoteQuery(significant_only=True, newest_first=False)


@dataclass(frozen=True)
class NoteRow:
    """A case note or contact as written. Notes never change: `corrects_id` points at the
    note this one corrects, `corrected_by_id` at the later note that corrects this one."""

    id: str
    case_id: str
    note_type: str  # vocab.NoteType
    occurred_at: datetime | None  # None is refused in words
    recorded_at: datetime
    subject: str
    body: str
    author_id: str
    author_name: str
    significant: bool
    contact_with: str | None
    corrects_id: str | None
    corrected_by_id: str | None

    @property
    def is_event(self) -> bool:
        """Written by Casework when something happened (referral, allocation, sign-off…)."""
        return self.note_type == "event"


@dataclass(frozen=True)
class NoteInput:
    """A note as a worker writes it. `occurred_at` is when the contact or event happened
    (timezone-aware); it is recorded now."""

    note_type: f.Code  # vocab.NoteType, other than "event"
    occurred_at: datetime
    subject: Annotated[str, f.Text(f.SUBJECT)]
    body: Annotated[str, f.Text(f.NOTE_BODY, multiline=True)]
    significant: bool = False
    contact_with: Annotated[str | None, f.Text(f.CONTACT)] = None
