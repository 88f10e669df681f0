"""The field specs and the one check at the service boundary (casework.fields,
casework.services.checked), and the last check before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from casework import dto, fields
from casework.errors import ValidationError
from casework.models import Person
from casework.models.base import new_id
from casework.services.checked import checked, dto_check


@given(st.text(max_size=30))
@example("ok\udfffok")
@example("\u202e")
@example("line\nbreak")
@example("x" * 11)
@example("fine")
def test_text_takes_storable_single_lines_within_the_limit(value):
    problem = fields.Text(10).problem(value)
    storable = all(not ("\ud800" <= c <= "\udfff") for c in value)
    plain = not any(c in value for c in "\t\n\r\x00\x07\u202e\u2028")
    event("refused" if problem else "taken")
    if len(value) > 10 or not storable:
        assert problem is not None
    if problem is None:
        assert len(value) <= 10 and storable and plain


@pytest.mark.parametrize("value, problem", [
    ("ok\udfffok", "contains a character that cannot be stored (U+DFFF, half of a pair)"),
    ("a\x07b", "contains a control character (U+0007), which cannot be shown"),
    ("\u202egnp.exe", "contains a text-direction control (U+202E), which can disguise what "
                      "the text says"),
    ("two\nlines", "must be a single line"),
    ("x" * 21, "must be at most 20 characters; this has 21"),
    (b"bytes", "must be text"), (3, "must be text"),
    ("one two three", "use at most 2 words"),
])
def test_text_says_what_is_wrong(value, problem):
    assert fields.Text(20, max_words=2).problem(value) == problem


def test_several_lines_keep_line_breaks_and_tabs_but_never_controls():
    assert fields.Text(50, multiline=True).problem("one\r\ntwo\tthree") is None
    assert fields.Text(50, multiline=True).problem("bell\x07") is not None


@pytest.mark.parametrize("value, problem", [
    (0, None), (2**31 - 1, None), (-1, "must be between 0 and 2,147,483,647"),
    (2**63, "must be between 0 and 2,147,483,647"), (True, "must be a whole number"),
    (1.0, "must be a whole number"), ("1", "must be a whole number"),
])
def test_whole_numbers_are_ints_in_range_and_never_booleans(value, problem):
    assert fields.Whole().problem(value) == problem


@pytest.mark.parametrize("value, problem", [
    (date(1900, 1, 1), None), (date(2100, 12, 31), None),
    (date(1, 1, 1), "must be in 1900 or later"), (date(9999, 12, 31), "must be in 2100 or earlier"),
    (datetime(2026, 1, 1, tzinfo=UTC), "must be a date"), ("2026-01-01", "must be a date"),
])
def test_days_are_dates_in_the_years_records_cover(value, problem):
    assert fields.Day().problem(value) == problem


def test_a_moment_needs_its_time_zone():
    assert fields.Moment().problem(datetime(2026, 1, 1, 9, 0)) == (
        "must be a date and time with its time zone")
    assert fields.Moment().problem(datetime(2026, 1, 1, 9, 0, tzinfo=UTC)) is None
    assert fields.Moment().problem(datetime(1, 1, 1, tzinfo=UTC)) == "must be in 1900 or later"


def test_ids_lists_flags_and_choices():
    assert fields.Ident().problem("3f2c0e1a-0000-4000-8000-000000000000") is None
    assert fields.Ident().problem("x" * 65) == "is not a record's id"
    assert fields.Ident().problem(7) == "must be a record's id (text)"
    assert fields.Many(fields.Text(3)).problem(("ab", "abcd")) == (
        "entry 2 must be at most 3 characters; this has 4")
    assert fields.Many(fields.Text(3)).problem("abc") == "must be a list"
    assert fields.Many(fields.Text(3), max_items=2).problem(("a", "b", "c")) == (
        "must have at most 2 entries")
    assert fields.Flag().problem(1) == "must be yes or no"
    assert fields.OneOf(frozenset({"a"})).problem("b") == "is not one of the choices"


def test_forms_read_the_same_limits():
    assert fields.max_length(fields.Search) == fields.SEARCH
    assert fields.max_length(fields.Text(7)) == 7
    with pytest.raises(TypeError):
        fields.spec_of(str)


# -- the check at the boundary -----------------------------------------------------------------

@dataclass(frozen=True)
class Sample:
    name: Annotated[str, fields.Text(5)]
    when: date | None = None
    note: Annotated[str | None, fields.Text(3)] = None


class Probe:
    def __init__(self):
        self.calls = []

    @checked
    def act(self, item_id: fields.Id, data: Sample, flag: bool = False,
            count: fields.Version = 0) -> str:
        self.calls.append((item_id, data, flag, count))
        return "done"


def test_the_check_names_every_bad_field_and_the_method_never_runs():
    probe = Probe()
    with pytest.raises(ValidationError) as e:
        probe.act(7, Sample("toolong", date(1, 1, 1), "long"), flag="yes", count=-1)
    assert e.value.problems == {
        "item_id": "must be a record's id (text)",
        "name": "must be at most 5 characters; this has 7",
        "when": "must be in 1900 or later",
        "note": "must be at most 3 characters; this has 4",
        "flag": "must be yes or no",
        "count": "must be between 0 and 2,147,483,647",
    }
    assert probe.calls == []
    assert probe.act("a-1", Sample("ok")) == "done"
    assert probe.act(item_id="a-1", data=Sample("ok", None, None), count=3) == "done"


def test_a_dto_of_the_wrong_kind_or_none_is_refused():
    probe = Probe()
    for data in (None, {"name": "ok"}, "ok"):
        with pytest.raises(ValidationError) as e:
            probe.act("a-1", data)
        assert set(e.value.problems) == {"data"}
    assert probe.calls == []


def test_a_parameter_with_no_spec_is_found_on_its_first_call():
    class Careless:
        @checked
        def act(self, text: str) -> None:
            pass

    with pytest.raises(TypeError, match="has no field spec"):
        Careless().act("x")


def test_every_input_dto_declares_every_field():
    for cls in (dto.StaffInput, dto.StaffQuery, dto.AuditQuery, dto.CaseQuery,
                dto.OpenCaseInput, dto.CaseDetailsInput, dto.PersonInput, dto.ReferralInput,
                dto.KeyPersonInput, dto.AssessmentInput, dto.ContributionInput,
                dto.ActionInput, dto.RatingInput, dto.ReviewInput, dto.NoteQuery,
                dto.NoteInput):
        dto_check(cls)  # raises TypeError for a field with no spec


def test_a_review_s_rating_problem_is_shown_beside_its_outcome():
    rows = (dto.RatingInput("o-1", "met", 5, "x" * 2_001),)
    problems = dto_check(dto.ReviewInput)(dto.ReviewInput(date(2026, 1, 1), "ok", rows,
                                                          date(2026, 6, 1)))
    assert problems == {"rating:o-1": "the comment must be at most 2,000 characters; "
                                      "this has 2,001"}


# -- the last check before a write -------------------------------------------------------------

def test_text_that_does_not_fit_its_column_is_never_written(world):
    with pytest.raises(ValidationError) as e:
        with world.ws.db.write() as s:
            s.add(Person(id=new_id(), given_name="Ann", family_name="Reid",
                         name_key="k" * 202, updated_at=world.clock()))
    assert e.value.problems == {"person.name_key": "must be at most 201 characters; this has 202"}
    with pytest.raises(ValidationError) as e:
        with world.ws.db.write() as s:
            s.add(Person(id=new_id(), given_name=b"Ann", family_name="Reid", name_key="reid",
                         updated_at=world.clock()))
    assert e.value.problems == {"person.given_name": "must be text"}
    with world.ws.db.read() as s:
        assert s.query(Person).filter(Person.family_name == "Reid").count() == 0
