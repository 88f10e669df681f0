"""Saving what was typed and signing off are one act: `sign_off(..., changes=...)` keeps both
or neither. Signed off with the changes when allowed and complete; refused (audited once) or
incomplete, nothing of the changes is kept either — the editor still holds the typing."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from casework.errors import Conflict, ValidationError
from casework.models import AuditEvent
from casework import dto
from refusals import assert_refused
from test_reserved_routes import draft_input, high_draft, snapshot


def stored(world, assessment_id: str):
    return world.login("sw.north").assessments.get(assessment_id)


def medium_draft(world, **kw) -> dto.AssessmentDetail:
    d = high_draft(world, **kw)
    return world.login("sw.north").assessments.update_draft(
        d.id, draft_input(d, risk_level="medium"), d.row_version)


def test_signed_off_with_what_was_typed_in_one_call(world):
    d = medium_draft(world)
    result = world.login("sw.north").assessments.sign_off(
        d.id, d.row_version, changes=draft_input(d, analysis="Sustainable with support."))
    assert result.assessment.status == "signed_off"
    assert result.assessment.analysis == "Sustainable with support."
    with world.ws.db.read() as s:
        events = [(e.action, e.outcome) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == d.id).order_by(AuditEvent.seq))]
        done = s.scalars(select(AuditEvent).where(AuditEvent.action == "sign_off_assessment")
                         ).one()
    # One act, one event: it names what changed.
    assert events[-1] == ("sign_off_assessment", "done")
    assert events.count(("update_assessment", "done")) == 2  # the set-up's, none for this
    assert json.loads(done.detail)["changed"] == ["analysis"]


@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("sw.south", "outside_team"),
    ("admin", "role_not_permitted"),
])
def test_refused_keeps_none_of_the_changes(world, username, reason):
    d = medium_draft(world, drafter="pp.north")
    me = world.login(username)
    assert_refused(world, me, lambda: me.assessments.sign_off(
        d.id, d.row_version, changes=draft_input(d, analysis="Typed, not saved.")),
        "sign_off_assessment", reason)
    assert stored(world, d.id).analysis is None


def test_raising_the_risk_on_screen_makes_the_sign_off_reserved(world):
    d = medium_draft(world)
    me = world.login("sw.lapsed")
    assert_refused(world, me, lambda: me.assessments.sign_off(
        d.id, d.row_version, changes=draft_input(d, risk_level="high")),
        "sign_off_assessment", "registration_lapsed")
    assert stored(world, d.id).risk_level == "medium"
    # The same person signs off what is saved: an ordinary sign-off.
    assert me.assessments.sign_off(d.id, d.row_version).assessment.status == "signed_off"


def test_lowering_in_the_same_call_is_the_reserved_lowering(world):
    d = high_draft(world)
    me = world.login("sw.lapsed")
    assert_refused(world, me, lambda: me.assessments.sign_off(
        d.id, d.row_version, changes=draft_input(d, risk_level="medium")),
        "sign_off_assessment", "registration_lapsed")
    with world.ws.db.read() as s:
        refusal = s.scalars(select(AuditEvent).where(AuditEvent.outcome == "refused")
                            .order_by(AuditEvent.seq.desc())).first()
    assert json.loads(refusal.detail)["reserved_functions"] == ["lower_high_risk"]
    result = world.login("sw.north").assessments.sign_off(
        d.id, d.row_version, changes=draft_input(d, risk_level="medium"))
    assert result.reserved_functions == ("lower_high_risk",)


def test_incomplete_or_invalid_changes_keep_nothing(world):
    d = medium_draft(world)
    me = world.login("sw.north")
    before = snapshot(world)
    with pytest.raises(ValidationError) as e:
        me.assessments.sign_off(d.id, d.row_version,
                                changes=draft_input(d, needs="", analysis="Typed."))
    assert set(e.value.problems) == {"needs"}
    with pytest.raises(ValidationError) as e:
        me.assessments.sign_off(d.id, d.row_version,
                                changes=draft_input(d, risk_level="severe"))
    assert set(e.value.problems) == {"risk_level"}
    assert snapshot(world) == before


def test_a_stale_version_keeps_nothing(world):
    d = medium_draft(world)
    me = world.login("sw.north")
    before = snapshot(world)
    with pytest.raises(Conflict):
        me.assessments.sign_off(d.id, d.row_version - 1,
                                changes=replace(draft_input(d), analysis="Typed."))
    assert snapshot(world) == before
