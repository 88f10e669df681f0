"""Roles, actions, the reserved-function catalogue and the policy that decides them.

Pure Python with no project imports, so the services (which enforce), the UI (which only
hides or disables) and the property tests all ask the same rules.

Reserved functions are decided by the person's SSSC registration (part and expiry),
accreditations and post-qualifying experience, never by job title: a team leader who is a
registered social worker may act; anyone whose registration has lapsed may not.

No permitted change may make a reserved act ordinary: ending a statutory order on the record
(after which its case closes as an ordinary one) and lowering a risk assessed as high (after
which its assessment signs off as an ordinary one) are reserved functions themselves, each
needing at least what the function it guards needs (`GUARDS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Role(StrEnum):
    SOCIAL_WORKER = "social_worker"
    SENIOR_PRACTITIONER = "senior_practitioner"
    TEAM_LEADER = "team_leader"
    SERVICE_MANAGER = "service_manager"
    PARA_PROFESSIONAL = "para_professional"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.SOCIAL_WORKER: "Social worker",
    Role.SENIOR_PRACTITIONER: "Senior practitioner",
    Role.TEAM_LEADER: "Team leader",
    Role.SERVICE_MANAGER: "Service manager",
    Role.PARA_PROFESSIONAL: "Para-professional",
    Role.ADMINISTRATOR: "Administrator",
}


class RegisterPart(StrEnum):
    """The part of the SSSC register a person is on. Only the social worker part qualifies."""

    SOCIAL_WORKER = "social_worker"
    SOCIAL_SERVICE_WORKER = "social_service_worker"

    @property
    def label(self) -> str:
        return {"social_worker": "Social worker", "social_service_worker": "Social service worker"}[
            self.value
        ]


class Accreditation(StrEnum):
    MHO = "mho"
    ASP_COUNCIL_OFFICER = "asp_council_officer"

    @property
    def label(self) -> str:
        return {"mho": "Mental Health Officer", "asp_council_officer": "ASP council officer"}[
            self.value
        ]


# Roles that practise social work; only these can ever carry out a reserved function.
PRACTITIONER_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_LEADER, Role.SERVICE_MANAGER}
)
# Roles that hold a caseload as named worker.
CASE_HOLDING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_LEADER})
NEWLY_QUALIFIED_MONTHS = 12


class Action(StrEnum):
    """Ordinary actions, decided by role (and for case access, by team and named worker)."""

    VIEW_OWN_CASELOAD = "view_own_caseload"
    VIEW_TEAM_CASELOAD = "view_team_caseload"
    VIEW_UNALLOCATED = "view_unallocated"
    VIEW_CASE = "view_case"
    RECORD_REFERRAL = "record_referral"
    # Record on a case: details, key people, notes, plan, assessment drafts.
    WORK_ON_CASE = "work_on_case"
    SIGN_OFF_ASSESSMENT = "sign_off_assessment"
    # Assessments someone has been asked to prepare (a para-professional's way in).
    VIEW_OWN_DRAFTS = "view_own_drafts"
    CLOSE_CASE = "close_case"
    ALLOCATE_CASE = "allocate_case"
    MANAGE_TEAMS = "manage_teams"
    MANAGE_STAFF = "manage_staff"
    RESET_PASSWORD = "reset_password"
    MANAGE_RESERVED_RULES = "manage_reserved_rules"
    VIEW_AUDIT = "view_audit"
    BACKUP_WORKSPACE = "backup_workspace"
    RESTORE_WORKSPACE = "restore_workspace"
    CHANGE_OWN_PASSWORD = "change_own_password"


_ALL_STAFF = frozenset(Role)
_LEADERS = frozenset({Role.TEAM_LEADER, Role.SERVICE_MANAGER})
_ADMIN = frozenset({Role.ADMINISTRATOR})

# Who may attempt each ordinary action at all. Case access narrows VIEW_CASE further.
ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.VIEW_OWN_CASELOAD: CASE_HOLDING_ROLES,
    Action.VIEW_TEAM_CASELOAD: frozenset({Role.SENIOR_PRACTITIONER}) | _LEADERS,
    Action.VIEW_UNALLOCATED: frozenset({Role.SENIOR_PRACTITIONER}) | _LEADERS,
    Action.VIEW_CASE: PRACTITIONER_ROLES,
    Action.RECORD_REFERRAL: PRACTITIONER_ROLES,
    Action.WORK_ON_CASE: PRACTITIONER_ROLES,
    Action.SIGN_OFF_ASSESSMENT: PRACTITIONER_ROLES,
    Action.VIEW_OWN_DRAFTS: PRACTITIONER_ROLES | {Role.PARA_PROFESSIONAL},
    Action.CLOSE_CASE: PRACTITIONER_ROLES,
    Action.ALLOCATE_CASE: _LEADERS,
    Action.MANAGE_TEAMS: _ADMIN,
    Action.MANAGE_STAFF: _ADMIN,
    Action.RESET_PASSWORD: _ADMIN,
    Action.MANAGE_RESERVED_RULES: _ADMIN,
    Action.VIEW_AUDIT: _ADMIN,
    Action.BACKUP_WORKSPACE: _ADMIN,
    Action.RESTORE_WORKSPACE: _ADMIN,
    Action.CHANGE_OWN_PASSWORD: _ALL_STAFF,
}


class ReservedFunction(StrEnum):
    SIGN_OFF_CHILD_PROTECTION_INVESTIGATION = "sign_off_child_protection_investigation"
    SIGN_OFF_ASP_INQUIRY = "sign_off_asp_inquiry"
    SIGN_OFF_JUSTICE_REPORT = "sign_off_justice_report"
    MHO_FUNCTION = "mho_function"
    ASP_COUNCIL_OFFICER = "asp_council_officer"
    RECOMMEND_COMPULSORY_MEASURES = "recommend_compulsory_measures"
    CLOSE_STATUTORY_CASE = "close_statutory_case"
    SIGN_OFF_HIGH_RISK_ASSESSMENT = "sign_off_high_risk_assessment"
    END_STATUTORY_ORDER = "end_statutory_order"
    LOWER_HIGH_RISK = "lower_high_risk"


# Reserved functions that exist to close a two-step route round another: once a statutory
# order is off the record its case closes as an ordinary one, and once a high risk is
# lowered its assessment signs off as an ordinary one. Each therefore needs at least what
# the function it guards needs, whatever an administrator adds to that one later: a
# stronger rule for closure under an order must not be sidestepped by ending the order
# first. (The catalogue applies this; see `Catalogue`.)
GUARDS: dict[ReservedFunction, tuple[ReservedFunction, ...]] = {
    ReservedFunction.END_STATUTORY_ORDER: (ReservedFunction.CLOSE_STATUTORY_CASE,),
    ReservedFunction.LOWER_HIGH_RISK: (ReservedFunction.SIGN_OFF_HIGH_RISK_ASSESSMENT,),
}


@dataclass(frozen=True)
class ReservedRule:
    """What a reserved function needs beyond a current social worker registration."""

    code: str
    label: str
    accreditations: frozenset[Accreditation] = frozenset()
    min_pq_months: int = 0
    builtin: bool = False

    def strengthened_by(self, other: "ReservedRule") -> "ReservedRule":
        """Merge an administrator's rule into this one: requirements only ever grow."""
        return ReservedRule(
            code=self.code,
            label=self.label,
            accreditations=self.accreditations | other.accreditations,
            min_pq_months=max(self.min_pq_months, other.min_pq_months),
            builtin=self.builtin,
        )


DEFAULT_RULES: tuple[ReservedRule, ...] = (
    ReservedRule(
        ReservedFunction.SIGN_OFF_CHILD_PROTECTION_INVESTIGATION,
        "Sign-off of a child protection investigation",
        builtin=True,
    ),
    ReservedRule(
        ReservedFunction.SIGN_OFF_ASP_INQUIRY,
        "Sign-off of an adult support and protection inquiry",
        builtin=True,
    ),
    ReservedRule(
        ReservedFunction.SIGN_OFF_JUSTICE_REPORT,
        "Sign-off of a justice social work report to court",
        builtin=True,
    ),
    ReservedRule(
        ReservedFunction.MHO_FUNCTION,
        "Mental Health Officer functions",
        accreditations=frozenset({Accreditation.MHO}),
        min_pq_months=24,
        builtin=True,
    ),
    ReservedRule(
        ReservedFunction.ASP_COUNCIL_OFFICER,
        "Adult support and protection council officer duties",
        accreditations=frozenset({Accreditation.ASP_COUNCIL_OFFICER}),
        min_pq_months=12,
        builtin=True,
    ),
    ReservedRule(
        ReservedFunction.RECOMMEND_COMPULSORY_MEASURES,
        "Recommendation of compulsory measures or restriction of liberty",
        builtin=True,
    ),
    ReservedRule(
        ReservedFunction.CLOSE_STATUTORY_CASE,
        "Closure of a case under a statutory order",
        builtin=True,
    ),
    ReservedRule(
        ReservedFunction.SIGN_OFF_HIGH_RISK_ASSESSMENT,
        "Sign-off of a high-risk assessment",
        builtin=True,
    ),
    ReservedRule(
        ReservedFunction.END_STATUTORY_ORDER,
        "Ending or replacing a statutory order on a case's record",
        builtin=True,
    ),
    ReservedRule(
        ReservedFunction.LOWER_HIGH_RISK,
        "Lowering a risk assessed as high (a case's or an assessment's)",
        builtin=True,
    ),
)


@dataclass(frozen=True)
class Catalogue:
    """The reserved functions in force: the built-in ones, strengthened or added to by rules
    an administrator keeps. No extension can weaken or remove a built-in rule."""

    rules: dict[str, ReservedRule] = field(
        default_factory=lambda: {r.code: r for r in DEFAULT_RULES}
    )

    def __post_init__(self) -> None:
        # A guarding function needs at least what the one it guards needs (GUARDS), so that
        # strengthening closure or high-risk sign-off strengthens the way round it too; and
        # what the catalogue lists is what is enforced.
        rules = dict(self.rules)
        for function, guarded in GUARDS.items():
            if function in rules:
                for other in guarded:
                    if other in rules:
                        rules[function] = rules[function].strengthened_by(rules[other])
        object.__setattr__(self, "rules", rules)

    def extended(self, extensions: "list[ReservedRule] | tuple[ReservedRule, ...]") -> "Catalogue":
        rules = dict(self.rules)
        for ext in extensions:
            base = rules.get(ext.code)
            rules[ext.code] = base.strengthened_by(ext) if base else ReservedRule(
                ext.code, ext.label, ext.accreditations, ext.min_pq_months, builtin=False
            )
        return Catalogue(rules)

    def rule(self, code: str) -> ReservedRule:
        try:
            return self.rules[code]
        except KeyError:
            raise KeyError(f"unknown reserved function {code!r}") from None


DEFAULT_CATALOGUE = Catalogue()

# Assessment kinds (vocab.AssessmentKind values) whose sign-off is a reserved function.
SIGN_OFF_RESERVED_BY_KIND: dict[str, ReservedFunction] = {
    "child_protection_investigation": ReservedFunction.SIGN_OFF_CHILD_PROTECTION_INVESTIGATION,
    "asp_inquiry": ReservedFunction.SIGN_OFF_ASP_INQUIRY,
    "justice_report": ReservedFunction.SIGN_OFF_JUSTICE_REPORT,
    "mho_report": ReservedFunction.MHO_FUNCTION,
}


# Risk levels (vocab.RiskLevel values) below high.
ORDINARY_RISKS = frozenset({"low", "medium"})


def is_high_risk(risk_level: str | None) -> bool:
    """Whether a recorded risk counts as high: high itself, and a value this version does
    not know (from a newer laptop, say), so that no high risk escapes the checks. None (not
    yet assessed) is not high."""
    return bool(risk_level) and risk_level not in ORDINARY_RISKS


def lowers_high_risk(before: str | None, after: str | None) -> bool:
    """Whether a change takes a risk recorded as high to anything else, clearing it
    included: high to "not yet assessed" to medium is lowering it in two steps."""
    return is_high_risk(before) and not is_high_risk(after)


def sign_off_functions(kind: str, risk_level: str | None) -> tuple[ReservedFunction, ...]:
    """The reserved functions that signing off this assessment carries out: its statutory
    kind's, and the high-risk sign-off when the assessed risk is high."""
    functions = []
    if kind in SIGN_OFF_RESERVED_BY_KIND:
        functions.append(SIGN_OFF_RESERVED_BY_KIND[kind])
    if is_high_risk(risk_level):
        functions.append(ReservedFunction.SIGN_OFF_HIGH_RISK_ASSESSMENT)
    return tuple(functions)


def case_change_functions(*, under_order: bool, legal_status_changes: bool,
                          risk_before: str | None,
                          risk_after: str | None) -> tuple[ReservedFunction, ...]:
    """The reserved functions a change to a case's record carries out.

    Ending a statutory order on the record, or replacing it with another legal status, is
    reserved: the case would otherwise close as an ordinary one, and the order's end is
    itself a statutory decision a registered social worker answers for (recording a new
    order, which only makes closing stricter, is not). Lowering the case's recorded risk
    from high is reserved with an assessment's (`LOWER_HIGH_RISK`): it is the team's standing
    judgment of risk — what weighs the case, what a handover and the summary say, what a
    signed-off assessment is compared with — and lowering it is the same judgment that a high
    risk has passed as signing off a lower assessment."""
    functions = []
    if under_order and legal_status_changes:
        functions.append(ReservedFunction.END_STATUTORY_ORDER)
    if lowers_high_risk(risk_before, risk_after):
        functions.append(ReservedFunction.LOWER_HIGH_RISK)
    return tuple(functions)


def draft_change_functions(risk_before: str | None,
                           risk_after: str | None) -> tuple[ReservedFunction, ...]:
    """The reserved functions a change to an assessment draft carries out: lowering its
    assessed risk from high, after which its sign-off would no longer be reserved. (Its kind
    never changes once started, so a statutory kind cannot be changed away.)"""
    return (ReservedFunction.LOWER_HIGH_RISK,) if lowers_high_risk(risk_before, risk_after) \
        else ()


@dataclass(frozen=True)
class Actor:
    """Who is acting: the facts the policy needs, as a plain value."""

    id: str
    username: str
    display_name: str
    role: Role
    team_id: str | None
    active: bool = True
    sssc_number: str | None = None
    sssc_part: RegisterPart | None = None
    sssc_expiry: date | None = None
    qualified_on: date | None = None
    accreditations: frozenset[Accreditation] = frozenset()
    # Teams a service manager oversees; a team leader's is their own team.
    managed_team_ids: frozenset[str] = frozenset()
    # Signed in with a password an administrator set: until they choose their own, they may
    # only do that (the administrator knows the temporary one).
    password_change_required: bool = False


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = "allowed"
    message: str = ""

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class CaseRef:
    """What case access depends on: whose case it is and which team holds it."""

    team_id: str
    named_worker_id: str | None


ALLOW = Decision(True)


def _deny(reason: str, message: str) -> Decision:
    return Decision(False, reason, message)


def pq_months(actor: Actor, today: date) -> int:
    """Whole months of post-qualifying experience on `today` (0 if not qualified)."""
    q = actor.qualified_on
    if q is None or q > today:
        return 0
    months = (today.year - q.year) * 12 + (today.month - q.month)
    if today.day < q.day:
        months -= 1
    return months


def is_newly_qualified(actor: Actor, today: date) -> bool:
    return actor.qualified_on is not None and pq_months(actor, today) < NEWLY_QUALIFIED_MONTHS


def _long_date(d: date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


_CHOOSE_PASSWORD = _deny(
    "password_change_required",
    "Choose your own password first (My account): the one you signed in with was set by an "
    "administrator.",
)


def decide_action(actor: Actor, action: Action) -> Decision:
    if not actor.active:
        return _deny("account_inactive", "This account is deactivated.")
    if actor.password_change_required and action != Action.CHANGE_OWN_PASSWORD:
        return _CHOOSE_PASSWORD
    if actor.role not in ACTION_ROLES[action]:
        return _deny(
            "role_not_permitted",
            f"A {actor.role.label.lower()} may not {action.value.replace('_', ' ')}.",
        )
    return ALLOW


def decide_case_access(actor: Actor, case: CaseRef, *, reason_given: bool = False) -> Decision:
    """Need to know: the named worker and the team's practitioners; other teams' cases only
    for a service manager who oversees the team, or with a stated reason (audited)."""
    base = decide_action(actor, Action.VIEW_CASE)
    if not base:
        return base
    if case.named_worker_id == actor.id or case.team_id == actor.team_id:
        return ALLOW
    if case.team_id in actor.managed_team_ids:
        return ALLOW
    if reason_given:
        return ALLOW
    return _deny(
        "outside_team_needs_reason",
        "This case belongs to another team: state why you need to open it.",
    )


def decide_case_work(actor: Actor, case: CaseRef) -> Decision:
    """Recording on a case is for its named worker, its team's practitioners and the leaders
    who manage the team; a stated reason lets someone read, never write."""
    base = decide_action(actor, Action.WORK_ON_CASE)
    if not base:
        return base
    if (case.named_worker_id == actor.id or case.team_id == actor.team_id
            or case.team_id in actor.managed_team_ids):
        return ALLOW
    return _deny("outside_team", "Only the case's own team may record on it.")


def decide_note_correction(actor: Actor, case: CaseRef, author_id: str) -> Decision:
    """A note is corrected by a new entry, written by its author or by a leader who manages
    the case's team: a colleague who disagrees with a note records a note of their own."""
    base = decide_case_work(actor, case)
    if not base:
        return base
    if actor.id == author_id or case.team_id in actor.managed_team_ids:
        return ALLOW
    return _deny("not_note_author",
                 "Only the note's author, or a leader of the case's team, may correct it; "
                 "record a note of your own to add to it.")


def decide_assessment_draft(actor: Actor, case: CaseRef, drafter_id: str | None) -> Decision:
    """Whoever was asked to prepare a draft (a para-professional may be) may work on that
    draft alone; otherwise drafting is recording on the case."""
    if drafter_id is not None and drafter_id == actor.id:
        if not actor.active:
            return _deny("account_inactive", "This account is deactivated.")
        if actor.password_change_required:
            return _CHOOSE_PASSWORD
        return ALLOW
    return decide_case_work(actor, case)


def decide_sign_off(
    actor: Actor,
    case: CaseRef,
    kind: str,
    risk_level: str | None,
    *,
    today: date,
    catalogue: "Catalogue | None" = None,
) -> Decision:
    """Signing off an assessment: never a para-professional's; for a statutory kind or a
    high assessed risk, only someone the reserved-function catalogue qualifies."""
    for function in sign_off_functions(kind, risk_level):
        d = decide_reserved(actor, function, today=today,
                            catalogue=catalogue or DEFAULT_CATALOGUE)
        if not d:
            return d
    base = decide_action(actor, Action.SIGN_OFF_ASSESSMENT)
    if not base:
        return _deny(base.reason, "A para-professional may draft an assessment; a social "
                     "worker signs it off.") if actor.role == Role.PARA_PROFESSIONAL else base
    return decide_case_work(actor, case)


def decide_close(
    actor: Actor,
    case: CaseRef,
    statutory_order: bool,
    *,
    today: date,
    catalogue: "Catalogue | None" = None,
) -> Decision:
    """Closing: the named worker or a leader of the case's team; under a statutory order,
    only someone qualified for the reserved function."""
    if statutory_order:
        d = decide_reserved(actor, ReservedFunction.CLOSE_STATUTORY_CASE, today=today,
                            catalogue=catalogue or DEFAULT_CATALOGUE)
        if not d:
            return d
    base = decide_action(actor, Action.CLOSE_CASE)
    if not base:
        return base
    if case.named_worker_id == actor.id or case.team_id in actor.managed_team_ids:
        return ALLOW
    return _deny("not_named_worker",
                 "Only the named worker or a leader of the case's team may close it.")


def decide_reserved_all(
    actor: Actor,
    functions: "tuple[str, ...] | list[str]",
    *,
    today: date,
    catalogue: "Catalogue | None" = None,
) -> Decision:
    """The first refusal among `functions`, or ALLOW when the actor may carry out each."""
    for function in functions:
        d = decide_reserved(actor, function, today=today, catalogue=catalogue or DEFAULT_CATALOGUE)
        if not d:
            return d
    return ALLOW


def decide_case_change(
    actor: Actor,
    case: CaseRef,
    functions: "tuple[str, ...]",
    *,
    today: date,
    catalogue: "Catalogue | None" = None,
) -> Decision:
    """Changing a case's record (details, or opening a referral): recording on the case, and
    for a change that carries out reserved functions (`case_change_functions`), being
    qualified for each today."""
    base = decide_case_work(actor, case)
    if not base:
        return base
    return decide_reserved_all(actor, functions, today=today, catalogue=catalogue)


def decide_draft_change(
    actor: Actor,
    case: CaseRef,
    drafter_id: str | None,
    functions: "tuple[str, ...]",
    *,
    today: date,
    catalogue: "Catalogue | None" = None,
) -> Decision:
    """Changing an assessment draft: drafting it, and for a change that carries out reserved
    functions (`draft_change_functions`), being qualified for each today. Whoever was asked
    to prepare the draft, a para-professional included, may write it, but not lower a risk
    someone assessed as high."""
    base = decide_assessment_draft(actor, case, drafter_id)
    if not base:
        return base
    return decide_reserved_all(actor, functions, today=today, catalogue=catalogue)


def caseload_team_ids(actor: Actor) -> frozenset[str]:
    """The teams whose caseload and queue the actor may list: their own, and those they
    manage."""
    return frozenset(actor.managed_team_ids | ({actor.team_id} if actor.team_id else set()))


def decide_team_caseload(actor: Actor, action: Action, team_id: str | None) -> Decision:
    """Listing a team's caseload or unallocated queue (`action`): one's own team's or a
    managed team's; `team_id` None asks for all of those."""
    base = decide_action(actor, action)
    if not base or team_id is None or team_id in caseload_team_ids(actor):
        return base
    return _deny("not_team_member", "You can list only your own team's cases.")


def referral_team_ids(actor: Actor) -> frozenset[str]:
    """The teams a referral may be recorded in: one's own; for a service manager, also the
    teams they manage."""
    own = {actor.team_id} if actor.team_id else set()
    if actor.role == Role.SERVICE_MANAGER:
        return frozenset(own | actor.managed_team_ids)
    return frozenset(own)


def decide_referral_team(actor: Actor, team_id: str | None) -> Decision:
    """Recording a referral in `team_id` (after RECORD_REFERRAL): one of `referral_team_ids`."""
    base = decide_action(actor, Action.RECORD_REFERRAL)
    if not base or (team_id is not None and team_id in referral_team_ids(actor)):
        return base
    if actor.role == Role.SERVICE_MANAGER:
        return _deny("not_team_manager", "You may record a referral only in a team you manage.")
    if actor.team_id is None:
        return _deny("no_team", "You belong to no team: an administrator must add you to one "
                     "before you can record a referral.")
    return _deny("not_team_member", "A referral goes to your own team.")


def decide_still_draft(is_draft: bool, *, signed_off_by: str | None = None,
                       signed_off_on: str = "") -> Decision:
    """Changing an assessment, or signing it off, while it is a draft: once signed off it
    never changes (who signed it off and when, in words, say so)."""
    if is_draft:
        return ALLOW
    by = f" by {signed_off_by}" if signed_off_by else ""
    return _deny("assessment_signed_off",
                 f"This assessment was signed off{by} on {signed_off_on} and can no longer "
                 f"change. Start a new assessment to record what has changed.")


def decide_allocation(actor: Actor, case_team_id: str) -> Decision:
    base = decide_action(actor, Action.ALLOCATE_CASE)
    if not base:
        return base
    if case_team_id == actor.team_id or case_team_id in actor.managed_team_ids:
        return ALLOW
    return _deny("not_team_manager", "Only a leader of the case's team may allocate it.")


def decide_reserved(
    actor: Actor,
    function: str,
    *,
    today: date,
    catalogue: Catalogue = DEFAULT_CATALOGUE,
) -> Decision:
    rule = catalogue.rule(function)
    what = rule.label
    if not actor.active:
        return _deny("account_inactive", "This account is deactivated.")
    if actor.password_change_required:
        return _CHOOSE_PASSWORD
    if actor.role not in PRACTITIONER_ROLES:
        return _deny(
            "role_not_permitted",
            f"{what} is reserved to a registered social worker; "
            f"a {actor.role.label.lower()} may prepare a draft but not carry it out.",
        )
    if actor.sssc_part != RegisterPart.SOCIAL_WORKER or not actor.sssc_number:
        return _deny(
            "not_registered",
            f"{what} is reserved to a registered social worker; "
            f"{actor.display_name} is not on the social worker part of the SSSC register.",
        )
    if actor.sssc_expiry is None or actor.sssc_expiry < today:
        when = f" on {_long_date(actor.sssc_expiry)}" if actor.sssc_expiry else ""
        return _deny(
            "registration_lapsed",
            f"{what} is reserved to a registered social worker; "
            f"{actor.display_name}'s SSSC registration lapsed{when}.",
        )
    missing = sorted(rule.accreditations - actor.accreditations)
    if missing:
        names = ", ".join(Accreditation(m).label for m in missing)
        return _deny(
            "missing_accreditation",
            f"{what} needs accreditation as {names}, which {actor.display_name} does not hold.",
        )
    if pq_months(actor, today) < rule.min_pq_months:
        return _deny(
            "insufficient_experience",
            f"{what} needs at least {rule.min_pq_months} months' post-qualifying experience; "
            f"{actor.display_name} has {pq_months(actor, today)}.",
        )
    return ALLOW
