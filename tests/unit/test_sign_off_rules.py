"""The one rule for what sign-off needs, as the service and the editor both ask it."""

from __future__ import annotations

import pytest

from casework.sign_off_rules import still_needed

COMPLETE = dict(needs="Meals.", outcomes_wanted="Stay at home.", risk_level="medium",
                contributions=[("person", None)])


def test_a_complete_draft_needs_nothing():
    assert still_needed(kind="outcomes_focused", **COMPLETE) == {}


def test_an_empty_draft_names_each_missing_part_in_both_forms():
    missing = still_needed(kind="risk", needs="  ", outcomes_wanted=None, risk_level=None,
                           contributions=[])
    assert {k: m.what for k, m in missing.items()} == {
        "needs": "the person's needs", "outcomes_wanted": "the outcomes the person wants",
        "risk_level": "the assessed risk", "contributions": "at least one contribution"}
    assert missing["needs"].problem == "record the person's needs before signing off"


@pytest.mark.parametrize("contributions, needed", [
    ([("carer", None)], True),
    ([("person", None), ("worker", None)], False),
])
def test_a_self_assessment_needs_the_person_s_own_words(contributions, needed):
    missing = still_needed(kind="self_assessment", **(COMPLETE | {"contributions": contributions}))
    assert ("contributions" in missing) == needed


def test_a_carer_s_assessment_needs_that_carer_s_own_contribution():
    ask = dict(kind="carers", carer_id="k1", carer_name="Ola Nowak") | COMPLETE
    missing = still_needed(**ask | {"contributions": [("carer", "k2"), ("person", None)]})
    assert missing["contributions"].what == "Ola Nowak's own contribution, as the carer"
    assert missing["contributions"].problem == (
        "a carer's assessment needs Ola Nowak's own contribution, recorded as the carer's")
    assert still_needed(**ask | {"contributions": [("carer", "k1")]}) == {}
