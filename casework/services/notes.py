"""Case notes and contacts, and the chronology they make.

A note is never edited or deleted (SQLite and PostgreSQL triggers refuse both): a correction
is a new note that points at the one it corrects, and both stay on the record. The
chronology is the case's significant notes, oldest first — the events Casework writes when
something happens (referral, allocation, sign-off, review, closing) and the notes a worker
marks significant.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from casework import permissions as perm
from casework.errors import ValidationError
from casework.models import CaseNote, Staff
from casework.models.base import new_id
from casework import dto
from casework.fields import Id, Limit, Offset
from casework.services.statements import ByShape
from casework.services.base import Service, case_ref, live_row
from casework.text import like_escape
from casework.timeutil import as_utc, show_datetime
from casework.vocab import CaseStatus, NoteType

# A note may be dated a little ahead of this computer's clock (another device's clock, a
# meeting that runs on); beyond that it is a typing mistake.
FUTURE_SLACK = timedelta(minutes=5)

_correction = aliased(CaseNote, name="correction")
_author = aliased(Staff, name="author")
# The note that corrects this one (a note is corrected at most once: a further correction
# corrects the correction).
_CORRECTED_BY = (
    select(_correction.id).where(_correction.corrects_id == CaseNote.id)
    .order_by(_correction.updated_at.desc(), _correction.id).limit(1)
    .correlate(CaseNote).scalar_subquery()
)
_ROW_COLUMNS = (
    CaseNote.id, CaseNote.case_id, CaseNote.note_type, CaseNote.occurred_at,
    CaseNote.updated_at, CaseNote.subject, CaseNote.body, CaseNote.author_id,
    _author.display_name, CaseNote.significant, CaseNote.contact_with, CaseNote.corrects_id,
    _CORRECTED_BY,
)
WRITABLE_TYPES = tuple(t.value for t in NoteType if t != NoteType.EVENT)


class NoteService(Service):
    # -- reading ------------------------------------------------------------------------

    def page(self, case_id: Id, query: dto.NoteQuery = dto.NoteQuery(), offset: Offset = 0,
             limit: Limit = 100) -> dto.Page[dto.NoteRow]:
        with self._read() as s:
            self._case_to_read(s, case_id, "view_notes")
            rows = note_rows(s, case_id, query, offset, limit)
        return dto.Page(rows, offset, limit)

    def count(self, case_id: Id, query: dto.NoteQuery = dto.NoteQuery()) -> int:
        with self._read() as s:
            self._case_to_read(s, case_id, "view_notes")
            shape, params = _filters(case_id, query, count=True, limited=False)
            return s.connection().execute(_statement(shape), params).scalar() or 0

    def get(self, note_id: Id) -> dto.NoteRow:
        with self._read() as s:
            note = _note(s, note_id)
            self._case_to_read(s, note.case_id, "view_notes")
            return _row_of(s, note.id)

    # -- writing ------------------------------------------------------------------------

    def add(self, case_id: Id, data: dto.NoteInput) -> dto.NoteRow:
        """Record a note or contact on a live case."""
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "add_note")
            if c.status == CaseStatus.CLOSED:
                raise ValidationError("case", "the case is closed; its record is kept as it "
                                      "was")
            note = self._insert(s, actor, c.id, c.team_id, data, corrects=None)
            self._ctx.audit(s, actor, "add_note", entity_type="case_note", entity_id=note.id,
                            detail={"case_id": c.id, "note_type": note.note_type,
                                    "significant": note.significant})
            row = _row_of(s, note.id)
        self._ctx.publish("note", c.id, note.id)
        return row

    def correct(self, note_id: Id, data: dto.NoteInput) -> dto.NoteRow:
        """Record a correction: a new note pointing at the one it corrects, which stays as
        it was. Allowed on a closed case too, since a record must be put right."""
        with self._write() as s:
            old = _note(s, note_id)
            actor = self._actor(s)
            c = self._case(s, old.case_id)
            self._check(actor, "correct_note",
                        perm.decide_note_correction(actor, case_ref(c), old.author_id),
                        entity_type="case_note", entity_id=old.id)
            if old.note_type == NoteType.EVENT:
                raise ValidationError("corrects_id", "Casework recorded this event when it "
                                      "happened; add a note that says what was wrong instead")
            later = s.scalar(select(CaseNote.id).where(CaseNote.corrects_id == old.id).limit(1))
            if later is not None:
                newer = _row_of(s, later)
                raise ValidationError("corrects_id", (
                    f"this note was corrected by {newer.author_name} on "
                    f"{show_datetime(newer.recorded_at)}; correct the newest version"))
            note = self._insert(s, actor, c.id, c.team_id, data, corrects=old.id)
            self._ctx.audit(s, actor, "correct_note", entity_type="case_note",
                            entity_id=note.id, detail={"case_id": c.id, "corrects_id": old.id})
            row = _row_of(s, note.id)
        self._ctx.publish("note", c.id, note.id, old.id)
        return row

    def _insert(self, s: Session, actor: perm.Actor, case_id: str, team_id: str | None,
                d: dto.NoteInput, corrects: str | None) -> CaseNote:
        clean = self._clean(d)
        note = CaseNote(id=new_id(), case_id=case_id, team_id=team_id, author_id=actor.id,
                        corrects_id=corrects, **clean)
        self._touch(note, actor)
        s.add(note)
        s.flush()
        return note

    def _clean(self, d: dto.NoteInput) -> dict:
        problems: dict[str, str] = {}
        if d.note_type not in WRITABLE_TYPES:
            problems["note_type"] = "choose what kind of note this is"
        when = d.occurred_at
        if when is None:
            problems["occurred_at"] = "say when it happened"
        elif when > self._ctx.now() + FUTURE_SLACK:
            problems["occurred_at"] = "must not be in the future"
        subject = " ".join((d.subject or "").split())
        if not subject:
            problems["subject"] = "say in a few words what it is about"
        body = (d.body or "").strip()
        if not body:
            problems["body"] = "record what happened"
        contact = " ".join((d.contact_with or "").split()) or None
        if problems:
            raise ValidationError.of(problems)
        return dict(note_type=d.note_type, occurred_at=as_utc(when), subject=subject, body=body,
                    significant=bool(d.significant), contact_with=contact)


# -- queries shared with the reports --------------------------------------------------------

def note_rows(s: Session, case_id: str, query: dto.NoteQuery, offset: int = 0,
              limit: int | None = None) -> tuple[dto.NoteRow, ...]:
    """The case's notes matching `query`, in its order (the caller has checked access)."""
    shape, params = _filters(case_id, query, count=False, limited=limit is not None)
    params["offset"], params["limit"] = offset, limit
    s.flush()  # read on the connection: let it see what this session has pending
    rows = s.connection().execute(_statement(shape), params).all()  # one fetch, not one a row
    return tuple([dto.NoteRow(*r) for r in rows])


class _Shape(NamedTuple):
    """What decides a notes statement's SQL; the values it runs with are parameters."""

    significant_only: bool
    note_types: bool
    words: int
    newest_first: bool
    count: bool
    limited: bool


def _filters(case_id: str, q: dto.NoteQuery, *, count: bool,
             limited: bool) -> tuple[_Shape, dict[str, Any]]:
    words = q.text.split()
    params: dict[str, Any] = {"case_id": case_id}
    if q.note_types:
        params["note_types"] = list(q.note_types)
    for i, word in enumerate(words):
        params[f"word{i}"] = f"%{like_escape(word)}%"
    return _Shape(q.significant_only, bool(q.note_types), len(words), q.newest_first, count,
                  limited), params


def _build(shape: _Shape) -> Select:
    stmt = (select(func.count()).select_from(CaseNote) if shape.count else
            select(*_ROW_COLUMNS).join(_author, _author.id == CaseNote.author_id))
    stmt = stmt.where(CaseNote.case_id == bindparam("case_id"), CaseNote.deleted_at.is_(None))
    if shape.significant_only:
        stmt = stmt.where(CaseNote.significant.is_(True))
    if shape.note_types:
        stmt = stmt.where(CaseNote.note_type.in_(bindparam("note_types", expanding=True)))
    for i in range(shape.words):
        pattern = bindparam(f"word{i}")
        stmt = stmt.where(or_(CaseNote.subject.ilike(pattern, escape="\\"),
                              CaseNote.body.ilike(pattern, escape="\\"),
                              CaseNote.contact_with.ilike(pattern, escape="\\")))
    if shape.count:
        return stmt
    order = (CaseNote.occurred_at.desc(), CaseNote.id.desc()) if shape.newest_first else (
        CaseNote.occurred_at.asc(), CaseNote.id.asc())
    stmt = stmt.order_by(*order).offset(bindparam("offset"))
    return stmt.limit(bindparam("limit")) if shape.limited else stmt


_statement = ByShape(_build, most=128)


_ONE = (select(*_ROW_COLUMNS).join(_author, _author.id == CaseNote.author_id)
        .where(CaseNote.id == bindparam("note_id")))


def _row_of(s: Session, note_id: str) -> dto.NoteRow:
    s.flush()  # read on the connection: let it see what this session has pending
    return dto.NoteRow(*s.connection().execute(_ONE, {"note_id": note_id}).one())


def _note(s: Session, note_id: str) -> CaseNote:
    return live_row(s, CaseNote, note_id, "note")

