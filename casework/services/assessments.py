"""Assessments: drafts, contributions and sign-off.

An assessment is participative: the person's own view, a carer's, the worker's and other
agencies' are recorded as contributions, each in their words. Anyone who may record on the
case drafts it, and so does whoever was asked to prepare it (a para-professional may be):
that request opens this one assessment to them and nothing else of the case. Signing off is
a practitioner's; for a statutory kind or a high assessed risk it is a reserved function,
decided by registration and accreditation, never by job title. Signed off, it never changes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased

from casework import permissions as perm
from casework.errors import ValidationError
from casework.models import Assessment, AssessmentContribution, Case, KeyPerson, Person, Staff
from casework.models.base import new_id
from casework import dto
from casework.fields import CONTRIBUTOR, Code, Id, Limit, Offset, Text, Version
from casework.sign_off_rules import still_needed
from casework.services.base import (
    Service,
    case_ref,
    live_row,
    load_catalogue,
    same_version,
)
from casework.timeutil import LONDON, as_utc, show_date
from casework.vocab import (
    AssessmentKind,
    AssessmentStatus,
    CaseStatus,
    ContributorRole,
    KeyPersonKind,
    RiskLevel,
)

CONTRIBUTOR_NAME = Text(CONTRIBUTOR)
# Who may be asked to prepare a draft: the team's practitioners and para-professionals.
DRAFTER_ROLES = perm.PRACTITIONER_ROLES | {perm.Role.PARA_PROFESSIONAL}
SECTIONS = ("strengths", "needs", "risks", "outcomes_wanted", "analysis")

_STALE = ("Someone else changed this assessment since you opened it; nothing was saved. "
          "Reopen it to see their changes.")


class AssessmentService(Service):
    # -- reading ------------------------------------------------------------------------

    def list(self, case_id: Id) -> tuple[dto.AssessmentRow, ...]:
        """The case's assessments, newest first."""
        with self._read() as s:
            self._case_to_read(s, case_id, "view_assessments")
            return _as_rows(s.connection().execute(_OF_CASE, {"case_id": case_id}).all())

    def get(self, assessment_id: Id) -> dto.AssessmentDetail:
        """One assessment: for those who may read the case, and for whoever was asked to
        prepare it while it is a draft."""
        with self._read() as s:
            a, _c = self._to_read(s, assessment_id)
            return _detail(s, a)

    def start_options(self, case_id: Id) -> dto.AssessmentStartOptions:
        """The carers a carer's assessment may be about, and who may be asked to draft."""
        with self._read() as s:
            _actor, c = self._case_to_work_on(s, case_id, "start_assessment")
            return dto.AssessmentStartOptions(c.id, _carers(s, c), _drafters(s, c.team_id))

    def my_drafts(self, offset: Offset = 0, limit: Limit = 100) -> dto.Page[dto.DraftRow]:
        """Drafts I have been asked to prepare (or started myself), oldest first."""
        with self._read() as s:
            actor = self._require(s, perm.Action.VIEW_OWN_DRAFTS)
            rows = tuple(dto.DraftRow(*r) for r in s.connection().execute(
                _MY_DRAFTS, {"drafter_id": actor.id, "offset": offset, "limit": limit}))
        return dto.Page(rows, offset, limit)

    def count_my_drafts(self) -> int:
        with self._read() as s:
            actor = self._require(s, perm.Action.VIEW_OWN_DRAFTS)
            return s.scalar(select(func.count()).select_from(Assessment)
                            .join(Case, Case.id == Assessment.case_id)
                            .where(*_my_drafts(actor.id))) or 0

    # -- drafting -----------------------------------------------------------------------

    def start(self, case_id: Id, kind: Code, carer_id: Id | None = None,
              drafter_id: Id | None = None) -> dto.AssessmentDetail:
        """Start a draft. Without a drafter named, the person starting it prepares it."""
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "start_assessment")
            problems: dict[str, str] = {}
            if c.status == CaseStatus.CLOSED:
                problems["case"] = "the case is closed; open a new referral to assess again"
            if kind not in {k.value for k in AssessmentKind}:
                problems["kind"] = "choose a kind of assessment"
            elif kind == AssessmentKind.CARERS:
                carer = s.get(KeyPerson, carer_id) if carer_id else None
                if carer_id is None:
                    problems["carer_id"] = "a carer's assessment is about one carer: choose them"
                elif (carer is None or carer.deleted_at is not None
                      or carer.person_id != c.person_id or not _is_carer(carer.kind)):
                    problems["carer_id"] = "must be one of the person's carers"
            elif carer_id is not None:
                problems["carer_id"] = "only a carer's assessment is about a carer"
            if drafter_id is not None:
                d = s.get(Staff, drafter_id)
                if (d is None or not d.active or d.deleted_at is not None
                        or d.team_id != c.team_id or d.role not in DRAFTER_ROLES):
                    problems["drafter_id"] = ("must be an active practitioner or "
                                              "para-professional of the case's team")
            if problems:
                raise ValidationError.of(problems)
            a = Assessment(
                id=new_id(), team_id=c.team_id, case_id=c.id, kind=kind,
                status=AssessmentStatus.DRAFT.value, started_on=self._ctx.today(),
                carer_id=carer_id, created_by=actor.id, drafter_id=drafter_id or actor.id,
            )
            self._touch(a, actor)
            s.add(a)
            s.flush()
            self._ctx.audit(s, actor, "start_assessment", entity_type="assessment",
                            entity_id=a.id, detail={"case_id": c.id, "kind": kind,
                                                    "drafter_id": a.drafter_id})
            detail = _detail(s, a)
        self._ctx.publish("assessment", c.id, a.id)
        return detail

    def update_draft(self, assessment_id: Id, data: dto.AssessmentInput,
                     expected_version: Version) -> dto.AssessmentDetail:
        with self._write() as s:
            actor, a, c = self._draft_to_edit(s, assessment_id, "update_assessment")
            same_version(a, expected_version, _STALE)
            clean = _clean_input(data)
            functions = self._check_reserved_change(s, actor, a, c, clean, "update_assessment")
            changed = [k for k, v in clean.items() if getattr(a, k) != v]
            for k in changed:
                setattr(a, k, clean[k])
            if changed:
                self._touch(a, actor)
                # Field names only: the audit trail is read by administrators, who see no
                # case content.
                self._ctx.audit(s, actor, "update_assessment", entity_type="assessment",
                                entity_id=a.id, detail={"changed": changed, **(
                                    {"reserved_functions": [f.value for f in functions]}
                                    if functions else {})})
            s.flush()
            detail = _detail(s, a)
        if changed:
            self._ctx.publish("assessment", c.id, a.id)
        return detail

    def add_contribution(self, assessment_id: Id,
                         data: dto.ContributionInput) -> dto.AssessmentDetail:
        with self._write() as s:
            actor, a, c = self._draft_to_edit(s, assessment_id, "add_assessment_contribution")
            clean = self._contribution_fields(s, actor, c, data)
            row = AssessmentContribution(id=new_id(), team_id=c.team_id, assessment_id=a.id,
                                         **clean)
            self._touch(row, actor)
            s.add(row)
            s.flush()
            self._ctx.audit(s, actor, "add_assessment_contribution", entity_type="assessment",
                            entity_id=a.id, detail={"contribution_id": row.id,
                                                    "contributor": clean["contributor"]})
            detail = _detail(s, a)
        self._ctx.publish("assessment", c.id, a.id)
        return detail

    def update_contribution(self, contribution_id: Id, data: dto.ContributionInput,
                            expected_version: Version) -> dto.AssessmentDetail:
        with self._write() as s:
            row = _contribution(s, contribution_id)
            actor, a, c = self._draft_to_edit(s, row.assessment_id,
                                              "update_assessment_contribution")
            same_version(row, expected_version, _STALE)
            clean = self._contribution_fields(s, actor, c, data)
            for k, v in clean.items():
                setattr(row, k, v)
            self._touch(row, actor)
            self._ctx.audit(s, actor, "update_assessment_contribution",
                            entity_type="assessment", entity_id=a.id,
                            detail={"contribution_id": row.id,
                                    "contributor": clean["contributor"]})
            s.flush()
            detail = _detail(s, a)
        self._ctx.publish("assessment", c.id, a.id)
        return detail

    def remove_contribution(self, contribution_id: Id,
                            expected_version: Version) -> dto.AssessmentDetail:
        """Take a contribution out of a draft (kept, marked deleted, for the sync)."""
        with self._write() as s:
            row = _contribution(s, contribution_id)
            actor, a, c = self._draft_to_edit(s, row.assessment_id,
                                              "remove_assessment_contribution")
            same_version(row, expected_version, _STALE)
            row.deleted_at = self._ctx.now()
            self._touch(row, actor)
            self._ctx.audit(s, actor, "remove_assessment_contribution",
                            entity_type="assessment", entity_id=a.id,
                            detail={"contribution_id": row.id, "contributor": row.contributor})
            s.flush()
            detail = _detail(s, a)
        self._ctx.publish("assessment", c.id, a.id)
        return detail

    # -- signing off --------------------------------------------------------------------

    def sign_off(self, assessment_id: Id, expected_version: Version,
                 changes: dto.AssessmentInput | None = None) -> dto.SignOffResult:
        """Sign a complete draft off, with `changes` typed since it was last saved (saving
        and signing off are one act: refused or incomplete, neither is kept, and the editor
        keeps what was typed). The case's own risk level is left as it is; the result says
        when the assessed risk is above it."""
        today = self._ctx.today()
        with self._write() as s:
            actor = self._actor(s)
            a = _assessment(s, assessment_id)
            c = self._case(s, a.case_id)
            clean = _clean_input(changes) if changes is not None else None
            risk = clean["risk_level"] if clean is not None else a.risk_level
            catalogue = load_catalogue(s)
            decision = perm.decide_sign_off(actor, case_ref(c), a.kind, risk,
                                            today=today, catalogue=catalogue)
            lowering = perm.draft_change_functions(a.risk_level, risk)
            if decision and lowering:
                decision = perm.decide_reserved_all(actor, lowering, today=today,
                                                    catalogue=catalogue)
            self._check(actor, "sign_off_assessment", decision, entity_type="assessment",
                        entity_id=a.id, detail={"case_id": c.id, "kind": a.kind,
                                                "risk_level": risk,
                                                "message": decision.message,
                                                **({"reserved_functions": [
                                                    f.value for f in lowering]}
                                                   if lowering else {})})
            self._check_draft(s, actor, a, "sign_off_assessment")
            same_version(a, expected_version, _STALE)
            changed = []
            if clean is not None:
                changed = [k for k, v in clean.items() if getattr(a, k) != v]
                for k in changed:
                    setattr(a, k, clean[k])
            self._complete(s, a)
            functions = lowering + perm.sign_off_functions(a.kind, a.risk_level)
            a.status = AssessmentStatus.SIGNED_OFF.value
            a.signed_off_by = actor.id
            a.signed_off_at = self._ctx.now()
            self._touch(a, actor)
            above = _rank(a.risk_level) > _rank(c.risk_level)
            body = [f"Assessed risk: {RiskLevel(a.risk_level).label.lower()}."]
            if above:
                body.append(f"This is above the case's recorded risk "
                            f"({_risk_label(c.risk_level)}); the case's risk level was not "
                            f"changed.")
            note = self._chronology_event(
                s, actor, c, f"{AssessmentKind(a.kind).label} signed off by "
                f"{actor.display_name}", " ".join(body))
            self._ctx.audit(s, actor, "sign_off_assessment", entity_type="assessment",
                            entity_id=a.id, detail={
                                "case_id": c.id, "kind": a.kind, "risk_level": a.risk_level,
                                "reserved_functions": [str(f) for f in functions],
                                "risk_above_case": above,
                                **({"changed": changed} if changed else {})})
            s.flush()
            result = dto.SignOffResult(_detail(s, a), tuple(str(f) for f in functions),
                                       c.risk_level, above)
        self._ctx.publish("assessment", c.id, a.id)
        self._ctx.publish("note", c.id, note.id)
        return result

    # -- checks -------------------------------------------------------------------------

    def _to_read(self, s: Session, assessment_id: str) -> tuple[Assessment, Case]:
        actor = self._actor(s)
        a = _assessment(s, assessment_id)
        if a.drafter_id == actor.id and a.status == AssessmentStatus.DRAFT:
            c = self._case(s, a.case_id)
            self._check(actor, "view_assessment",
                        perm.decide_assessment_draft(actor, case_ref(c), a.drafter_id),
                        entity_type="assessment", entity_id=a.id)
            return a, c
        _actor, c = self._case_to_read(s, a.case_id, "view_assessment")
        return a, c

    def _draft_to_edit(self, s: Session, assessment_id: str,
                       action: str) -> tuple[perm.Actor, Assessment, Case]:
        """The actor, the assessment and its case, when the actor may draft it and it is
        still a draft (refused and audited as `action` otherwise)."""
        actor = self._actor(s)
        a = _assessment(s, assessment_id)
        c = self._case(s, a.case_id)
        self._check(actor, action, perm.decide_assessment_draft(actor, case_ref(c), a.drafter_id),
                    entity_type="assessment", entity_id=a.id)
        self._check_draft(s, actor, a, action)
        return actor, a, c

    def _check_reserved_change(self, s: Session, actor: perm.Actor, a: Assessment, c: Case,
                               clean: dict, action: str) -> tuple[perm.ReservedFunction, ...]:
        """Refuse (audited as `action`, nothing written) a change that lowers the draft's
        assessed risk from high unless the actor may: its sign-off would otherwise stop being
        reserved. Returns the functions the change carries out."""
        functions = perm.draft_change_functions(a.risk_level, clean["risk_level"])
        if functions:
            decision = perm.decide_draft_change(actor, case_ref(c), a.drafter_id, functions,
                                                today=self._ctx.today(),
                                                catalogue=load_catalogue(s))
            self._check(actor, action, decision, entity_type="assessment", entity_id=a.id,
                        detail={"case_id": c.id,
                                "reserved_functions": [f.value for f in functions],
                                "message": decision.message})
        return functions

    def _check_draft(self, s: Session, actor: perm.Actor, a: Assessment, action: str) -> None:
        if a.status == AssessmentStatus.DRAFT:
            return
        who = s.get(Staff, a.signed_off_by) if a.signed_off_by else None
        self._check(actor, action, perm.decide_still_draft(
            False, signed_off_by=who.display_name if who else None,
            signed_off_on=show_date(_london_date(a.signed_off_at)) if a.signed_off_at else ""),
            entity_type="assessment", entity_id=a.id)

    def _complete(self, s: Session, a: Assessment) -> None:
        """Everything a signed-off assessment must hold (sign_off_rules), each missing part
        named under its field."""
        contributions = s.execute(
            select(AssessmentContribution.contributor, AssessmentContribution.key_person_id)
            .where(AssessmentContribution.assessment_id == a.id,
                   AssessmentContribution.deleted_at.is_(None))).all()
        carer = s.get(KeyPerson, a.carer_id) if a.carer_id else None
        missing = still_needed(
            kind=a.kind, needs=a.needs, outcomes_wanted=a.outcomes_wanted,
            risk_level=a.risk_level, contributions=[(r, k) for r, k in contributions],
            carer_id=a.carer_id,
            carer_name=f"{carer.given_name} {carer.family_name}" if carer else None)
        if missing:
            raise ValidationError.of({k: m.problem for k, m in missing.items()})

    def _contribution_fields(self, s: Session, actor: perm.Actor, c: Case,
                             d: dto.ContributionInput) -> dict:
        problems: dict[str, str] = {}
        try:
            role = ContributorRole(d.contributor)
        except ValueError:
            problems["contributor"] = "choose who contributed"
            role = None
        key_person = None
        if d.key_person_id:
            key_person = s.get(KeyPerson, d.key_person_id)
            if (key_person is None or key_person.deleted_at is not None
                    or key_person.person_id != c.person_id):
                problems["key_person_id"] = "must be one of the person's key people"
                key_person = None
            elif role == ContributorRole.CARER and not _is_carer(key_person.kind):
                problems["key_person_id"] = "is not recorded as one of the person's carers"
            elif role in (ContributorRole.PERSON, ContributorRole.WORKER):
                problems["key_person_id"] = "only a carer or someone else is a key person"
        name = (d.name or "").strip()
        if not name:
            if role == ContributorRole.PERSON:
                p = s.get(Person, c.person_id)
                name = f"{p.given_name} {p.family_name}" if p else ""
            elif role == ContributorRole.WORKER:
                name = actor.display_name
            elif key_person is not None:
                name = f"{key_person.given_name} {key_person.family_name}"
        if not name:
            problems["name"] = "say who contributed"
        elif (problem := CONTRIBUTOR_NAME.problem(name)) is not None:
            problems["name"] = problem  # a key person's full name can be longer than fits
        text = (d.contribution or "").strip()
        if not text:
            problems["contribution"] = "record what they said, in their words"
        if d.given_on is None:
            problems["given_on"] = "say when they gave it"
        elif d.given_on > self._ctx.today():
            problems["given_on"] = "must not be in the future"
        if problems:
            raise ValidationError.of(problems)
        assert role is not None
        return dict(contributor=role.value, name=name,
                    key_person_id=key_person.id if key_person else None,
                    staff_id=actor.id if role == ContributorRole.WORKER else None,
                    contribution=text, given_on=d.given_on)


# -- queries ------------------------------------------------------------------------------

def _assessment(s: Session, assessment_id: str) -> Assessment:
    return live_row(s, Assessment, assessment_id, "assessment")


def _contribution(s: Session, contribution_id: str) -> AssessmentContribution:
    return live_row(s, AssessmentContribution, contribution_id, "contribution")


def _my_drafts(actor_id) -> tuple:
    """Drafts `actor_id` (an id, or a bound parameter standing for one) was asked to prepare."""
    return (Assessment.drafter_id == actor_id,
            Assessment.status == AssessmentStatus.DRAFT.value,
            Assessment.deleted_at.is_(None), Case.deleted_at.is_(None))


# Built once: an alias or a statement made afresh on each call costs more than the query.
_asked_by = aliased(Staff, name="asked_by")
_MY_DRAFTS = (
    select(Assessment.id, Case.id, Case.reference,
           (Person.given_name + " " + Person.family_name), Assessment.kind,
           Assessment.started_on, _asked_by.id, _asked_by.display_name,
           Assessment.row_version)
    .join(Case, Case.id == Assessment.case_id)
    .join(Person, Person.id == Case.person_id)
    .join(_asked_by, _asked_by.id == Assessment.created_by)
    .where(*_my_drafts(bindparam("drafter_id")))
    .order_by(Assessment.started_on, Assessment.id)
    .offset(bindparam("offset")).limit(bindparam("limit"))
)
_created, _drafter, _signer = (aliased(Staff, name="created_by"), aliased(Staff, name="drafter"),
                               aliased(Staff, name="signer"))
_ROWS = (
    select(Assessment.id, Assessment.case_id, Assessment.kind, Assessment.status,
           Assessment.risk_level, Assessment.started_on, _created.display_name,
           Assessment.drafter_id, _drafter.display_name,
           (KeyPerson.given_name + " " + KeyPerson.family_name),
           _signer.display_name, Assessment.signed_off_at, Assessment.row_version)
    .join(_created, _created.id == Assessment.created_by)
    .outerjoin(_drafter, _drafter.id == Assessment.drafter_id)
    .outerjoin(_signer, _signer.id == Assessment.signed_off_by)
    .outerjoin(KeyPerson, KeyPerson.id == Assessment.carer_id)
)
_NEWEST_FIRST = (Assessment.started_on.desc(), Assessment.updated_at.desc(), Assessment.id)
_OF_CASE = (_ROWS.where(Assessment.case_id == bindparam("case_id"),
                        Assessment.deleted_at.is_(None)).order_by(*_NEWEST_FIRST))


def _rows(s: Session, where) -> tuple[dto.AssessmentRow, ...]:
    return _as_rows(s.execute(_ROWS.where(where, Assessment.deleted_at.is_(None))
                              .order_by(*_NEWEST_FIRST)).all())


def _as_rows(result) -> tuple[dto.AssessmentRow, ...]:
    return tuple([dto.AssessmentRow(*r) for r in result])


def _detail(s: Session, a: Assessment) -> dto.AssessmentDetail:
    c = s.get(Case, a.case_id)
    assert c is not None
    p = s.get(Person, c.person_id)
    assert p is not None
    names = {}
    for staff_id in {a.created_by, a.drafter_id, a.signed_off_by} - {None}:
        st = s.get(Staff, staff_id)
        names[staff_id] = st.display_name if st else ""
    key_people = _key_people(s, c.person_id)
    carer = next((k for k in key_people if k.id == a.carer_id), None)
    contributions = tuple(
        dto.ContributionInfo(r.id, r.contributor, r.name, r.key_person_id, r.staff_id,
                             r.contribution, r.given_on, r.row_version)
        for r in s.scalars(
            select(AssessmentContribution)
            .where(AssessmentContribution.assessment_id == a.id,
                   AssessmentContribution.deleted_at.is_(None))
            .order_by(AssessmentContribution.given_on, AssessmentContribution.updated_at,
                      AssessmentContribution.id)))
    return dto.AssessmentDetail(
        id=a.id, case_id=c.id, case_reference=c.reference,
        person_name=f"{p.given_name} {p.family_name}", case_risk_level=c.risk_level,
        kind=a.kind, status=a.status, started_on=a.started_on, carer_id=a.carer_id,
        carer_name=carer.name if carer else None, risk_level=a.risk_level,
        strengths=a.strengths, needs=a.needs, risks=a.risks,
        outcomes_wanted=a.outcomes_wanted, analysis=a.analysis,
        created_by_id=a.created_by, created_by_name=names.get(a.created_by, ""),
        drafter_id=a.drafter_id, drafter_name=names.get(a.drafter_id) if a.drafter_id else None,
        signed_off_by_id=a.signed_off_by,
        signed_off_by_name=names.get(a.signed_off_by) if a.signed_off_by else None,
        signed_off_at=a.signed_off_at, contributions=contributions, key_people=key_people,
        row_version=a.row_version,
    )


def _key_people(s: Session, person_id: str) -> tuple[dto.KeyPersonChoice, ...]:
    rows = s.scalars(select(KeyPerson).where(KeyPerson.person_id == person_id,
                                             KeyPerson.deleted_at.is_(None))
                     .order_by(KeyPerson.family_name, KeyPerson.given_name, KeyPerson.id))
    return tuple(dto.KeyPersonChoice(k.id, f"{k.given_name} {k.family_name}", k.kind,
                                     k.relationship, _is_carer(k.kind)) for k in rows)


def _carers(s: Session, c: Case) -> tuple[dto.KeyPersonChoice, ...]:
    return tuple(k for k in _key_people(s, c.person_id) if k.is_carer)


def _drafters(s: Session, team_id: str | None) -> tuple[dto.StaffChoice, ...]:
    if team_id is None:
        return ()
    rows = s.execute(
        select(Staff.id, Staff.display_name, Staff.role)
        .where(Staff.team_id == team_id, Staff.active.is_(True), Staff.deleted_at.is_(None),
               Staff.role.in_([r.value for r in DRAFTER_ROLES]))
        .order_by(Staff.display_name, Staff.id))
    return tuple(dto.StaffChoice(i, n, perm.Role(r)) for i, n, r in rows)


# -- small rules --------------------------------------------------------------------------

def _clean_input(d: dto.AssessmentInput) -> dict:
    problems: dict[str, str] = {}
    clean: dict = {}
    if d.risk_level is not None and d.risk_level not in {r.value for r in RiskLevel}:
        problems["risk_level"] = "must be low, medium or high"
    clean["risk_level"] = d.risk_level or None
    for name in SECTIONS:
        clean[name] = (getattr(d, name) or "").strip() or None
    if problems:
        raise ValidationError.of(problems)
    return clean



def _london_date(dt: datetime) -> date:
    return as_utc(dt).astimezone(LONDON).date()


def _is_carer(kind: str) -> bool:
    try:
        return KeyPersonKind(kind).is_carer
    except ValueError:
        return False


def _rank(risk: str | None) -> int:
    try:
        return RiskLevel(risk).rank if risk else -1
    except ValueError:
        return -1


def _risk_label(risk: str) -> str:
    try:
        return RiskLevel(risk).label.lower()
    except ValueError:
        return risk

