"""Care records for the synthetic data: the people around each person (unpaid and young
carers first), assessments with everyone's contributions, plans with outcomes, actions,
reviews and ratings, and the chronology's event notes. No Qt.

synthetic.generate drives it, after planning and around the rows it already writes:

    care = CareRecords(plan, scale, seed, as_of)
    care.settle_closures()     # closing summary and who closed: case rows carry them
    ...                        # staff, people, cases, allocations
    care.write(writer)         # the "Care records" stage
    ...                        # notes: care.keep_note(), care.contact_with(...)

Everything here draws from Randoms of its own, derived from the seed, so that the people,
cases, allocations and notes synthetic.py draws stay exactly as they were before care records
existed. Volume follows the work: live cases get a full plan, recently closed ones a lighter
record, and cases closed long ago just the assessment that opened them.

Sign-offs ask the real policy (permissions.decide_sign_off) on the day, with the member's
registration and the accreditations awarded by then; nobody unqualified that day signs, so
such an assessment stays a draft.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from casework import permissions as perm
from casework.models import (
    Assessment,
    AssessmentContribution,
    CaseNote,
    KeyPerson,
    OutcomeRating,
    PlanAction,
    PlanOutcome,
    PlanReview,
)
from casework.synthetic import (
    _CLOSING,
    _FAMILY,
    ADULT,
    CHILDREN,
    CORRECTION_SHARE,
    JUSTICE,
    MENTAL_HEALTH,
    _at,
    _CasePlan,
    _Member,
    _office_time,
    _Plan,
    _person_name,
    _PersonPlan,
    _synced,
    _uuid,
    _weighted,
    _Writer,
    Scale,
)
from casework.text import fold
from casework.vocab import (
    AssessmentKind,
    AssessmentStatus,
    CaseStatus,
    ContributorRole,
    EligibilityBand,
    KeyPersonKind,
    LegalStatus,
    NoteType,
)
from casework.vocab import OutcomeRating as Rating
from casework.vocab import RiskLevel, SupportPlanStatus

Role = perm.Role
K = AssessmentKind
# Closed this long before as_of, a case keeps only the assessment that opened it.
OLD_CLOSED_DAYS = 3 * 365
MAX_REVIEWS = 8
# The tables this module fills, parents first.
CARE_TABLES = ("key_person", "assessment", "assessment_contribution", "plan_outcome", "plan_action",
               "plan_review", "outcome_rating")


# -- the people around a person -----------------------------------------------------------


@dataclass(eq=False, slots=True)
class _Key:
    id: str
    kind: KeyPersonKind
    given: str
    relation: str  # as said in a sentence: "daughter", "mum", "named person"
    lives_with: bool
    support_plan: SupportPlanStatus | None = None

    @property
    def carer(self) -> bool:
        return self.kind.is_carer

    @property
    def owner(self) -> str:
        return f"{self.given} ({self.relation})"


# (relationship, female? None: either, lives with the person, kind); weights follow.
_Rel = tuple[str, bool | None, float, KeyPersonKind]
_CARERS_OLDER: tuple[tuple[_Rel, float], ...] = (
    (("daughter", True, 0.15, KeyPersonKind.UNPAID_CARER), 34),
    (("son", False, 0.1, KeyPersonKind.UNPAID_CARER), 16),
    (("spouse", None, 0.97, KeyPersonKind.UNPAID_CARER), 30),
    (("niece", True, 0.0, KeyPersonKind.UNPAID_CARER), 6),
    (("neighbour", None, 0.0, KeyPersonKind.UNPAID_CARER), 8),
    (("granddaughter", True, 0.1, KeyPersonKind.UNPAID_CARER), 6),
)
_CARERS_YOUNGER: tuple[tuple[_Rel, float], ...] = (
    (("mother", True, 0.7, KeyPersonKind.UNPAID_CARER), 35),
    (("father", False, 0.6, KeyPersonKind.UNPAID_CARER), 12),
    (("partner", None, 0.9, KeyPersonKind.UNPAID_CARER), 30),
    (("sister", True, 0.1, KeyPersonKind.UNPAID_CARER), 15),
    (("brother", False, 0.1, KeyPersonKind.UNPAID_CARER), 8),
)
_FAMILY_OTHER: tuple[tuple[_Rel, float], ...] = (
    (("son", False, 0.0, KeyPersonKind.FAMILY), 30),
    (("daughter", True, 0.0, KeyPersonKind.FAMILY), 30),
    (("sister", True, 0.0, KeyPersonKind.FAMILY), 15),
    (("brother", False, 0.0, KeyPersonKind.FAMILY), 10),
    (("friend", None, 0.0, KeyPersonKind.FRIEND), 15),
)
_PROFESSIONALS = {
    ADULT: ("GP", "district nurse", "occupational therapist"),
    CHILDREN: ("guidance teacher", "school nurse", "health visitor"),
    JUSTICE: ("addictions worker", "throughcare support worker", "unpaid work supervisor"),
    MENTAL_HEALTH: ("community psychiatric nurse", "GP", "consultant psychiatrist"),
}
_SUPPORT_PLAN = {
    KeyPersonKind.UNPAID_CARER: ((SupportPlanStatus.IN_PLACE, 36), (SupportPlanStatus.OFFERED, 30),
                                 (SupportPlanStatus.DECLINED, 12), (SupportPlanStatus.NOT_OFFERED, 22)),
    KeyPersonKind.YOUNG_CARER: ((SupportPlanStatus.IN_PLACE, 45), (SupportPlanStatus.OFFERED, 30),
                                (SupportPlanStatus.DECLINED, 10), (SupportPlanStatus.NOT_OFFERED, 15)),
}
_KEY_NOTES = {
    KeyPersonKind.UNPAID_CARER: (
        "Main carer. Works part time; phone after 5 pm.",
        "Does the shopping, meals and medication. Has arthritis and finds lifting hard.",
        "Holds welfare and continuing power of attorney.",
        "Visits every day before and after work.",
        "Has had no break in over a year; interested in a short break.",
    ),
    KeyPersonKind.YOUNG_CARER: (
        "Helps with medication, shopping and a younger brother. The school knows, with consent.",
        "Goes to the young carers' group on Thursdays.",
        "Sometimes late for school after a bad night at home.",
    ),
    KeyPersonKind.FAMILY: ("Lives in Aberdeen; phones on Sundays.", "Keep informed, with consent.",
                           "Not to be given the address (see the risk assessment).", None, None),
    KeyPersonKind.FRIEND: ("Old friend from the church; visits on Wednesdays.", None),
    KeyPersonKind.PROFESSIONAL: (None, "Happy to be contacted by email.", "Part time: Mondays to Wednesdays."),
}
# Gaelic, Irish and Polish surnames change with sex: each form finds its pair.
_SURNAME_PAIRS = {form: pair for pair in _FAMILY if isinstance(pair, tuple) for form in pair}


def _surname(family: str, female: bool) -> str:
    pair = _SURNAME_PAIRS.get(family)
    return pair[1 if female else 0] if pair else family


# -- assessments, plans and reviews: the words --------------------------------------------

_OUTCOMES = {
    ADULT: ("To stay in my own home", "To see my grandchildren every week",
            "To get washed and dressed without being rushed", "To get out to the day centre on Tuesdays",
            "To feel safe at night", "To get back to the church choir", "To manage my own money again",
            "To keep my dog", "To get out into the garden when the weather is fine",
            "For my family to get a proper break"),
    CHILDREN: ("To stay at my school with my friends", "To feel safe at home", "To see my dad every weekend",
               "To go to school every day", "For Mum to get well", "To keep playing football on Saturdays",
               "To have my own room", "Not to have to tell my story again to new people",
               "To be at home with my mum and my brother"),
    JUSTICE: ("To finish my unpaid work hours", "To stay off the drink", "To keep my flat", "To get a job",
              "To see my kids every week", "To get back to college", "To stay out of trouble"),
    MENTAL_HEALTH: ("To stay out of hospital", "To get my sleep back", "To go back to work part time",
                    "To get back to college", "To walk the hills again", "To see my sister every week",
                    "To know what to do when I start to get unwell"),
}
_CARER_OUTCOMES = ("A night off every week", "To keep working part time",
                   "To know who to call in a crisis", "To get my own health seen to",
                   "To have time for my own family", "To go back to football", "To keep up at school")
_TEXTS: dict[Any, dict[str, tuple[str, ...]]] = {
    ADULT: {
        "strengths": ("{name} knows what {she} wants and says so clearly.",
                      "Family nearby and a good neighbour who looks in.",
                      "Good sense of humour; enjoys company when it comes to {her}.",
                      "Manages {her} own medication with a dosette box.",
                      "Long-standing links with the church and the lunch club."),
        "needs": ("Help to wash and dress in the mornings; {she} is unsteady first thing.",
                  "Meals: {she} forgets to eat at lunchtime when alone.",
                  "A safer bathroom: a level-access shower would let {her} wash without help.",
                  "Company during the day; lonely since {her} {spouse} died.",
                  "Support with money and bills.", "A break for the family carer."),
        "risks": ("Two falls this year, one at night; no injuries.",
                  "Forgets to turn the cooker off; a heat sensor has been suggested.",
                  "Has given an acquaintance money several times; possible financial harm.",
                  "District nurse monitoring a pressure area.",
                  "Low risk at present; wears the community alarm."),
        "analysis": ("{name} has eligible needs and the outcomes are realistic with care at home, "
                     "equipment and support for the family. The four self-directed support options "
                     "were explained; {she} is thinking about option 2.",
                     "The main risk is falls at night. With a community alarm and a morning visit "
                     "{name} can stay at home safely, which is what {she} wants.",
                     "{name}'s wishes are clear and {she} has capacity to make these decisions. The "
                     "plan builds on family support rather than replacing it."),
    },
    CHILDREN: {
        "strengths": ("{name} has a warm relationship with {her} mum, who wants to make changes.",
                      "{name} is settled in class and has good friends.",
                      "Gran lives nearby and is a steady presence.",
                      "{name} loves football and goes to the club on Saturdays."),
        "needs": ("Safe: {name} needs to be free from the domestic abuse at home.",
                  "Healthy: dental check-ups are overdue and meals are irregular.",
                  "Achieving: attendance is below 80%; {name} needs help to get to school.",
                  "Nurtured: mum needs support with the morning and bedtime routines.",
                  "Included: {name} would like to join an after-school club."),
        "risks": ("Neglect: no food in the house on three visits.",
                  "Domestic abuse; the father has a bail condition not to attend the home.",
                  "Parental alcohol use at weekends.",
                  "{name} has been missing overnight twice this year."),
        "analysis": ("Using the My World Triangle, the concerns are mainly about care at home rather "
                     "than {name}'s own development. Mum is engaging and the plan builds on that.",
                     "{name}'s wellbeing is affected most in being Safe and Nurtured. A child's plan "
                     "with clear actions for mum, school and health is needed."),
    },
    JUSTICE: {
        "strengths": ("{name} has a supportive partner and a settled tenancy.",
                      "Finished a joinery course at college before the offence.",
                      "Motivated to change; has kept every appointment so far."),
        "needs": ("Alcohol: drinks most days; willing to work with the addictions service.",
                  "Housing: sofa-surfing since leaving prison.",
                  "Work: unemployed for two years; keen on a construction skills course.",
                  "Managing anger in relationships."),
        "risks": ("Risk of reoffending medium (LS/CMI); the offences are linked to drinking.",
                  "History of domestic abuse; the Caledonian programme is being considered.",
                  "Risk of serious harm low; no weapon used."),
        "analysis": ("{name} accepts responsibility for the offence and wants to tackle {her} "
                     "drinking. The risk of reoffending is highest when {she} is drinking and "
                     "unsettled in housing; both are in the plan.",),
    },
    MENTAL_HEALTH: {
        "strengths": ("{name} knows {her} early warning signs and has a crisis plan.",
                      "Close to {her} sister, who visits every week.",
                      "Takes medication regularly when well supported."),
        "needs": ("Support with sleep and a daily routine.",
                  "Help with money: rent arrears built up during the last admission.",
                  "A route back to work or volunteering.",
                  "Company: isolated since losing {her} job."),
        "risks": ("Self-harm when unwell; two overdoses in the past five years.",
                  "Relapse if medication stops; the last one followed a move.",
                  "Self-neglect when low: not eating, not opening mail."),
        "analysis": ("{name} is well at present and wants to stay out of hospital. The plan focuses "
                     "on routine, early warning signs and contact with the CPN.",
                     "The risks rise quickly when {name} stops medication; {she} and {her} family "
                     "understand the crisis plan."),
    },
}
_KIND_ANALYSIS = {
    K.CHILD_PROTECTION_INVESTIGATION: (
        "Inter-agency referral discussion with police and health, then a joint investigation. "
        "{name} was seen and spoken with alone. Concerns of {concern} are substantiated; a child "
        "protection planning meeting was convened and a child protection plan agreed.",
        "Joint investigation after an inter-agency referral discussion. {name} was seen at school "
        "with the guidance teacher present. Concerns of {concern} substantiated; referred to the "
        "Children's Reporter and a child protection planning meeting held.",
    ),
    K.ASP_INQUIRY: (
        "Inquiry under section 4 of the Adult Support and Protection (Scotland) Act 2007. {name} "
        "meets the three-point test: unable to safeguard {her} own wellbeing, at risk of harm, and "
        "more vulnerable because of illness. An adult protection case conference is recommended.",
        "Inquiry with investigative powers (sections 7 to 10). {name} was interviewed at home with "
        "an independent advocate. Financial harm by an acquaintance is likely; protection plan agreed "
        "and a banning order considered.",
    ),
    K.JUSTICE_REPORT: (
        "Justice social work report to the sheriff court. {name} pleaded guilty and accepts "
        "responsibility. Assessed as suitable for a community payback order with supervision "
        "(12 months) and 150 hours of unpaid work.",
        "Report for sentencing. Risk of reoffending medium (LS/CMI), linked to alcohol. A community "
        "payback order with supervision and an alcohol treatment requirement is proposed.",
    ),
    K.MHO_REPORT: (
        "Mental health officer report for a compulsory treatment order application (Mental Health "
        "(Care and Treatment) (Scotland) Act 2003). {name} and {her} named person were interviewed; "
        "{name} does not agree. The conditions are met and there is no less restrictive alternative.",
        "Mental health officer report under section 57 of the Adults with Incapacity (Scotland) "
        "Act 2000 on the proposed welfare guardian. The powers sought are needed and are the least "
        "restrictive way to support {name}.",
    ),
    K.RISK: (
        "Risk assessed as {risk}. Protective factors: family contact and regular visits. Reviewed at "
        "supervision and shared with health colleagues, with consent.",
        "Overall risk {risk}. The risks are known and the plan reduces them; the crisis plan says "
        "who does what out of hours.",
    ),
    K.SELF_ASSESSMENT: (
        "{name} completed the self-assessment with help at a visit. Where {her} view and the "
        "worker's differ, both are recorded.",
    ),
}
_CONCERNS = ("neglect", "emotional abuse", "physical abuse", "domestic abuse")
_CARER_TEXTS = {
    "strengths": ("{carer} knows {name}'s needs better than anyone and wants to keep caring.",
                  "{carer} has good support from friends and the carers' centre."),
    "needs": ("A regular break: {carer} has not had a night away in two years.",
              "Help to balance caring with work.", "Information about {name}'s condition."),
    "risks": ("Carer stress: {carer} says caring is getting too much some weeks.",
              "{carer}'s own health is suffering; a GP appointment keeps being put off."),
    "adult": ("Adult carer support plan agreed with {carer}: a short break every month and a "
              "referral to the carers' centre.",),
    "young": ("Young carer statement agreed with {carer}: the young carers' group on Thursdays, and "
              "school told, with {carer}'s agreement.",),
}
_SAYS = {
    ADULT: ("I want to stay in my own house. I've lived here forty years.",
            "I manage fine most days. It's the mornings I struggle with.",
            "I don't want to be a burden on my family.",
            "I'd like to get out more. I've not been to the shops since the winter.",
            "I'm frightened of falling again at night."),
    CHILDREN: ("I like my school and my teacher. I don't want to move.", "I want it to be calm at home.",
               "I miss my dad. I want to see him more.", "I help Mum a lot. Sometimes I'm tired at school.",
               "I don't like it when the police come."),
    JUSTICE: ("I know I messed up. I want to get off the drink and keep my flat.",
              "I've got a wee girl and I want to be there for her.",
              "I'll do the unpaid work, no bother. I just need help with the drink.",
              "I want a job. Nobody gives you a chance with a record."),
    MENTAL_HEALTH: ("When I'm getting unwell I stop sleeping. My sister notices before I do.",
                    "I don't want to go back into hospital.", "The tablets make me tired but they help.",
                    "I want to get back to work, even a couple of days."),
}
_CARER_SAYS = ("I'm glad to help {name} but I've not had a full night's sleep in months.",
               "I work full time and do the evenings. I need to know someone looks in at lunchtime.",
               "{name} won't take help from strangers, so it all falls on me.",
               "I want to keep caring. I just need a break now and again.")
_PARENT_SAYS = ("I know things have to change. I want help with the mornings.",
                "I'll do whatever it takes to keep {name} at home.",
                "I didn't know who to ask for help before.")
_YOUNG_CARER_SAYS = ("I do the shopping and help Mum with her tablets. I'd like to go to football again.",
                     "I worry about Mum when I'm at school.")
_WORKER_SAYS = ("Seen at home on two visits; {name} was clear about what matters to {her}.",
                "Observed: house warm, food in, {name} well presented.",
                "Spoke with {name} alone for part of the visit.")
_AGENCIES = {
    ADULT: (("GP practice", "{name}'s memory has declined over the year; bloods normal; referred to the memory clinic."),
            ("District nurse", "Visiting twice a week for a leg ulcer; skin otherwise intact."),
            ("Occupational therapy", "Bathing assessment done: a bath lift and grab rails recommended."),
            ("Police Scotland", "Concern report: {name} found outside at night, confused.")),
    CHILDREN: (("School", "Attendance 78% this term. {name} is settled when in class."),
               ("Health visitor", "Development on track; two appointments missed."),
               ("Police Scotland", "Two domestic incidents at the address this year."),
               ("GP practice", "Immunisations up to date.")),
    JUSTICE: (("Scottish Prison Service", "Good conduct in custody; completed an alcohol awareness course."),
              ("Addictions service", "Attending weekly; drinking has reduced."),
              ("Police Scotland", "No further incidents since the order began.")),
    MENTAL_HEALTH: (("Community mental health nurse", "Depot every two weeks; mood stable."),
                    ("Consultant psychiatrist", "Lacks insight when unwell; supports the application."),
                    ("GP practice", "Physical health checks up to date.")),
}
_ACTIONS = {  # by area and owner: "worker" and "para" are staff, the rest are named in words
    ADULT: {
        "worker": ("Arrange care at home: morning and tea-time visits",
                   "Refer to occupational therapy for a bathing assessment",
                   "Set up a community alarm with a falls detector",
                   "Go through the four self-directed support options with {name}",
                   "Apply for attendance allowance with {name}"),
        "para": ("Visit weekly for the first month to check the new routine",
                 "Go with {name} to the lunch club for the first two weeks",
                 "Help {name} fill in the self-assessment form",
                 "Check the equipment has arrived and is being used"),
        "person": ("Try the lunch club on Thursdays", "Wear the community alarm at night",
                   "Tell the carers which morning time suits"),
        "carer": ("Book a place at the carers' centre drop-in", "Look at the short break options",
                  "Keep a note of any falls"),
        "provider": (("Braeside Homecare (care at home)", "Morning visits at a set time, 8.30 to 9.00"),
                     ("Occupational therapy", "Fit grab rails and a bath lift"),
                     ("Community alarm service", "Install the alarm and test it with {name}")),
    },
    CHILDREN: {
        "worker": ("Visit every two weeks and see {name} on their own",
                   "Refer mum to the parenting group", "Arrange the child's plan meeting with school and health",
                   "Apply for a school clothing grant with mum"),
        "para": ("Take {name} and mum to the dentist", "Support mum with the morning routine twice a week",
                 "Drive {name} to contact with dad on Saturdays"),
        "person": ("Tell the guidance teacher if things get hard at home",
                   "Go to the after-school club on Wednesdays"),
        "carer": ("Go to the parenting group on Tuesdays", "Keep the GP appointment",
                  "Get {name} to school by 9 every day"),
        "provider": (("Guidance teacher", "Check in with {name} every morning"),
                     ("Health visitor", "Developmental check and a home visit"),
                     ("Women's Aid", "Safety planning with mum")),
    },
    JUSTICE: {
        "worker": ("Weekly supervision for the first three months",
                   "Refer to the Caledonian programme", "Complete the housing application with {name}"),
        "para": ("Go with {name} to the job centre appointment",
                 "Help {name} apply for a bus pass and a bank account"),
        "person": ("Attend unpaid work on Saturdays", "Go to the addictions service every Tuesday",
                   "Keep to the curfew"),
        "carer": ("Let the worker know if things get difficult at home",),
        "provider": (("Unpaid work team", "Place {name} on a work squad"),
                     ("Addictions service", "Assessment and weekly key work"),
                     ("Housing options", "Find temporary accommodation")),
    },
    MENTAL_HEALTH: {
        "worker": ("Agree a crisis plan with {name} and share it with the CPN",
                   "Apply for a council tax reduction", "Refer to the Recovery College"),
        "para": ("Go with {name} to the walking group for the first month",
                 "Help {name} sort the mail and bills every fortnight"),
        "person": ("Keep a sleep diary", "Phone the CPN if the early warning signs come back"),
        "carer": ("Call the team if {name} stops sleeping", "Come to the next review"),
        "provider": (("Community mental health nurse", "Depot every two weeks and a mood check"),
                     ("Recovery College", "A place on the wellbeing course"),
                     ("Citizens Advice", "Debt advice and a benefits check")),
    },
}
_OWNERS = {
    ADULT: (("worker", 35), ("para", 15), ("person", 15), ("carer", 15), ("provider", 20)),
    CHILDREN: (("worker", 35), ("para", 10), ("person", 10), ("carer", 25), ("provider", 20)),
    JUSTICE: (("worker", 40), ("para", 5), ("person", 40), ("carer", 0), ("provider", 15)),
    MENTAL_HEALTH: (("worker", 30), ("para", 10), ("person", 25), ("carer", 10), ("provider", 25)),
}
_REVIEW_NAME = {ADULT: "Review", CHILDREN: "Child's plan review", JUSTICE: "Order review",
                MENTAL_HEALTH: "Care programme approach review"}
_REVIEW_NAME_BY_LEGAL = {LegalStatus.CHILD_PROTECTION_PLAN: "Review child protection case conference",
                         LegalStatus.COMPULSORY_SUPERVISION_ORDER: "Looked after review"}
_REVIEW_PLACES = ("at home", "at the office", "at the school", "by video call", "at the day centre")
_PROGRESS = {
    Rating.MET: "Most outcomes are met and {name} is pleased with how things are going.",
    Rating.PARTLY_MET: "Some progress; the plan stays with small changes.",
    Rating.NOT_MET: "Little progress; actions changed and the next review brought forward.",
}
_RATING_COMMENTS = {
    Rating.MET: ("{name}: \"This is working for me.\"", "Achieved.", "Done, and kept up since the last review."),
    Rating.PARTLY_MET: ("Getting there.", "Some weeks are better than others.", "Started but not finished."),
    Rating.NOT_MET: ("No progress yet; we will try another way.", "Not started: still on the waiting list.",
                     "Set back by a hospital admission."),
}
# Review intervals in days, the usual first: six-monthly for adults and mental health,
# three-monthly for child protection and justice orders.
_INTERVALS = {ADULT: (182, 91, 365), CHILDREN: (182, 91), JUSTICE: (91, 182), MENTAL_HEALTH: (182, 91, 365)}
_INTERVALS_BY_LEGAL = {LegalStatus.CHILD_PROTECTION_PLAN: (91, 182),
                       LegalStatus.COMPULSORY_TREATMENT_ORDER: (182, 91)}
# Who a visit or a phone call was with, by the note's subject or opening (as templates).
_CONTACT = {
    "Phone call from the GP": "GP practice", "Phoned the GP practice about {name}.": "GP practice",
    "Call to housing": "Housing officer", "Call with the family": "family",
    "Call from the family about {name}.": "family",
    "Joint visit with the district nurse": "{name} and the district nurse",
    "Visit at the day centre": "{name} and day centre staff",
    "Visit to see {name} at school": "{name} and the guidance teacher",
    "Joint visit with the CPN": "{name} and the CPN", "Visit to the ward": "{name} and the charge nurse",
    "Prison visit": "{name}", "Visit with an interpreter": "{name} (with an interpreter)",
    "Home visit (order supervision)": "{name}",
}


# -- what is planned for one case -----------------------------------------------------------


@dataclass(eq=False, slots=True)
class _Assessment:
    kind: AssessmentKind
    started: date
    signed: date | None  # planned sign-off day; None: a draft for now
    risk: RiskLevel | None
    carer: _Key | None = None
    drafter: _Member | None = None
    author: _Member | None = None


@dataclass(eq=False, slots=True)
class _Outcome:
    id: str
    text: str
    progress: float
    ended: date | None = None


class CareRecords:
    def __init__(self, plan: _Plan, scale: Scale, seed: int, as_of: date):
        self.plan, self.scale, self.as_of = plan, scale, as_of
        self.seed = seed
        self.rng = Random(f"{seed}:care")
        self.note_rng = Random(f"{seed}:notes")  # which notes stay, and who contacts were with
        self.last_day = as_of - timedelta(days=1)
        self.companions: dict[str, tuple[str, str]] = {}  # person: (given, relation) of who is often there
        self.events = 0
        self.keep_share = 1.0
        self.para_drafts: dict[str, _Member] = {}  # case id: the para-professional asked
        self.own_drafts: set[str] = set()  # cases whose named worker has a draft in hand
        self.actors: dict[_ActorKey, perm.Actor] = {}

    # -- before the case rows ------------------------------------------------------------

    def settle_closures(self) -> None:
        """Closed cases: a closing summary, and who closed them (the final holder, or the team
        leader where closing under an order needed someone the final holder was not)."""
        rng = Random(f"{self.seed}:closing")
        for c in self.plan.cases:
            if c.closed_on is None:
                continue
            c.closing_summary = rng.choice(_CLOSING).format(name=c.person.given)
            final, leader = c.rows[-1].worker, c.team.leader
            c.closed_by = next((m for m in (final, leader) if m is not None and self._may_close(m, c)),
                               final or leader)

    def _may_close(self, m: _Member, c: _CasePlan) -> bool:
        day = c.closed_on
        assert day is not None
        if not self._registered(m, day):
            return False
        ref = perm.CaseRef(c.team.id, c.rows[-1].worker.id if c.rows[-1].worker else None)
        return bool(perm.decide_close(_actor(m, day, self.actors), ref, c.legal.statutory_order, today=day))

    def expected_rows(self) -> int:
        """About how many rows write() adds, for progress only."""
        live = sum(c.status in (CaseStatus.OPEN, CaseStatus.CLOSING) for c in self.plan.cases)
        return len(self.plan.people) * 2 + live * 22 + (len(self.plan.cases) - live) * 5

    # -- the stage ---------------------------------------------------------------------------

    def write(self, writer: _Writer) -> None:
        writer.order(KeyPerson.__table__, Assessment.__table__, AssessmentContribution.__table__,
                     PlanOutcome.__table__, PlanAction.__table__, PlanReview.__table__,
                     OutcomeRating.__table__, CaseNote.__table__)
        self._choose_drafts()
        self.writer = writer
        for p in self.plan.people:
            keys = self._key_people(p)
            for c in p.episodes:
                self._case(c, keys)
        writer.flush()

    def settle_notes(self, fixed: int) -> None:
        """Share of ordinary notes to keep so that notes and events together come out near
        the scale's target (`fixed`: the referral and closing notes every case has)."""
        ordinary = self.scale.notes - fixed * (1 + CORRECTION_SHARE)
        self.keep_share = max(0.0, 1 - self.events / ordinary) if ordinary > 0 else 1.0

    # -- for the notes stage ---------------------------------------------------------------

    def keep_note(self) -> bool:
        return self.note_rng.random() < self.keep_share

    def contact_with(self, c: _CasePlan, note_type: NoteType, subject: str, opening: str) -> str | None:
        """Who a visit or phone call was with, from what the note says."""
        if note_type not in (NoteType.VISIT, NoteType.PHONE):
            return None
        name = c.person.given
        said = _CONTACT.get(subject) or _CONTACT.get(opening)
        companion = self.companions.get(c.person.id)
        if said == "family":
            if companion:
                given, relation = companion
                return f"{given}, {name}'s {relation}"
            return f"{name}'s family"
        if said:
            return said.format(name=name)
        if note_type == NoteType.VISIT and companion and self.note_rng.random() < 0.5:
            given, relation = companion
            her = "her" if c.person.female else "his"
            return f"{name} and {her} {relation} {given}"
        return name

    # -- key people --------------------------------------------------------------------------

    def _key_people(self, p: _PersonPlan) -> list[_Key]:
        rng, area = self.rng, p.team.area
        assert p.date_of_birth is not None
        last = max(e.closed_on or self.as_of for e in p.episodes)
        age = (last - p.date_of_birth).days // 365
        live = any(e.closed_on is None for e in p.episodes)
        keys: list[tuple[_Rel, str | None]] = []  # (relationship, notes override)
        if area == ADULT:
            if rng.random() < 0.72:
                keys.append((_weighted(rng, _CARERS_OLDER if age >= 65 else _CARERS_YOUNGER), None))
            if age < 65 and rng.random() < 0.12:
                girl = rng.random() < 0.5
                keys.append((("daughter" if girl else "son", girl, 1.0, KeyPersonKind.YOUNG_CARER), None))
            if rng.random() < 0.45:
                keys.append((_weighted(rng, _FAMILY_OTHER), None))
        elif area == CHILDREN:
            keys.append((("mum", True, 0.85, KeyPersonKind.FAMILY), None))
            if rng.random() < 0.6:
                keys.append((("dad", False, 0.35, KeyPersonKind.FAMILY), None))
            if rng.random() < 0.18:
                keys.append((("gran", True, 0.5, KeyPersonKind.FAMILY), "Kinship carer."))
            if age >= 6 and rng.random() < 0.1:
                girl = rng.random() < 0.5
                keys.append((("sister" if girl else "brother", girl, 1.0, KeyPersonKind.YOUNG_CARER), None))
        elif area == MENTAL_HEALTH:
            if rng.random() < 0.45:
                keys.append((_weighted(rng, _CARERS_YOUNGER), "Named person under the Mental Health "
                             "(Care and Treatment) (Scotland) Act 2003."))
            elif rng.random() < 0.5:
                keys.append((_weighted(rng, _FAMILY_OTHER), None))
        else:
            if rng.random() < 0.55:
                rel = rng.choice((("partner", None, 0.6, KeyPersonKind.FAMILY),
                                  ("mother", True, 0.3, KeyPersonKind.FAMILY)))
                keys.append((rel, None))
        if rng.random() < 0.5:
            keys.append(((rng.choice(_PROFESSIONALS[area]), None, 0.0, KeyPersonKind.PROFESSIONAL), None))
        out: list[_Key] = []
        start = p.episodes[0].start
        by = p.team.leader.id if p.team.leader else None
        for (relation, female, lives, kind), notes in keys:
            out.append(self._key(p, relation, female, lives, kind, notes, age, last, live, start, by))
        main = next((k for k in out if k.carer and k.kind == KeyPersonKind.UNPAID_CARER), None) or next(
            (k for k in out if k.kind != KeyPersonKind.PROFESSIONAL and k.lives_with), None)
        if main is not None:
            self.companions[p.id] = (main.given, main.relation)
        return out

    def _key(self, p: _PersonPlan, relation: str, female: bool | None, lives: float,
             kind: KeyPersonKind, notes: str | None, age: int, last: date, live: bool,
             start: datetime, by: str | None) -> _Key:
        rng = self.rng
        if relation in ("spouse", "partner"):
            female = (not p.female) if rng.random() < 0.93 else p.female
            if relation == "spouse":
                relation = "wife" if female else "husband"
        if female is None:
            female = rng.random() < 0.6
        given, family = _person_name(rng, female)
        professional = kind == KeyPersonKind.PROFESSIONAL
        if not professional and kind != KeyPersonKind.FRIEND and relation != "neighbour" and rng.random() < 0.7:
            family = _surname(p.family, female)
        lives_with = rng.random() < lives
        born = None
        if kind == KeyPersonKind.YOUNG_CARER:
            born = last - timedelta(days=rng.randint(11 * 365, 17 * 365))
        support, review_on = None, None
        if kind.is_carer:
            support = _weighted(rng, _SUPPORT_PLAN[kind])
            if support == SupportPlanStatus.IN_PLACE:
                review_on = (self.as_of + timedelta(days=rng.randint(-30, 330)) if live
                             else last + timedelta(days=rng.randint(60, 365)))
        if notes is None:
            notes = rng.choice(_KEY_NOTES.get(kind, (None,)))
        phone = (f"07700 900{rng.randrange(1000):03d}" if not professional and rng.random() < 0.8
                 else f"0131 496 {rng.randrange(10000):04d}")  # Ofcom's numbers for drama
        key = _Key(_uuid(rng), kind, given, relation, lives_with, support)
        self._add(KeyPerson, _synced(key.id, p.team.id, start, by) | {
            "person_id": p.id, "kind": kind.value, "given_name": given, "family_name": family,
            "relationship": relation[0].upper() + relation[1:], "phone": phone,
            "email": (f"{fold(given)}.{fold(family)}@example.org".replace(" ", "").replace("'", "")
                      if rng.random() < 0.2 else None),
            "address": None, "date_of_birth": born, "lives_with_person": lives_with,
            "support_plan": support.value if support else None, "support_plan_review_on": review_on,
            "notes": notes,
        })
        return key

    # -- drafts in hand today --------------------------------------------------------------

    def _choose_drafts(self) -> None:
        """Each para-professional has two to four drafts they were asked to prepare; each
        case holder has a draft of their own in hand."""
        rng = self.rng
        for team in self.plan.teams:
            held = [c for c in self.plan.cases if c.team is team and c.closed_on is None
                    and c.status != CaseStatus.REFERRAL and c.rows[-1].worker is not None
                    and c.opened_on is not None and (self.as_of - c.opened_on).days >= 21]
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

    # -- one case --------------------------------------------------------------------------

    def _case(self, c: _CasePlan, keys: list[_Key]) -> None:
        self._allocation_events(c)
        if c.status == CaseStatus.REFERRAL or c.opened_on is None:
            return
        last = min(c.closed_on, self.last_day) if c.closed_on else self.last_day
        first = c.start.date()
        old = c.closed_on is not None and (self.as_of - c.closed_on).days > OLD_CLOSED_DAYS
        outcomes = self._outcome_texts(c)
        assessments = self._plan_assessments(c, keys, first, last, old)
        plan_start = last
        for a in assessments:
            signer = self._write_assessment(c, a, keys, outcomes, last)
            if a is assessments[0]:
                plan_start = a.signed if signer and a.signed else min(a.started + timedelta(days=14), last)
                plan_start = max(plan_start, first)
        if old:
            return
        self._write_plan(c, keys, outcomes, plan_start, last)

    def _plan_assessments(self, c: _CasePlan, keys: list[_Key], first: date, last: date,
                          old: bool) -> list[_Assessment]:
        rng, area, legal, risk = self.rng, c.team.area, c.legal, c.risk
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
                started = max(self.as_of - timedelta(days=rng.randint(3, 40)), first)
                out.append(_Assessment(K.CARERS, started, None, None, carer=k))
        if c.closed_on is None and (self.as_of - first).days > 730 and rng.random() < 0.6:
            started = self.as_of - timedelta(days=rng.randint(60, 400))
            out.append(_Assessment(K.OUTCOMES_FOCUSED, started, started + timedelta(days=rng.randint(10, 40)),
                                   risk))
        draft = self._recent_draft(c, keys, first)
        if draft is not None:
            out.append(draft)
        return out

    def _recent_draft(self, c: _CasePlan, keys: list[_Key], first: date) -> _Assessment | None:
        """A draft in hand today: asked of a para-professional, one of the worker's own, or
        (now and then) any live case's reassessment."""
        rng, area = self.rng, c.team.area
        para = self.para_drafts.get(c.id)
        if para is None and c.id not in self.own_drafts and not (
                c.closed_on is None and rng.random() < 0.08):
            return None
        named = c.rows[-1].worker  # the named worker asked for it, or drafts it
        started = max(self.as_of - timedelta(days=rng.randint(1, 35)), first, c.rows[-1].at.date())
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

    def _write_assessment(self, c: _CasePlan, a: _Assessment, keys: list[_Key], outcomes: list[str],
                          last: date) -> _Member | None:
        rng, team = self.rng, c.team
        a.started = max(a.started, c.start.date())
        author = a.author or self._holder(c, a.started) or team.leader
        signer = None
        signed = a.signed
        if signed is not None:
            signed = max(min(signed, last), a.started)
            if signed >= self.as_of:
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
        started_at = _office_time(rng, a.started)
        signed_at = self._when(c, signed) if signer and signed else None
        aid = _uuid(rng)
        fmt = self._fmt(c, a.carer, a.risk)
        t = _TEXTS[team.area]
        if a.kind == K.CARERS and a.carer is not None:
            carer_fmt = fmt
            strengths = rng.choice(_CARER_TEXTS["strengths"]).format(**carer_fmt)
            needs = rng.choice(_CARER_TEXTS["needs"]).format(**carer_fmt)
            risks = rng.choice(_CARER_TEXTS["risks"]).format(**carer_fmt)
            wanted = "; ".join(rng.sample(_CARER_OUTCOMES, 2))
            young = a.carer.kind == KeyPersonKind.YOUNG_CARER
            analysis = rng.choice(_CARER_TEXTS["young" if young else "adult"]).format(**carer_fmt)
        else:
            strengths = " ".join(rng.sample(t["strengths"], 2)).format(**fmt)
            needs = " ".join(rng.sample(t["needs"], 2)).format(**fmt)
            risks = rng.choice(t["risks"]).format(**fmt)
            wanted = "; ".join(outcomes)
            analysis = rng.choice(_KIND_ANALYSIS.get(a.kind) or t["analysis"]).format(**fmt)
        updated = signed_at or _office_time(rng, max(a.started, min(self.last_day, a.started + timedelta(days=3))))
        self._add(Assessment, _synced(aid, team.id, updated, (signer or a.drafter or author).id) | {
            "case_id": c.id, "kind": a.kind.value,
            "status": (AssessmentStatus.SIGNED_OFF if signer else AssessmentStatus.DRAFT).value,
            "started_on": a.started, "carer_id": a.carer.id if a.carer else None,
            "risk_level": a.risk.value if a.risk else None, "strengths": strengths, "needs": needs,
            "risks": risks, "outcomes_wanted": wanted, "analysis": analysis, "created_by": author.id,
            "drafter_id": a.drafter.id if a.drafter else None,
            "signed_off_by": signer.id if signer else None, "signed_off_at": signed_at,
        })
        self._contributions(c, a, aid, keys, started_at, signed or min(self.last_day, a.started + timedelta(days=7)))
        if signer and signed_at:
            self._event(c, signer, signed_at, f"{a.kind.label} signed off",
                        f"Signed off by {signer.display_name} ({signer.role.label.lower()}).")
        return signer

    def _contributions(self, c: _CasePlan, a: _Assessment, aid: str, keys: list[_Key],
                       started_at: datetime, by_day: date) -> None:
        rng, area, p = self.rng, c.team.area, c.person
        assert p.date_of_birth is not None
        age = (a.started - p.date_of_birth).days // 365
        fmt = self._fmt(c, a.carer, a.risk)
        rows: list[tuple[ContributorRole, str, str | None, str | None, str]] = []
        person_share = {K.SELF_ASSESSMENT: 1.0, K.CARERS: 0.2, K.OUTCOMES_FOCUSED: 0.85}.get(a.kind, 0.6)
        if (area != CHILDREN or age >= 5) and rng.random() < person_share:
            rows.append((ContributorRole.PERSON, f"{p.given} {p.family}", None, None,
                         rng.choice(_SAYS[area])))
        carer = a.carer or next((k for k in keys if k.kind != KeyPersonKind.PROFESSIONAL
                                 and (k.carer or k.lives_with)), None)
        if carer is not None and (a.carer is not None or rng.random() < 0.6):
            if carer.kind == KeyPersonKind.YOUNG_CARER:
                words = rng.choice(_YOUNG_CARER_SAYS)
            elif area == CHILDREN:
                words = rng.choice(_PARENT_SAYS)
            else:
                words = rng.choice(_CARER_SAYS)
            rows.append((ContributorRole.CARER, carer.owner, carer.id, None, words.format(**fmt)))
        if a.kind != K.SELF_ASSESSMENT and (rng.random() < 0.7 or not rows):
            assert a.author is not None
            rows.append((ContributorRole.WORKER, a.author.display_name, None, a.author.id,
                         rng.choice(_WORKER_SAYS).format(**fmt)))
        if rng.random() < (0.9 if a.kind.statutory else 0.45):
            agency, words = rng.choice(_AGENCIES[area])
            rows.append((ContributorRole.OTHER, agency, None, None, words.format(**fmt)))
        if not rows:
            rows.append((ContributorRole.PERSON, f"{p.given} {p.family}", None, None, rng.choice(_SAYS[area])))
        span = max((by_day - a.started).days, 0)
        by = (a.drafter or a.author or c.team.leader)
        assert by is not None
        for role, name, key_id, staff_id, words in rows:
            given_on = a.started + timedelta(days=rng.randint(0, span))
            self._add(AssessmentContribution, _synced(_uuid(rng), c.team.id, max(started_at, _office_time(
                rng, given_on)), by.id) | {
                "assessment_id": aid, "contributor": role.value, "name": name[:200],
                "key_person_id": key_id, "staff_id": staff_id, "contribution": words, "given_on": given_on,
            })

    # -- plan, actions, reviews, ratings -----------------------------------------------------

    def _outcome_texts(self, c: _CasePlan) -> list[str]:
        rng, area = self.rng, c.team.area
        n = _weighted(rng, ((1, 15), (2, 35), (3, 35), (4, 15)))
        texts = rng.sample(_OUTCOMES[area], n)
        if area == CHILDREN and c.legal == LegalStatus.CHILD_PROTECTION_PLAN and "To feel safe at home" not in texts:
            texts[0] = "To feel safe at home"
        return texts

    def _write_plan(self, c: _CasePlan, keys: list[_Key], texts: list[str], start: date, last: date) -> None:
        rng, team = self.rng, c.team
        start = min(max(start, c.start.date()), last)
        outcomes = [_Outcome(_uuid(rng), t, rng.uniform(0.05, 0.5)) for t in texts]
        reviews = self._review_days(c, start, last)
        # Ratings first (they decide which outcomes ended), then the rows parents first.
        ratings: list[list[tuple[_Outcome, Rating, int, str]]] = []
        for i, (held, _next) in enumerate(reviews):
            final = c.closed_on is not None and i == len(reviews) - 1
            rated = []
            for o in outcomes:
                if o.ended is not None:
                    continue
                o.progress = min(1.0, max(0.0, o.progress + rng.uniform(-0.1, 0.35) + (0.2 if final else 0)))
                rating, score = _rate(rng, o.progress)
                rated.append((o, rating, score, rng.choice(_RATING_COMMENTS[rating]).format(name=c.person.given)))
            ratings.append(rated)
            still_open = sum(o.ended is None for o in outcomes)
            for o, rating, _, _ in rated:
                if (rating == Rating.MET and not final and i < len(reviews) - 1 and still_open > 1
                        and rng.random() < 0.3):
                    o.ended, still_open = held, still_open - 1
        if c.closed_on is not None:
            for o in outcomes:
                o.ended = o.ended or c.closed_on
        by = self._holder(c, start) or team.leader
        assert by is not None
        created = self._when(c, start)
        for pos, o in enumerate(outcomes, 1):
            self._add(PlanOutcome, _synced(o.id, team.id, created, by.id) | {
                "case_id": c.id, "position": pos, "description": o.text, "ended_on": o.ended})
        for o in outcomes:
            days = [start] + [d for d, _ in reviews if o.ended is None or d <= o.ended]
            self._actions(c, o, keys, days, last)
        for (held, nxt), rated in zip(reviews, ratings):
            self._review(c, held, nxt, rated, keys)

    def _review_days(self, c: _CasePlan, start: date, last: date) -> list[tuple[date, date | None]]:
        """(held on, next review) pairs, oldest first. A live case's latest review set the
        case's next review date; a closed case's last review was just before it closed."""
        rng = self.rng
        intervals = _INTERVALS_BY_LEGAL.get(c.legal) or _INTERVALS[c.team.area]
        earliest = start + timedelta(days=28)
        if c.closed_on is None:
            nxt = c.next_review_on
            assert nxt is not None
            interval = next((i for i in intervals if earliest <= nxt - timedelta(days=i) <= last), None)
            if interval is None:
                return []  # no review yet: the next one is the first
            days = [(nxt - timedelta(days=interval), nxt)]
        else:
            interval = intervals[0]
            held = max(c.closed_on - timedelta(days=rng.randint(0, 14)), start + timedelta(days=1))
            if held > last:
                return []
            days = [(held, None)]
        while len(days) < MAX_REVIEWS:
            held = days[0][0] - timedelta(days=interval + rng.randint(-10, 21))
            if held < earliest:
                break
            days.insert(0, (held, held + timedelta(days=interval)))
        return days

    def _actions(self, c: _CasePlan, o: _Outcome, keys: list[_Key], set_days: list[date], last: date) -> None:
        rng, area, team = self.rng, c.team.area, c.team
        carer = next((k for k in keys if k.kind != KeyPersonKind.PROFESSIONAL and (k.carer or k.lives_with)), None)
        fmt = self._fmt(c, carer, None)
        assert c.person.date_of_birth is not None
        age = (set_days[0] - c.person.date_of_birth).days // 365
        for _ in range(_weighted(rng, ((1, 45), (2, 40), (3, 15)))):
            owner = _weighted(rng, _OWNERS[area])
            if owner == "person" and area == CHILDREN and age < 8:
                owner = "carer"
            if (owner == "para" and not team.paras) or (owner == "carer" and carer is None):
                owner = "worker"
            set_on = set_days[-1] if len(set_days) > 1 and rng.random() < 0.4 else rng.choice(set_days)
            staff_id = None
            if owner == "provider":
                owner_name, text = rng.choice(_ACTIONS[area]["provider"])
            else:
                text = rng.choice(_ACTIONS[area][owner])
                if owner == "worker":
                    m = self._holder(c, set_on) or team.leader
                    assert m is not None
                    staff_id, owner_name = m.id, m.display_name
                elif owner == "para":
                    m = rng.choice(team.paras)
                    staff_id, owner_name = m.id, m.display_name
                elif owner == "carer":
                    assert carer is not None
                    owner_name = carer.owner
                else:
                    owner_name = c.person.given
            due = set_on + timedelta(days=rng.randint(14, 120))
            done = None
            if due <= last and (c.closed_on is not None or rng.random() < 0.75):
                if c.closed_on is None or rng.random() < 0.88:
                    done = min(max(due + timedelta(days=rng.randint(-14, 10)), set_on), last)
            elif due > last and rng.random() < 0.15 and set_on < last:
                done = set_on + timedelta(days=rng.randint(1, (last - set_on).days))
            if o.ended is not None and done is None and c.closed_on is None:
                done = min(o.ended, last)
            by = self._holder(c, set_on) or team.leader
            assert by is not None
            self._add(PlanAction, _synced(_uuid(rng), team.id, self._when(c, done or set_on), by.id) | {
                "outcome_id": o.id, "description": text.format(**fmt), "owner_staff_id": staff_id,
                "owner_name": owner_name[:200], "due_on": due, "done_on": done,
            })

    def _review(self, c: _CasePlan, held: date, nxt: date | None,
                rated: list[tuple[_Outcome, Rating, int, str]], keys: list[_Key]) -> None:
        rng, team, name = self.rng, c.team, c.person.given
        reviewer = self._holder(c, held) or team.leader
        assert reviewer is not None
        at = self._when(c, held)
        overall = _overall([r for _, r, _, _ in rated])
        carer = next((k for k in keys if k.carer), None)
        with_whom = f"{name} and {carer.given} ({carer.relation})" if carer and rng.random() < 0.6 else name
        meeting = _REVIEW_NAME_BY_LEGAL.get(c.legal) or _REVIEW_NAME[team.area]
        summary = (f"{meeting} with {with_whom}, {rng.choice(_REVIEW_PLACES)}. "
                   f"{_PROGRESS[overall].format(name=name)}")
        if nxt is None:
            summary += " Final review: involvement is ending."
        rid = _uuid(rng)
        self._add(PlanReview, _synced(rid, team.id, at, reviewer.id) | {
            "case_id": c.id, "held_on": held, "reviewer_id": reviewer.id, "summary": summary,
            "next_review_on": nxt})
        for o, rating, score, comment in rated:
            self._add(OutcomeRating, _synced(_uuid(rng), team.id, at, reviewer.id) | {
                "review_id": rid, "outcome_id": o.id, "rating": rating.value, "score": score,
                "comment": comment})
        met = sum(r == Rating.MET for _, r, _, _ in rated)
        body = f"{meeting} held by {reviewer.display_name}: {met} of {len(rated)} outcomes met."
        body += f" Next review {nxt.day} {nxt:%B %Y}." if nxt else " Final review before closing."
        self._event(c, reviewer, at, "Review held", body)

    # -- events ----------------------------------------------------------------------------

    def _allocation_events(self, c: _CasePlan) -> None:
        leader = c.team.leader
        assert leader is not None
        for i, r in enumerate(c.rows):
            if r.worker is not None:
                subject = f"Allocated to {r.worker.display_name}"
            elif i == 0:
                subject = "Waiting in the unallocated queue"
            else:
                subject = "Returned to the unallocated queue"
            self._event(c, leader, r.at, subject, r.reason)

    def _event(self, c: _CasePlan, author: _Member, at: datetime, subject: str, body: str) -> None:
        self.events += 1
        self._add(CaseNote, _synced(_uuid(self.rng), c.team.id, at, author.id) | {
            "case_id": c.id, "author_id": author.id, "note_type": NoteType.EVENT.value,
            "occurred_at": at, "subject": subject[:200], "body": body, "significant": True,
            "contact_with": None, "corrects_id": None,
        })

    # -- who, and when ---------------------------------------------------------------------

    def _holder(self, c: _CasePlan, day: date) -> _Member | None:
        at = _at(day, 12 * 60)
        i = bisect.bisect_right([r.at for r in c.rows], at) - 1
        worker = c.rows[max(i, 0)].worker
        return worker if worker is not None and worker.holds_at(day) else None

    def _when(self, c: _CasePlan, day: date) -> datetime:
        """An office-hours time on `day`, kept after the case's first allocation and before
        it stopped (its closure, or the end of the working day before as_of)."""
        at = _office_time(self.rng, day)
        return min(max(at, c.start + timedelta(minutes=5)), c.end(self.as_of))

    def _signer(self, c: _CasePlan, a: _Assessment, day: date) -> _Member | None:
        team = c.team
        holder = self._holder(c, day)
        if a.kind == K.MHO_REPORT:
            candidates = [a.author]
        else:
            seniors = [m for m in team.holders if m.role == Role.SENIOR_PRACTITIONER]
            candidates = [holder, team.leader, *seniors]
        ref = perm.CaseRef(team.id, holder.id if holder else None)
        for m in candidates:
            if m is not None and self._may_sign(m, ref, a, day):
                return m
        return None

    def _may_sign(self, m: _Member, ref: perm.CaseRef, a: _Assessment, day: date) -> bool:
        if not self._registered(m, day):
            return False
        decision = perm.decide_sign_off(_actor(m, day, self.actors), ref, a.kind.value,
                                        a.risk.value if a.risk else None, today=day)
        return decision.allowed

    @staticmethod
    def _registered(m: _Member, day: date) -> bool:
        """In the team that day, qualified by then and registered then: whatever the kind,
        nobody signs off with a lapsed registration."""
        return (m.holds_at(day) and m.qualified_on is not None and m.qualified_on <= day
                and m.sssc_expiry is not None and m.sssc_expiry >= day)

    def _mho(self, c: _CasePlan, day: date) -> _Member | None:
        """A mental health officer of the team that day: the named worker if they are one."""
        team = c.team
        holder = self._holder(c, day)
        pool = [m for m in ([holder] if holder else []) + team.holders + team.formers
                if self._registered(m, day) and perm.decide_reserved(
                    _actor(m, day, self.actors), perm.ReservedFunction.MHO_FUNCTION, today=day)]
        if not pool:
            return None
        return pool[0] if pool[0] is holder else self.rng.choice(pool)

    # -- words -----------------------------------------------------------------------------

    def _fmt(self, c: _CasePlan, carer: _Key | None, risk: RiskLevel | None) -> dict[str, str]:
        female = c.person.female
        return {"name": c.person.given, "she": "she" if female else "he", "her": "her" if female else "his",
                "spouse": "husband" if female else "wife",
                "carer": carer.given if carer else "the family", "risk": (risk or c.risk).value,
                "concern": _CONCERNS[int(c.id[:2], 16) % len(_CONCERNS)]}

    def _add(self, model: Any, row: dict[str, Any]) -> None:
        self.writer.add(model.__table__, row)


_ActorKey = tuple[int, bool, frozenset[perm.Accreditation]]


def _actor(m: _Member, day: date, cache: dict[_ActorKey, perm.Actor]) -> perm.Actor:
    """What the policy needs to know of `m` on `day`: in the team then or not, and the
    accreditations awarded by then. Only those two change with the day, so `cache` (one
    generation's) keeps an actor per member and combination."""
    active = m.holds_at(day)
    held = frozenset(kind for kind, awarded in m.accreditations if awarded <= day)
    key = (id(m), active, held)
    actor = cache.get(key)
    if actor is None:
        team_id = m.team.id if m.team else None
        managed = frozenset({team_id}) if team_id and m.role == Role.TEAM_LEADER else frozenset()
        actor = cache[key] = perm.Actor(
            id=m.id, username=m.username, display_name=m.display_name, role=m.role, team_id=team_id,
            active=active, sssc_number=m.sssc_number, sssc_part=m.sssc_part,
            sssc_expiry=m.sssc_expiry, qualified_on=m.qualified_on, accreditations=held,
            managed_team_ids=managed)
    return actor


def _rate(rng: Random, progress: float) -> tuple[Rating, int]:
    """A rating and a score that agree: met 4–5, partly met 2–4, not met 1–2."""
    if progress >= 0.7:
        return Rating.MET, 5 if progress >= 0.88 else 4
    if progress >= 0.3:
        return Rating.PARTLY_MET, min(4, 2 + int((progress - 0.3) / 0.4 * 3))
    return Rating.NOT_MET, 1 if progress < 0.15 else 2


def _overall(ratings: Sequence[Rating]) -> Rating:
    if not ratings:
        return Rating.PARTLY_MET
    met = sum(r == Rating.MET for r in ratings)
    not_met = sum(r == Rating.NOT_MET for r in ratings)
    if met * 2 > len(ratings):
        return Rating.MET
    return Rating.NOT_MET if not_met * 2 > len(ratings) else Rating.PARTLY_MET


