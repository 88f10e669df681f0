"""The audit chain: appending events in the caller's transaction, and verifying a chain.

Each workspace file keeps its own chain under its device id. An event's hash covers all its
fields and the hash of the event before it; the `audit_head` row holds the newest event, so
an edited, inserted or deleted event (the newest included) is found and named.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.models import AuditEvent, AuditHead
from casework.models.base import new_id
from casework.timeutil import as_utc

GENESIS = "0" * 64
MAX_PROBLEMS = 200


def _canonical(ev: AuditEvent) -> bytes:
    fields = {
        "id": ev.id,
        "device_id": ev.device_id,
        "seq": ev.seq,
        "at": as_utc(ev.at).isoformat(timespec="microseconds"),
        "actor_id": ev.actor_id,
        "actor_name": ev.actor_name,
        "action": ev.action,
        "outcome": ev.outcome,
        "entity_type": ev.entity_type,
        "entity_id": ev.entity_id,
        "reason": ev.reason,
        "detail": ev.detail,
        "prev_hash": ev.prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def event_hash(ev: AuditEvent) -> str:
    return hashlib.sha256(_canonical(ev)).hexdigest()


def append_event(
    session: Session,
    *,
    device_id: str,
    at: datetime,
    actor_id: str | None,
    actor_name: str,
    action: str,
    outcome: str = "done",
    entity_type: str | None = None,
    entity_id: str | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the device's chain inside the caller's transaction."""
    head = session.get(AuditHead, device_id, with_for_update=True)
    if head is None:
        head = AuditHead(device_id=device_id, seq=0, hash=GENESIS)
        session.add(head)
    ev = AuditEvent(
        id=new_id(),
        device_id=device_id,
        seq=head.seq + 1,
        at=as_utc(at),
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        outcome=outcome,
        entity_type=entity_type,
        entity_id=entity_id,
        reason=reason,
        detail=json.dumps(detail or {}, sort_keys=True, default=str),
        prev_hash=head.hash,
    )
    ev.hash = event_hash(ev)
    head.seq, head.hash = ev.seq, ev.hash
    session.add(ev)
    return ev


@dataclass(frozen=True)
class AuditProblem:
    device_id: str
    seq: int | None
    event_id: str | None
    kind: str  # edited | inserted | deleted | broken_link | head_mismatch
    message: str


@dataclass(frozen=True)
class AuditReport:
    events_checked: int
    devices: int
    problems: tuple[AuditProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _describe(ev: AuditEvent) -> str:
    return f"event #{ev.seq} ({ev.action} by {ev.actor_name}, {as_utc(ev.at):%Y-%m-%d %H:%M} UTC, id {ev.id})"


def verify_chain(session: Session) -> AuditReport:
    devices = set(session.scalars(select(AuditHead.device_id)))
    devices |= set(session.scalars(select(AuditEvent.device_id).distinct()))
    problems: list[AuditProblem] = []
    checked = 0
    for device in sorted(devices):
        checked += _verify_device(session, device, problems)
    return AuditReport(checked, len(devices), tuple(problems[:MAX_PROBLEMS]))


def _verify_device(session: Session, device: str, problems: list[AuditProblem]) -> int:
    def problem(ev: AuditEvent | None, kind: str, message: str) -> None:
        problems.append(
            AuditProblem(device, ev.seq if ev else None, ev.id if ev else None, kind, message)
        )

    expected_seq, prev_hash, prev_prev_hash = 1, GENESIS, None
    prev: AuditEvent | None = None
    count = 0
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.device_id == device).order_by(AuditEvent.seq)
    ).yield_per(5000)
    for ev in rows:
        count += 1
        if ev.seq > expected_seq:
            gap = f"#{expected_seq}" if ev.seq == expected_seq + 1 else f"#{expected_seq}–#{ev.seq - 1}"
            problem(ev, "deleted", f"Event {gap} is missing: deleted before {_describe(ev)}.")
        elif ev.prev_hash != prev_hash:
            # Linking past the previous event means that event was slipped in between.
            if prev is not None and ev.prev_hash == prev_prev_hash:
                problem(prev, "inserted", f"{_describe(prev).capitalize()} was inserted into the chain.")
            else:
                problem(ev, "broken_link", f"{_describe(ev).capitalize()} does not follow the event before it.")
        if event_hash(ev) != ev.hash:
            problem(ev, "edited", f"The contents of {_describe(ev)} were changed after it was written.")
        expected_seq = ev.seq + 1
        prev_prev_hash, prev_hash, prev = prev_hash, ev.hash, ev
        session.expunge(ev)
    head = session.get(AuditHead, device)
    last_seq = expected_seq - 1
    if head is None:
        if count:
            problem(None, "head_mismatch", "The chain has events but no recorded head.")
    elif last_seq < head.seq:
        gap = f"#{head.seq}" if head.seq == last_seq + 1 else f"#{last_seq + 1}–#{head.seq}"
        problem(None, "deleted", f"Event {gap} is missing: deleted from the end of the chain.")
    elif last_seq > head.seq:
        problem(
            prev, "inserted",
            f"Events after #{head.seq} were added outside Casework (the chain head is #{head.seq}).",
        )
    elif prev is not None and prev.hash != head.hash:
        problem(prev, "edited", f"{_describe(prev).capitalize()} does not match the recorded chain head.")
    return count

