"""Caseloads and case files: lists paged, filtered and sorted in SQL; a case summary read
with need-to-know checks, every read audited."""

from __future__ import annotations

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from casework import permissions as perm
from casework.errors import NotFound, ValidationError
from casework.models import Allocation, Case, CaseNote, Person, Staff, Team
from casework.services import dto
from casework.services.base import Service
from casework.services.records import team_infos
from casework.text import fold
from casework.vocab import EligibilityBand, RiskLevel

MAX_PAGE = 500
RECENT_NOTES = 10

_worker = aliased(Staff, name="named_worker")
_ROW_COLUMNS = (
    Case.id,
    Case.reference,
    Case.person_id,
    (Person.given_name + " " + Person.family_name).label("person_name"),
    Case.service_area,
    Case.status,
    Case.risk_level,
    Case.eligibility_band,
    Case.legal_status,
    Case.next_review_on,
    Case.named_worker_id,
    _worker.display_name.label("named_worker_name"),
    Case.team_id,
    Team.name.label("team_name"),
    Case.unallocated_since,
    Case.referred_on,
)

_RISK_RANK = case({r.value: r.rank for r in RiskLevel}, value=Case.risk_level, else_=-1)
_BAND_RANK = case({b.value: b.rank for b in EligibilityBand}, value=Case.eligibility_band, else_=9)

# Sort keys; the case id last keeps pages stable when keys tie. Risk sorts highest first
# and bands most urgent first when ascending, as a worker reads them.
_SORT_KEYS = {
    dto.CaseSort.PERSON: (Person.name_key,),
    dto.CaseSort.REFERENCE: (Case.reference,),
    dto.CaseSort.SERVICE_AREA: (Case.service_area,),
    dto.CaseSort.STATUS: (Case.status,),
    dto.CaseSort.RISK: (-_RISK_RANK,),
    dto.CaseSort.BAND: (_BAND_RANK,),
    dto.CaseSort.NEXT_REVIEW: (Case.next_review_on.is_(None), Case.next_review_on),
    dto.CaseSort.NAMED_WORKER: (_worker.display_name.is_(None), _worker.display_name),
    dto.CaseSort.WAITING: (Case.unallocated_since.is_(None), Case.unallocated_since),
}


def _joined(stmt: Select) -> Select:
    """A case with its person, team and named worker: what every case row shows."""
    return (
        stmt.select_from(Case)
        .join(Person, Person.id == Case.person_id)
        .join(Team, Team.id == Case.team_id)
        .outerjoin(_worker, _worker.id == Case.named_worker_id)
    )


def _row(r) -> dto.CaseRow:
    return dto.CaseRow(**r._mapping)


class CaseService(Service):
    def page(self, query: dto.CaseQuery, offset: int = 0, limit: int = 100) -> dto.Page[dto.CaseRow]:
        if not 0 < limit <= MAX_PAGE:
            raise ValidationError("limit", f"must be between 1 and {MAX_PAGE}")
        if offset < 0:
            raise ValidationError("offset", "must not be negative")
        with self._read() as s:
            stmt = self._select(s, query, select(*_ROW_COLUMNS))
            stmt = stmt.order_by(*self._order(query)).offset(offset).limit(limit)
            rows = tuple(_row(r) for r in s.execute(stmt))
        return dto.Page(rows, offset, limit)

    def count(self, query: dto.CaseQuery) -> int:
        with self._read() as s:
            stmt = self._select(s, query, select(func.count()))
            return s.scalar(stmt) or 0

    def visible_teams(self) -> tuple[dto.TeamInfo, ...]:
        """The teams whose caseload the actor may list (their own, or those they manage)."""
        with self._read() as s:
            actor = self._actor(s)
            ids = set(actor.managed_team_ids) | ({actor.team_id} if actor.team_id else set())
            return team_infos(s, Team.id.in_(ids)) if ids else ()

    def summary(self, case_id: str, *, reason: str | None = None) -> dto.CaseSummary:
        """Open a case file. The read is audited; a case outside the actor's team needs a
        stated reason, which is audited with it."""
        reason = (reason or "").strip() or None
        with self._write() as s:
            actor = self._actor(s)
            c = s.get(Case, case_id)
            if c is None or c.deleted_at is not None:
                raise NotFound("case", case_id)
            decision = perm.decide_case_access(
                actor, perm.CaseRef(c.team_id, c.named_worker_id), reason_given=reason is not None
            )
            self._check(actor, "view_case", decision, entity_type="case", entity_id=c.id)
            summary = self._summary(s, c)
            own_team = c.team_id == actor.team_id or c.named_worker_id == actor.id
            self._ctx.audit(
                s, actor, "view_case", entity_type="case", entity_id=c.id,
                detail={"reason": reason} if reason and not own_team else {},
            )
        return summary

    # -- queries ------------------------------------------------------------------------

    def _select(self, s: Session, q: dto.CaseQuery, stmt: Select) -> Select:
        actor = self._actor(s)
        stmt = _joined(stmt).where(Case.deleted_at.is_(None))
        if q.scope == dto.CaseScope.MINE:
            self._check(actor, "view_own_caseload",
                        perm.decide_action(actor, perm.Action.VIEW_OWN_CASELOAD))
            stmt = stmt.where(Case.named_worker_id == actor.id)
        else:
            action = (perm.Action.VIEW_TEAM_CASELOAD if q.scope == dto.CaseScope.TEAM
                      else perm.Action.VIEW_UNALLOCATED)
            self._check(actor, action.value, perm.decide_action(actor, action))
            teams = set(actor.managed_team_ids) | ({actor.team_id} if actor.team_id else set())
            if q.team_id is not None:
                if q.team_id not in teams:
                    self._check(actor, action.value, perm.Decision(
                        False, "not_team_member", "You can list only your own team's cases."))
                teams = {q.team_id}
            stmt = stmt.where(Case.team_id.in_(teams))
            if q.scope == dto.CaseScope.UNALLOCATED:
                stmt = stmt.where(Case.named_worker_id.is_(None))
        if q.statuses:
            stmt = stmt.where(Case.status.in_(q.statuses))
        if q.risk_levels:
            stmt = stmt.where(Case.risk_level.in_(q.risk_levels))
        if q.service_areas:
            stmt = stmt.where(Case.service_area.in_(q.service_areas))
        text = q.text.strip()
        if text:
            stmt = stmt.where(_text_filter(text))
        return stmt

    def _order(self, q: dto.CaseQuery) -> list:
        keys = [k.desc() if q.descending else k.asc() for k in _SORT_KEYS[q.sort]]
        return [*keys, Case.id]

    def _summary(self, s: Session, c: Case) -> dto.CaseSummary:
        row = s.execute(_joined(select(*_ROW_COLUMNS)).where(Case.id == c.id)).one()
        p = s.get(Person, c.person_id)
        assert p is not None
        worker, by = aliased(Staff), aliased(Staff)
        allocs = s.execute(
            select(Allocation.worker_id, worker.display_name, Allocation.started_at,
                   Allocation.reason, by.display_name)
            .outerjoin(worker, worker.id == Allocation.worker_id)
            .outerjoin(by, by.id == Allocation.allocated_by)
            .where(Allocation.case_id == c.id)
            .order_by(Allocation.started_at.desc(), Allocation.id)
        ).all()
        allocations = []
        ended = None
        for a in allocs:  # newest first: each lasts until the one after it began
            allocations.append(dto.AllocationEntry(a[0], a[1], a[2], ended, a[3], a[4]))
            ended = a[2]
        author = aliased(Staff)
        notes = s.execute(
            select(CaseNote.id, CaseNote.note_type, CaseNote.occurred_at, CaseNote.subject,
                   author.display_name, CaseNote.significant, CaseNote.corrects_id)
            .join(author, author.id == CaseNote.author_id)
            .where(CaseNote.case_id == c.id)
            .order_by(CaseNote.occurred_at.desc(), CaseNote.id)
            .limit(RECENT_NOTES)
        ).all()
        note_count = s.scalar(select(func.count()).where(CaseNote.case_id == c.id)) or 0
        return dto.CaseSummary(
            case=_row(row),
            person=dto.PersonInfo(
                p.id, p.given_name, p.family_name, p.date_of_birth, p.chi, p.address,
                p.postcode, p.phone, p.communication_needs, p.contact_preference, p.what_matters,
            ),
            opened_on=c.opened_on,
            closed_on=c.closed_on,
            summary=c.summary,
            allocations=tuple(allocations),
            recent_notes=tuple(dto.NoteEntry(*n) for n in notes),
            note_count=note_count,
            row_version=c.row_version,
            band_target_on=c.band_target_on,
            referral_source=c.referral_source,
            referral_reason=c.referral_reason,
            closing_summary=c.closing_summary,
        )


def _text_filter(text: str):
    """Name words (each matching the start of a given or family name), a case reference,
    or a CHI number."""
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        return Person.chi == digits
    if text.upper().startswith("CW-"):
        return Case.reference == text.upper()
    # Each typed word must start a word of the name, ignoring accents and case.
    return and_(
        *(
            or_(Person.name_key.like(f"{_escape(w)}%", escape="\\"),
                Person.name_key.like(f"% {_escape(w)}%", escape="\\"))
            for w in fold(text).split()
        )
    )


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
