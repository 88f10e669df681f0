"""What an assessment must hold before it is signed off: the person's needs, the outcomes they
want, the assessed risk, and contributions — the person's own for a self-assessment, the
carer's own for a carer's assessment.

Pure Python, so that the assessments service (which refuses an incomplete sign-off) and the
editor (which says what is still needed as the person writes) decide by the same rule, as
`chi.py` does for CHI numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from casework.vocab import AssessmentKind, ContributorRole


@dataclass(frozen=True)
class Missing:
    """One thing sign-off still needs: `what` completes "Still needed before sign-off: …";
    `problem` is the refusal shown under its field."""

    what: str
    problem: str


def still_needed(*, kind: str, needs: str | None, outcomes_wanted: str | None,
                 risk_level: str | None,
                 contributions: Iterable[tuple[str, str | None]],
                 carer_id: str | None = None,
                 carer_name: str | None = None) -> dict[str, Missing]:
    """What signing off still needs, by field (empty when it is complete). `contributions`
    are (contributor role, key person id) pairs; blank text counts as nothing written."""
    missing: dict[str, Missing] = {}
    if not (needs or "").strip():
        missing["needs"] = Missing("the person's needs",
                                   "record the person's needs before signing off")
    if not (outcomes_wanted or "").strip():
        missing["outcomes_wanted"] = Missing(
            "the outcomes the person wants",
            "record the outcomes the person wants before signing off")
    if not risk_level:
        missing["risk_level"] = Missing("the assessed risk",
                                        "choose the assessed risk before signing off")
    given = set(contributions)
    if not given:
        missing["contributions"] = Missing(
            "at least one contribution", "record at least one contribution before signing off")
    elif kind == AssessmentKind.SELF_ASSESSMENT and not any(
            role == ContributorRole.PERSON for role, _k in given):
        missing["contributions"] = Missing(
            "the person's own contribution",
            "a self-assessment needs the person's own contribution, in their words")
    elif kind == AssessmentKind.CARERS and (ContributorRole.CARER.value, carer_id) not in given:
        name = carer_name or "the carer"
        missing["contributions"] = Missing(
            f"{name}'s own contribution, as the carer",
            f"a carer's assessment needs {name}'s own contribution, recorded as the carer's")
    return missing
