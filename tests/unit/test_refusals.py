"""The refusal check every service test uses notices what it says it checks: a refusal not
audited, audited twice or as someone else, or with anything else written beside it."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import text

from casework import dto
from casework.errors import PermissionDenied
from refusals import assert_refused

NOWAK = "Łukasz Nowak"


@pytest.fixture
def pp(world):
    return world.login("pp.north")


def refused(pp):
    return pp.cases.page(dto.CaseQuery())


def test_a_refusal_audited_once_with_nothing_else_written_passes(world, pp):
    e = assert_refused(world, pp, lambda: refused(pp), "view_own_caseload",
                       "role_not_permitted")
    assert isinstance(e, PermissionDenied)


def test_a_refusal_not_audited_fails(world, pp):
    def unaudited():
        raise PermissionDenied("view_own_caseload", "role_not_permitted", "No.")

    with pytest.raises(AssertionError, match="one audit event"):
        assert_refused(world, pp, unaudited, "view_own_caseload", "role_not_permitted")


def test_a_refusal_audited_twice_fails(world, pp):
    def twice():
        with contextlib.suppress(PermissionDenied):
            refused(pp)
        refused(pp)

    with pytest.raises(AssertionError, match="one audit event"):
        assert_refused(world, pp, twice, "view_own_caseload", "role_not_permitted")


def test_a_refusal_audited_for_someone_else_fails(world, pp):
    other = world.login("admin2")
    with pytest.raises(AssertionError):
        assert_refused(world, pp, lambda: refused(other), "view_own_caseload",
                       "role_not_permitted")


@pytest.mark.parametrize("write", ["a note through the service", "a changed row"])
def test_a_refusal_with_anything_else_written_fails(world, pp, write):
    sw = world.login("sw.north")

    def and_wrote():
        if write == "a changed row":  # not counted anywhere: only its content differs
            with world.ws.db.write() as s:
                s.execute(text("UPDATE staff SET display_name = 'Changed' "
                               "WHERE username = 'sw.south'"))
        else:
            sw.notes.add(world.cases[NOWAK], dto.NoteInput(
                "visit", world.clock(), "Home visit", "Saw Łukasz at home."))
        refused(pp)

    with pytest.raises(AssertionError, match="nothing else"):
        assert_refused(world, pp, and_wrote, "view_own_caseload", "role_not_permitted")
