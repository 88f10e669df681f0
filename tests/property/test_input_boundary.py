"""Every write and read of every service, called by every kind of actor with generated
values of the right types and of the wrong ones: the only exceptions are Casework's own
(a bad value is a ValidationError naming the field), and nothing invalid is ever stored.

Set CASEWORK_FUZZ_EXAMPLES to run more calls per method than the suite's default.
"""

from __future__ import annotations

import inspect
from collections import Counter, defaultdict
import os
import re
import typing
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, text, update

from casework import dto
from casework.errors import CaseworkError, ValidationError
from casework.models import Staff
from casework.models.base import Base
from casework.services import Me
from casework.services.base import Service
from casework.services.checked import declared_parameters, is_checked
from casework.text import fold
from input_strategies import NASTY_TEXT, Pools, arguments
from service_world import World, build_world, chose_own_passwords

OUTCOMES: dict[str, Counter] = defaultdict(Counter)
EXAMPLES = int(os.environ.get("CASEWORK_FUZZ_EXAMPLES", "15"))
ACTORS = ("admin", "tl.north", "sw.north", "sw.lapsed", "pp.north", "sm", "sw.south")
SERVICES = ("cases", "people", "workload", "assessments", "plans", "notes", "reports",
            "admin", "audit", "account")
# Calls that write files or render pages take longer: fewer of them.
SLOW = {"reports.case_summary_pdf", "reports.chronology_pdf", "admin.backup_now"}


def _service_classes() -> dict[str, type]:
    """`me.cases` and the rest: the class of each service a signed-in person has."""
    probe = Me(None, "")  # a service only keeps its context until it is called
    return {name: type(getattr(probe, name)) for name in SERVICES}


CLASSES = _service_classes()
METHODS = sorted(
    (f"{attr}.{name}" for attr, cls in CLASSES.items()
     for name, member in vars(cls).items()
     if not name.startswith("_") and inspect.isfunction(member)))


def test_every_public_method_of_every_service_is_checked():
    def every_service(cls: type):
        for sub in cls.__subclasses__():
            yield sub
            yield from every_service(sub)

    covered = {c for c in CLASSES.values()}
    for cls in every_service(Service):
        assert cls in covered or cls.__module__.startswith("tests"), cls
        for name, member in vars(cls).items():
            if not name.startswith("_") and inspect.isfunction(member):
                assert is_checked(member), f"{cls.__name__}.{name} takes unchecked input"
                declared_parameters(member)  # a parameter with no spec raises TypeError
    assert len(METHODS) >= 60


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = build_world(tmp_path_factory.mktemp("fuzz"))
    _furnish(w)
    yield w
    w.ws.close()


def _furnish(w: World) -> None:
    """A note, a key person, an assessment with a contribution, and an outcome with an
    action, so that ids of every kind lead somewhere."""
    me = w.login("sw.north")
    cid = w.cases["Siobhán Ní Bhriain"]
    me.notes.add(cid, dto.NoteInput("visit", w.clock() - timedelta(hours=1), "Home visit",
                                    "Seen at home."))
    me.people.add_key_person(cid, dto.KeyPersonInput("unpaid_carer", "Ann", "Ní Bhriain",
                                                     "daughter"))
    a = me.assessments.start(cid, "outcomes_focused")
    me.assessments.add_contribution(a.id, dto.ContributionInput("person", "I want to stay home.",
                                                                date(2026, 11, 20)))
    o = me.plans.add_outcome(cid, "Stay safely at home")
    me.plans.add_action(o.id, dto.ActionInput("Fit a key safe", owner_name="Ann"))


@pytest.fixture(scope="module")
def pools(world) -> Pools:
    tables = ("case_file", "person", "staff", "team", "case_note", "assessment",
              "assessment_contribution", "plan_outcome", "plan_action", "key_person")
    with world.ws.db.read() as s:
        return Pools({t: list(s.scalars(text(f'SELECT id FROM "{t}" ORDER BY id')))
                      for t in tables})


@pytest.fixture(scope="module")
def actors(world) -> dict[str, Me]:
    return {u: world.login(u) for u in ACTORS}


def _heal(world: World) -> None:
    """Undo what one call may do to the actors themselves (a deactivation, a reset
    password), so that the next call is not refused for that alone."""
    chose_own_passwords(world.ws)
    with world.ws.db.write() as s:
        s.execute(update(Staff).values(active=True))
        s.execute(text("DELETE FROM sign_in_state"))


# Characters no stored text holds (line breaks and tabs do, in text of several lines).
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def invalid_values(world: World) -> list[str]:
    """Every stored text that is not text, does not fit its column, holds a character no
    field keeps, or breaks a rule no input may break (a CHI number of 0-9 only, team names
    that read differently)."""
    found = []
    with world.ws.db.read() as s:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String)]
            listed = ", ".join(f'typeof("{c.name}"), "{c.name}"' for c in columns)
            for row in s.execute(text(f'SELECT {listed} FROM "{table.name}"')):
                for column, kind, value in zip(columns, row[0::2], row[1::2]):
                    where = f"{table.name}.{column.name}"
                    if value is None:
                        continue
                    if kind != "text":
                        found.append(f"{where} holds {kind}: {value!r:.60}")
                    elif column.type.length and len(value) > column.type.length:
                        found.append(f"{where} holds {len(value)} characters")
                    elif table.name != "audit_event" and _BAD.search(value):
                        found.append(f"{where} holds a control character: {value!r:.60}")
        for chi in s.scalars(text("SELECT chi FROM person WHERE chi IS NOT NULL")):
            if not (chi.isascii() and chi.isdigit() and len(chi) == 10):
                found.append(f"person.chi holds {chi!r}")
        names = list(s.scalars(text("SELECT name FROM team")))
        if len({fold(n) or n.casefold() for n in names}) != len(names):
            found.append(f"team names alike: {names}")
    return found


def _call(method, kwargs: dict) -> str:
    try:
        method(**kwargs)
    except ValidationError as e:
        assert e.problems and all(isinstance(k, str) and v for k, v in e.problems.items())
        return "ValidationError"
    except CaseworkError as e:
        return type(e).__name__
    return "done"


@pytest.mark.parametrize("target", METHODS)
def test_any_input_gets_an_answer_and_nothing_invalid_is_kept(world, pools, actors, target):
    attr, name = target.split(".")
    fn = vars(CLASSES[attr])[name].__wrapped__
    hints = typing.get_type_hints(fn, include_extras=True)
    params = [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]
    drawn = arguments(hints, [p.name for p in params], pools)
    assert invalid_values(world) == []

    @settings(max_examples=max(3, EXAMPLES // 4) if target in SLOW else EXAMPLES,
              deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
    @given(actor=st.sampled_from(ACTORS), kwargs=drawn)
    def call(actor, kwargs):
        outcome = _call(getattr(getattr(actors[actor], attr), name), kwargs)
        event(f"{target}: {outcome}")
        OUTCOMES[target][outcome] += 1
        assert invalid_values(world) == []
        _heal(world)

    call()


# -- each finding, by name ------------------------------------------------------------------

@pytest.fixture(scope="module")
def calm(tmp_path_factory):
    """A world of its own for the findings below, untouched by the generated calls."""
    w = build_world(tmp_path_factory.mktemp("findings"))
    _furnish(w)
    yield w
    w.ws.close()


@pytest.fixture(scope="module")
def calm_actors(calm) -> dict[str, Me]:
    return {u: calm.login(u) for u in ACTORS}


@pytest.fixture
def me(calm_actors) -> Me:
    return calm_actors["sw.north"]


def _refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as e:
        call()
    assert field in e.value.problems, e.value.problems
    return e.value.problems[field]


@pytest.mark.parametrize("value, words", [
    ("ok\udfffok", "cannot be stored"), ("a\x00b", "control character"),
    ("\u202egnp.exe", "text-direction control"), ("two\nlines", "single line"),
    (b"bytes", "must be text"), (42, "must be text"), ("x" * 201, "at most 200")])
def test_a_note_subject_that_cannot_be_kept_is_refused_by_name(calm, me, value, words):
    cid = calm.cases["Siobhán Ní Bhriain"]
    before = me.notes.count(cid)
    problem = _refused(lambda: me.notes.add(cid, dto.NoteInput(
        "visit", calm.clock(), value, "Seen.")), "subject")
    assert words in problem
    assert me.notes.count(cid) == before


@pytest.mark.parametrize("offset, limit, field", [
    (2**63, 10, "offset"), (0, 2**63, "limit"), (-1, 10, "offset"), (0, 0, "limit"),
    (0, 501, "limit"), (True, 10, "offset")])
def test_paging_is_bounded_on_every_list(calm, calm_actors, offset, limit, field):
    lists = [
        lambda: calm_actors["tl.north"].cases.page(dto.CaseQuery(scope=dto.CaseScope.TEAM),
                                              offset, limit),
        lambda: calm_actors["sw.north"].notes.page(calm.cases["Siobhán Ní Bhriain"],
                                              dto.NoteQuery(), offset, limit),
        lambda: calm_actors["pp.north"].assessments.my_drafts(offset, limit),
        lambda: calm_actors["admin"].admin.staff_page(dto.StaffQuery(), offset, limit),
        lambda: calm_actors["admin"].audit.events(dto.AuditQuery(), offset, limit),
    ]
    for page in lists:
        _refused(page, field)


@pytest.mark.parametrize("search", ["x" * 50_000, " ".join(["mac"] * 1_500),
                                    " ".join(["w"] * 13)])
def test_a_search_too_long_for_the_database_is_refused_in_words(calm_actors, search):
    problem = _refused(lambda: calm_actors["tl.north"].cases.page(
        dto.CaseQuery(scope=dto.CaseScope.TEAM, text=search)), "text")
    assert "at most" in problem


@pytest.mark.parametrize("chi", ["٠١٠١٥٠١٢٣٤", "０１０１５０１２３４", "⁰¹⁰¹⁵⁰¹²³⁴"])
def test_a_chi_number_in_other_digits_is_refused_not_stored(calm, me, chi):
    cid = calm.cases["Łukasz Nowak"]
    people = me.people.case_people(cid)
    person = people.person
    data = dto.PersonInput(person.given_name, person.family_name, date(1950, 1, 1), chi)
    problem = _refused(lambda: me.people.update_person(cid, data, people.person_row_version),
                       "chi")
    assert problem == "must be 10 digits, numbers only"
    assert me.people.case_people(cid) == people


def test_team_names_alike_but_for_accents_case_and_spacing_are_one_name(calm_actors):
    admin = calm_actors["admin"].admin
    admin.create_team("Łódź Team", "justice")
    for alike in ("Łódź Team", "łódź team", "LODZ  TEAM", " Lodz Team "):
        problem = _refused(lambda: admin.create_team(alike, "justice"), "name")
        assert problem == "another team is already called 'Łódź Team'"
    assert [t.name for t in admin.teams()].count("Łódź Team") == 1


def test_a_name_whose_folded_key_outgrows_its_column_is_kept_whole(calm, me):
    cid = calm.cases["Łukasz Nowak"]
    people = me.people.case_people(cid)
    long_name = "ﷺ" * 100  # each folds to eighteen letters
    assert len(fold(long_name)) > 201
    saved = me.people.update_person(cid, dto.PersonInput(long_name, "Nowak"),
                                    people.person_row_version)
    assert saved.person.given_name == long_name
    assert invalid_values(calm) == []


@pytest.mark.parametrize("due", [date(1, 1, 1), date(9999, 12, 31), date(2101, 1, 1)])
def test_dates_outside_the_years_any_record_covers_are_refused(calm, me, due):
    outcome = me.plans.add_outcome(calm.cases["Siobhán Ní Bhriain"], "Keep up with friends")
    problem = _refused(lambda: me.plans.add_action(outcome.id, dto.ActionInput(
        "Visit", owner_name="Ann", due_on=due)), "due_on")
    assert problem in ("must be in 1900 or later", "must be in 2100 or earlier")


@pytest.mark.parametrize("name", ["Ann\u202e", "Ann\x07", "Ann\u2066x\u2069"])
def test_control_and_direction_characters_never_reach_a_name(calm, me, name):
    cid = calm.cases["Łukasz Nowak"]
    people = me.people.case_people(cid)
    _refused(lambda: me.people.add_key_person(cid, dto.KeyPersonInput(
        "family", name, "Nowak", "sister")), "given_name")
    assert len(me.people.key_people(cid)) == len(people.key_people)


def test_bytes_in_any_text_field_are_refused_and_the_people_tab_still_opens(calm, me):
    cid = calm.cases["Siobhán Ní Bhriain"]
    for field_name in ("given_name", "family_name", "relationship", "phone", "email",
                       "address", "notes"):
        values = dict(kind="family", given_name="Ann", family_name="Reid",
                      relationship="sister")
        values[field_name] = b"\xc3\x28"
        _refused(lambda: me.people.add_key_person(cid, dto.KeyPersonInput(**values)),
                 field_name)
    assert me.people.case_people(cid).key_people  # and it reads as before
    assert invalid_values(calm) == []


def test_the_listed_values_are_among_those_generated():
    """The generated inputs include every kind of value the findings named."""
    for needed in ("ok\udfffok", "\u202egnp.exe", "٠١٠١٥٠١٢٣٤", "１４０３５０１２３８",
                   "¹⁴⁰³⁵⁰¹²³⁸", "Łódź Team", "łódź team", "ﷺ" * 60):
        assert needed in NASTY_TEXT
    assert unicodedata.category("\udfff") == "Cs"


@pytest.mark.parametrize("username, password, field", [
    ("x" * 1_000_000, "correct-horse-1", "username"), ("ok\udfffok", "correct-horse-1", "username"),
    ("sw.north", "pass\udfffword", "password"), (b"sw.north", "correct-horse-1", "username"),
    ("sw.north", None, "password")])
def test_a_sign_in_that_cannot_be_read_is_refused_and_the_trail_does_not_grow(
        calm, username, password, field):
    with calm.ws.db.read() as s:
        before = s.scalar(text("SELECT count(*) FROM audit_event"))
    _refused(lambda: calm.ws.login(username, password), field)
    with calm.ws.db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM audit_event")) == before
