from hypothesis import given
from hypothesis import strategies as st

from casework.text import fold, name_key


def test_fold_strips_accents_case_and_punctuation():
    assert fold("Siobhán Ní Bhriain") == "siobhan ni bhriain"
    assert fold("ŁUKASZ Nowak") == "lukasz nowak"
    assert fold("O'Neill-MacLeòid") == "o neill macleoid"
    assert fold("  Ó   Súilleabháin ") == "o suilleabhain"


def test_name_key_orders_by_family_name_as_people_read_it():
    names = [("Łukasz", "Nowak"), ("Siobhán", "Ní Bhriain"), ("Ann", "Niven"), ("Zoe", "Adams")]
    ordered = sorted(names, key=lambda n: name_key(*n))
    assert ordered == [("Zoe", "Adams"), ("Siobhán", "Ní Bhriain"), ("Ann", "Niven"),
                       ("Łukasz", "Nowak")]


@given(st.text())
def test_fold_is_idempotent_and_plain(text):
    once = fold(text)
    assert fold(once) == once
    assert once == once.strip() and "  " not in once
