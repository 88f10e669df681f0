"""The one check of a refusal, for every service test (and the property tests).

A refused call raises PermissionDenied for the reason expected, writes exactly one audit
event — the refusal, as the action, by the actor — and writes nothing else anywhere in the
workspace: every table is read before and after the call and compared row for row. Only
the audit chain's own bookkeeping (the `audit_*` tables beside `audit_event`, such as the
chain's head) may move, as it does for every event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import inspect, text

from casework.errors import PermissionDenied

EVENTS = "audit_event"


def _rows(conn, table: str) -> Counter:
    return Counter(tuple(sorted(row.items())) for row in
                   conn.execute(text(f'SELECT * FROM "{table}"')).mappings())


def tables(ws) -> dict[str, Counter]:
    """Every row of every table of the workspace, as a multiset per table."""
    with ws.db.read() as s:
        conn = s.connection()
        return {name: _rows(conn, name) for name in inspect(conn).get_table_names()}


def _bookkeeping(table: str) -> bool:
    return table.startswith("audit_") and table != EVENTS


def writes_between(before: dict[str, Counter], after: dict[str, Counter]) -> dict[str, str]:
    """Tables whose rows differ, other than the audit chain's bookkeeping, and how."""
    changed = {}
    for name in sorted(before.keys() | after.keys()):
        if _bookkeeping(name):
            continue
        old, new = before.get(name, Counter()), after.get(name, Counter())
        if old != new:
            changed[name] = f"{sum((new - old).values())} rows new or changed, " \
                            f"{sum((old - new).values())} gone or changed"
    return changed


def assert_refused(world, me, call: Callable[[], Any], action: str, reason: str, *,
                   entity_id: str | None = None) -> PermissionDenied:
    """`call` is refused for `reason`, audited once as `action` (by `me`, and about
    `entity_id` when given), and writes nothing else. `world` is the test world or the
    Workspace; `me` the signed-in actor, or None when the refusal has no actor."""
    ws = getattr(world, "ws", world)
    before = tables(ws)
    with pytest.raises(PermissionDenied) as e:
        call()
    assert e.value.reason == reason, str(e.value)
    assert e.value.action == action, (e.value.action, str(e.value))
    after = tables(ws)
    new_events = after[EVENTS] - before[EVENTS]
    assert not before[EVENTS] - after[EVENTS], "a refused call changed or removed audit events"
    written = writes_between(before, after)
    assert set(written) == {EVENTS} and len(new_events) == 1, (
        f"a refusal writes its one audit event and nothing else; written: {written}")
    [event] = [dict(row) for row in new_events]
    assert (event["outcome"], event["action"], event["reason"]) == ("refused", action, reason)
    assert event["actor_id"] == (me.staff_id if me is not None else None)
    if entity_id is not None:
        assert event["entity_id"] == entity_id, (event["entity_type"], event["entity_id"])
    return e.value

