"""Assessments: which a case has (the one that opened it; then, as the case calls for them,
self-assessments, child protection and adult protection inquiries, MHO reports, risk and
carers' assessments, reassessments), who wrote and who signed each, everyone's
contributions, and the drafts in hand today (some asked of para-professionals)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from casework import permissions as perm
from casework.models import Assessment, AssessmentContribution
from casework.synthetic.care.context import CareContext
from casework.synthetic.care.people import Key, wording
from casework.synthetic.care.signing import DayPolicy
from casework.synthetic.care.words import (
    AGENCIES,
    CARER_OUTCOMES,
    CARER_SAYS,
    CARER_TEXTS,
    KIND_ANALYSIS,
    PARENT_SAYS,
    SAYS,
    TEXTS,
    WORKER_SAYS,
    YOUNG_CARER_SAYS,
)
from casework.synthetic.draws import new_id, office_time
from casework.synthetic.plan import CasePlan, Member
from casework.synthetic.rows import synced
from casework.synthetic.scales import ADULT, CHILDREN, JUSTICE, MENTAL_HEALTH
from casework.vocab import (
    AssessmentKind,
    AssessmentStatus,
    CaseStatus,
    ContributorRole,
    EligibilityBand,
    KeyPersonKind,
    LegalStatus,
    RiskLevel,
    SupportPlanStatus,
)
from casework.vocab import AssessmentKind as K

Role = perm.Role


@dataclass(eq=False, slots=True)
class _Assessment:
    kind: AssessmentKind
    started: date
    signed: date | None  # planned sign-off day; None: a draft for now
    risk: RiskLevel | None
    carer: Key | None = None
    drafter: Member | None = None
    author: Member | None = None


class Assessments:
    def __init__(self, ctx: CareContext, policy: DayPolicy):
        self.ctx, self.policy = ctx, policy
        self.para_drafts: dict[str, Member] = {}  # case id: the para-professional asked
        self.own_drafts: set[str] = set()  # cases whose named worker has a draft in hand

    def choose_drafts(self) -> None:
        """Each para-professional has two to four drafts they were asked to prepare; each
        case holder has a draft of their own in hand."""
        rng = self.ctx.rng
        for team in self.ctx.plan.teams:
            held = [c for c in self.ctx.plan.cases if c.team is team and c.closed_on is None
                    and c.status != CaseStatus.REFERRAL and c.rows[-1].worker is not None
                    and c.opened_on is not None and (self.ctx.as_of - c.opened_on).days >= 21]
            free = list(held)
            for para in team.paras:
                for c in rng.sample(free, min(rng.randint(2, 4), len(free))):
                    self.para_drafts[c.id] = para
                    free.remove(c)
            for m in team.holders:
                theirs = [c for c in free if c.rows[-1].worker is m]
                if theirs:
                    c = rng.choice(theirs)
                    self.own_drafts.add(c.id)
                    free.remove(c)

    def plan_for(self, c: CasePlan, keys: list[Key], first: date, last: date,
                 old: bool) -> list[_Assessment]:
        rng, area, legal, risk = self.ctx.rng, c.team.area, c.legal, c.risk
        urgent = c.band in (EligibilityBand.CRITICAL, EligibilityBand.SUBSTANTIAL)

        def at(offset_days: int, takes: tuple[int, int]) -> tuple[date, date]:
            started = min(first + timedelta(days=offset_days), last)
            return started, started + timedelta(days=rng.randint(*takes))

        out: list[_Assessment] = []
        if area == JUSTICE and (legal == LegalStatus.COMMUNITY_PAYBACK_ORDER or rng.random() < 0.4):
            out.append(_Assessment(K.JUSTICE_REPORT, *at(0, (12, 21)), risk))
        else:
            takes = (7, 35) if urgent else (10, 56)
            out.append(_Assessment(K.OUTCOMES_FOCUSED, *at(rng.randint(0, 7), takes),
                                   risk if risk != RiskLevel.HIGH or rng.random() < 0.5 else RiskLevel.MEDIUM))
        if old:
            return out
        span = max((last - first).days, 1)
        if area == ADULT and rng.random() < 0.35:
            out.append(_Assessment(K.SELF_ASSESSMENT, *at(rng.randint(0, 10), (7, 21)), None))
        if area == CHILDREN and (legal == LegalStatus.CHILD_PROTECTION_PLAN
                                 or (legal == LegalStatus.COMPULSORY_SUPERVISION_ORDER and rng.random() < 0.5)):
            out.insert(0, _Assessment(K.CHILD_PROTECTION_INVESTIGATION, *at(0, (3, 15)),
                                      RiskLevel.HIGH if risk == RiskLevel.HIGH else RiskLevel.MEDIUM))
        if (area == ADULT and (legal == LegalStatus.PROTECTION_ORDER
                               or (risk == RiskLevel.HIGH and rng.random() < 0.5))) or (
                area == MENTAL_HEALTH and risk == RiskLevel.HIGH and rng.random() < 0.25):
            out.append(_Assessment(K.ASP_INQUIRY, *at(rng.randint(0, span // 3), (7, 28)),
                                   RiskLevel.HIGH if risk == RiskLevel.HIGH else RiskLevel.MEDIUM))
        if (area == MENTAL_HEALTH and legal in (LegalStatus.COMPULSORY_TREATMENT_ORDER,
                                                LegalStatus.GUARDIANSHIP_ORDER)) or (
                area == ADULT and legal == LegalStatus.GUARDIANSHIP_ORDER):
            out.append(_Assessment(K.MHO_REPORT, *at(rng.randint(7, max(7, min(60, span // 2))), (7, 28)),
                                   risk))
        risk_share = {MENTAL_HEALTH: 0.7, JUSTICE: 0.85}.get(area, 0.4)
        if risk == RiskLevel.HIGH or (risk == RiskLevel.MEDIUM and rng.random() < risk_share):
            out.append(_Assessment(K.RISK, *at(rng.randint(0, 20), (5, 20)), risk))
        for k in keys:
            if not k.carer:
                continue
            if k.support_plan == SupportPlanStatus.IN_PLACE:
                out.append(_Assessment(K.CARERS, *at(rng.randint(7, max(7, min(90, span))), (14, 42)),
                                       None, carer=k))
            elif k.support_plan == SupportPlanStatus.OFFERED and c.closed_on is None and rng.random() < 0.3:
                started = max(self.ctx.as_of - timedelta(days=rng.randint(3, 40)), first)
                out.append(_Assessment(K.CARERS, started, None, None, carer=k))
        if c.closed_on is None and (self.ctx.as_of - first).days > 730 and rng.random() < 0.6:
            started = self.ctx.as_of - timedelta(days=rng.randint(60, 400))
            out.append(_Assessment(K.OUTCOMES_FOCUSED, started, started + timedelta(days=rng.randint(10, 40)),
                                   risk))
        draft = self._recent_draft(c, keys, first)
        if draft is not None:
            out.append(draft)
        return out

    def _recent_draft(self, c: CasePlan, keys: list[Key], first: date) -> _Assessment | None:
        """A draft in hand today: asked of a para-professional, one of the worker's own, or
        (now and then) any live case's reassessment."""
        rng, area = self.ctx.rng, c.team.area
        para = self.para_drafts.get(c.id)
        if para is None and c.id not in self.own_drafts and not (
                c.closed_on is None and rng.random() < 0.08):
            return None
        named = c.rows[-1].worker  # the named worker asked for it, or drafts it
        started = max(self.ctx.as_of - timedelta(days=rng.randint(1, 35)), first, c.rows[-1].at.date())
        carer = next((k for k in keys if k.carer), None)
        choices = {
            ADULT: [K.OUTCOMES_FOCUSED, K.SELF_ASSESSMENT] + ([K.CARERS] * 2 if carer else []),
            CHILDREN: [K.OUTCOMES_FOCUSED, K.RISK] + ([K.CARERS] if carer else []),
            JUSTICE: [K.RISK, K.JUSTICE_REPORT],
            MENTAL_HEALTH: [K.RISK, K.OUTCOMES_FOCUSED] + ([K.CARERS] if carer else []),
        }[area]
        # Statutory work in preparation: a para-professional may draft it, never sign it.
        if area in (ADULT, MENTAL_HEALTH) and (c.risk == RiskLevel.HIGH or c.legal == LegalStatus.PROTECTION_ORDER):
            choices += [K.ASP_INQUIRY] * 2
        if c.legal == LegalStatus.CHILD_PROTECTION_PLAN:
            choices.append(K.CHILD_PROTECTION_INVESTIGATION)
        if c.legal in (LegalStatus.GUARDIANSHIP_ORDER, LegalStatus.COMPULSORY_TREATMENT_ORDER):
            choices.append(K.MHO_REPORT)  # for the order's renewal
        kind = rng.choice(choices)
        return _Assessment(kind, started, None, c.risk if kind != K.CARERS else None,
                           carer=carer if kind == K.CARERS else None, drafter=para, author=named)

    def write(self, c: CasePlan, a: _Assessment, keys: list[Key], outcomes: list[str],
              last: date) -> Member | None:
        rng, team = self.ctx.rng, c.team
        a.started = max(a.started, c.start.date())
        author = a.author or self.ctx.holder(c, a.started) or team.leader
        signer = None
        signed = a.signed
        if signed is not None:
            signed = max(min(signed, last), a.started)
            if signed >= self.ctx.as_of:
                signed = None
        a.signed = signed
        if a.kind == K.MHO_REPORT:  # prepared and signed by a mental health officer
            mho = self._mho(c, signed or a.started)
            if mho is not None:
                author = mho
            elif c.closed_on is not None:
                return None  # an MHO from elsewhere did it: not on this record
        assert author is not None
        a.author = author
        if signed is not None and a.drafter is None:
            signer = self._signer(c, a, signed)
        started_at = office_time(rng, a.started)
        signed_at = self.ctx.when(c, signed) if signer and signed else None
        aid = new_id(rng)
        fmt = wording(c, a.carer, a.risk)
        t = TEXTS[team.area]
        if a.kind == K.CARERS and a.carer is not None:
            carer_fmt = fmt
            strengths = rng.choice(CARER_TEXTS["strengths"]).format(**carer_fmt)
            needs = rng.choice(CARER_TEXTS["needs"]).format(**carer_fmt)
            risks = rng.choice(CARER_TEXTS["risks"]).format(**carer_fmt)
            wanted = "; ".join(rng.sample(CARER_OUTCOMES, 2))
            young = a.carer.kind == KeyPersonKind.YOUNG_CARER
            analysis = rng.choice(CARER_TEXTS["young" if young else "adult"]).format(**carer_fmt)
        else:
            strengths = " ".join(rng.sample(t["strengths"], 2)).format(**fmt)
            needs = " ".join(rng.sample(t["needs"], 2)).format(**fmt)
            risks = rng.choice(t["risks"]).format(**fmt)
            wanted = "; ".join(outcomes)
            analysis = rng.choice(KIND_ANALYSIS.get(a.kind) or t["analysis"]).format(**fmt)
        updated = signed_at or office_time(rng, max(a.started, min(self.ctx.last_day, a.started + timedelta(days=3))))
        self.ctx.add(Assessment, synced(aid, team.id, updated, (signer or a.drafter or author).id) | {
            "case_id": c.id, "kind": a.kind.value,
            "status": (AssessmentStatus.SIGNED_OFF if signer else AssessmentStatus.DRAFT).value,
            "started_on": a.started, "carer_id": a.carer.id if a.carer else None,
            "risk_level": a.risk.value if a.risk else None, "strengths": strengths, "needs": needs,
            "risks": risks, "outcomes_wanted": wanted, "analysis": analysis, "created_by": author.id,
            "drafter_id": a.drafter.id if a.drafter else None,
            "signed_off_by": signer.id if signer else None, "signed_off_at": signed_at,
        })
        self._contributions(c, a, aid, keys, started_at, signed or min(self.ctx.last_day, a.started + timedelta(days=7)))
        if signer and signed_at:
            self.ctx.event(c, signer, signed_at, f"{a.kind.label} signed off",
                           f"Signed off by {signer.display_name} ({signer.role.label.lower()}).")
        return signer

    def _contributions(self, c: CasePlan, a: _Assessment, aid: str, keys: list[Key],
                       started_at: datetime, by_day: date) -> None:
        rng, area, p = self.ctx.rng, c.team.area, c.person
        assert p.date_of_birth is not None
        age = (a.started - p.date_of_birth).days // 365
        fmt = wording(c, a.carer, a.risk)
        rows: list[tuple[ContributorRole, str, str | None, str | None, str]] = []
        person_share = {K.SELF_ASSESSMENT: 1.0, K.CARERS: 0.2, K.OUTCOMES_FOCUSED: 0.85}.get(a.kind, 0.6)
        if (area != CHILDREN or age >= 5) and rng.random() < person_share:
            rows.append((ContributorRole.PERSON, f"{p.given} {p.family}", None, None,
                         rng.choice(SAYS[area])))
        carer = a.carer or next((k for k in keys if k.kind != KeyPersonKind.PROFESSIONAL
                                 and (k.carer or k.lives_with)), None)
        if carer is not None and (a.carer is not None or rng.random() < 0.6):
            if carer.kind == KeyPersonKind.YOUNG_CARER:
                words = rng.choice(YOUNG_CARER_SAYS)
            elif area == CHILDREN:
                words = rng.choice(PARENT_SAYS)
            else:
                words = rng.choice(CARER_SAYS)
            rows.append((ContributorRole.CARER, carer.owner, carer.id, None, words.format(**fmt)))
        if a.kind != K.SELF_ASSESSMENT and (rng.random() < 0.7 or not rows):
            assert a.author is not None
            rows.append((ContributorRole.WORKER, a.author.display_name, None, a.author.id,
                         rng.choice(WORKER_SAYS).format(**fmt)))
        if rng.random() < (0.9 if a.kind.statutory else 0.45):
            agency, words = rng.choice(AGENCIES[area])
            rows.append((ContributorRole.OTHER, agency, None, None, words.format(**fmt)))
        if not rows:
            rows.append((ContributorRole.PERSON, f"{p.given} {p.family}", None, None, rng.choice(SAYS[area])))
        span = max((by_day - a.started).days, 0)
        by = (a.drafter or a.author or c.team.leader)
        assert by is not None
        for role, name, key_id, staff_id, words in rows:
            given_on = a.started + timedelta(days=rng.randint(0, span))
            self.ctx.add(AssessmentContribution, synced(new_id(rng), c.team.id, max(started_at, office_time(
                rng, given_on)), by.id) | {
                "assessment_id": aid, "contributor": role.value, "name": name[:200],
                "key_person_id": key_id, "staff_id": staff_id, "contribution": words, "given_on": given_on,
            })

    def _signer(self, c: CasePlan, a: _Assessment, day: date) -> Member | None:
        team = c.team
        holder = self.ctx.holder(c, day)
        if a.kind == K.MHO_REPORT:
            candidates = [a.author]
        else:
            seniors = [m for m in team.holders if m.role == Role.SENIOR_PRACTITIONER]
            candidates = [holder, team.leader, *seniors]
        ref = perm.CaseRef(team.id, holder.id if holder else None)
        kind, risk = a.kind.value, a.risk.value if a.risk else None
        for m in candidates:
            if m is not None and self.policy.may_sign(m, ref, kind, risk, day):
                return m
        return None

    def _mho(self, c: CasePlan, day: date) -> Member | None:
        """A mental health officer of the team that day: the named worker if they are one."""
        team = c.team
        holder = self.ctx.holder(c, day)
        pool = [m for m in ([holder] if holder else []) + team.holders + team.formers
                if self.policy.is_mho(m, day)]
        if not pool:
            return None
        return pool[0] if pool[0] is holder else self.ctx.rng.choice(pool)

