"""People who use services: the CHI number's rules, possible duplicates before a new person
is made, referrals as every role (each refusal audited, nothing written), the person's
details with optimistic locking, and key people and carers."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from casework.chi import chi_check_digit, chi_problem
from casework.errors import Conflict, NotFound, ValidationError
from casework.events import Changed
from casework.models import Allocation, AuditEvent, Case, CaseNote, KeyPerson, Person
from casework import dto
from refusals import assert_refused
from service_world import TODAY, add_case

# Valid numbers worked by hand: weights 10..2 over the first nine digits, 11 - (sum mod 11).
# Not valid: 1·9 + 1·7 + 5·6 + 1·4 + 2·3 + 3·2 = 62; 62 mod 11 = 7, so the check is 4, not 5.
LEGACY_CHI = "0101501235"
NEW_CHI = "1403501238"  # 14 March 1950: sum 113, 113 mod 11 = 3, 11 - 3 = 8
BORN = date(1950, 3, 14)


def chi_for(born: date, serial: str = "123") -> str:
    first_nine = born.strftime("%d%m%y") + serial
    check = chi_check_digit(first_nine)
    assert check is not None
    return first_nine + str(check)


# -- the CHI number ---------------------------------------------------------------------

@pytest.mark.parametrize("chi, born", [
    ("0101451237", date(1945, 1, 1)),  # 81 mod 11 = 4 → 7
    ("0101450060", date(1945, 1, 1)),  # remainder 0 → 11, written 0
    ("1403501238", date(1950, 3, 14)),
    ("140350 1238", date(1950, 3, 14)),  # typed as people read it out
    (" 1403 5012 38 ", date(1950, 3, 14)),
    ("2902521235", date(1952, 2, 29)),  # a leap day
    ("2902004516", date(2000, 2, 29)),  # 2000 was a leap year
    ("3112998766", date(1999, 12, 31)),
    ("1503852342", date(1985, 3, 15)),
    ("0101500017", date(1950, 1, 1)),
    ("0101500092", date(1950, 1, 1)),
])
def test_valid_numbers_pass_with_and_without_the_date_of_birth(chi, born):
    assert chi_problem(chi, born) is None
    assert chi_problem(chi) is None


def test_the_check_digit_from_worked_examples():
    assert chi_check_digit("010145123") == 7
    assert chi_check_digit("010145006") == 0  # 11 is written 0
    assert chi_check_digit("010145001") is None  # 10: no number starts with these nine
    assert chi_check_digit("140350123") == 8


@pytest.mark.parametrize("chi, born, problem", [
    ("", None, "must be 10 digits, numbers only"),
    ("14035012", None, "must be 10 digits; this has 8"),
    ("14035012389", None, "must be 10 digits; this has 11"),
    ("14035O1238", None, "must be 10 digits, numbers only"),  # a letter O, not a zero
    ("140350-1238", None, "must be 10 digits, numbers only"),
    ("1403501239", None, "the last digit (the check digit) does not agree with the other "
                         "nine: check each digit"),
    ("1403501238", date(1950, 3, 15),
     "its first six digits (140350) give the date of birth 14 March 1950, but the date of "
     "birth is 15 March 1950"),
    ("1403511238", date(1950, 3, 14),
     "its first six digits (140351) give the date of birth 14 March 1951, but the date of "
     "birth is 14 March 1950"),
    ("3104501234", date(1950, 4, 30),
     "its first six digits (310450) are not a real date, but the date of birth is "
     "30 April 1950"),
    ("3104501234", None,
     "its first six digits (310450) are not a date: they are the date of birth as DDMMYY"),
    ("2902011234", None,  # 1901 and 2001 were not leap years
     "its first six digits (290201) are not a date: they are the date of birth as DDMMYY"),
    ("0013501234", None,
     "its first six digits (001350) are not a date: they are the date of birth as DDMMYY"),
    ("0101450010", date(1945, 1, 1),
     "no CHI number begins with these nine digits: check each digit"),
])
def test_problems_are_said_in_words(chi, born, problem):
    assert chi_problem(chi, born) == problem


def test_no_last_digit_rescues_nine_digits_whose_check_would_be_ten():
    assert not any(chi_problem(f"010145001{d}") is None for d in range(10))


_births = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
_serials = st.text("0123456789", min_size=3, max_size=3)


@given(_births, _serials)
def test_every_number_made_with_its_check_digit_validates(born, serial):
    first_nine = born.strftime("%d%m%y") + serial
    check = chi_check_digit(first_nine)
    if check is None:
        assert all(chi_problem(first_nine + str(d), born) for d in range(10))
        return
    chi = first_nine + str(check)
    assert chi_problem(chi, born) is None and chi_problem(chi) is None
    # Independently: the ten digits weighted 10 down to 1 sum to a multiple of 11.
    assert sum(int(d) * w for d, w in zip(chi, range(10, 0, -1))) % 11 == 0


@given(_births, _serials, st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_change_is_refused(born, serial, position, step):
    first_nine = born.strftime("%d%m%y") + serial
    check = chi_check_digit(first_nine)
    if check is None:
        return
    chi = first_nine + str(check)
    changed = chi[:position] + str((int(chi[position]) + step) % 10) + chi[position + 1:]
    assert changed != chi
    # The weights 1..10 and a change of 1..9 are both prime to 11: the sum always moves.
    assert chi_problem(changed, born) is not None
    assert chi_problem(changed) is not None
    if position < 9:
        assert chi_check_digit(changed[:9]) != check


# -- helpers ------------------------------------------------------------------------------

def counts(world) -> dict[str, int]:
    with world.ws.db.read() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (Person, Case, Allocation, CaseNote, KeyPerson)}


def audited(world, action: str) -> list[AuditEvent]:
    with world.ws.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                       AuditEvent.outcome == "done")
                              .order_by(AuditEvent.seq)))


def set_chi(world, case_name: str, chi: str, born: date | None = None) -> str:
    with world.ws.db.write() as s:
        c = s.get(Case, world.cases[case_name])
        p = s.get(Person, c.person_id)
        p.chi = chi
        if born is not None:
            p.date_of_birth = born
        return p.id


def person_id_of(world, case_name: str) -> str:
    with world.ws.db.read() as s:
        return s.get(Case, world.cases[case_name]).person_id


def referral(**kw) -> dto.ReferralInput:
    person = kw.pop("person", dto.PersonInput("Kirsteen", "Mac an t-Saoir", BORN, NEW_CHI,
                                              address="4 Shore Road, Ullapool",
                                              postcode="iv26 2uw"))
    return dto.ReferralInput(**{
        "referral_source": "GP, Ullapool Medical Practice",
        "referral_reason": "Two falls at home in a month; lives alone.",
        "referred_on": TODAY - timedelta(days=1), "risk_level": "medium", "person": person,
        **kw})


@pytest.fixture
def events(world):
    seen: list[Changed] = []
    world.ws.bus.subscribe(seen.append)
    return seen


# -- possible duplicates ------------------------------------------------------------------

def test_a_match_by_chi_shows_the_live_case_in_my_team(world):
    set_chi(world, "Łukasz Nowak", NEW_CHI, BORN)
    matches = world.login("sw.north").people.find_duplicates(chi="140350 1238")
    assert [(m.full_name, m.same_chi, m.same_name_and_birth) for m in matches] == [
        ("Łukasz Nowak", True, False)]
    [live] = matches[0].live_cases
    assert live == dto.LiveCaseMatch(world.teams["north"].id, "North Adult Team", True,
                                     "CW-000002", "open", "Sw North")


def test_a_match_by_folded_name_and_date_of_birth(world):
    me = world.login("sw.north")
    matches = me.people.find_duplicates(given_name="siobhan", family_name="NI BHRIAIN",
                                        date_of_birth=date(1950, 1, 1))
    assert [(m.full_name, m.same_name_and_birth, m.same_chi) for m in matches] == [
        ("Siobhán Ní Bhriain", True, False)]
    # The same name born on another day, a name alone, or half a CHI: nobody.
    assert me.people.find_duplicates(given_name="Siobhán", family_name="Ní Bhriain",
                                     date_of_birth=date(1950, 1, 2)) == ()
    assert me.people.find_duplicates(given_name="Siobhán", family_name="Ní Bhriain") == ()
    assert me.people.find_duplicates(chi="14035") == ()


def test_both_kinds_of_match_are_listed_the_same_chi_first(world):
    set_chi(world, "Morag Baird", NEW_CHI, BORN)
    matches = world.login("sw.north").people.find_duplicates(
        given_name="Siobhán", family_name="Ní Bhriain", date_of_birth=date(1950, 1, 1),
        chi=NEW_CHI)
    assert [m.full_name for m in matches] == ["Morag Baird", "Siobhán Ní Bhriain"]


def test_another_team_s_match_shows_only_which_team_holds_the_case(world):
    matches = world.login("sw.south").people.find_duplicates(
        given_name="Siobhán", family_name="Ní Bhriain", date_of_birth=date(1950, 1, 1))
    [m] = matches
    assert m.live_cases == (dto.LiveCaseMatch(world.teams["north"].id, "North Adult Team",
                                              False),)
    assert m.date_of_birth == date(1950, 1, 1)
    # A service manager oversees the team: the case is theirs to know.
    [m] = world.login("sm").people.find_duplicates(
        given_name="Siobhán", family_name="Ní Bhriain", date_of_birth=date(1950, 1, 1))
    assert m.live_cases[0].in_my_teams and m.live_cases[0].reference == "CW-000001"


def test_a_closed_case_is_not_a_live_one(world):
    [m] = world.login("sw.north").people.find_duplicates(
        given_name="Ann", family_name="Closed", date_of_birth=date(1950, 1, 1))
    assert m.live_cases == ()


@pytest.mark.parametrize("username", ["pp.north", "admin"])
def test_looking_for_duplicates_is_for_those_who_record_referrals(world, username):
    me = world.login(username)
    assert_refused(world, me, lambda: me.people.find_duplicates(chi=NEW_CHI), "find_people",
                   "role_not_permitted")


# -- recording a referral -----------------------------------------------------------------

def test_a_social_worker_records_a_referral_for_a_new_person(world, events):
    before = counts(world)
    me = world.login("sw.north")
    result = me.people.record_referral(referral())
    assert result.case_reference == "CW-000008"  # seven cases before it
    assert result.person_created and result.person_name == "Kirsteen Mac an t-Saoir"
    assert (result.team_name, result.service_area) == ("North Adult Team",
                                                       "adult_community_care")
    after = counts(world)
    assert {k: after[k] - before[k] for k in after} == {
        "Person": 1, "Case": 1, "Allocation": 1, "CaseNote": 1, "KeyPerson": 0}
    with world.ws.db.read() as s:
        c = s.get(Case, result.case_id)
        p = s.get(Person, c.person_id)
        alloc = s.scalars(select(Allocation).where(Allocation.case_id == c.id)).one()
        note = s.scalars(select(CaseNote).where(CaseNote.case_id == c.id)).one()
    assert (c.status, c.named_worker_id, c.unallocated_since) == ("referral", None, world.clock())
    assert c.team_id == world.teams["north"].id and c.risk_level == "medium"
    assert c.referral_source == "GP, Ullapool Medical Practice"
    assert c.referral_reason == "Two falls at home in a month; lives alone."
    assert c.referred_on == TODAY - timedelta(days=1) and c.legal_status == "voluntary"
    assert (alloc.worker_id, alloc.reason, alloc.allocated_by) == (
        None, "Referral received", world.staff["sw.north"].id)
    assert alloc.started_at == world.clock()
    assert (note.note_type, note.significant, note.subject) == (
        "event", True, "Referral received from GP, Ullapool Medical Practice")
    assert (p.chi, p.postcode, p.name_key) == (NEW_CHI, "IV26 2UW", "mac an t saoir kirsteen")
    assert p.team_id == world.teams["north"].id
    [made] = audited(world, "create_person")
    [recorded] = audited(world, "record_referral")
    assert made.entity_id == p.id and recorded.entity_id == c.id
    detail = json.loads(recorded.detail)
    assert detail["person_created"] is True and detail["reference"] == "CW-000008"
    # Field names, never what was written: the administrator reads this.
    assert "Ullapool" not in made.detail + recorded.detail
    assert Changed("case", (c.id, p.id)) in events
    assert Changed("note", (c.id, note.id)) in events
    # It waits, visibly, in the team's queue, and its referrer may open it.
    queue = world.login("tl.north").cases.page(dto.CaseQuery(scope=dto.CaseScope.UNALLOCATED))
    assert "Kirsteen Mac an t-Saoir" in [r.person_name for r in queue.rows]
    summary = me.cases.summary(c.id)
    assert summary.allocations[0].worker_name is None
    assert summary.allocations[0].reason == "Referral received"


def test_an_existing_person_picked_gets_a_new_case(world):
    person_id = person_id_of(world, "Ann Closed")
    result = world.login("sw.north").people.record_referral(
        referral(person=None, person_id=person_id))
    assert not result.person_created and result.person_id == person_id
    assert result.person_name == "Ann Closed"
    assert audited(world, "create_person") == []
    with world.ws.db.read() as s:
        assert s.scalar(select(func.count()).where(Case.person_id == person_id)) == 2


@pytest.mark.parametrize("username", ["sp.north", "tl.north", "sw.lapsed", "sw.nq"])
def test_each_practitioner_records_in_their_own_team(world, username):
    result = world.login(username).people.record_referral(referral())
    assert result.team_id == world.teams["north"].id


def test_a_service_manager_chooses_one_of_their_teams(world):
    sm = world.login("sm")
    options = sm.people.referral_options()
    assert options.choose_team and options.default_team_id is None
    assert [t.name for t in options.teams] == ["North Adult Team", "South Adult Team"]
    with pytest.raises(ValidationError) as e:
        sm.people.record_referral(referral())
    assert e.value.problems == {"team_id": "choose which of your teams takes the referral"}
    result = sm.people.record_referral(referral(team_id=world.teams["south"].id,
                                                service_area="mental_health"))
    assert (result.team_name, result.service_area) == ("South Adult Team", "mental_health")


def test_a_service_manager_is_refused_a_team_they_do_not_manage(world):
    east = world.login("admin").admin.create_team("East Justice Team", "justice")
    sm = world.login("sm")
    assert_refused(world, sm, lambda: sm.people.record_referral(referral(team_id=east.id)),
                   "record_referral", "not_team_manager")


def test_a_social_worker_may_not_refer_into_another_team(world):
    me = world.login("sw.north")
    assert_refused(world, me, lambda: me.people.record_referral(
        referral(team_id=world.teams["south"].id)), "record_referral", "not_team_member")


def test_everyone_else_records_in_their_team_without_a_choice(world):
    options = world.login("tl.south").people.referral_options()
    assert not options.choose_team and options.default_team_id == world.teams["south"].id
    assert [(t.name, t.service_area) for t in options.teams] == [
        ("South Adult Team", "adult_community_care")]


@pytest.mark.parametrize("username", ["pp.north", "admin", "admin2"])
def test_a_para_professional_and_an_administrator_are_refused(world, username):
    me = world.login(username)
    assert_refused(world, me, lambda: me.people.record_referral(referral()), "record_referral",
                   "role_not_permitted")
    assert_refused(world, me, lambda: me.people.referral_options(), "record_referral",
                   "role_not_permitted")


def test_a_chi_already_on_file_is_refused_for_a_new_person(world):
    set_chi(world, "Morag Baird", NEW_CHI, BORN)
    before = counts(world)
    with pytest.raises(ValidationError) as e:
        world.login("sw.north").people.record_referral(referral(new_person_confirmed=True))
    assert e.value.problems == {"chi": "belongs to Morag Baird (born 14 Mar 1950), who is "
                                       "already recorded: pick them instead"}
    assert counts(world) == before


def test_the_same_name_and_birth_needs_the_worker_to_say_it_is_someone_new(world):
    twin = dto.PersonInput("Siobhan", "Ni Bhriain", date(1950, 1, 1))
    me = world.login("sw.north")
    before = counts(world)
    with pytest.raises(ValidationError) as e:
        me.people.record_referral(referral(person=twin))
    assert e.value.problems == {"person_id": "Siobhán Ní Bhriain, born 01 Jan 1950, is "
                                             "already recorded: pick them, or confirm that "
                                             "this is someone new"}
    assert counts(world) == before
    result = me.people.record_referral(referral(person=twin, new_person_confirmed=True))
    assert result.person_created


@pytest.mark.parametrize("person, problems", [
    (dto.PersonInput("Kirsteen", "Mac an t-Saoir", date(1950, 3, 15), NEW_CHI),
     {"chi": "its first six digits (140350) give the date of birth 14 March 1950, but the "
             "date of birth is 15 March 1950"}),
    (dto.PersonInput("Kirsteen", "Mac an t-Saoir", TODAY + timedelta(days=1)),
     {"date_of_birth": "must not be in the future"}),
    (dto.PersonInput("Kirsteen", "Mac an t-Saoir", date(1899, 12, 31)),
     {"date_of_birth": "must be in 1900 or later"}),
    (dto.PersonInput(" ", "", None, "1403501239", postcode="Ullapool", phone="call me"),
     {"given_name": "enter the person's given name",
      "family_name": "enter the person's family name",
      "chi": "the last digit (the check digit) does not agree with the other nine: check "
             "each digit",
      "postcode": "must be a UK postcode, such as IV1 1AA",
      "phone": "must be a phone number: digits, spaces and + ( ) - only"}),
])
def test_a_new_person_s_details_are_checked(world, person, problems):
    before = counts(world)
    with pytest.raises(ValidationError) as e:
        world.login("sw.north").people.record_referral(referral(person=person))
    assert e.value.problems == problems
    assert counts(world) == before


def test_the_referral_itself_is_checked(world):
    with pytest.raises(ValidationError) as e:
        world.login("sw.north").people.record_referral(referral(
            referral_source=" ", referral_reason="", referred_on=TODAY + timedelta(days=1),
            risk_level="", service_area="astrology"))
    assert e.value.problems == {
        "referral_source": "say who referred: the person, a relative, a GP, another agency…",
        "referral_reason": "say why they were referred",
        "referred_on": "must not be in the future",
        "risk_level": "choose an initial risk level",
        "service_area": "choose a service area"}
    with pytest.raises(ValidationError) as e:
        world.login("sw.north").people.record_referral(
            referral(referred_on=date(1950, 1, 1)))
    assert e.value.problems == {"referred_on": "must not be before the person was born"}


def test_the_reference_is_one_more_than_the_highest_in_the_file(world):
    add_case(world, team="south", worker=None, name=("Old", "Numbering"))  # CW-000008
    with world.ws.db.write() as s:
        s.execute(update(Case).where(Case.reference == "CW-000008")
                  .values(reference="CW-000041"))
    assert world.login("sw.north").people.record_referral(referral()).case_reference == \
        "CW-000042"


# -- the person's details -----------------------------------------------------------------

def test_the_named_worker_updates_the_person_s_details(world, events):
    me = world.login("sw.north")
    case_id = world.cases["Łukasz Nowak"]
    people = me.people.case_people(case_id)
    assert people.person.full_name == "Łukasz Nowak" and people.key_people == ()
    data = dto.PersonInput("Łukasz", "Nowak", date(1950, 1, 1), "0101500017",
                           address="Flat 2, 9 Castle Street, Inverness", postcode="iv2 3ea",
                           phone="07700 900123", communication_needs="Polish interpreter",
                           contact_preference="Text first", what_matters="His allotment")
    after = me.people.update_person(case_id, data, people.person_row_version)
    assert after.person.postcode == "IV2 3EA" and after.person.chi == "0101500017"
    assert after.person_row_version == people.person_row_version + 1
    [ev] = audited(world, "update_person")
    assert json.loads(ev.detail) == {"case_id": case_id, "changed": [
        "chi", "address", "postcode", "phone", "communication_needs", "contact_preference",
        "what_matters"]}
    assert Changed("person", (case_id, after.person.id)) in events
    assert me.cases.summary(case_id).person.address == "Flat 2, 9 Castle Street, Inverness"


def test_a_stale_version_is_a_conflict_and_nothing_is_written(world):
    me = world.login("sw.north")
    case_id = world.cases["Łukasz Nowak"]
    people = me.people.case_people(case_id)
    data = dto.PersonInput("Łukasz", "Nowak", date(1950, 1, 1), address="Somewhere new")
    me.people.update_person(case_id, data, people.person_row_version)
    with pytest.raises(Conflict):
        me.people.update_person(case_id, dto.PersonInput("Lukas", "Nowak", date(1950, 1, 1)),
                                people.person_row_version)
    assert me.people.case_people(case_id).person.given_name == "Łukasz"


def test_a_chi_held_by_someone_else_or_disagreeing_is_refused(world):
    set_chi(world, "Morag Baird", "0101500017")
    me = world.login("sw.north")
    case_id = world.cases["Łukasz Nowak"]
    version = me.people.case_people(case_id).person_row_version
    with pytest.raises(ValidationError) as e:
        me.people.update_person(case_id, dto.PersonInput("Łukasz", "Nowak", date(1950, 1, 1),
                                                         "0101500017"), version)
    assert e.value.problems["chi"].startswith("belongs to Morag Baird (born 01 Jan 1950)")
    set_chi(world, "Łukasz Nowak", "0101500092")
    version = me.people.case_people(case_id).person_row_version
    with pytest.raises(ValidationError) as e:  # a new date of birth checks the CHI again
        me.people.update_person(case_id, dto.PersonInput("Łukasz", "Nowak", date(1950, 1, 2),
                                                         "0101500092"), version)
    assert e.value.problems == {"chi": "its first six digits (010150) give the date of birth "
                                       "1 January 1950, but the date of birth is 2 January "
                                       "1950"}
    assert audited(world, "update_person") == []


def test_a_value_on_file_is_checked_again_only_when_it_changes(world):
    set_chi(world, "Łukasz Nowak", LEGACY_CHI)  # recorded before the check existed
    me = world.login("sw.north")
    case_id = world.cases["Łukasz Nowak"]
    version = me.people.case_people(case_id).person_row_version
    after = me.people.update_person(case_id, dto.PersonInput(
        "Łukasz", "Nowak", date(1950, 1, 1), LEGACY_CHI, address="New address"), version)
    assert after.person.chi == LEGACY_CHI and after.person.address == "New address"


@pytest.mark.parametrize("username, reason", [
    ("sw.south", "outside_team"), ("tl.south", "outside_team"),
    ("pp.north", "role_not_permitted"), ("admin", "role_not_permitted"),
])
def test_others_may_not_change_the_person(world, username, reason):
    case_id = world.cases["Łukasz Nowak"]
    version = world.login("sw.north").people.case_people(case_id).person_row_version
    me = world.login(username)
    assert_refused(world, me, lambda: me.people.update_person(
        case_id, dto.PersonInput("X", "Y", None), version), "update_person", reason)
    assert world.login("sw.north").people.case_people(case_id).person.given_name == "Łukasz"


@pytest.mark.parametrize("username, reason", [
    ("sw.south", "outside_team_needs_reason"), ("pp.north", "role_not_permitted"),
    ("admin", "role_not_permitted"),
])
def test_others_may_not_read_the_people_on_a_case(world, username, reason):
    me = world.login(username)
    assert_refused(world, me, lambda: me.people.case_people(world.cases["Łukasz Nowak"]),
                   "view_people", reason)


def test_a_reason_given_when_opening_the_case_lets_another_team_read_but_not_write(world):
    me = world.login("sw.south")
    case_id = world.cases["Łukasz Nowak"]
    me.cases.summary(case_id, reason="Duty: the person phoned our office")
    people = me.people.case_people(case_id)
    assert people.person.family_name == "Nowak"
    assert_refused(world, me, lambda: me.people.add_key_person(
        case_id, dto.KeyPersonInput("friend", "Jo", "", "Friend")), "add_key_person",
        "outside_team")


# -- key people and carers ----------------------------------------------------------------

CARER = dto.KeyPersonInput("unpaid_carer", "Agnieszka", "Nowak", "Daughter",
                           phone="07700 900456", lives_with_person=True,
                           support_plan="in_place",
                           support_plan_review_on=TODAY + timedelta(days=90))


def test_carers_come_first_with_their_own_support_plan(world, events):
    me = world.login("sw.north")
    case_id = world.cases["Łukasz Nowak"]
    gp = me.people.add_key_person(case_id, dto.KeyPersonInput(
        "professional", "Dr", "Abernethy", "GP", email="reception@ness.example.org"))
    carer = me.people.add_key_person(case_id, CARER)
    young = me.people.add_key_person(case_id, dto.KeyPersonInput(
        "young_carer", "Zofia", "Nowak", "Granddaughter", date_of_birth=date(2012, 5, 1)))
    listed = me.people.key_people(case_id)
    assert [k.name for k in listed] == ["Agnieszka Nowak", "Zofia Nowak", "Dr Abernethy"]
    assert (carer.is_carer, carer.lives_with_person, carer.support_plan) == (True, True,
                                                                             "in_place")
    # A carer with no plan recorded has not been offered one; others have none at all.
    assert young.support_plan == "not_offered" and gp.support_plan is None
    assert Changed("key_person", (case_id, carer.id)) in events
    [first, *_] = audited(world, "add_key_person")
    assert json.loads(first.detail) == {"case_id": case_id, "kind": "professional"}
    assert me.people.case_people(case_id).key_people == listed


def test_a_key_person_is_edited_with_optimistic_locking(world):
    me = world.login("sw.north")
    case_id = world.cases["Łukasz Nowak"]
    carer = me.people.add_key_person(case_id, CARER)
    changed = me.people.update_key_person(case_id, carer.id, dto.KeyPersonInput(
        "unpaid_carer", "Agnieszka", "Nowak-Kerr", "Daughter", lives_with_person=False,
        support_plan="offered"), carer.row_version)
    assert (changed.family_name, changed.support_plan, changed.support_plan_review_on) == (
        "Nowak-Kerr", "offered", None)
    [ev] = audited(world, "update_key_person")
    assert json.loads(ev.detail)["changed"] == ["family_name", "phone", "lives_with_person",
                                                "support_plan", "support_plan_review_on"]
    with pytest.raises(Conflict):
        me.people.update_key_person(case_id, carer.id, CARER, carer.row_version)
    with pytest.raises(Conflict):
        me.people.remove_key_person(case_id, carer.id, carer.row_version)
    assert me.people.key_people(case_id)[0].family_name == "Nowak-Kerr"


def test_removing_a_key_person_marks_them_deleted(world, events):
    me = world.login("sw.north")
    case_id = world.cases["Łukasz Nowak"]
    carer = me.people.add_key_person(case_id, CARER)
    me.people.remove_key_person(case_id, carer.id, carer.row_version)
    assert me.people.key_people(case_id) == ()
    with world.ws.db.read() as s:
        assert s.get(KeyPerson, carer.id).deleted_at == world.clock()
    assert Changed("key_person", (case_id, carer.id)) in [e for e in events
                                                           if e.kind == "key_person"][-1:]
    with pytest.raises(NotFound):
        me.people.remove_key_person(case_id, carer.id, carer.row_version + 1)


def test_every_case_of_the_person_hears_of_a_change(world, events):
    person_id = person_id_of(world, "Ann Closed")
    me = world.login("sw.north")
    new = me.people.record_referral(referral(person=None, person_id=person_id))
    carer = me.people.add_key_person(new.case_id, CARER)
    assert [e.ids for e in events if e.kind == "key_person"] == [
        (new.case_id, carer.id), (world.cases["Ann Closed"], carer.id)]


def test_a_key_person_of_someone_else_is_not_found_through_this_case(world):
    me = world.login("sw.north")
    carer = me.people.add_key_person(world.cases["Łukasz Nowak"], CARER)
    with pytest.raises(NotFound):
        me.people.update_key_person(world.cases["Siobhán Ní Bhriain"], carer.id, CARER,
                                    carer.row_version)


@pytest.mark.parametrize("data, problems", [
    (dto.KeyPersonInput("friend", "", " ", ""),
     {"family_name": "enter their name",
      "relationship": "say who they are to the person: daughter, neighbour, GP…"}),
    (dto.KeyPersonInput("professional", "Dr", "Abernethy", "GP", support_plan="offered"),
     {"support_plan": "only a carer has their own support plan"}),
    (dto.KeyPersonInput("unpaid_carer", "A", "Nowak", "Daughter", support_plan="in_place"),
     {"support_plan_review_on": "say when the carer's support plan is reviewed"}),
    (dto.KeyPersonInput("unpaid_carer", "A", "Nowak", "Daughter", support_plan="declined",
                        support_plan_review_on=TODAY),
     {"support_plan_review_on": "only a support plan in place has a review date"}),
    (dto.KeyPersonInput("young_carer", "A", "Nowak", "Daughter",
                        date_of_birth=date(1990, 1, 1)),
     {"kind": "a young carer is under 18, or 18 and still at school: record an older carer "
              "as an unpaid carer"}),
    (dto.KeyPersonInput("unpaid_carer", "A", "Nowak", "Granddaughter",
                        date_of_birth=date(2014, 1, 1)),
     {"kind": "a carer under 18 is a young carer"}),
    (dto.KeyPersonInput("family", "A", "Nowak", "Son", email="not an address",
                        phone="ring the shop", date_of_birth=TODAY + timedelta(days=1)),
     {"email": "must be an email address, such as name@example.org",
      "phone": "must be a phone number: digits, spaces and + ( ) - only",
      "date_of_birth": "must not be in the future"}),
    (dto.KeyPersonInput("cousin", "A", "Nowak", "Cousin"),
     {"kind": "choose who they are to the person"}),
])
def test_a_key_person_s_details_are_checked(world, data, problems):
    with pytest.raises(ValidationError) as e:
        world.login("sw.north").people.add_key_person(world.cases["Łukasz Nowak"], data)
    assert e.value.problems == problems
    assert counts(world)["KeyPerson"] == 0


@pytest.mark.parametrize("username, reason", [
    ("sw.south", "outside_team"), ("tl.south", "outside_team"),
    ("pp.north", "role_not_permitted"), ("admin", "role_not_permitted"),
])
def test_another_team_may_not_add_edit_or_remove_key_people(world, username, reason):
    case_id = world.cases["Łukasz Nowak"]
    carer = world.login("sw.north").people.add_key_person(case_id, CARER)
    me = world.login(username)
    for call, action in (
            (lambda: me.people.add_key_person(case_id, CARER), "add_key_person"),
            (lambda: me.people.update_key_person(case_id, carer.id, CARER, carer.row_version),
             "update_key_person"),
            (lambda: me.people.remove_key_person(case_id, carer.id, carer.row_version),
             "remove_key_person")):
        assert_refused(world, me, call, action, reason)
    assert world.login("sw.north").people.key_people(case_id) == (carer,)


def test_a_closed_case_takes_no_changes(world):
    me = world.login("sw.north")
    with pytest.raises(ValidationError) as e:
        me.people.add_key_person(world.cases["Ann Closed"], CARER)
    assert set(e.value.problems) == {"case"}
    assert counts(world)["KeyPerson"] == 0
