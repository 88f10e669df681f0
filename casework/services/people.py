"""People who use services, their key people and carers, and referrals.

A referral either becomes a new case for someone already recorded or records a new person.
Before a new person is made, possible duplicates are shown: anyone with the same CHI number,
or with the same name (accents and case folded) and date of birth. A CHI number belongs to
one person only. A new case waits in its team's unallocated queue, visibly, until a team
leader allocates it.

Key people are the person's, not one case's: a change made through one case shows on every
case of the person.
"""

from __future__ import annotations

from typing import Annotated
import re
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from casework import permissions as perm
from casework.birth import birth_date_problem
from casework.chi import chi_problem, is_digits, normalise
from casework.errors import Conflict, NotFound, ValidationError
from casework.models import Allocation, Case, KeyPerson, Person, Staff, Team
from casework.models.base import new_id
from casework import dto
from casework.fields import CHI_TYPED, Id, NAME, Text, Version
from casework.services.base import Service
from casework.text import fold, name_key
from casework.timeutil import show_date
from casework.vocab import (
    LIVE_STATUSES,
    CaseStatus,
    KeyPersonKind,
    LegalStatus,
    RiskLevel,
    ServiceArea,
    SupportPlanStatus,
)

MAX_MATCHES = 20
REFERENCE_PREFIX = "CW-"
QUEUE_REASON = "Referral received"

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")
_PHONE = re.compile(r"^[0-9+() -]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LIVE = [s.value for s in LIVE_STATUSES]

_STALE_PERSON = ("Someone else changed this person's details since you opened them; nothing "
                 "was saved. Reload to see their changes.")
_STALE_KEY_PERSON = ("Someone else changed this key person since you opened them; nothing was "
                     "saved. Reload to see their changes.")
# Built once: an alias made on every call costs more than the query that uses it.
_named_worker = aliased(Staff, name="named_worker")


class PeopleService(Service):
    # -- referrals ----------------------------------------------------------------------

    def referral_options(self) -> dto.ReferralOptions:
        """The teams the actor may record a referral in, with each team's service area."""
        with self._read() as s:
            actor = self._require(s, perm.Action.RECORD_REFERRAL)
            teams = _teams(s, perm.referral_team_ids(actor))
        choose = actor.role == perm.Role.SERVICE_MANAGER
        default = actor.team_id if actor.team_id in {t.id for t in teams} else None
        if default is None and len(teams) == 1:
            default = teams[0].id
        return dto.ReferralOptions(teams, choose, default)

    def find_duplicates(self, *, given_name: Annotated[str, Text(NAME)] = "",
                        family_name: Annotated[str, Text(NAME)] = "",
                        date_of_birth: date | None = None,
                        chi: Annotated[str | None, Text(CHI_TYPED)] = None
                        ) -> tuple[dto.PersonMatch, ...]:
        """People already recorded who may be this person: the same CHI number, or the
        same folded name and date of birth. Of another team's people, only what recognises
        them is said."""
        with self._read() as s:
            actor = self._actor(s)
            self._check(actor, "find_people",
                        perm.decide_action(actor, perm.Action.RECORD_REFERRAL))
            return _matches(s, actor, given_name, family_name, date_of_birth, chi)

    def record_referral(self, data: dto.ReferralInput) -> dto.ReferralResult:
        """A new case in the team's unallocated queue, for an existing person or a new one."""
        today = self._ctx.today()
        with self._write() as s:
            actor = self._require(s, perm.Action.RECORD_REFERRAL)
            team = self._referral_team(s, actor, data.team_id)
            problems = _referral_problems(data, today)
            service_area = data.service_area or team.service_area
            if data.service_area and data.service_area not in {a.value for a in ServiceArea}:
                problems["service_area"] = "choose a service area"
            existing: Person | None = None
            fields: dict = {}
            if data.person_id is not None:
                existing = s.get(Person, data.person_id)
                if existing is None or existing.deleted_at is not None:
                    problems["person_id"] = "must be someone already recorded"
                    existing = None
                elif (existing.date_of_birth and data.referred_on
                      and data.referred_on < existing.date_of_birth):
                    problems["referred_on"] = "must not be before the person was born"
            elif data.person is None:
                problems["person"] = "say who is referred"
            else:
                fields, person_problems = _person_fields(data.person, today)
                problems.update(person_problems)
                born = fields.get("date_of_birth")
                if (born and data.referred_on and "date_of_birth" not in person_problems
                        and data.referred_on < born):
                    problems.setdefault("referred_on", "must not be before the person was born")
                if fields.get("chi") and "chi" not in problems:
                    holder = _holder_of_chi(s, fields["chi"])
                    if holder is not None:
                        problems["chi"] = _chi_taken(holder)
                identity = {"given_name", "family_name", "date_of_birth"}
                if not data.new_person_confirmed and not identity & problems.keys():
                    same = _same_name_and_birth(s, fields["name_key"], born)
                    if same:
                        problems["person_id"] = _possible_duplicate(same)
            if problems:
                raise ValidationError.of(problems)

            now = self._ctx.now()
            created = existing is None
            if existing is None:
                person = Person(id=new_id(), team_id=team.id, **fields)
                self._touch(person, actor)
                s.add(person)
                s.flush()
                self._ctx.audit(s, actor, "create_person", entity_type="person",
                                entity_id=person.id,
                                detail={"recorded": sorted(k for k, v in fields.items()
                                                           if v and k != "name_key")})
            else:
                person = existing
            c = Case(
                id=new_id(), team_id=team.id, reference=_next_reference(s),
                person_id=person.id, service_area=service_area,
                status=CaseStatus.REFERRAL.value, eligibility_band=None,
                risk_level=data.risk_level, legal_status=LegalStatus.VOLUNTARY.value,
                named_worker_id=None, unallocated_since=now, referred_on=data.referred_on,
                referral_source=data.referral_source.strip(),
                referral_reason=data.referral_reason.strip(),
            )
            self._touch(c, actor)
            s.add(c)
            s.flush()
            # Insert-only history: the case starts visibly in the team's queue.
            queue = Allocation(id=new_id(), team_id=team.id, case_id=c.id, worker_id=None,
                               started_at=now, reason=QUEUE_REASON, allocated_by=actor.id)
            self._touch(queue, actor)
            s.add(queue)
            note = self._chronology_event(
                s, actor, c, f"Referral received from {c.referral_source}",
                c.referral_reason or "")
            s.flush()
            self._ctx.audit(s, actor, "record_referral", entity_type="case", entity_id=c.id,
                            detail={"reference": c.reference, "person_id": person.id,
                                    "person_created": created, "team_id": team.id,
                                    "service_area": service_area,
                                    "risk_level": data.risk_level})
            result = dto.ReferralResult(
                case_id=c.id, case_reference=c.reference, person_id=person.id,
                person_name=f"{person.given_name} {person.family_name}",
                person_created=created, team_id=team.id, team_name=team.name,
                service_area=service_area)
        self._ctx.publish("case", c.id, person.id)
        self._ctx.publish("note", c.id, note.id)
        if created:
            self._ctx.publish("person", c.id, person.id)
        return result

    def _referral_team(self, s: Session, actor: perm.Actor, team_id: str | None) -> Team:
        """The team a referral goes to: the actor's own, or for a service manager one of
        the teams they manage (refused and audited otherwise)."""
        allowed = perm.referral_team_ids(actor)
        if team_id is None:
            if actor.team_id is not None and actor.role != perm.Role.SERVICE_MANAGER:
                team_id = actor.team_id
            elif len(allowed) == 1:
                team_id = next(iter(allowed))
            elif allowed:
                raise ValidationError("team_id", "choose which of your teams takes the referral")
        self._check(actor, "record_referral", perm.decide_referral_team(actor, team_id),
                    entity_type="team", entity_id=team_id)
        team = s.get(Team, team_id)
        if team is None or team.deleted_at is not None:
            raise NotFound("team", team_id)
        return team

    # -- the person on a case -----------------------------------------------------------

    def case_people(self, case_id: Id) -> dto.CasePeople:
        """The person on the case, and their key people and carers (carers first)."""
        with self._read() as s:
            _actor, c = self._case_to_read(s, case_id, "view_people")
            return _case_people(s, c)

    def key_people(self, case_id: Id) -> tuple[dto.KeyPersonInfo, ...]:
        with self._read() as s:
            _actor, c = self._case_to_read(s, case_id, "view_people")
            return _key_people(s, c.person_id)

    def update_person(self, case_id: Id, data: dto.PersonInput,
                      expected_version: Version) -> dto.CasePeople:
        """Change the person's details. A value already on file is checked again only when
        it changes (a CHI number when it or the date of birth does)."""
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "update_person")
            _live(c)
            p = s.get(Person, c.person_id)
            assert p is not None
            if p.row_version != expected_version:
                raise Conflict(_STALE_PERSON)
            clean, problems = _person_fields(data, self._ctx.today())
            changed = [k for k, v in clean.items() if getattr(p, k) != v]
            checked = set(changed) | ({"chi"} if "date_of_birth" in changed else set())
            problems = {k: v for k, v in problems.items() if k in checked}
            if "chi" in checked and clean["chi"] and "chi" not in problems:
                holder = _holder_of_chi(s, clean["chi"], other_than=p.id)
                if holder is not None:
                    problems["chi"] = _chi_taken(holder)
            if problems:
                raise ValidationError.of(problems)
            for k in changed:
                setattr(p, k, clean[k])
            shown = [k for k in changed if k != "name_key"]
            if changed:
                self._touch(p, actor)
                # Field names only: administrators read the audit trail and see no case
                # content.
                self._ctx.audit(s, actor, "update_person", entity_type="person",
                                entity_id=p.id, detail={"case_id": c.id, "changed": shown})
            s.flush()
            people = _case_people(s, c)
            cases = _cases_of(s, p.id, c.id)
        if changed:
            for case in cases:
                self._ctx.publish("person", case, p.id)
        return people

    # -- key people and carers ----------------------------------------------------------

    def add_key_person(self, case_id: Id, data: dto.KeyPersonInput) -> dto.KeyPersonInfo:
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "add_key_person")
            _live(c)
            clean = _key_person_fields(data, self._ctx.today())
            k = KeyPerson(id=new_id(), team_id=c.team_id, person_id=c.person_id, **clean)
            self._touch(k, actor)
            s.add(k)
            s.flush()
            self._ctx.audit(s, actor, "add_key_person", entity_type="key_person",
                            entity_id=k.id, detail={"case_id": c.id, "kind": k.kind})
            info = _key_person_info(k)
            cases = _cases_of(s, c.person_id, c.id)
        self._publish_key_person(cases, k.id)
        return info

    def update_key_person(self, case_id: Id, key_person_id: Id, data: dto.KeyPersonInput,
                          expected_version: Version) -> dto.KeyPersonInfo:
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "update_key_person")
            _live(c)
            k = _key_person(s, c, key_person_id)
            if k.row_version != expected_version:
                raise Conflict(_STALE_KEY_PERSON)
            clean = _key_person_fields(data, self._ctx.today())
            changed = [f for f, v in clean.items() if getattr(k, f) != v]
            for f in changed:
                setattr(k, f, clean[f])
            if changed:
                self._touch(k, actor)
                self._ctx.audit(s, actor, "update_key_person", entity_type="key_person",
                                entity_id=k.id, detail={"case_id": c.id, "changed": changed})
            s.flush()
            info = _key_person_info(k)
            cases = _cases_of(s, c.person_id, c.id)
        if changed:
            self._publish_key_person(cases, k.id)
        return info

    def remove_key_person(self, case_id: Id, key_person_id: Id,
                          expected_version: Version) -> None:
        """Take someone off the person's key people (kept, marked deleted, for the sync and
        for assessments that name them)."""
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "remove_key_person")
            _live(c)
            k = _key_person(s, c, key_person_id)
            if k.row_version != expected_version:
                raise Conflict(_STALE_KEY_PERSON)
            k.deleted_at = self._ctx.now()
            self._touch(k, actor)
            self._ctx.audit(s, actor, "remove_key_person", entity_type="key_person",
                            entity_id=k.id, detail={"case_id": c.id, "kind": k.kind})
            s.flush()
            cases = _cases_of(s, c.person_id, c.id)
        self._publish_key_person(cases, key_person_id)

    def _publish_key_person(self, cases: list[str], key_person_id: str) -> None:
        for case_id in cases:
            self._ctx.publish("key_person", case_id, key_person_id)


# -- referrals ----------------------------------------------------------------------------

def _teams(s: Session, ids: frozenset[str]) -> tuple[dto.ReferralTeam, ...]:
    if not ids:
        return ()
    rows = s.execute(select(Team.id, Team.name, Team.service_area)
                     .where(Team.id.in_(ids), Team.deleted_at.is_(None))
                     .order_by(Team.name, Team.id))
    return tuple(dto.ReferralTeam(*r) for r in rows)


def _referral_problems(d: dto.ReferralInput, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    source = (d.referral_source or "").strip()
    if not source:
        problems["referral_source"] = ("say who referred: the person, a relative, a GP, "
                                       "another agency…")
    reason = (d.referral_reason or "").strip()
    if not reason:
        problems["referral_reason"] = "say why they were referred"
    if d.referred_on is None:
        problems["referred_on"] = "say when the referral was made"
    elif d.referred_on > today:
        problems["referred_on"] = "must not be in the future"
    if d.risk_level not in {r.value for r in RiskLevel}:
        problems["risk_level"] = "choose an initial risk level"
    return problems


def _next_reference(s: Session) -> str:
    """One more than the highest case number in the file (deleted cases keep theirs)."""
    highest = s.scalar(select(func.max(Case.reference))
                       .where(Case.reference.like(f"{REFERENCE_PREFIX}%")))
    digits = highest[len(REFERENCE_PREFIX):] if highest else ""
    n = int(digits) if is_digits(digits) else 0
    return f"{REFERENCE_PREFIX}{n + 1:06d}"


def _holder_of_chi(s: Session, chi: str, other_than: str | None = None) -> Person | None:
    stmt = select(Person).where(Person.chi == chi, Person.deleted_at.is_(None))
    if other_than is not None:
        stmt = stmt.where(Person.id != other_than)
    return s.scalars(stmt.order_by(Person.id).limit(1)).first()


def _chi_taken(holder: Person) -> str:
    born = f" (born {show_date(holder.date_of_birth)})" if holder.date_of_birth else ""
    return (f"belongs to {holder.given_name} {holder.family_name}{born}, who is already "
            f"recorded: pick them instead")


def _same_name_and_birth(s: Session, key: str, born: date | None) -> list[Person]:
    if not key or born is None:
        return []
    return list(s.scalars(select(Person).where(
        Person.name_key == key, Person.date_of_birth == born, Person.deleted_at.is_(None))
        .order_by(Person.id).limit(MAX_MATCHES)))


def _possible_duplicate(same: list[Person]) -> str:
    p = same[0]
    who = f"{p.given_name} {p.family_name}, born {show_date(p.date_of_birth)}"
    more = f" (and {len(same) - 1} more)" if len(same) > 1 else ""
    return (f"{who}{more}, is already recorded: pick them, or confirm that this is someone "
            f"new")


def _matches(s: Session, actor: perm.Actor, given: str, family: str, born: date | None,
             chi: str | None) -> tuple[dto.PersonMatch, ...]:
    digits = normalise(chi or "")
    key = name_key(given, family) if given.strip() and family.strip() else ""
    conditions = []
    if len(digits) == 10 and is_digits(digits):
        conditions.append(Person.chi == digits)
    if key and born is not None:
        conditions.append(and_(Person.name_key == key, Person.date_of_birth == born))
    if not conditions:
        return ()
    people = list(s.scalars(select(Person).where(or_(*conditions), Person.deleted_at.is_(None))
                            .order_by(Person.name_key, Person.id).limit(MAX_MATCHES)))
    if not people:
        return ()
    mine = perm.referral_team_ids(actor) | actor.managed_team_ids
    live: dict[str, list[dto.LiveCaseMatch]] = {}
    for person_id, team_id, team_name, reference, status, worker_name in s.execute(
            select(Case.person_id, Case.team_id, Team.name, Case.reference, Case.status,
                   _named_worker.display_name)
            .join(Team, Team.id == Case.team_id)
            .outerjoin(_named_worker, _named_worker.id == Case.named_worker_id)
            .where(Case.person_id.in_([p.id for p in people]), Case.status.in_(_LIVE),
                   Case.deleted_at.is_(None))
            .order_by(Case.referred_on, Case.reference)):
        if team_id in mine:
            match = dto.LiveCaseMatch(team_id, team_name, True, reference, status, worker_name)
        else:  # another team's: which team, and nothing of the case
            match = dto.LiveCaseMatch(team_id, team_name, False)
        live.setdefault(person_id, []).append(match)
    return tuple(
        dto.PersonMatch(
            person_id=p.id, given_name=p.given_name, family_name=p.family_name,
            date_of_birth=p.date_of_birth, chi=p.chi,
            same_chi=bool(digits) and p.chi == digits,
            same_name_and_birth=bool(key) and p.name_key == key and p.date_of_birth == born,
            live_cases=tuple(live.get(p.id, ())))
        # The same CHI first: that is the strongest sign it is the same person.
        for p in sorted(people, key=lambda p: (p.chi != digits, p.name_key, p.id)))


# -- a person's details -------------------------------------------------------------------

def _text(value: str | None) -> str | None:
    """Typed text as stored: trimmed, and nothing when blank (its length and characters
    were checked at the boundary)."""
    return (value or "").strip() or None


def _person_fields(d: dto.PersonInput, today: date) -> tuple[dict, dict[str, str]]:
    """The person's columns as they would be stored, and what is wrong with any of them."""
    problems: dict[str, str] = {}
    given = _text(d.given_name)
    family = _text(d.family_name)
    if not given:
        problems["given_name"] = "enter the person's given name"
    if not family:
        problems["family_name"] = "enter the person's family name"
    born = d.date_of_birth
    if (problem := birth_date_problem(born, today)) is not None:
        problems["date_of_birth"] = problem
    chi = normalise(d.chi or "") or None
    if chi is not None:
        problem = chi_problem(chi, born if "date_of_birth" not in problems else None)
        if problem is not None:
            problems["chi"] = problem
    postcode = _postcode(d.postcode, problems)
    phone = _text(d.phone)
    if phone and "phone" not in problems and not _PHONE.match(phone):
        problems["phone"] = "must be a phone number: digits, spaces and + ( ) - only"
    clean = dict(
        given_name=given or "", family_name=family or "",
        name_key=name_key(given or "", family or ""),
        date_of_birth=born, chi=chi,
        address=_text(d.address),
        postcode=postcode, phone=phone,
        communication_needs=_text(d.communication_needs),
        contact_preference=_text(d.contact_preference),
        what_matters=_text(d.what_matters),
    )
    return clean, problems


def _postcode(value: str | None, problems: dict[str, str]) -> str | None:
    """Upper case with one space before the last three characters ("iv11aa" -> "IV1 1AA")."""
    text = "".join((value or "").split()).upper()
    if not text:
        return None
    shaped = f"{text[:-3]} {text[-3:]}"
    if not _POSTCODE.match(shaped):
        problems["postcode"] = "must be a UK postcode, such as IV1 1AA"
        return (value or "").strip()
    return shaped


def _case_people(s: Session, c: Case) -> dto.CasePeople:
    p = s.get(Person, c.person_id)
    assert p is not None
    info = dto.PersonInfo(p.id, p.given_name, p.family_name, p.date_of_birth, p.chi, p.address,
                          p.postcode, p.phone, p.communication_needs, p.contact_preference,
                          p.what_matters)
    return dto.CasePeople(c.id, c.status, info, p.row_version, _key_people(s, p.id))


def _cases_of(s: Session, person_id: str, first: str) -> list[str]:
    """The person's cases, `first` first: whoever has one of them open hears of a change."""
    others = s.scalars(select(Case.id).where(Case.person_id == person_id, Case.id != first,
                                             Case.deleted_at.is_(None)).order_by(Case.id))
    return [first, *others]


def _live(c: Case) -> None:
    if c.status == CaseStatus.CLOSED:
        raise ValidationError("case", "the case is closed; record changes through a live "
                                      "case of the person, or a new referral")


# -- key people -----------------------------------------------------------------------------

def _is_carer(kind: str) -> bool:
    try:
        return KeyPersonKind(kind).is_carer
    except ValueError:  # a kind from a newer version, synced in
        return False


def _key_person_info(k: KeyPerson) -> dto.KeyPersonInfo:
    return dto.KeyPersonInfo(
        id=k.id, person_id=k.person_id, kind=k.kind, is_carer=_is_carer(k.kind),
        given_name=k.given_name, family_name=k.family_name, relationship=k.relationship,
        phone=k.phone, email=k.email, address=k.address, date_of_birth=k.date_of_birth,
        lives_with_person=bool(k.lives_with_person), support_plan=k.support_plan,
        support_plan_review_on=k.support_plan_review_on, notes=k.notes,
        row_version=k.row_version)


def _key_people(s: Session, person_id: str) -> tuple[dto.KeyPersonInfo, ...]:
    rows = [_key_person_info(k) for k in s.scalars(
        select(KeyPerson).where(KeyPerson.person_id == person_id,
                                KeyPerson.deleted_at.is_(None)))]
    # Carers first: they are partners in care, not just contacts.
    rows.sort(key=lambda k: (not k.is_carer, fold(k.family_name), fold(k.given_name), k.id))
    return tuple(rows)


def _key_person(s: Session, c: Case, key_person_id: str) -> KeyPerson:
    k = s.get(KeyPerson, key_person_id)
    if k is None or k.deleted_at is not None or k.person_id != c.person_id:
        raise NotFound("key person", key_person_id)
    return k


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _key_person_fields(d: dto.KeyPersonInput, today: date) -> dict:
    problems: dict[str, str] = {}
    try:
        kind: KeyPersonKind | None = KeyPersonKind(d.kind)
    except ValueError:
        problems["kind"] = "choose who they are to the person"
        kind = None
    given = _text(d.given_name)
    family = _text(d.family_name)
    if not given and not family:
        problems["family_name"] = "enter their name"
    relationship = _text(d.relationship)
    if not relationship:
        problems["relationship"] = ("say who they are to the person: daughter, neighbour, "
                                    "GP…")
    phone = _text(d.phone)
    if phone and "phone" not in problems and not _PHONE.match(phone):
        problems["phone"] = "must be a phone number: digits, spaces and + ( ) - only"
    email = _text(d.email)
    if email and "email" not in problems and not _EMAIL.match(email):
        problems["email"] = "must be an email address, such as name@example.org"
    born = d.date_of_birth
    if (problem := birth_date_problem(born, today)) is not None:
        problems["date_of_birth"] = problem
    elif born is not None and kind == KeyPersonKind.YOUNG_CARER and _age(born, today) > 18:
        problems["kind"] = ("a young carer is under 18, or 18 and still at school: record an "
                            "older carer as an unpaid carer")
    elif born is not None and kind == KeyPersonKind.UNPAID_CARER and _age(born, today) < 18:
        problems["kind"] = "a carer under 18 is a young carer"
    carer = kind is not None and kind.is_carer
    plan = d.support_plan or None
    review = d.support_plan_review_on
    if carer:
        plan = plan or SupportPlanStatus.NOT_OFFERED.value
        if plan not in {p.value for p in SupportPlanStatus}:
            problems["support_plan"] = "choose where the carer's own support plan stands"
        elif plan == SupportPlanStatus.IN_PLACE and review is None:
            problems["support_plan_review_on"] = "say when the carer's support plan is reviewed"
        elif plan != SupportPlanStatus.IN_PLACE and review is not None:
            problems["support_plan_review_on"] = "only a support plan in place has a review date"
    elif plan is not None or review is not None:
        problems["support_plan"] = "only a carer has their own support plan"
    address = _text(d.address)
    notes = _text(d.notes)
    if problems:
        raise ValidationError.of(problems)
    assert kind is not None
    return dict(kind=kind.value, given_name=given or "", family_name=family or "",
                relationship=relationship or "", phone=phone, email=email,
                address=address, date_of_birth=born, lives_with_person=bool(d.lives_with_person),
                support_plan=plan if carer else None,
                support_plan_review_on=review if carer else None, notes=notes)
