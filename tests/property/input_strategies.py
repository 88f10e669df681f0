"""Hypothesis strategies for the inputs of the services, drawn from what each parameter and
DTO field declares (casework.fields), and mixed with the values that once got past it:
unpaired surrogates, control and text-direction characters, text longer than its column,
searches of 50,000 characters or 1,500 words, CHI numbers in other scripts' digits, team
names alike but for accents and case, names whose folded key outgrows its column, dates in
year 1 or 9999, naive times, integers of 2**63 and more, bytes and other wrong types."""

from __future__ import annotations

import dataclasses
import typing
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

from hypothesis import strategies as st

from casework import fields, vocab
from casework import permissions as perm
from casework.services.checked import _split

TODAY = date(2026, 11, 22)

NASTY_TEXT = [
    "ok\udfffok", "\ud800", "a\x00b", "bell\x07", "esc\x1b[2J", "del\x7f", "c1\x85",
    "\u202egnp.exe", "\u2066isolated\u2069", "two\nlines", "tab\there", "line\u2028sep",
    "٠١٠١٥٠١٢٣٤", "１４０３５０１２３８", "¹⁴⁰³⁵⁰¹²³⁸", "140350 1238", "0101501234",
    "Łódź Team", "łódź team", "Team Łódź", "LODZ TEAM", "ﷺ" * 60, "ß" * 150, "ﬁ" * 120,
    "Siobhán Ní Bhriain", "O'Brien", "100% _done_", "\\", "", " ", "   padded   ",
    "Robert'); DROP TABLE staff;--", "%", "_",
]
WRONG_TYPES = [b"bytes", b"\xff\xfe", 7, 2**63, 1.5, True, ["list"], {"a": 1}, object()]
HUGE_INTS = [2**31, 2**63 - 1, 2**63, 2**64, -1, -(2**63) - 1, 10**30]
ODD_DATES = [date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31), date(1900, 1, 1),
             date(2100, 12, 31), date(2101, 1, 1), TODAY, TODAY + timedelta(days=1),
             TODAY - timedelta(days=1)]
ODD_MOMENTS = [datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
               datetime(2026, 11, 22, 9, 0), datetime(2026, 11, 22, 9, 0, tzinfo=UTC),
               datetime(2026, 11, 23, 9, 0, tzinfo=UTC), TODAY]


def _vocab_values() -> list[str]:
    values: set[str] = set()
    for name in dir(vocab):
        obj = getattr(vocab, name)
        if isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == vocab.__name__:
            values |= {m.value for m in obj}
    values |= {m.value for m in perm.Role} | {m.value for m in perm.RegisterPart}
    values |= {m.value for m in perm.Accreditation} | {m.value for m in perm.ReservedFunction}
    return sorted(values)


VOCAB = _vocab_values()


def _values(*enums) -> list[str]:
    return sorted({m.value for e in enums for m in e})


# The vocabulary a code field takes, by the field's name.
FIELD_VOCAB = {
    "risk_level": _values(vocab.RiskLevel), "risk_levels": _values(vocab.RiskLevel),
    "legal_status": _values(vocab.LegalStatus),
    "eligibility_band": _values(vocab.EligibilityBand),
    "service_area": _values(vocab.ServiceArea), "service_areas": _values(vocab.ServiceArea),
    "note_type": [v for v in _values(vocab.NoteType) if v != "event"],
    "note_types": _values(vocab.NoteType), "statuses": _values(vocab.CaseStatus),
    "contributor": _values(vocab.ContributorRole), "rating": _values(vocab.OutcomeRating),
    "support_plan": _values(vocab.SupportPlanStatus),
    "kind": _values(vocab.KeyPersonKind, vocab.AssessmentKind),
    "role": _values(perm.Role), "sssc_part": _values(perm.RegisterPart),
    "accreditations": _values(perm.Accreditation), "code": _values(perm.ReservedFunction),
    "outcome": ["done", "refused", "failed"],
}


def _long(limit: int) -> st.SearchStrategy[str]:
    """Text just over a limit, or far over it (the 50,000-character search)."""
    return st.builds(lambda ch, extra: ch * (limit + extra),
                     st.sampled_from(["x", "é", "ﷺ", "a "]),
                     st.sampled_from([1, 2, 50_000 - limit if limit < 50_000 else 7]))


def text_strategy(spec: fields.Text) -> st.SearchStrategy[Any]:
    fitting = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                      max_size=min(spec.max_len, 40))
    parts = [fitting, fitting, st.sampled_from(NASTY_TEXT), st.sampled_from(VOCAB),
             _long(spec.max_len), st.sampled_from(WRONG_TYPES)]
    if spec.max_words is not None:
        parts.append(st.just(" ".join(["mac"] * 1_500)))
        parts.append(st.just(" ".join(["w"] * (spec.max_words + 1))))
    return st.one_of(parts)


class Pools:
    """Ids of the records in the world, for parameters that name one."""

    def __init__(self, by_kind: dict[str, list[str]]):
        self.by_kind = by_kind
        self.every = sorted({i for ids in by_kind.values() for i in ids})

    def for_name(self, name: str) -> list[str]:
        kind = {
            "case_id": "case_file", "person_id": "person", "note_id": "case_note",
            "assessment_id": "assessment", "contribution_id": "assessment_contribution",
            "outcome_id": "plan_outcome", "action_id": "plan_action",
            "key_person_id": "key_person", "carer_id": "key_person", "team_id": "team",
        }.get(name, "staff" if name.endswith("_id") else "")
        return self.by_kind.get(kind) or self.every


def id_strategy(pools: Pools, name: str) -> st.SearchStrategy[Any]:
    named = pools.for_name(name)
    return st.one_of(
        st.sampled_from(named), st.sampled_from(named), st.sampled_from(pools.every),
        st.uuids().map(str), st.sampled_from(["", "x" * 65, "a'b", "ok\udfff", "Łódź"]),
        st.sampled_from(WRONG_TYPES))


def valid_text(spec: fields.Text, name: str) -> st.SearchStrategy[str]:
    """Text a person might type into this field: within its limit, printable."""
    if name in FIELD_VOCAB:
        return st.sampled_from(FIELD_VOCAB[name])  # a code field: its vocabulary's values
    alphabet = st.characters(codec="utf-8", categories=("L", "N", "Zs", "P"))
    return st.text(alphabet, min_size=1, max_size=min(spec.max_len, 30))


def _valid(base: Any, spec: fields.Spec | None, name: str, pools: Pools):
    """A value this field takes, or None where no clean value can be made up."""
    if isinstance(spec, fields.Ident):
        return st.sampled_from(pools.for_name(name))
    if isinstance(spec, fields.Text):
        return valid_text(spec, name)
    if isinstance(spec, fields.Whole):
        return st.integers(spec.low, min(spec.high, spec.low + 6))
    if isinstance(spec, fields.Many):
        return st.lists(st.sampled_from(FIELD_VOCAB.get(name, VOCAB)), max_size=3).map(tuple)
    if isinstance(spec, fields.Opaque):
        return st.none()
    if spec is None and base is bool:
        return st.booleans()
    if spec is None and base is date:
        return st.sampled_from(ODD_DATES[6:] + [date(1950, 1, 1), date(2026, 12, 20)])
    if spec is None and base is datetime:
        return st.sampled_from(ODD_MOMENTS[3:5])
    if spec is None and isinstance(base, type) and issubclass(base, Enum):
        return st.sampled_from(list(base))
    return None


def strategy_for(hint: Any, name: str, pools: Pools, *, clean: bool = False
                 ) -> st.SearchStrategy[Any]:
    """Values for a field declared as `hint`: only ones it takes when `clean`, else a mix
    of those and of everything that should be refused."""
    base, spec, optional = _split(hint)
    if dataclasses.is_dataclass(base) and spec is None:
        if clean:
            return dto_strategy(base, pools, clean=True)
        return st.one_of(dto_strategy(base, pools), st.sampled_from([None, "text", 3, object()]))
    if typing.get_origin(base) is tuple and dataclasses.is_dataclass(typing.get_args(base)[0]):
        row = dto_strategy(typing.get_args(base)[0], pools, clean=clean)
        if clean:
            return st.lists(row, max_size=3).map(tuple)
        return st.one_of(st.lists(row, max_size=4).map(tuple), st.just("not a list"),
                         st.lists(st.sampled_from(WRONG_TYPES), min_size=1, max_size=2).map(tuple))
    valid = _valid(base, spec, name, pools)
    if clean and valid is not None:
        return st.one_of(valid, st.none()) if optional else valid
    if spec is None:
        if base is bool:
            spec = fields.Flag()
        elif base is datetime:
            spec = fields.Moment()
        elif base is date:
            spec = fields.Day()
        elif isinstance(base, type) and issubclass(base, Enum):
            return st.one_of(st.sampled_from(list(base)), st.sampled_from(["nonsense", 3, b"x"]))
    if isinstance(spec, fields.Ident):
        s = id_strategy(pools, name)
    elif isinstance(spec, fields.Text):
        s = text_strategy(spec)
    elif isinstance(spec, fields.Whole):
        s = st.one_of(st.integers(spec.low, min(spec.high, spec.low + 6)),
                      st.integers(spec.low, spec.high), st.sampled_from(HUGE_INTS),
                      st.sampled_from([spec.low - 1, spec.high + 1, True, 2.0, "1", b"1"]))
    elif isinstance(spec, fields.Flag):
        s = st.one_of(st.booleans(), st.booleans(), st.sampled_from([0, 1, "yes", b"", 2]))
    elif isinstance(spec, fields.Day):
        s = st.one_of(st.dates(), st.sampled_from(ODD_DATES), st.sampled_from(ODD_DATES),
                      st.sampled_from([datetime(2026, 1, 1, tzinfo=UTC), "2026-01-01", 20260101]))
    elif isinstance(spec, fields.Moment):
        s = st.one_of(st.datetimes(timezones=st.just(UTC)), st.sampled_from(ODD_MOMENTS),
                      st.datetimes(), st.sampled_from(["2026-01-01T00:00", 0]))
    elif isinstance(spec, fields.OneOf):
        s = st.one_of(st.sampled_from(sorted(spec.values)), st.sampled_from(["nope", 1, b"x"]))
    elif isinstance(spec, fields.Many):
        item = (text_strategy(spec.item) if isinstance(spec.item, fields.Text)
                else st.sampled_from(VOCAB))
        s = st.one_of(st.lists(st.sampled_from(VOCAB), max_size=4).map(tuple),
                      st.lists(item, max_size=3).map(tuple),
                      st.just(tuple(["open"] * (spec.max_items + 1))), st.just("open"),
                      st.sampled_from(WRONG_TYPES))
    elif isinstance(spec, fields.Opaque):
        s = st.just(None)
    else:
        raise AssertionError(f"no strategy for {name}: {hint!r}")
    # None is drawn for required fields too: a script or a sync client may send it.
    return st.one_of(*([valid] if valid is not None else []), s, st.none())


def arguments(hints: dict[str, Any], names: list[str], pools: Pools,
              ) -> st.SearchStrategy[dict[str, Any]]:
    """Arguments for these fields or parameters: every one clean, or all clean but one, or
    anything at all — so that calls both get past the boundary and test it."""
    clean = {n: strategy_for(hints[n], n, pools, clean=True) for n in names}
    wild = {n: strategy_for(hints[n], n, pools) for n in names}
    one_wild = (st.sampled_from(names).flatmap(
        lambda n: st.fixed_dictionaries({**clean, n: wild[n]})) if names else st.just({}))
    return st.one_of(st.fixed_dictionaries(clean), one_wild, st.fixed_dictionaries(wild))


def dto_strategy(cls: type, pools: Pools, *, clean: bool = False) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls, include_extras=True)
    names = [f.name for f in dataclasses.fields(cls)]
    if clean:
        return st.builds(cls, **{n: strategy_for(hints[n], n, pools, clean=True) for n in names})
    return arguments(hints, names, pools).map(lambda kw: cls(**kw))
