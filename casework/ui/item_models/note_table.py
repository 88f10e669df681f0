"""A case's notes for a table view, a page at a time from `me.notes`, filtered and ordered
in SQL by a `dto.NoteQuery`: every note newest first, or the chronology oldest first.

Each row says in words what marks it — significant, an event Casework recorded, corrected
by a later note, a correction of an earlier one — so that nothing rests on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from casework import dto
from casework.timeutil import show_datetime
from casework.ui import labels
from casework.ui.item_models.paged_table import PAGE_SIZE, PagedTableModel
from casework.ui.tasks import Runner
from casework.vocab import NoteType

# A superseded note is greyed as well as marked in words; still above 4.5:1 on white.
SUPERSEDED_COLOUR = QColor("#595959")


class NoteLister(Protocol):
    def page(self, case_id: str, query: dto.NoteQuery = ..., offset: int = 0,
             limit: int = 100) -> dto.Page[dto.NoteRow]: ...
    def count(self, case_id: str, query: dto.NoteQuery = ...) -> int: ...
    def get(self, note_id: str) -> dto.NoteRow: ...


@dataclass(frozen=True)
class NoteLine:
    """A note as the list shows it, with the notes its correction links point at (to say
    which note they are), when the case has them."""

    note: dto.NoteRow
    corrects: dto.NoteRow | None = None
    corrected_by: dto.NoteRow | None = None

    @property
    def id(self) -> str:
        return self.note.id


class NoteColumn(IntEnum):
    WHEN = 0
    TYPE = 1
    BY = 2
    WITH = 3
    SUBJECT = 4
    MARKERS = 5


class NoteTableModel(PagedTableModel):
    LineRole = PagedTableModel.RecordRole

    def __init__(self, notes: NoteLister, runner: Runner, case_id: str,
                 query: dto.NoteQuery = dto.NoteQuery(), parent: QObject | None = None, *,
                 page_size: int = PAGE_SIZE):
        super().__init__(runner, query, parent, page_size=page_size)
        self._notes = notes
        self._case_id = case_id

    def headers(self) -> Sequence[str]:
        tr = self.tr
        return (tr("When"), tr("Type"), tr("By"), tr("With whom"), tr("Subject"),
                tr("Significance and corrections"))

    def fetch(self, query: dto.NoteQuery, offset: int, limit: int) -> Sequence[NoteLine]:
        rows = self._notes.page(self._case_id, query, offset, limit).rows
        known = {r.id: r for r in rows}

        def linked(note_id: str | None) -> dto.NoteRow | None:
            # A correction and the note it corrects usually sit side by side; the other
            # one is read only when this page does not hold it (corrections are rare).
            if note_id is None:
                return None
            if note_id not in known:
                known[note_id] = self._notes.get(note_id)
            return known[note_id]

        return [NoteLine(r, linked(r.corrects_id), linked(r.corrected_by_id)) for r in rows]

    def count(self, query: dto.NoteQuery) -> int:
        return self._notes.count(self._case_id, query)

    def cell(self, line: NoteLine, column: int) -> str:
        n = line.note
        match NoteColumn(column):
            case NoteColumn.WHEN:
                return show_datetime(n.occurred_at)
            case NoteColumn.TYPE:
                return labels.vocab(NoteType, n.note_type)
            case NoteColumn.BY:
                return n.author_name
            case NoteColumn.WITH:
                return n.contact_with or ""
            case NoteColumn.SUBJECT:
                return n.subject
            case NoteColumn.MARKERS:
                return self.markers(line)

    def markers(self, line: NoteLine) -> str:
        """What marks the note, in words: "Significant", "Event", and where it was corrected
        or corrects another, which note that is (by when it happened, as the list shows)."""
        tr = self.tr
        n = line.note
        words = []
        if n.is_event:
            words.append(tr("Event"))
        elif n.significant:
            words.append(tr("Significant"))
        if n.corrects_id is not None:
            words.append(tr("Correction of the note of {when}").format(
                when=show_datetime(line.corrects.occurred_at)) if line.corrects is not None
                else tr("Correction of an earlier note"))
        if n.corrected_by_id is not None:
            words.append(tr("Corrected — see the note of {when}").format(
                when=show_datetime(line.corrected_by.occurred_at))
                if line.corrected_by is not None else tr("Corrected — see its correction"))
        return " · ".join(words)

    def tooltip(self, line: NoteLine, column: int) -> str | None:
        n = line.note
        if column == NoteColumn.MARKERS and line.corrected_by is not None:
            return self.tr("Corrected by {name}; the correction was recorded {when}.").format(
                name=line.corrected_by.author_name,
                when=show_datetime(line.corrected_by.recorded_at))
        if column == NoteColumn.MARKERS and line.corrects is not None:
            return self.tr("Corrects the note {name} recorded {when}.").format(
                name=line.corrects.author_name, when=show_datetime(line.corrects.recorded_at))
        if column in (NoteColumn.SUBJECT, NoteColumn.WITH):
            return self.cell(line, column) or None  # a long one is cut short in the cell
        if column == NoteColumn.WHEN:
            return self.tr("Recorded {when}").format(when=show_datetime(n.recorded_at))
        return None

    def foreground(self, line: NoteLine, column: int) -> QColor | None:
        return SUPERSEDED_COLOUR if line.note.corrected_by_id is not None else None
