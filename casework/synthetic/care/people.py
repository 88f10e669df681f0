"""The people around each person (unpaid and young carers first, family, friends, the
professionals involved), drawn once per person for all their episodes; and how the care
records' words name the person and their carer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from casework.models import KeyPerson
from casework.synthetic.care.context import CareContext
from casework.synthetic.care.words import CONCERNS
from casework.synthetic.draws import new_id, person_name, weighted
from casework.synthetic.plan import CasePlan, PersonPlan
from casework.synthetic.rows import synced
from casework.synthetic.scales import ADULT, CHILDREN, JUSTICE, MENTAL_HEALTH
from casework.synthetic.words import FAMILY
from casework.text import fold
from casework.vocab import KeyPersonKind, RiskLevel, SupportPlanStatus


@dataclass(eq=False, slots=True)
class Key:
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
_SURNAME_PAIRS = {form: pair for pair in FAMILY if isinstance(pair, tuple) for form in pair}


def _surname(family: str, female: bool) -> str:
    pair = _SURNAME_PAIRS.get(family)
    return pair[1 if female else 0] if pair else family


class KeyPeople:
    """Draws each person's key people and writes their rows; remembers who is often there
    with the person, for the notes to say who a visit was with."""

    def __init__(self, ctx: CareContext):
        self.ctx = ctx
        # person id: (given name, relation) of who is often there with them
        self.companions: dict[str, tuple[str, str]] = {}

    def draw(self, p: PersonPlan) -> list[Key]:
        rng, area = self.ctx.rng, p.team.area
        assert p.date_of_birth is not None
        last = max(e.closed_on or self.ctx.as_of for e in p.episodes)
        age = (last - p.date_of_birth).days // 365
        live = any(e.closed_on is None for e in p.episodes)
        keys: list[tuple[_Rel, str | None]] = []  # (relationship, notes override)
        if area == ADULT:
            if rng.random() < 0.72:
                keys.append((weighted(rng, _CARERS_OLDER if age >= 65 else _CARERS_YOUNGER), None))
            if age < 65 and rng.random() < 0.12:
                girl = rng.random() < 0.5
                keys.append((("daughter" if girl else "son", girl, 1.0, KeyPersonKind.YOUNG_CARER), None))
            if rng.random() < 0.45:
                keys.append((weighted(rng, _FAMILY_OTHER), None))
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
                keys.append((weighted(rng, _CARERS_YOUNGER), "Named person under the Mental Health "
                             "(Care and Treatment) (Scotland) Act 2003."))
            elif rng.random() < 0.5:
                keys.append((weighted(rng, _FAMILY_OTHER), None))
        else:
            if rng.random() < 0.55:
                rel = rng.choice((("partner", None, 0.6, KeyPersonKind.FAMILY),
                                  ("mother", True, 0.3, KeyPersonKind.FAMILY)))
                keys.append((rel, None))
        if rng.random() < 0.5:
            keys.append(((rng.choice(_PROFESSIONALS[area]), None, 0.0, KeyPersonKind.PROFESSIONAL), None))
        out: list[Key] = []
        start = p.episodes[0].start
        by = p.team.leader.id if p.team.leader else None
        for (relation, female, lives, kind), notes in keys:
            out.append(self._key(p, relation, female, lives, kind, notes, age, last, live, start, by))
        main = next((k for k in out if k.carer and k.kind == KeyPersonKind.UNPAID_CARER), None) or next(
            (k for k in out if k.kind != KeyPersonKind.PROFESSIONAL and k.lives_with), None)
        if main is not None:
            self.companions[p.id] = (main.given, main.relation)
        return out

    def _key(self, p: PersonPlan, relation: str, female: bool | None, lives: float,
             kind: KeyPersonKind, notes: str | None, age: int, last: date, live: bool,
             start: datetime, by: str | None) -> Key:
        rng = self.ctx.rng
        if relation in ("spouse", "partner"):
            female = (not p.female) if rng.random() < 0.93 else p.female
            if relation == "spouse":
                relation = "wife" if female else "husband"
        if female is None:
            female = rng.random() < 0.6
        given, family = person_name(rng, female)
        professional = kind == KeyPersonKind.PROFESSIONAL
        if not professional and kind != KeyPersonKind.FRIEND and relation != "neighbour" and rng.random() < 0.7:
            family = _surname(p.family, female)
        lives_with = rng.random() < lives
        born = None
        if kind == KeyPersonKind.YOUNG_CARER:
            born = last - timedelta(days=rng.randint(11 * 365, 17 * 365))
        support, review_on = None, None
        if kind.is_carer:
            support = weighted(rng, _SUPPORT_PLAN[kind])
            if support == SupportPlanStatus.IN_PLACE:
                review_on = (self.ctx.as_of + timedelta(days=rng.randint(-30, 330)) if live
                             else last + timedelta(days=rng.randint(60, 365)))
        if notes is None:
            notes = rng.choice(_KEY_NOTES.get(kind, (None,)))
        phone = (f"07700 900{rng.randrange(1000):03d}" if not professional and rng.random() < 0.8
                 else f"0131 496 {rng.randrange(10000):04d}")  # Ofcom's numbers for drama
        key = Key(new_id(rng), kind, given, relation, lives_with, support)
        self.ctx.add(KeyPerson, synced(key.id, p.team.id, start, by) | {
            "person_id": p.id, "kind": kind.value, "given_name": given, "family_name": family,
            "relationship": relation[0].upper() + relation[1:], "phone": phone,
            "email": (f"{fold(given)}.{fold(family)}@example.org".replace(" ", "").replace("'", "")
                      if rng.random() < 0.2 else None),
            "address": None, "date_of_birth": born, "lives_with_person": lives_with,
            "support_plan": support.value if support else None, "support_plan_review_on": review_on,
            "notes": notes,
        })
        return key


def wording(c: CasePlan, carer: Key | None, risk: RiskLevel | None) -> dict[str, str]:
    """What the texts' fields say for this case: the person's name and pronouns, the carer,
    the risk, and (for child protection) the concern."""
    female = c.person.female
    return {"name": c.person.given, "she": "she" if female else "he", "her": "her" if female else "his",
            "spouse": "husband" if female else "wife",
            "carer": carer.given if carer else "the family", "risk": (risk or c.risk).value,
            "concern": CONCERNS[int(c.id[:2], 16) % len(CONCERNS)]}

