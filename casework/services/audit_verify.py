"""Verifying audit chains, and naming what was done to them.

An event is *authentic* when its MAC verifies with the audit secret (or, before the chain
was keyed, its SHA-256). The MAC covers the event's sequence number and the MAC before it,
so an authentic event says where it was written and what came before it; everything else
follows from that. Rows are read once, in order, keeping only the ones that do not fit
(a run of them is examined with the authentic rows either side):

- *edited*: an event fails its MAC, but the authentic event after it still names its stored
  MAC as the one before it: the contents were changed, the MAC left as it was;
- *rewritten*: a run of events fails their MACs with nothing authentic vouching for them:
  MACs were recomputed (without the secret) after a change, or a whole history replaced;
- *inserted*: an event fails its MAC and the authentic event after it names the one before
  it (it was slipped in between), or it comes after the last head recorded outside the file;
- *reordered*: an event fails its MAC where it is but verifies at another place: it was
  moved (a swap, or renumbering to hide a deletion or an insertion);
- *deleted*: no authentic event was written at a place the chain must have (a gap, or the
  end of the chain short of the head recorded outside the file);
- *broken_link*: authentic events that do not link (one was replaced by an authentic event
  from another copy of the trail, e.g. a backup made before a restore);
- *forged_chain*: a device chain none of whose events Casework wrote;
- *head_mismatch* / *head_rewritten*: the head row in the file does not match the chain, or
  does not carry its own MAC;
- *anchor_mismatch* / *anchor_missing* / *anchor_damaged*: the head kept outside the file
  disagrees with the file (another workspace, device or chain start, or an event there that
  is not the one recorded), is gone from where it must be, or was changed;
- *guard_removed*: the database triggers that keep audit events insert-only are gone.

An outside head that lags behind the file (Casework stopped between a commit and the head's
update) is not a problem: the events after it are authentic, and a note says so. A copy
(a backup, or a file opened from elsewhere) has no outside head of its own; a note says it
was checked against its inside head only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, inspect, select, text

from casework.audit_vault import AnchorDamaged, AuditVault
from casework.models import AuditEvent
from casework.secrets import KeychainUnavailable
from casework.services.audit import (
    GENESIS,
    MAX_PROBLEMS,
    AuditChain,
    AuditProblem,
    AuditReport,
    legacy_hash,
    legacy_type_variants,
)
from casework.services.audit_device import LISTED_MAX, DeviceChain, Row, describe, plural, span
from casework.timeutil import as_utc

GUARDS = {"sqlite": ("audit_event_no_update", "audit_event_no_delete"),
          "postgresql": ("audit_event_insert_only",)}

@dataclass(frozen=True)
class AnchorView:
    """What the vault says of the chain's outside head, read once for a verification."""

    anchor: Any = None  # casework.audit_vault.Anchor
    damaged: str | None = None
    unreadable: str | None = None
    expected: bool = False
    where: str = ""


def anchor_view(vault: AuditVault | None) -> AnchorView:
    if vault is None:
        return AnchorView()
    try:
        return AnchorView(vault.anchor(), expected=vault.expect_anchor, where=vault.where)
    except AnchorDamaged as exc:
        return AnchorView(damaged=str(exc), expected=vault.expect_anchor, where=vault.where)
    except KeychainUnavailable as exc:
        return AnchorView(unreadable=str(exc), expected=vault.expect_anchor, where=vault.where)


# -- reading -----------------------------------------------------------------------------------


def _heads(conn: Connection) -> dict[str, dict[str, Any]]:
    columns = {c["name"] for c in inspect(conn).get_columns("audit_head")}
    extra = ", keyed_from, mac" if {"keyed_from", "mac"} <= columns else ""
    rows = conn.execute(text(f"SELECT device_id, seq, hash{extra} FROM audit_head")).mappings()
    return {r["device_id"]: {"keyed_from": None, "mac": None, **dict(r)} for r in rows}


def _events(conn: Connection, device: str) -> Iterator[Row]:
    table = AuditEvent.__table__
    stmt = select(table).where(table.c.device_id == device).order_by(table.c.seq)
    for row in conn.execution_options(yield_per=2000).execute(stmt).mappings():
        yield dict(row)


def guards_missing(conn: Connection) -> list[str]:
    names = GUARDS.get(conn.dialect.name, ())
    if conn.dialect.name == "sqlite":
        found = set(conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
        )).scalars())
    else:
        found = set(conn.execute(text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass")).scalars())
    return [n for n in names if n not in found]


# -- the whole trail -----------------------------------------------------------------------------


class _Verifier:
    def __init__(self, conn: Connection, chain: AuditChain | None, anchor: AnchorView):
        self.conn, self.chain, self.view = conn, chain, anchor
        self.problems: list[AuditProblem] = []
        self.notes: list[str] = []
        self.checked = 0
        self.sealed_devices: dict[str, list] | None = None
        self.sealed_found: list[dict] = []
        self.sealed_on = ""

    def run(self) -> AuditReport:
        heads = _heads(self.conn)
        devices = set(heads) | set(self.conn.execute(
            select(AuditEvent.device_id).distinct()).scalars())
        own = self.chain.device_id if self.chain else None
        order = ([own] if own in devices else []) + sorted(devices - {own})
        if own is not None and own not in devices:
            self.problems.append(AuditProblem(own, None, None, "deleted",
                                              "This workspace's own chain is missing."))
        for device in order:
            self._device(device, heads.get(device), own=device == own)
        for name in guards_missing(self.conn):
            self.problems.append(AuditProblem(own or "", None, None, "guard_removed",
                                              f"The database guard that keeps audit events "
                                              f"insert-only (trigger {name}) was removed."))
        return AuditReport(self.checked, len(devices), tuple(self.problems[:MAX_PROBLEMS]),
                           tuple(self.notes))

    def _authentic(self, keyed_from: int | None) -> Callable[[Row, int], bool | str]:
        chain = self.chain

        def check(row: Row, seq: int) -> bool | str:
            if keyed_from is not None and seq >= keyed_from:
                return chain is not None and chain.verifies(row, seq)
            if legacy_hash(row, seq) == row["hash"]:
                return True
            if any(legacy_hash(row, seq, v) == row["hash"] for v in legacy_type_variants(row)):
                return "type_fault"
            return False
        return check

    def _device(self, device: str, head: dict[str, Any] | None, *, own: bool) -> None:
        keyed_from = head["keyed_from"] if head else None
        head_ok = bool(head and keyed_from is not None and self.chain is not None
                       and head["mac"] == self.chain.head_mac(device, keyed_from, head["seq"],
                                                              head["hash"]))
        anchor = self.view.anchor if own and self.chain else None
        watch = {keyed_from or 0}
        if anchor is not None:
            watch.add(anchor.seq)
            if anchor.restoring:
                watch.add(anchor.restoring[0])
        start = len(self.problems)
        c = DeviceChain(device, self._authentic(keyed_from), keyed_from=keyed_from, head=head,
                   head_ok=head_ok, watch=watch, problems=self.problems)
        if anchor is not None and (anchor.workspace_id, anchor.device_id) == (
                self.chain.workspace_id, device):
            c.anchor_seq = anchor.seq
        for row in _events(self.conn, device):
            c.feed(row)
        c.finish()
        self.checked += c.count
        if c.count and not c.any_authentic and not own:
            del self.problems[start:]
            self.problems.append(AuditProblem(device, None, None, "forged_chain", (
                f"None of the {c.count} events of the chain of device {device} was written by "
                "Casework: not one carries a valid MAC, so the whole chain, head and all, was "
                "made outside Casework.")))
            return
        if c.type_faults:
            self.notes.append(
                f"{plural(c.type_faults, 'event')} written before the trail was sealed "
                f"{'was' if c.type_faults == 1 else 'were'} hashed with a number where text is "
                "stored (a fault of earlier releases); the contents are intact.")
        self._head(c, head, keyed_from, head_ok)
        if own and keyed_from is not None and self.chain is not None:
            self.sealed_devices = {}  # keyed from the start: no unkeyed chain belongs here
            self._seal_record(c, start)
            self._repairs(c)
            self._anchor(c, keyed_from)
        elif own and keyed_from is None:
            self.notes.append("This trail is not keyed yet (a file from an earlier release, "
                              "not yet opened by this one): it was checked with its unkeyed "
                              "SHA-256 chain only.")
        elif not own and keyed_from is None:
            self._sealed_legacy_device(c, device)

    def _head(self, c: DeviceChain, head: dict[str, Any] | None, keyed_from: int | None,
              head_ok: bool) -> None:
        last_seq = c.last["seq"] if c.last else 0
        if head is None:
            if c.count:
                c.problem("head_mismatch", "The chain has events but no recorded head.")
            return
        if keyed_from is not None and not head_ok:
            c.problem("head_rewritten", f"The chain's head in the file (#{head['seq']}) was "
                                        "changed outside Casework: it does not carry the audit "
                                        "secret's MAC.", seq=head["seq"])
        if last_seq < head["seq"]:
            c.problem("deleted", f"{'Event' if head['seq'] == last_seq + 1 else 'Events'} "
                                 f"{span(last_seq + 1, head['seq'])} "
                                 f"{'is' if head['seq'] == last_seq + 1 else 'are'} missing: "
                                 "deleted from the end of the chain.", seq=last_seq + 1)
        elif last_seq > head["seq"]:
            c.problem("inserted", f"Events after #{head['seq']} were added outside Casework "
                                  f"(the chain head is #{head['seq']}).", c.last)
        elif c.last is not None and c.last["hash"] != head["hash"]:
            c.problem("head_mismatch", f"{describe(c.last).capitalize()} does not match the "
                                       "recorded chain head.", c.last)

    def _anchor(self, c: DeviceChain, keyed_from: int) -> None:
        view, chain = self.view, self.chain
        assert chain is not None
        where = view.where
        if view.damaged:
            c.problem("anchor_damaged", f"The record of the chain's head kept outside the file "
                                        f"({where}) was changed: {view.damaged}.")
            return
        if view.unreadable:
            self.notes.append(f"The record of the chain's head kept outside the file could not "
                              f"be read ({view.unreadable}): the newest events were checked "
                              "against the head inside the file only.")
            return
        a = view.anchor
        if a is None:
            if view.expected:
                c.problem("anchor_missing", f"The record of the chain's head kept outside the "
                                            f"file ({where}) is missing: it was removed, so "
                                            "the newest events cannot be checked against it.")
            else:
                self.notes.append("This file has no record of its head kept outside it here "
                                  "(a backup or a copy): its newest events were checked against "
                                  "the head inside the file only.")
            return
        if a.workspace_id != chain.workspace_id or a.device_id != c.device:
            c.problem("anchor_mismatch", f"The record kept outside the file ({where}) is of "
                                         f"workspace {a.workspace_id}, device {a.device_id}; this "
                                         f"file says it is workspace {chain.workspace_id}, device "
                                         f"{c.device}.")
            return
        seq, mac = a.seq, a.mac
        if a.restoring and c.hash_at.get(a.restoring[0]) == a.restoring[1]:
            seq, mac = a.restoring
            self.notes.append("A restore from a backup did not finish recording itself; the "
                              "file is the restored backup, as the record outside it expects.")
        if a.keyed_from != keyed_from:
            c.problem("anchor_mismatch", f"The record kept outside the file says the keyed "
                                         f"chain starts at #{a.keyed_from}; the file says "
                                         f"#{keyed_from}.", seq=keyed_from)
        if seq > c.max_orig:
            c.problem("deleted", f"{'Event' if seq == c.max_orig + 1 else 'Events'} "
                                 f"{span(c.max_orig + 1, seq)} "
                                 f"{'is' if seq == c.max_orig + 1 else 'are'} missing from the "
                                 "end of the chain: Casework recorded outside the file that the "
                                 f"chain had reached #{seq}.", seq=c.max_orig + 1)
        elif seq > 0 and c.hash_at.get(seq) != mac:
            c.problem("anchor_mismatch", f"Event #{seq} is not the event Casework recorded "
                                         "outside the file as the chain's head: the events up to "
                                         "it were deleted or replaced (by another copy, or "
                                         "rewritten).", seq=seq)
        elif c.max_orig > seq and not c.found:
            n = c.max_orig - seq
            newest = "The newest event" if n == 1 else f"The newest {n} events"
            self.notes.append(f"{newest} ({span(seq + 1, c.max_orig)}) came after the head last "
                              "recorded outside the file (Casework stopped before recording "
                              f"it); {'it carries' if n == 1 else 'they carry'} the audit "
                              "secret's MAC.")

    def _seal_record(self, c: DeviceChain, start: int) -> None:
        if c.seal is None:
            return
        try:
            detail = json.loads(c.seal["detail"])
        except ValueError:
            return
        self.sealed_devices = detail.get("devices") or {}
        found = detail.get("found") or []
        on = f"{as_utc(c.seal['at']):%Y-%m-%d}"
        found = [f for f in found if isinstance(f, dict)]
        seen: set[tuple] = set()
        for i in range(start, len(self.problems)):
            p = self.problems[i]
            if p.seq is None or p.seq >= (c.keyed_from or 0):
                continue
            if any((f.get("kind"), f.get("seq")) == (p.kind, p.seq) for f in found):
                seen.add((p.kind, p.seq))
                self.problems[i] = AuditProblem(p.device_id, p.seq, p.event_id, p.kind,
                                                f"{p.message} (Already found when the trail was "
                                                f"sealed on {on}.)")
        # What was found then and cannot be seen again now (a head since replaced, a record
        # outside the file since rewritten) stays reported from the seal's own record.
        for f in found:  # (a lifted guard is looked for afresh every time)
            if (f.get("kind"), f.get("seq")) not in seen and f.get("kind") != "guard_removed":
                c.problem(str(f.get("kind")), f"When Casework sealed the trail on {on} it "
                                              f"found: {f.get('message', '')}", seq=f.get("seq"))

    def _repairs(self, c: DeviceChain) -> None:
        for row in c.repairs[:LISTED_MAX]:
            try:
                found = json.loads(row["detail"]).get("head_found") or {}
            except ValueError:
                found = {}
            c.problem("head_rewritten", f"When Casework next wrote to the trail "
                                        f"({as_utc(row['at']):%Y-%m-%d %H:%M} UTC) it found the "
                                        "chain's head in the file changed outside Casework (it "
                                        f"said #{found.get('seq')}"
                                        f"{'' if found.get('mac_valid') else ', without its MAC'}"
                                        f"); it carried on from the newest event, #{row['seq'] - 1}.",
                      row)

    def _sealed_legacy_device(self, c: DeviceChain, device: str) -> None:
        if self.sealed_devices is None:
            return
        recorded = self.sealed_devices.get(device)
        last = (c.last["seq"], c.last["hash"]) if c.last else (0, GENESIS)
        if recorded is None:
            c.problem("forged_chain", f"The chain of device {device} is not keyed and was not "
                                      "in the trail when it was sealed: it was added outside "
                                      "Casework.")
        elif tuple(recorded) != last:
            c.problem("rewritten", f"The chain of device {device} no longer ends where it did "
                                   f"when the trail was sealed (#{recorded[0]}).", seq=last[0])


def verify_trail(conn: Connection, chain: AuditChain | None,
                 anchor: AnchorView | None = None) -> AuditReport:
    """Check every chain in the database. With `chain` None (a file not yet keyed), only the
    unkeyed SHA-256 chains are checked."""
    return _Verifier(conn, chain, anchor or AnchorView()).run()
