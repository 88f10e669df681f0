"""How much work a case is, and how much a worker can carry: the workload rule, declared once.

Caseload numbers alone mislead, so each live case is weighted by its risk and legal status:

    a medium-risk voluntary case   1      (the unit)
    a low-risk case                0.75
    a high-risk case               1.5
    under a statutory order or a
    child protection plan          + 0.5  (anything but voluntary)

A worker's capacity is the indicative maximum of *Setting the Bar* (Social Work Scotland,
2022) for their team's service area — 15 cases in children and families, 20 in adult,
justice and mental health teams (the lower end of the report's 20–25, so that the figure
protects rather than stretches) — scaled by their hours (`Staff.fte_percent`). A newly
qualified worker in their supported first year has a protected caseload: three-quarters of
the full figure, scaled by hours in the same way.

Weights are counted in quarters of a case, so that the services can add them up in SQL
as whole numbers and every total is exact. Pure Python: the services build their SQL from
these tables, and the UI explains the rule from the same numbers.
"""

from __future__ import annotations

from fractions import Fraction

from casework.vocab import LegalStatus, RiskLevel, ServiceArea

QUARTERS = 4  # weights are whole quarters of a case

RISK_QUARTERS: dict[str, int] = {
    RiskLevel.LOW.value: 3,
    RiskLevel.MEDIUM.value: 4,
    RiskLevel.HIGH.value: 6,
}
# A risk level this version does not know (synced from a newer one) counts as medium.
UNKNOWN_RISK_QUARTERS = RISK_QUARTERS[RiskLevel.MEDIUM.value]

# Added for any legal status but voluntary (a statutory order, a child protection plan);
# a legal status this version does not know counts as one.
LEGAL_QUARTERS = 2
VOLUNTARY = LegalStatus.VOLUNTARY.value

# Setting the Bar's indicative maximum caseload for a full-time worker, by service area.
FULL_TIME_CASES: dict[str, int] = {
    ServiceArea.CHILDREN_AND_FAMILIES.value: 15,
    ServiceArea.ADULT_COMMUNITY_CARE.value: 20,
    ServiceArea.JUSTICE.value: 20,
    ServiceArea.MENTAL_HEALTH.value: 20,
}
UNKNOWN_AREA_CASES = 20
# A newly qualified worker's protected caseload, as a share of the full figure.
NEWLY_QUALIFIED_SHARE = Fraction(3, 4)


def case_quarters(risk_level: str | None, legal_status: str | None) -> int:
    """A case's weight in quarters of a case."""
    risk = RISK_QUARTERS.get(risk_level or "", UNKNOWN_RISK_QUARTERS)
    return risk + (0 if legal_status == VOLUNTARY else LEGAL_QUARTERS)


def case_weight(risk_level: str | None, legal_status: str | None) -> float:
    """A case's weight in cases: 1 for a medium-risk voluntary case."""
    return case_quarters(risk_level, legal_status) / QUARTERS


def capacity(service_area: str | None, fte_percent: int, newly_qualified: bool) -> float:
    """How many weighted cases a worker can carry: the area's full-time figure, the
    newly qualified share of it in the first year, scaled by hours."""
    cases = Fraction(FULL_TIME_CASES.get(service_area or "", UNKNOWN_AREA_CASES))
    if newly_qualified:
        cases *= NEWLY_QUALIFIED_SHARE
    return float(cases * Fraction(max(0, fte_percent), 100))
