"""Every audited field is bounded, and the trail hashes exactly what it stores: a value of
the wrong type is stored as the text its column holds, and verifies as written."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from audit_tamper import own_rows
from casework.errors import AuthenticationFailed, ValidationError
from casework.services.audit import append_event
from casework.services.base import load_actor
from casework.services.audit_fields import (
    DETAIL_MAX,
    DETAIL_STRING_MAX,
    LIMITS,
    as_text,
    bounded,
    detail_text,
)

MEGABYTE = 1 << 20


class Colour(Enum):
    RED = "red"


def append(world, **fields):
    ctx = world.ws._ctx
    values = {"actor_id": None, "actor_name": "Casework", "action": "test"} | fields
    with world.ws.db.write() as s:
        return append_event(s, ctx.chain, at=world.clock(), **values)


def test_a_megabyte_username_at_sign_in_is_bounded(world):
    """The sign-in box refuses so long a name at the service boundary; the trail bounds it
    whatever reaches it, as the sign-in records an unknown name."""
    name = "a" * MEGABYTE
    with pytest.raises(ValidationError):
        world.ws.login(name, "whatever")
    with world.ws.db.write() as s:  # what the sign-in writes for an unknown name
        world.ws._ctx.audit(s, None, "login", outcome="refused", reason="unknown_user",
                            actor_name=name, detail={"username": name})
    last = own_rows(world.ws)[-1]
    assert (last["action"], last["reason"]) == ("login", "unknown_user")
    assert len(last["actor_name"]) == LIMITS["actor_name"] == 120
    assert last["actor_name"].endswith(f"…[{MEGABYTE} chars]")
    assert last["actor_name"].startswith("aaaa")
    username = json.loads(last["detail"])["username"]
    assert len(username) == DETAIL_STRING_MAX and username.endswith(f"…[{MEGABYTE} chars]")
    assert sum(len(str(v)) for v in last.values() if v is not None) < 2000
    assert world.ws.verify_audit().ok


def test_the_longest_username_sign_in_accepts_is_audited_whole(world):
    name = "b" * 64
    with pytest.raises(AuthenticationFailed):
        world.ws.login(name, "whatever")
    last = own_rows(world.ws)[-1]
    assert last["actor_name"] == name and json.loads(last["detail"]) == {"username": name}
    assert world.ws.verify_audit().ok


def test_every_text_field_is_bounded_by_its_column(world):
    huge = {f: "x" * 10_000 for f in LIMITS if f not in ("id", "device_id")}
    append(world, **huge, detail={"note": "y" * 10_000, "many": list(range(10_000))})
    last = own_rows(world.ws)[-1]
    for field, limit in LIMITS.items():
        assert len(last[field]) <= limit, field
    for field in huge:
        assert last[field].endswith("10000 chars]") or last[field].endswith("[10000]"), field
    detail = json.loads(last["detail"])
    assert len(last["detail"]) <= DETAIL_MAX
    assert detail["note"].endswith("…[10000 chars]") and detail["many"][-1] == "…[10000 items]"
    assert world.ws.verify_audit().ok


def test_a_detail_too_long_even_when_bounded_is_kept_as_valid_json(world):
    wide = {f"key {i}": "z" * DETAIL_STRING_MAX for i in range(40)}
    append(world, detail=wide)
    last = own_rows(world.ws)[-1]
    kept = json.loads(last["detail"])
    assert len(last["detail"]) <= DETAIL_MAX
    assert kept["truncated"].startswith("…[") and kept["start"].startswith('{"key 0"')
    assert world.ws.verify_audit().ok


def test_a_refusal_audited_with_an_integer_team_id_verifies(world):
    """An integer team id is refused at the service boundary now; a refusal audited with
    one anyway (a caller that skips the boundary) is stored as text, and the MAC covers the
    text: the event verifies, read back by another connection too."""
    sw = world.login("sw.north")
    with pytest.raises(ValidationError):
        sw.admin.update_team(5, 1, name="X", service_area="justice", service_manager_id=None)
    with world.ws.db.write() as s:
        actor = load_actor(s, sw.staff_id)
        world.ws._ctx.audit(s, actor, "manage_teams", outcome="refused",
                            reason="role_not_permitted", entity_type="team", entity_id=5)
    last = own_rows(world.ws)[-1]
    assert (last["action"], last["outcome"], last["entity_id"]) == ("manage_teams", "refused", "5")
    assert world.ws.verify_audit().ok
    world.reopen()
    assert world.ws.verify_audit().ok


def test_values_of_the_wrong_type_are_stored_as_text_and_verify(world):
    when = datetime(2026, 11, 22, 9, 30, 15, 123456, tzinfo=UTC)
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    append(world, actor_id=ident, actor_name=42, action=Colour.RED, outcome=True,
           entity_type=date(2026, 11, 22), entity_id=Decimal("12.50"), reason=3.5,
           detail={"amount": Decimal("19.99"), "on": date(2026, 1, 2), "at": when,
                   "tags": {"b", "a"}, "colour": Colour.RED, "raw": b"\xff\x00ok",
                   "nan": float("nan"), 7: "an integer key", "nested": {"ok": (1, 2)}})
    last = own_rows(world.ws)[-1]
    assert (last["actor_id"], last["actor_name"], last["action"], last["outcome"]) == (
        str(ident), "42", "red", "true")
    assert (last["entity_type"], last["entity_id"], last["reason"]) == (
        "2026-11-22", "12.50", "3.5")
    assert json.loads(last["detail"]) == {
        "amount": "19.99", "on": "2026-01-02", "at": "2026-11-22T09:30:15.123456+00:00",
        "tags": ["a", "b"], "colour": "red", "raw": "\\xff\\x00ok", "nan": "nan",
        "7": "an integer key", "nested": {"ok": [1, 2]}}
    assert world.ws.verify_audit().ok


def test_text_no_database_can_store_is_escaped_not_refused(world):
    append(world, actor_name="ok\udfffok", reason="nul\x00here", detail={"name": "x\ud800y"})
    last = own_rows(world.ws)[-1]
    assert last["actor_name"] == "ok\\udfffok" and last["reason"] == "nul\\x00here"
    assert json.loads(last["detail"])["name"] == "x\\ud800y"
    assert world.ws.verify_audit().ok


@pytest.mark.parametrize("limit", [16, 36, 40, 64, 120])
@pytest.mark.parametrize("length", [0, 1, 15, 16, 17, 120, 121, MEGABYTE])
def test_bounded_text_fits_and_says_how_long_it_was(limit, length):
    kept = bounded("é" * length, limit)
    assert len(kept) <= limit
    expected_whole = length <= limit
    assert (kept == "é" * length) == expected_whole
    assert (f"…[{length}" in kept) == (not expected_whole)
    assert kept.startswith("é") == (length > 0)


# -- any value, any field --------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=300), st.text(min_size=121, max_size=2000), st.binary(max_size=50),
    st.dates(), st.datetimes(timezones=st.just(UTC)), st.decimals(allow_nan=False),
    st.uuids(), st.just(Colour.RED), st.sampled_from(["ok\udfffok", "\x00", "\ud800", "é" * 200]))
details = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=60), st.dictionaries(st.text(max_size=30), inner, max_size=60),
    st.frozensets(st.integers(), max_size=5)), max_leaves=80)
FIELDS = ("actor_name", "action", "outcome", "entity_type", "entity_id", "reason")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.fixed_dictionaries({f: scalars for f in FIELDS}),
       detail=st.dictionaries(st.text(max_size=20), details, max_size=8))
@example(values={f: "x" * LIMITS[f] for f in FIELDS}, detail={})
@example(values={f: "x" * (LIMITS[f] + 1) for f in FIELDS}, detail={"k": "v" * 5000})
@example(values={f: 10**30 for f in FIELDS}, detail={"\udfff": "\x00"})
def test_whatever_is_audited_is_stored_bounded_and_verifies(world, values, detail):
    assume(values["action"] is not None)
    event(f"detail of {'more' if len(json.dumps(detail, default=str)) > DETAIL_MAX else 'less'} "
          "than the bound")
    event("some field too long" if any(len(as_text(v)) > LIMITS[f] for f, v in values.items()
                                       if v is not None) else "every field fits")
    ev = append(world, **values, detail=detail)
    last = own_rows(world.ws)[-1]
    assert last["id"] == ev.id
    for f in FIELDS:
        assert last[f] is None or len(last[f]) <= LIMITS[f]
        assert (last[f] is None) == (values[f] is None and f not in ("actor_name", "action",
                                                                       "outcome"))
    assert len(last["detail"]) <= DETAIL_MAX and isinstance(json.loads(last["detail"]), dict)
    assert last["detail"] == detail_text(detail)
    report = world.ws.verify_audit()
    assert report.ok, report.problems
