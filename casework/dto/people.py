"""People who use services, referrals, key people and carers."""

from __future__ import annotations

from typing import Annotated

from casework import fields as f
from dataclasses import dataclass
from datetime import date

from casework.dto.cases import PersonInfo


@dataclass(frozen=True)
class PersonInput:
    """A person's details as a worker types them. Blank text is stored as nothing; a CHI
    number may be typed with spaces."""

    given_name: Annotated[str, f.Text(f.NAME)]
    family_name: Annotated[str, f.Text(f.NAME)]
    date_of_birth: date | None = None
    chi: Annotated[str | None, f.Text(f.CHI_TYPED)] = None
    address: Annotated[str | None, f.Text(f.ADDRESS, multiline=True)] = None
    postcode: Annotated[str | None, f.Text(f.POSTCODE)] = None
    phone: Annotated[str | None, f.Text(f.PHONE)] = None
    communication_needs: f.LongText | None = None
    contact_preference: Annotated[str | None, f.Text(f.PREFERENCE)] = None
    what_matters: f.LongText | None = None


@dataclass(frozen=True)
class LiveCaseMatch:
    """A live case of a possible duplicate. Of a team the actor neither belongs to nor
    manages, only the team is said: no case content."""

    team_id: str
    team_name: str
    in_my_teams: bool
    reference: str | None = None
    status: str | None = None  # vocab.CaseStatus
    named_worker_name: str | None = None


@dataclass(frozen=True)
class PersonMatch:
    """Someone already recorded who may be the person being referred: what is needed to
    recognise them, and why they matched."""

    person_id: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    chi: str | None
    same_chi: bool
    same_name_and_birth: bool
    live_cases: tuple[LiveCaseMatch, ...]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class ReferralTeam:
    id: str
    name: str
    service_area: str  # vocab.ServiceArea: a new case's default


@dataclass(frozen=True)
class ReferralOptions:
    """Where the actor may record a referral. A service manager chooses one of the teams
    they manage; everyone else records in their own team."""

    teams: tuple[ReferralTeam, ...]
    choose_team: bool
    default_team_id: str | None


@dataclass(frozen=True)
class ReferralInput:
    """A referral: who referred and why, for an existing person (`person_id`) or a new one
    (`person`). A new person who shares a name and date of birth with someone already
    recorded needs `new_person_confirmed`: the worker saw the matches and says this is
    someone else."""

    referral_source: Annotated[str, f.Text(f.REFERRAL_SOURCE)]
    referral_reason: f.LongText
    referred_on: date | None  # None is refused in words
    risk_level: f.Code  # vocab.RiskLevel
    person_id: f.Id | None = None
    person: PersonInput | None = None
    new_person_confirmed: bool = False
    service_area: f.Code | None = None  # None: the team's own
    team_id: f.Id | None = None  # None: the actor's own team


@dataclass(frozen=True)
class ReferralResult:
    case_id: str
    case_reference: str
    person_id: str
    person_name: str
    person_created: bool
    team_id: str
    team_name: str
    service_area: str


@dataclass(frozen=True)
class KeyPersonInfo:
    """Someone who matters in the person's life. A carer (unpaid or young) is a partner in
    care, and may have their own support plan (Carers (Scotland) Act 2016)."""

    id: str
    person_id: str
    kind: str  # vocab.KeyPersonKind
    is_carer: bool
    given_name: str
    family_name: str
    relationship: str
    phone: str | None
    email: str | None
    address: str | None
    date_of_birth: date | None
    lives_with_person: bool
    support_plan: str | None  # vocab.SupportPlanStatus, for a carer
    support_plan_review_on: date | None
    notes: str | None
    row_version: int

    @property
    def name(self) -> str:
        return " ".join(n for n in (self.given_name, self.family_name) if n)


@dataclass(frozen=True)
class KeyPersonInput:
    kind: f.Code  # vocab.KeyPersonKind
    given_name: Annotated[str, f.Text(f.NAME)]
    family_name: Annotated[str, f.Text(f.NAME)]
    relationship: Annotated[str, f.Text(f.NAME)]
    phone: Annotated[str | None, f.Text(f.PHONE)] = None
    email: Annotated[str | None, f.Text(f.EMAIL)] = None
    address: Annotated[str | None, f.Text(f.ADDRESS, multiline=True)] = None
    date_of_birth: date | None = None
    lives_with_person: bool = False
    # A carer's own plan; a carer with none recorded has not been offered one.
    support_plan: f.Code | None = None
    support_plan_review_on: date | None = None  # only for a plan in place
    notes: f.LongText | None = None


@dataclass(frozen=True)
class CasePeople:
    """The person on a case and the people around them, carers first."""

    case_id: str
    case_status: str
    person: PersonInfo
    person_row_version: int  # what update_person expects
    key_people: tuple[KeyPersonInfo, ...]
