"""The rows the plan becomes: the columns every synced table carries, and the staff,
person, case and allocation rows (the last three drawing addresses, phones, CHI numbers and
the words of a case from the Random as they go)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from random import Random
from typing import Any

from casework.chi import chi_check_digit
from casework.synthetic.draws import london_time, new_id
from casework.synthetic.plan import CasePlan, Member, PersonPlan
from casework.synthetic.words import (
    COMMUNICATION,
    CONTACT_PREFERENCES,
    INWARD,
    REFERRAL_REASONS,
    REFERRAL_SOURCES,
    STREETS,
    SUMMARIES,
    WHAT_MATTERS,
)
from casework.text import name_key
from casework.vocab import CaseStatus, band_target


def synced(row_id: str, team_id: str | None, at: datetime, by: str | None) -> dict[str, Any]:
    return {"id": row_id, "team_id": team_id, "row_version": 1, "updated_at": at,
            "updated_by": by, "deleted_at": None}


def staff_row(m: Member, password_hash: str, at: datetime, admin_id: str) -> dict[str, Any]:
    team_id = m.team.id if m.team else None
    return synced(m.id, team_id, london_time(m.left, 10 * 60) if m.left else at, admin_id) | {
        "username": m.username, "display_name": m.display_name,
        "email": f"{m.username}@council.example", "role": m.role.value, "team_id": team_id,
        "fte_percent": m.fte, "supervisor_id": m.supervisor_id, "sssc_number": m.sssc_number,
        "sssc_part": m.sssc_part.value if m.sssc_part else None, "sssc_expiry": m.sssc_expiry,
        "qualified_on": m.qualified_on, "password_hash": password_hash,
        "must_change_password": False, "active": m.left is None,
    }


def _chi(rng: Random, dob: date, female: bool, taken: set[str]) -> str:
    """DDMMYY, two serial digits, a sex digit (even for female), a check digit."""
    while True:
        sex = rng.randrange(0, 10, 2) if female else rng.randrange(1, 10, 2)
        first_nine = f"{dob:%d%m%y}{rng.randrange(100):02d}{sex}"
        check = chi_check_digit(first_nine)
        if check is not None and (chi := first_nine + str(check)) not in taken:
            taken.add(chi)
            return chi


def person_row(rng: Random, p: PersonPlan, taken_chi: set[str], by: str | None) -> dict[str, Any]:
    loc = p.team.locality
    assert p.date_of_birth is not None
    number = rng.randint(1, 180)
    street = rng.choice(STREETS)
    line = f"{number} {street}"
    if rng.random() < 0.35:  # a tenement flat, numbered by floor and door
        line = f"Flat {rng.randint(0, 3)}/{rng.randint(1, 3)}, {line}"
    postcode = (f"{loc.postcode_area}{rng.choice(loc.districts)} "
                f"{rng.randint(1, 9)}{rng.choice(INWARD)}{rng.choice(INWARD)}")
    first = p.episodes[0]
    return synced(p.id, p.team.id, first.start, by) | {
        "given_name": p.given, "family_name": p.family, "name_key": name_key(p.given, p.family),
        "date_of_birth": p.date_of_birth, "chi": _chi(rng, p.date_of_birth, p.female, taken_chi),
        "address": f"{line}, {loc.name}", "postcode": postcode,
        "phone": (f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.7
                  else f"0141 496 {rng.randrange(10000):04d}"),  # Ofcom's numbers for fiction
        "communication_needs": rng.choice(COMMUNICATION) if rng.random() < 0.18 else None,
        "contact_preference": rng.choice(CONTACT_PREFERENCES),
        "what_matters": rng.choice(WHAT_MATTERS[p.team.area]),
    }


def case_row(rng: Random, c: CasePlan, as_of: date) -> dict[str, Any]:
    team, last = c.team, c.rows[-1]
    leader_id = team.leader.id if team.leader else None
    updated = max(last.at, london_time(c.closed_on, 16 * 60)) if c.closed_on else last.at
    age = _age(c.person.date_of_birth, c.closed_on or as_of)
    name = c.person.given
    source = rng.choice(REFERRAL_SOURCES[team.area])
    c.referral = (source, rng.choice(REFERRAL_REASONS[team.area]).format(name=name))
    summary = (f"New referral from {source}: {c.referral[1]}" if c.status == CaseStatus.REFERRAL
               else rng.choice(SUMMARIES[team.area]).format(name=name, age=age))
    return synced(c.id, team.id, updated, leader_id) | {
        "reference": c.reference, "person_id": c.person.id, "service_area": team.area.value,
        "status": c.status.value, "eligibility_band": c.band.value if c.band else None,
        "risk_level": c.risk.value, "legal_status": c.legal.value,
        "named_worker_id": last.worker.id if last.worker else None,
        "unallocated_since": last.at if last.worker is None and c.status != CaseStatus.CLOSED else None,
        "referred_on": c.referred_on, "opened_on": c.opened_on, "closed_on": c.closed_on,
        "next_review_on": c.next_review_on,
        "summary": summary,
        "band_target_on": band_target(c.band, c.opened_on),
        "referral_source": source, "referral_reason": c.referral[1],
        "closing_summary": c.closing_summary, "closed_by": c.closed_by.id if c.closed_by else None,
    }


def _age(dob: date | None, on: date) -> int:
    assert dob is not None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def allocation_rows(rng: Random, c: CasePlan) -> Iterator[dict[str, Any]]:
    team = c.team
    by = team.leader.id if team.leader else None
    for r in c.rows:
        yield synced(new_id(rng), team.id, r.at, by) | {
            "case_id": c.id, "worker_id": r.worker.id if r.worker else None,
            "started_at": r.at, "reason": r.reason, "allocated_by": by,
        }
