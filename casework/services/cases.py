"""Caseloads and case files: lists paged, filtered and sorted in SQL; a case summary read
with need-to-know checks, every read audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Annotated, Any, NamedTuple

from sqlalchemy import Select, bindparam, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from casework import permissions as perm
from casework import weighting
from casework.chi import is_digits
from casework.errors import ValidationError
from casework.models import Allocation, Case, CaseNote, Person, Staff, Team
from casework.models.base import new_id
from casework import dto
from casework.fields import ACCESS_REASON, Id, Limit, LongText, Offset, Reason, Text, Version
from casework.services.statements import ByShape
from casework.services.base import Service, case_ref, load_catalogue, same_version
from casework.services.records import team_infos
from casework.services.workload import NOT_ALLOCATABLE, allocatable, preview_of, worker_loads
from casework.text import fold, like_escape
from casework.timeutil import show_date
from casework.vocab import (
    TARGET_BANDS,
    LIVE_STATUSES,
    CaseStatus,
    EligibilityBand,
    LegalStatus,
    band_target,
    RiskLevel,
    ServiceArea,
)

RECENT_NOTES = 10

_STALE = ("Someone else changed this case since you opened it; nothing was saved. "
          "Reload it to see their changes.")

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
    return dto.CaseRow(*r)  # _ROW_COLUMNS are CaseRow's fields, in order


class _Shape(NamedTuple):
    """What decides a caseload statement's SQL; the values it runs with are parameters."""

    scope: dto.CaseScope
    # How many values each list holds: one parameter per value (an expanding list would be
    # rendered into the SQL again on every call).
    teams: int
    statuses: int
    risk_levels: int
    service_areas: int
    text: tuple  # () | ("chi",) | ("reference",) | ("words", how many)
    sort: dto.CaseSort
    descending: bool
    count: bool


def _build(shape: _Shape) -> Select:
    stmt = _joined(select(func.count()) if shape.count else select(*_ROW_COLUMNS))
    stmt = stmt.where(Case.deleted_at.is_(None))
    if shape.scope == dto.CaseScope.MINE:
        stmt = stmt.where(Case.named_worker_id == bindparam("worker_id"))
    else:
        stmt = stmt.where(_one_of(Case.team_id, "team", shape.teams))
        if shape.scope == dto.CaseScope.UNALLOCATED:
            stmt = stmt.where(Case.named_worker_id.is_(None))
    if shape.statuses:
        stmt = stmt.where(_one_of(Case.status, "status", shape.statuses))
    if shape.risk_levels:
        stmt = stmt.where(_one_of(Case.risk_level, "risk_level", shape.risk_levels))
    if shape.service_areas:
        stmt = stmt.where(_one_of(Case.service_area, "service_area", shape.service_areas))
    if shape.text == ("chi",):
        stmt = stmt.where(Person.chi == bindparam("chi"))
    elif shape.text == ("reference",):
        stmt = stmt.where(Case.reference == bindparam("reference"))
    elif shape.text:
        # Each typed word must start a word of the name, ignoring accents and case.
        for i in range(shape.text[1]):
            stmt = stmt.where(or_(
                Person.name_key.like(bindparam(f"word{i}"), escape="\\"),
                Person.name_key.like(bindparam(f"inword{i}"), escape="\\")))
    if shape.count:
        return stmt
    keys = [k.desc() if shape.descending else k.asc() for k in _SORT_KEYS[shape.sort]]
    return stmt.order_by(*keys, Case.id).offset(bindparam("offset")).limit(bindparam("limit"))


_statement = ByShape(_build, most=256)


def _one_of(column, name: str, n: int):
    return column.in_([bindparam(f"{name}{i}") for i in range(n)])


def _values(params: dict[str, Any], name: str, values) -> None:
    params.update((f"{name}{i}", v) for i, v in enumerate(values))


def _text_params(text: str) -> tuple[tuple, dict[str, str]]:
    """Name words (each matching the start of a given or family name), a case reference,
    or a CHI number: the shape of the filter and its values."""
    digits = text.replace(" ", "")
    if is_digits(digits) and len(digits) == 10:
        return ("chi",), {"chi": digits}
    if text.upper().startswith("CW-"):
        return ("reference",), {"reference": text.upper()}
    words = fold(text).split()
    params = {}
    for i, w in enumerate(words):
        params[f"word{i}"] = f"{like_escape(w)}%"
        params[f"inword{i}"] = f"% {like_escape(w)}%"
    return ("words", len(words)), params


class CaseService(Service):
    def page(self, query: dto.CaseQuery, offset: Offset = 0, limit: Limit = 100) -> dto.Page[dto.CaseRow]:
        with self._read() as s:
            shape, params = self._filters(s, query, count=False)
            params["offset"], params["limit"] = offset, limit
            rows = s.connection().execute(_statement(shape), params).all()
        return dto.Page(tuple([dto.CaseRow(*r) for r in rows]), offset, limit)

    def count(self, query: dto.CaseQuery) -> int:
        with self._read() as s:
            shape, params = self._filters(s, query, count=True)
            return s.connection().execute(_statement(shape), params).scalar() or 0

    def visible_teams(self) -> tuple[dto.TeamInfo, ...]:
        """The teams whose caseload the actor may list (their own, or those they manage)."""
        with self._read() as s:
            actor = self._actor(s)
            ids = perm.caseload_team_ids(actor)
            return team_infos(s, Team.id.in_(ids)) if ids else ()

    def summary(self, case_id: Id, *,
                reason: Annotated[str | None, Text(ACCESS_REASON, multiline=True)] = None
                ) -> dto.CaseSummary:
        """Open a case file. The read is audited; a case outside the actor's team needs a
        stated reason, which is audited with it."""
        reason = (reason or "").strip() or None
        with self._write() as s:
            actor = self._actor(s)
            c = self._case(s, case_id)
            decision = perm.decide_case_access(
                actor, perm.CaseRef(c.team_id, c.named_worker_id), reason_given=reason is not None
            )
            self._check(actor, "view_case", decision, entity_type="case", entity_id=c.id)
            summary = self._summary(s, actor, c)
            own_team = c.team_id == actor.team_id or c.named_worker_id == actor.id
            self._ctx.audit(
                s, actor, "view_case", entity_type="case", entity_id=c.id,
                detail={"reason": reason} if reason and not own_team else {},
            )
        return summary

    def current(self, case_id: Id) -> dto.CaseSummary:
        """The case as it stands now, for a window or form that already shows it (after a
        change, say): not a new read of the case file, so not audited as one — opening it
        was (`summary`). Still refused, and that audited, to anyone who may not read it."""
        with self._read() as s:
            actor, c = self._case_to_read(s, case_id, "view_case")
            return self._summary(s, actor, c)

    # -- opening, details, allocation, closing ------------------------------------------

    def open_case(self, case_id: Id, data: dto.OpenCaseInput,
                  expected_version: Version) -> dto.CaseSummary:
        """Open a referral as a case: its service area, eligibility band, risk level, legal
        status and the date. A critical or substantial band sets the target date six weeks
        on, the national indicative time to personal care."""
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "open_case")
            if c.status != CaseStatus.REFERRAL:
                raise ValidationError("status", f"the case is {_status_words(c.status)}; only "
                                      f"a referral is opened")
            same_version(c, expected_version, _STALE)
            clean = self._opening(c, data)
            functions = self._check_reserved_change(s, actor, c, clean, "open_case")
            changed = sorted(k for k, v in clean.items() if getattr(c, k) != v)
            for k, v in clean.items():
                setattr(c, k, v)
            c.status = CaseStatus.OPEN.value
            self._touch(c, actor)
            body = [f"Opened on {show_date(c.opened_on)}.",
                    f"Eligibility: {EligibilityBand(c.eligibility_band).label.lower()}"
                    + (f", target for personal care {show_date(c.band_target_on)}."
                       if c.band_target_on else "."),
                    f"Risk: {RiskLevel(c.risk_level).label.lower()}.",
                    f"Legal status: {LegalStatus(c.legal_status).label}."]
            note = self._chronology_event(s, actor, c, "Case opened", " ".join(body))
            self._ctx.audit(s, actor, "open_case", entity_type="case", entity_id=c.id,
                            detail={"changed": changed, "note_id": note.id,
                                    **_reserved_detail(functions)})
            s.flush()
            summary = self._summary(s, actor, c)
        self._ctx.publish("case", c.id)
        self._ctx.publish("note", c.id, note.id)
        return summary

    def update_details(self, case_id: Id, data: dto.CaseDetailsInput,
                       expected_version: Version) -> dto.CaseSummary:
        """Keep a live case's risk level, eligibility band, legal status and summary up to
        date. A new risk level or legal status is a significant event on the chronology."""
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "update_case_details")
            _live(c)
            same_version(c, expected_version, _STALE)
            clean = _details(data)
            functions = self._check_reserved_change(s, actor, c, clean, "update_case_details")
            if clean["eligibility_band"] != c.eligibility_band:
                clean["band_target_on"] = self._band_target_after(c, clean["eligibility_band"])
            changed = sorted(k for k, v in clean.items() if getattr(c, k) != v)
            events = []
            if "risk_level" in changed:
                events.append(_risk_change(c.risk_level, clean["risk_level"]))
            if "legal_status" in changed:
                events.append(f"Legal status changed from {_legal_words(c.legal_status)} to "
                              f"{_legal_words(clean['legal_status'])}")
            notes = []
            if changed:
                for k in changed:
                    setattr(c, k, clean[k])
                self._touch(c, actor)
                notes = [self._chronology_event(s, actor, c, subject) for subject in events]
                s.flush()
                self._ctx.audit(s, actor, "update_case_details", entity_type="case",
                                entity_id=c.id, detail={"changed": changed,
                                                        "note_ids": [n.id for n in notes],
                                                        **_reserved_detail(functions)})
            s.flush()
            summary = self._summary(s, actor, c)
        if changed:
            self._ctx.publish("case", c.id)
        for n in notes:
            self._ctx.publish("note", c.id, n.id)
        return summary

    def allocation_options(self, case_id: Id) -> dto.AllocationOptions:
        """The case as it stands and the team's case-holding workers with their weighted
        loads: what allocating it offers (to those who may allocate for its team)."""
        with self._read() as s:
            actor = self._actor(s)
            c = self._case(s, case_id)
            self._check(actor, "view_team_workload",
                        perm.decide_allocation(actor, c.team_id or ""),
                        entity_type="case", entity_id=c.id)
            row = s.execute(_joined(select(*_ROW_COLUMNS)).where(Case.id == c.id)).one()
            team = s.get(Team, c.team_id)
            assert team is not None  # the join above found it
            return dto.AllocationOptions(
                case_id=c.id, case_reference=c.reference, person_name=row.person_name,
                team_id=team.id, team_name=team.name, service_area=c.service_area,
                status=c.status, risk_level=c.risk_level, legal_status=c.legal_status,
                named_worker_id=c.named_worker_id, named_worker_name=row.named_worker_name,
                unallocated_since=c.unallocated_since,
                case_weight=weighting.case_weight(c.risk_level, c.legal_status),
                workers=worker_loads(s, team, self._ctx.today()), row_version=c.row_version)

    def allocate(self, case_id: Id, worker_id: Id, reason: Reason,
                 expected_version: Version) -> dto.CaseSummary:
        """Name a worker of the case's team (allocate, or reallocate from the worker who
        holds it), for a stated reason. The history gains a row; nothing in it changes."""
        today = self._ctx.today()
        with self._write() as s:
            actor = self._actor(s)
            c = self._case(s, case_id)
            self._check(actor, "allocate_case", perm.decide_allocation(actor, c.team_id or ""),
                        entity_type="case", entity_id=c.id, detail={"worker_id": worker_id})
            _live(c)
            same_version(c, expected_version, _STALE)
            team = s.get(Team, c.team_id)
            assert team is not None
            problems = _reason_problems(reason)
            worker = allocatable(s, team, worker_id, today)
            if not worker_id:
                problems["worker_id"] = "choose who will be the named worker"
            elif worker is None:
                problems["worker_id"] = NOT_ALLOCATABLE
            elif worker.staff_id == c.named_worker_id:
                problems["worker_id"] = f"{worker.display_name} is already the named worker"
            if problems:
                raise ValidationError.of(problems)
            assert worker is not None
            preview = preview_of(c, worker)
            previous = s.get(Staff, c.named_worker_id) if c.named_worker_id else None
            text = reason.strip()
            row = self._allocation_row(s, actor, c, worker.staff_id, text)
            c.named_worker_id = worker.staff_id
            c.unallocated_since = None
            self._touch(c, actor)
            subject = (f"Reallocated from {previous.display_name} to {worker.display_name}"
                       if previous else f"Allocated to {worker.display_name}")
            note = self._chronology_event(s, actor, c, subject, text)
            self._ctx.audit(s, actor, "allocate_case", entity_type="case", entity_id=c.id,
                            detail={"allocation_id": row.id, "worker_id": worker.staff_id,
                                    "previous_worker_id": previous.id if previous else None,
                                    "load_after": preview.load_after,
                                    "capacity": preview.capacity,
                                    "over_capacity": preview.over_capacity_after})
            s.flush()
            summary = self._summary(s, actor, c)
        self._ctx.publish("allocation", c.id, row.id)
        self._ctx.publish("case", c.id)
        self._ctx.publish("note", c.id, note.id)
        return summary

    def return_to_queue(self, case_id: Id, reason: Reason,
                        expected_version: Version) -> dto.CaseSummary:
        """Take a case from its named worker back to the team's unallocated queue, where the
        team leader is accountable for it until it is allocated again."""
        with self._write() as s:
            actor = self._actor(s)
            c = self._case(s, case_id)
            self._check(actor, "return_case_to_queue",
                        perm.decide_allocation(actor, c.team_id or ""),
                        entity_type="case", entity_id=c.id)
            _live(c)
            same_version(c, expected_version, _STALE)
            problems = _reason_problems(reason)
            if c.named_worker_id is None:
                problems["worker_id"] = "the case is already in the team's unallocated queue"
            if problems:
                raise ValidationError.of(problems)
            previous = s.get(Staff, c.named_worker_id)
            assert previous is not None
            text = reason.strip()
            row = self._allocation_row(s, actor, c, None, text)
            c.named_worker_id = None
            c.unallocated_since = row.started_at
            self._touch(c, actor)
            note = self._chronology_event(
                s, actor, c, f"Returned to the team's unallocated queue from "
                f"{previous.display_name}", text)
            self._ctx.audit(s, actor, "return_case_to_queue", entity_type="case",
                            entity_id=c.id, detail={"allocation_id": row.id,
                                                    "previous_worker_id": previous.id})
            s.flush()
            summary = self._summary(s, actor, c)
        self._ctx.publish("allocation", c.id, row.id)
        self._ctx.publish("case", c.id)
        self._ctx.publish("note", c.id, note.id)
        return summary

    def close(self, case_id: Id, closing_summary: LongText,
              expected_version: Version) -> dto.CaseSummary:
        """Close a case with a closing summary. Closing one under a statutory order is a
        reserved function: only someone the catalogue qualifies today may."""
        today = self._ctx.today()
        with self._write() as s:
            actor = self._actor(s)
            c = self._case(s, case_id)
            statutory = under_statutory_order(c.legal_status)
            decision = perm.decide_close(actor, case_ref(c), statutory, today=today,
                                         catalogue=load_catalogue(s))
            self._check(actor, "close_case", decision, entity_type="case", entity_id=c.id,
                        detail={"statutory_order": statutory, "message": decision.message})
            if c.status == CaseStatus.CLOSED:
                raise ValidationError("status", f"the case was closed on {show_date(c.closed_on)}")
            same_version(c, expected_version, _STALE)
            text = (closing_summary or "").strip()
            if not text:
                raise ValidationError("closing_summary", "say why the case is closing, what "
                                      "was achieved and how to seek help again")
            c.status = CaseStatus.CLOSED.value
            c.closed_on = today
            c.closed_by = actor.id
            c.closing_summary = text
            c.unallocated_since = None  # a closed case no longer waits in the queue
            self._touch(c, actor)
            note = self._chronology_event(s, actor, c, "Case closed", text)
            self._ctx.audit(s, actor, "close_case", entity_type="case", entity_id=c.id,
                            detail={"statutory_order": statutory, "note_id": note.id,
                                    "reserved_function": perm.ReservedFunction
                                    .CLOSE_STATUTORY_CASE.value if statutory else None})
            s.flush()
            summary = self._summary(s, actor, c)
        self._ctx.publish("case", c.id)
        self._ctx.publish("note", c.id, note.id)
        return summary

    # -- lifecycle helpers --------------------------------------------------------------

    def _check_reserved_change(self, s: Session, actor: perm.Actor, c: Case, clean: dict,
                               action: str) -> tuple[perm.ReservedFunction, ...]:
        """Refuse (audited as `action`, nothing written) a change to the case's legal status
        or risk level that carries out a reserved function the actor may not: ending or
        replacing a statutory order, lowering a high risk. Returns the functions it carries
        out, for the audit trail."""
        functions = perm.case_change_functions(
            under_order=under_statutory_order(c.legal_status),
            legal_status_changes=clean["legal_status"] != c.legal_status,
            risk_before=c.risk_level, risk_after=clean["risk_level"])
        if functions:
            decision = perm.decide_case_change(actor, case_ref(c), functions,
                                               today=self._ctx.today(),
                                               catalogue=load_catalogue(s))
            self._check(actor, action, decision, entity_type="case", entity_id=c.id,
                        detail={**_reserved_detail(functions), "message": decision.message})
        return functions


    def _opening(self, c: Case, d: dto.OpenCaseInput) -> dict:
        p: dict[str, str] = {}
        _choice(p, "service_area", d.service_area, ServiceArea, "choose the service area")
        _choice(p, "eligibility_band", d.eligibility_band, EligibilityBand,
                "choose the eligibility band")
        _choice(p, "risk_level", d.risk_level, RiskLevel, "choose the risk level")
        _choice(p, "legal_status", d.legal_status, LegalStatus, "choose the legal status")
        if d.opened_on is None:
            p["opened_on"] = "say when the case was opened"
        elif d.opened_on > self._ctx.today():
            p["opened_on"] = "must not be in the future"
        elif d.opened_on < c.referred_on:
            p["opened_on"] = f"must not be before the referral ({show_date(c.referred_on)})"
        if p:
            raise ValidationError.of(p)
        return dict(service_area=d.service_area, eligibility_band=d.eligibility_band,
                    risk_level=d.risk_level, legal_status=d.legal_status,
                    opened_on=d.opened_on,
                    band_target_on=band_target(d.eligibility_band, d.opened_on))

    def _band_target_after(self, c: Case, band: str | None) -> date | None:
        """The target when the band changes: none for a referral (opening sets it) or a
        band without one; kept when the need stays critical or substantial; six weeks from
        today when it becomes so."""
        if c.status == CaseStatus.REFERRAL or band not in TARGET_BANDS:
            return None
        if c.eligibility_band in TARGET_BANDS and c.band_target_on is not None:
            return c.band_target_on
        return band_target(band, self._ctx.today())

    def _allocation_row(self, s: Session, actor: perm.Actor, c: Case, worker_id: str | None,
                        reason: str) -> Allocation:
        """A new row of the insert-only history. Each row lasts until the next begins, so a
        new one always begins after the latest (even when two happen in one clock tick, or
        another laptop's clock ran ahead)."""
        now = self._ctx.now()
        latest = s.scalar(select(func.max(Allocation.started_at))
                          .where(Allocation.case_id == c.id))
        if latest is not None and latest >= now:
            now = latest + timedelta(microseconds=1)
        row = Allocation(id=new_id(), team_id=c.team_id, case_id=c.id, worker_id=worker_id,
                         started_at=now, reason=reason, allocated_by=actor.id)
        self._touch(row, actor)
        s.add(row)
        return row

    # -- queries ------------------------------------------------------------------------

    def _filters(self, s: Session, q: dto.CaseQuery, *, count: bool) -> tuple[_Shape, dict[str, Any]]:
        """The actor's permission to list this scope (refused and audited otherwise), and
        the query's statement shape and parameters."""
        actor = self._actor(s)
        params: dict[str, Any] = {}
        teams: frozenset[str] = frozenset()
        if q.scope == dto.CaseScope.MINE:
            self._check(actor, "view_own_caseload",
                        perm.decide_action(actor, perm.Action.VIEW_OWN_CASELOAD))
            params["worker_id"] = actor.id
        else:
            action = (perm.Action.VIEW_TEAM_CASELOAD if q.scope == dto.CaseScope.TEAM
                      else perm.Action.VIEW_UNALLOCATED)
            self._check(actor, action.value,
                        perm.decide_team_caseload(actor, action, q.team_id))
            teams = (frozenset({q.team_id}) if q.team_id is not None
                     else perm.caseload_team_ids(actor))
            _values(params, "team", sorted(teams))
        _values(params, "status", q.statuses)
        _values(params, "risk_level", q.risk_levels)
        _values(params, "service_area", q.service_areas)
        text: tuple = ()
        if q.text.strip():
            text, words = _text_params(q.text.strip())
            params |= words
        shape = _Shape(q.scope, len(teams), len(q.statuses), len(q.risk_levels),
                       len(q.service_areas), text, q.sort, q.descending, count)
        return shape, params

    def _summary(self, s: Session, actor: perm.Actor, c: Case) -> dto.CaseSummary:
        """The case with what this actor may do to it."""
        ref = case_ref(c)
        return replace(case_summary(s, c), abilities=dto.CaseAbilities(
            record=bool(perm.decide_case_work(actor, ref)),
            allocate=bool(perm.decide_allocation(actor, c.team_id or "")),
            # Whether it is under a statutory order is the closing dialog's to explain.
            close=bool(perm.decide_close(actor, ref, False, today=self._ctx.today())),
        ))


_allocated, _allocated_by, _author = (aliased(Staff, name="allocated_worker"),
                                     aliased(Staff, name="allocated_by"),
                                     aliased(Staff, name="note_author"))
_CASE_ROW = _joined(select(*_ROW_COLUMNS)).where(Case.id == bindparam("case_id"))
_PERSON = select(Person.id, Person.given_name, Person.family_name, Person.date_of_birth,
                 Person.chi, Person.address, Person.postcode, Person.phone,
                 Person.communication_needs, Person.contact_preference,
                 Person.what_matters).where(Person.id == bindparam("person_id"))
_ALLOCATIONS = (
    select(Allocation.worker_id, _allocated.display_name, Allocation.started_at,
           Allocation.reason, _allocated_by.display_name)
    .outerjoin(_allocated, _allocated.id == Allocation.worker_id)
    .outerjoin(_allocated_by, _allocated_by.id == Allocation.allocated_by)
    .where(Allocation.case_id == bindparam("case_id"))
    .order_by(Allocation.started_at.desc(), Allocation.id)
)
_RECENT_NOTES = (
    select(CaseNote.id, CaseNote.note_type, CaseNote.occurred_at, CaseNote.subject,
           _author.display_name, CaseNote.significant, CaseNote.corrects_id)
    .join(_author, _author.id == CaseNote.author_id)
    .where(CaseNote.case_id == bindparam("case_id"))
    .order_by(CaseNote.occurred_at.desc(), CaseNote.id)
    .limit(RECENT_NOTES)
)
_NOTE_COUNT = select(func.count()).where(CaseNote.case_id == bindparam("case_id"))


def case_summary(s: Session, c: Case) -> dto.CaseSummary:
    """The case as its window and its summary PDF show it (the caller has checked
    access)."""
    s.flush()  # the statements below run on the connection: let them see what is pending
    run = s.connection().execute
    by_case = {"case_id": c.id}
    row = run(_CASE_ROW, by_case).one()
    p = run(_PERSON, {"person_id": c.person_id}).one()
    allocations = []
    ended = None
    # Newest first: each lasts until the one after it began.
    for a in run(_ALLOCATIONS, by_case).all():
        allocations.append(dto.AllocationEntry(a[0], a[1], a[2], ended, a[3], a[4]))
        ended = a[2]
    notes = run(_RECENT_NOTES, by_case).all()
    note_count = run(_NOTE_COUNT, by_case).scalar() or 0
    return dto.CaseSummary(
        case=dto.CaseRow(*row),
        person=dto.PersonInfo(*p),
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


# -- the lifecycle's small rules ----------------------------------------------------------

def under_statutory_order(legal_status: str) -> bool:
    """Whether closing the case is the reserved function; a legal status this version does
    not know is treated as an order, so that no closure escapes the check."""
    try:
        return LegalStatus(legal_status).statutory_order
    except ValueError:
        return True


def _reserved_detail(functions: tuple[perm.ReservedFunction, ...]) -> dict:
    return {"reserved_functions": [f.value for f in functions]} if functions else {}


def _live(c: Case) -> None:
    if c.status not in LIVE_STATUSES:
        raise ValidationError("status", f"the case was closed on {show_date(c.closed_on)}; "
                              f"it is kept as it was")


def _choice(p: dict[str, str], key: str, value: str | None, vocab, missing: str) -> None:
    if not value:
        p[key] = missing
        return
    try:
        vocab(value)
    except ValueError:
        p[key] = f"is not one of the choices ({value!r})"


def _details(d: dto.CaseDetailsInput) -> dict:
    p: dict[str, str] = {}
    _choice(p, "risk_level", d.risk_level, RiskLevel, "choose the risk level")
    _choice(p, "legal_status", d.legal_status, LegalStatus, "choose the legal status")
    if d.eligibility_band:
        _choice(p, "eligibility_band", d.eligibility_band, EligibilityBand, "")
    summary = (d.summary or "").strip()
    if p:
        raise ValidationError.of(p)
    return dict(risk_level=d.risk_level, eligibility_band=d.eligibility_band or None,
                legal_status=d.legal_status, summary=summary or None)


def _reason_problems(reason: str) -> dict[str, str]:
    text = (reason or "").strip()
    if not text:
        return {"reason": "say why the named worker changes"}
    return {}


def _risk_change(old: str, new: str) -> str:
    try:
        before, after = RiskLevel(old), RiskLevel(new)
    except ValueError:
        return f"Risk level changed from {old} to {new}"
    verb = "raised" if after.rank > before.rank else "lowered"
    return f"Risk level {verb} from {before.label.lower()} to {after.label.lower()}"


def _legal_words(value: str) -> str:
    try:
        return LegalStatus(value).label
    except ValueError:
        return value


def _status_words(value: str) -> str:
    try:
        return CaseStatus(value).label.lower()
    except ValueError:
        return value
