"""The audit chain: appending events in the caller's transaction.

Each workspace file keeps its own chain under its device id. Every event carries, in `hash`,
an HMAC-SHA256 over its stored fields (casework/services/audit_fields.py decides them) and
the MAC of the event before it (`prev_hash`). The key is the workspace's audit secret, which
is never stored in the file (casework/audit_vault.py), so someone with the file and its key
but not the secret cannot write an event that verifies: editing, inserting, reordering or
deleting events, or recomputing every MAC after one, is found by casework/services/
audit_verify.py and named there.

The chain's head is kept twice. In the file, `audit_head` holds the newest event with a MAC
of its own (appends lock that row, so two connections writing take turns and never fork the
chain). Outside the file, the vault's anchor holds the same head, moved forward after each
commit (`after_commit` below): deleting the newest events and rewriting `audit_head` to
match leaves the file behind its outside head, which verification reports.

Events written before the chain was keyed (a workspace made by an earlier release) keep
their plain SHA-256 chain; the first keyed event seals it (casework/services/audit_seal.py).
The MAC input is versioned and domain-separated: one subkey for events, one for heads, one for
anchors, each derived from the secret with its purpose named.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session

from casework.audit_vault import AuditVault, subkey
from casework.errors import CaseworkError
from casework.models import AuditEvent, AuditHead
from casework.models.base import new_id
from casework.services.audit_fields import FIELDS, TEXT_FIELDS, stored_values
from casework.timeutil import as_utc

GENESIS = "0" * 64
MAX_PROBLEMS = 200
CATCH_UP_MAX = 200  # events an append checks to carry a lagging outside head forward
SEAL_ACTION = "audit_trail_sealed"
REPAIR_ACTION = "audit_head_repaired"
_PENDING = "casework.audit.committed_head"
_log = logging.getLogger(__name__)


class AuditChainUnavailable(CaseworkError):
    """The file has no keyed chain head to append to (it was removed or never made)."""


@dataclass(frozen=True)
class AuditProblem:
    device_id: str
    seq: int | None
    event_id: str | None
    # edited | inserted | deleted | reordered | rewritten | forged_chain | broken_link |
    # head_mismatch | head_rewritten | anchor_mismatch | anchor_missing | anchor_damaged |
    # guard_removed
    kind: str
    message: str


@dataclass(frozen=True)
class AuditReport:
    events_checked: int
    devices: int
    problems: tuple[AuditProblem, ...]
    notes: tuple[str, ...] = ()  # what was checked less than fully, and why; not problems

    @property
    def ok(self) -> bool:
        return not self.problems


# -- the MACs ----------------------------------------------------------------------------------


def _timestamp(at: datetime) -> str:
    return as_utc(at).isoformat(timespec="microseconds")


def keyed_message(values: Mapping[str, Any], seq: int | None = None) -> bytes:
    """The bytes an event's MAC covers: every stored field in a fixed order, as JSON (which
    keeps text and numbers apart), after a version tag. `seq` overrides the stored one, for
    finding where a moved event was written."""
    row = [_timestamp(values["at"]) if f == "at" else
           (int(seq if seq is not None else values["seq"]) if f == "seq" else values[f])
           for f in FIELDS]
    return b"casework audit event v1\n" + json.dumps(row, separators=(",", ":")).encode()


class AuditChain:
    """The keyed chain of one open workspace: its keys, its own device and its vault."""

    def __init__(self, vault: AuditVault, workspace_id: str, device_id: str):
        self.vault = vault
        self.workspace_id = workspace_id
        self.device_id = device_id
        self._event_key = subkey(vault.secret, "event")
        self._head_key = subkey(vault.secret, "head")
        self._stuck = False  # the outside head is not on this chain: stop trying to move it

    def __repr__(self) -> str:
        return f"AuditChain({self.device_id}, {self.vault!r})"

    def event_mac(self, values: Mapping[str, Any], seq: int | None = None) -> str:
        return hmac.new(self._event_key, keyed_message(values, seq), hashlib.sha256).hexdigest()

    def head_mac(self, device_id: str, keyed_from: int, seq: int, hash_: str) -> str:
        body = json.dumps([device_id, int(keyed_from), int(seq), hash_], separators=(",", ":"))
        return hmac.new(self._head_key, b"casework audit head v1\n" + body.encode(),
                        hashlib.sha256).hexdigest()

    def verifies(self, values: Mapping[str, Any], seq: int | None = None) -> bool:
        return hmac.compare_digest(self.event_mac(values, seq), values["hash"])

    def continues_outside_head(self, session: Session, head: AuditHead,
                               new: Mapping[str, Any]) -> bool:
        """Whether the event being appended continues the chain from the head kept outside
        the file, so that moving that head to it after the commit is safe. A file whose
        chain is behind its outside head or departs from it (the newest events deleted and
        `audit_head` rewritten, or another copy put in its place) is not: Casework then
        keeps writing, but the outside head stays where it was, as the evidence."""
        if self._stuck:
            return False
        prev = (new["seq"] - 1, new["prev_hash"])
        for fresh in (False, True):  # another writer may have moved it meanwhile
            a = self.vault.current(fresh=fresh)
            if (a is None or a.restoring is not None or a.device_id != self.device_id
                    or a.keyed_from != head.keyed_from):
                continue
            if (a.seq, a.mac) == prev:
                return True
            # Behind the file (a crash, or another writer not yet recorded): carry it forward
            # over events that are authentic and linked; far behind is left to the next open.
            if fresh and a.seq < prev[0] <= a.seq + CATCH_UP_MAX and segment_authentic(
                    session.connection(), self, head, a.seq, a.mac, upto=prev):
                return True
        self._stuck = True
        return False


def legacy_hash(values: Mapping[str, Any], seq: int | None = None,
                types: Mapping[str, Any] | None = None) -> str:
    """The unkeyed SHA-256 of an event written before the chain was keyed, exactly as the
    earlier releases computed it. `types` stands a field in with the value those releases
    hashed when they were handed a number where text is stored (they hashed the number)."""
    fields = {f: values[f] for f in FIELDS}
    fields["at"] = _timestamp(values["at"])
    if seq is not None:
        fields["seq"] = seq
    if types:
        fields.update(types)
    return hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
                          ).hexdigest()


def legacy_type_variants(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The values an earlier release may have hashed for text that looks like a number (an
    integer team id given for an id stored as text): each field alone, then all together."""
    alternatives: dict[str, list[Any]] = {}
    for f in TEXT_FIELDS:
        text = values.get(f)
        if not isinstance(text, str) or not text or len(text) > 40:
            continue
        found: list[Any] = []
        try:
            found.append(int(text))
        except ValueError:
            try:
                number = float(text)
                if repr(number) == text:
                    found.append(number)
            except ValueError:
                pass
        if text in ("0", "1"):
            found.append(text == "1")
        if found:
            alternatives[f] = found
    variants = [{f: v} for f, vs in alternatives.items() for v in vs]
    if len(alternatives) > 1:
        variants.append({f: vs[0] for f, vs in alternatives.items()})
    return variants


# -- appending ---------------------------------------------------------------------------------


def start_chain(session: Session, chain: AuditChain) -> AuditHead:
    """The head of a new device chain, keyed from its first event."""
    head = AuditHead(device_id=chain.device_id, seq=0, hash=GENESIS, keyed_from=1)
    head.mac = chain.head_mac(head.device_id, 1, 0, GENESIS)
    session.add(head)
    session.flush()
    return head


def append_event(
    session: Session,
    chain: AuditChain,
    *,
    device_id: str | None = None,
    at: datetime,
    actor_id: Any,
    actor_name: Any,
    action: Any,
    outcome: Any = "done",
    entity_type: Any = None,
    entity_id: Any = None,
    reason: Any = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the device's chain inside the caller's transaction. Values of any
    type are stored (and MAC'd) as audit_fields decides; the outside head follows when the
    transaction commits."""
    device_id = device_id or chain.device_id
    head = _head_to_append_to(session, chain, device_id, at)
    return _append(session, chain, head, device_id, dict(
        at=at, actor_id=actor_id, actor_name=actor_name, action=action, outcome=outcome,
        entity_type=entity_type, entity_id=entity_id, reason=reason, detail=detail))


def _append(session: Session, chain: AuditChain, head: AuditHead, device_id: str,
            fields: dict[str, Any]) -> AuditEvent:
    values = stored_values(id=new_id(), device_id=device_id, seq=head.seq + 1,
                           prev_hash=head.hash, **fields)
    mac = chain.event_mac(values)
    ev = AuditEvent(**values, hash=mac)
    head.seq, head.hash = ev.seq, mac
    head.mac = chain.head_mac(device_id, head.keyed_from, head.seq, mac)
    session.add(ev)
    if device_id == chain.device_id:
        earlier = session.info.get(_PENDING)  # this transaction's last event, if it continued
        if (earlier is not None and earlier[3:] == (ev.seq - 1, ev.prev_hash)
                or chain.continues_outside_head(session, head, values)):
            session.info[_PENDING] = (chain, device_id, head.keyed_from, ev.seq, mac)
    return ev


def _head_to_append_to(session: Session, chain: AuditChain, device_id: str,
                       at: datetime) -> AuditHead:
    """The chain's head, locked. A head row changed outside Casework (its MAC fails, or
    events lie beyond it) would make the next event collide with an existing one or fork
    the chain: the head is then put on the newest event in the file, and a MAC'd event says
    what was found, so that verification keeps reporting it after the head is whole again."""
    head = session.get(AuditHead, device_id, with_for_update=True, populate_existing=True)
    if head is None or head.keyed_from is None:
        raise AuditChainUnavailable(
            "The audit trail's head is missing from this workspace file, so nothing can be "
            "recorded: run 'casework-admin verify-audit' and keep the file as it is.")
    mac_ok = head.mac == chain.head_mac(device_id, head.keyed_from, head.seq, head.hash)
    beyond = session.scalar(select(func.max(AuditEvent.seq)).where(
        AuditEvent.device_id == device_id, AuditEvent.seq > head.seq))
    if mac_ok and beyond is None:
        return head
    newest = session.execute(select(AuditEvent.seq, AuditEvent.hash)
                             .where(AuditEvent.device_id == device_id)
                             .order_by(AuditEvent.seq.desc()).limit(1)).first()
    found = {"seq": head.seq, "hash": head.hash, "mac_valid": mac_ok}
    head.seq, head.hash = (newest[0], newest[1]) if newest else (0, GENESIS)
    head.mac = chain.head_mac(device_id, head.keyed_from, head.seq, head.hash)
    _append(session, chain, head, device_id, dict(
        at=at, actor_id=None, actor_name="Casework", action=REPAIR_ACTION, outcome="done",
        entity_type="audit", entity_id=None, reason="head_rewritten",
        detail={"head_found": found, "newest_event": {"seq": head.seq, "hash": head.hash}}))
    return head


def segment_authentic(conn: Connection, chain: AuditChain, head: AuditHead, seq: int,
                      mac: str, *, upto: tuple[int, str] | None = None) -> bool:
    """Whether the file's chain holds event `seq` with MAC `mac` (#0: the chain's start),
    followed by authentic, linked events up to `upto` (default: its head, whose own MAC must
    verify)."""
    if upto is None:
        if head.mac != chain.head_mac(chain.device_id, head.keyed_from, head.seq, head.hash):
            return False
        upto = (head.seq, head.hash)
    if seq > upto[0] or (seq == 0 and mac != GENESIS):
        return False
    table = AuditEvent.__table__
    rows = conn.execute(select(table).where(table.c.device_id == chain.device_id,
                                            table.c.seq >= max(seq, 1),
                                            table.c.seq <= upto[0]).order_by(table.c.seq))
    prev_seq, prev_hash = seq, mac
    for row in rows.mappings():
        if row["seq"] == seq:
            if row["hash"] != mac:
                return False
            continue
        if (row["seq"] != prev_seq + 1 or row["prev_hash"] != prev_hash
                or (row["seq"] >= head.keyed_from and not chain.verifies(row))):
            return False
        prev_seq, prev_hash = row["seq"], row["hash"]
    return (prev_seq, prev_hash) == upto


@event.listens_for(Session, "after_commit")
def _anchor_committed_head(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    chain, device_id, keyed_from, seq, mac = pending
    try:
        chain.vault.advance(device_id, keyed_from, seq, mac)
    except Exception:  # the write is committed: a head left behind only lags, and says so
        _log.warning("the audit trail's outside head was not moved to #%s", seq, exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_head(session: Session) -> None:
    session.info.pop(_PENDING, None)
