"""What an audit event stores, decided in one place: every field is converted to the type
its column holds and bounded, before the event's MAC is computed, so that the MAC covers
exactly what is stored and verification never mistakes a conversion for an edit.

- Text fields hold text: an integer id, a date, a Decimal, an enum or bytes given where text
  is stored become the text the column would hold (`as_text`). Lone surrogates (which no
  database can store) become visible `\\udfff` escapes, and NUL (which PostgreSQL refuses)
  becomes `\\x00`.
- Every text field is bounded by its own column's length, read from the model, so that the
  bound and the schema cannot drift apart. Anyone at the sign-in screen can type a megabyte
  into the username box; the trail keeps the first characters and says how long the
  original was: `"aaaa…[1048576 chars]"`.
- The detail is JSON (sorted keys, ASCII) of plain values: dates and datetimes as ISO text,
  Decimals as text, sets as sorted lists, enums as their values, anything else as its text.
  Each string inside it is bounded, lists and nesting are bounded, and the whole text is
  bounded; a detail still too long is replaced by a marker object holding its start and its
  original length, so the stored detail is always valid JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from casework.models import AuditEvent
from casework.timeutil import as_utc

DETAIL_MAX = 4000  # characters of detail JSON
DETAIL_STRING_MAX = 500  # each string value (or key) inside the detail
DETAIL_ITEMS_MAX = 50  # entries of one list or object inside the detail
DETAIL_DEPTH_MAX = 6

# Stored fields in the order the MAC covers them (casework/services/audit.py).
FIELDS = ("id", "device_id", "seq", "at", "actor_id", "actor_name", "action", "outcome",
          "entity_type", "entity_id", "reason", "detail", "prev_hash")
TEXT_FIELDS = ("id", "device_id", "actor_id", "actor_name", "action", "outcome",
               "entity_type", "entity_id", "reason")
REQUIRED_TEXT = {"actor_name": "(none)", "action": "(none)", "outcome": "(none)"}


def column_limit(field: str) -> int:
    """The length of `field`'s column: the bound is the schema's own."""
    length = AuditEvent.__table__.c[field].type.length
    assert length, f"audit_event.{field} has no length"
    return length


LIMITS = {f: column_limit(f) for f in TEXT_FIELDS}


def as_text(value: Any) -> str:
    """The text a text column holds for `value`, whatever type it was handed."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        text = str.__str__(value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, datetime):
        text = as_utc(value).isoformat()
    elif isinstance(value, date | int | float | Decimal | UUID):
        text = value.isoformat() if isinstance(value, date) else str(value)
    elif isinstance(value, bytes | bytearray | memoryview):
        text = bytes(value).decode("utf-8", "backslashreplace")
    else:
        try:
            text = str(value)
        except Exception:  # a value whose str() fails is still audited, by its type
            text = f"<{type(value).__name__}>"
    return _storable(text)


def _storable(text: str) -> str:
    # Lone surrogates cannot be encoded (UnicodeEncodeError in any driver); NUL is refused
    # by PostgreSQL. Both become visible escapes instead of failing the audited action.
    if "\x00" in text:
        text = text.replace("\x00", "\\x00")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def bounded(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its start and a marker with its length."""
    if len(text) <= limit:
        return text
    marker = f"…[{len(text)} chars]"
    if limit - len(marker) < 8:
        marker = f"…[{len(text)}]"
    return text[: max(0, limit - len(marker))] + marker[:limit]


def text_field(field: str, value: Any) -> str | None:
    if value is None:
        return REQUIRED_TEXT.get(field)
    return bounded(as_text(value), LIMITS[field])


def detail_text(detail: Mapping[str, Any] | None) -> str:
    """The detail as stored: bounded JSON of plain values."""
    plain = _plain(dict(detail or {}), 0)
    text = json.dumps(plain, sort_keys=True)
    if len(text) <= DETAIL_MAX:
        return text
    # Too long even with every part bounded: keep its start, say how long it was.
    keep = DETAIL_MAX - 100
    while True:
        wrapped = json.dumps({"truncated": f"…[{len(text)} chars]", "start": text[:keep]},
                             sort_keys=True)
        if len(wrapped) <= DETAIL_MAX:
            return wrapped
        keep = keep * 3 // 4


def _plain(value: Any, depth: int) -> Any:
    if isinstance(value, Enum):
        value = value.value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return bounded(_storable(str.__str__(value)), DETAIL_STRING_MAX)
    if depth >= DETAIL_DEPTH_MAX:
        return "…[nested too deep]"
    if isinstance(value, Mapping):
        items = sorted(((bounded(as_text(k), DETAIL_STRING_MAX), v) for k, v in value.items()),
                       key=lambda kv: kv[0])
        plain = {k: _plain(v, depth + 1) for k, v in items[:DETAIL_ITEMS_MAX]}
        if len(items) > DETAIL_ITEMS_MAX:
            plain["…"] = f"[{len(items)} entries]"
        return plain
    if isinstance(value, set | frozenset):
        value = sorted(value, key=lambda v: (type(v).__name__, as_text(v)))
    if isinstance(value, list | tuple):
        plain = [_plain(v, depth + 1) for v in value[:DETAIL_ITEMS_MAX]]
        if len(value) > DETAIL_ITEMS_MAX:
            plain.append(f"…[{len(value)} items]")
        return plain
    return bounded(as_text(value), DETAIL_STRING_MAX)


def stored_values(*, id: str, device_id: str, seq: int, at: datetime, actor_id: Any,
                  actor_name: Any, action: Any, outcome: Any, entity_type: Any, entity_id: Any,
                  reason: Any, detail: Mapping[str, Any] | None, prev_hash: str) -> dict[str, Any]:
    """Every stored field of a new event, converted and bounded: what goes in the row and
    what the MAC covers are this one dict."""
    given = {"id": id, "device_id": device_id, "actor_id": actor_id, "actor_name": actor_name,
             "action": action, "outcome": outcome, "entity_type": entity_type,
             "entity_id": entity_id, "reason": reason}
    values: dict[str, Any] = {f: text_field(f, v) for f, v in given.items()}
    values["seq"] = int(seq)
    values["at"] = _timestamp(at)
    values["detail"] = detail_text(detail)
    values["prev_hash"] = prev_hash
    return values


def _timestamp(at: datetime | date) -> datetime:
    if not isinstance(at, datetime):
        at = datetime(at.year, at.month, at.day)
    return as_utc(at)  # the column keeps microseconds, in UTC, on both databases
