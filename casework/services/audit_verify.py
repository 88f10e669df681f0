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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, inspect, select, text

from casework.audit_vault import AnchorDamaged, AuditVault
from casework.models import AuditEvent
from casework.secrets import KeychainUnavailable
from casework.services.audit import (
    GENESIS,
    MAX_PROBLEMS,
    REPAIR_ACTION,
    SEAL_ACTION,
    AuditChain,
    AuditProblem,
    AuditReport,
    legacy_hash,
    legacy_type_variants,
)
from casework.timeutil import as_utc

RUN_MAX = 2000  # rows of one run of misfits examined one by one; the rest are counted
SHIFT_MAX = 8  # how far a moved event is looked for either side of where it sits
SWAP_SCAN_MAX = 64  # a run this short is also searched for events swapped within it
LISTED_MAX = 20  # moved events named one by one before the rest are summed up
GUARDS = {"sqlite": ("audit_event_no_update", "audit_event_no_delete"),
          "postgresql": ("audit_event_insert_only",)}

Row = Mapping[str, Any]


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


def describe(row: Row) -> str:
    return (f"event #{row['seq']} ({row['action']} by {row['actor_name']}, "
            f"{as_utc(row['at']):%Y-%m-%d %H:%M} UTC, id {row['id']})")


def _span(a: int, b: int) -> str:
    return f"#{a}" if a == b else f"#{a}–#{b}"


def _runs(seqs: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for s in sorted(seqs):
        if runs and s == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], s)
        else:
            runs.append((s, s))
    return runs


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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


# -- one device's chain --------------------------------------------------------------------------


class _Chain:
    """One device's chain, fed its rows in order."""

    def __init__(self, device: str, authentic: Callable[[Row, int], bool | str], *,
                 keyed_from: int | None, head: dict[str, Any] | None, head_ok: bool,
                 watch: set[int], problems: list[AuditProblem]):
        self.device, self.authentic = device, authentic
        self.keyed_from, self.head, self.head_ok = keyed_from, head, head_ok
        self.watch = watch
        self._problems = problems
        self.count = self.type_faults = 0
        self.prev_seq, self.prev_hash = 0, GENESIS
        self.last: Row | None = None
        self.max_orig = 0
        self.any_authentic = False
        self.hash_at: dict[int, str] = {}
        self.seal: Row | None = None
        self.repairs: list[Row] = []  # Casework's own record of a head it found changed
        self.found = 0  # problems this chain added
        self._run: list[tuple[Row, bool]] | None = None
        self._left: tuple[int, str] = (0, GENESIS)
        self._over = 0
        self.anchor_seq: int | None = None  # for naming events added after the outside head

    def problem(self, kind: str, message: str, row: Row | None = None,
                seq: int | None = None) -> None:
        self.found += 1
        self._problems.append(AuditProblem(self.device, row["seq"] if row else seq,
                                           row["id"] if row else None, kind, message))

    # -- reading rows -------------------------------------------------------------------------

    def feed(self, row: Row) -> None:
        self.count += 1
        verdict = self.authentic(row, row["seq"])
        if verdict == "type_fault":
            self.type_faults += 1
        ok = bool(verdict)
        in_order = row["seq"] == self.prev_seq + 1 and row["prev_hash"] == self.prev_hash
        if ok and in_order:
            if self._run is not None:
                self._examine(right=row)
            self._authentic(row, row["seq"])
        else:
            if self._run is None:
                self._run, self._left, self._over = [], (self.prev_seq, self.prev_hash), 0
            if len(self._run) < RUN_MAX:
                self._run.append((row, ok))
            else:
                self._over += 1
                if ok:
                    self._authentic(row, row["seq"])
        self.prev_seq, self.prev_hash, self.last = row["seq"], row["hash"], row

    def finish(self) -> None:
        if self._run is not None:
            self._examine(right=None)

    def _authentic(self, row: Row, orig: int) -> None:
        self.any_authentic = True
        self._placed(row, orig)
        if self.keyed_from is not None and orig == self.keyed_from and row["action"] == SEAL_ACTION:
            self.seal = row
        if row["action"] == REPAIR_ACTION and self.keyed_from is not None and orig >= self.keyed_from:
            self.repairs.append(row)

    def _placed(self, row: Row, seq: int) -> None:
        """A row holds place `seq` in the chain (authentic there, or changed in place)."""
        self.max_orig = max(self.max_orig, seq)
        if seq in self.watch:
            self.hash_at[seq] = row["hash"]

    # -- a run of rows that do not fit ----------------------------------------------------------

    def _recover(self, row: Row, others: list[int]) -> int | None:
        seq = row["seq"]
        candidates = [seq + d for d in range(1, SHIFT_MAX + 1)]
        candidates += [seq - d for d in range(1, SHIFT_MAX + 1) if seq - d >= 1]
        candidates += [s for s in others if s != seq and abs(s - seq) > SHIFT_MAX]
        for s in candidates:
            if self.authentic(row, s):
                return s
        return None

    def _examine(self, right: Row | None) -> None:
        run, over, (left_seq, left_hash) = self._run or [], self._over, self._left
        self._run = None
        others = [r["seq"] for r, _ in run] if len(run) <= SWAP_SCAN_MAX else []
        orig: list[int | None] = []
        taken: set[int] = {left_seq} | ({right["seq"]} if right else set())
        for row, ok in run:
            o = row["seq"] if ok else self._recover(row, others)
            if o is not None and o in taken:
                o = None  # a second authentic event for one place: from another copy
            if o is not None:
                taken.add(o)
                self._authentic(row, o)
            orig.append(o)
        rows = [r for r, _ in run]
        covered = {o for o in orig if o is not None}
        edited: list[Row] = []
        rewritten: list[Row] = []
        inserted: list[Row] = []
        i = 0
        while i < len(rows):
            if orig[i] is not None:
                i += 1
                continue
            j = i
            while j + 1 < len(rows) and orig[j + 1] is None:
                j += 1
            pred_hash = rows[i - 1]["hash"] if i > 0 else left_hash
            pred_seq = (orig[i - 1] if i > 0 else left_seq)
            succ = rows[j + 1] if j + 1 < len(rows) else (right if not over else None)
            # An authentic event after them vouches for the MAC it names as the one before,
            # except Casework's record of a repaired head, written after finding them there.
            succ_authentic = succ is not None and (succ is right or orig[j + 1] is not None) \
                and succ["action"] != REPAIR_ACTION
            bad = rows[i:j + 1]
            if succ_authentic and succ["prev_hash"] == pred_hash:
                inserted += bad  # the next authentic event skips over them
            elif len(bad) == 1 and succ_authentic and succ["prev_hash"] == bad[0]["hash"]:
                edited += bad  # its MAC is vouched for by the next: only its contents changed
            elif len(bad) == 1 and succ is None and not over and self._head_vouches(bad[0]):
                edited += bad
            elif ((succ is None or succ["action"] == REPAIR_ACTION)
                  and self.anchor_seq is not None and pred_seq is not None
                  and pred_seq >= self.anchor_seq and pred_hash == bad[0]["prev_hash"]):
                inserted += bad  # added after the last head recorded outside the file
            else:
                rewritten += bad
            i = j + 1
        covered |= {r["seq"] for r in edited + rewritten}
        for row in edited + rewritten:  # in place, whatever was done to them
            self._placed(row, row["seq"])
        for row in edited:
            self.problem("edited", f"The contents of {describe(row)} were changed after it "
                                   "was written.", row)
        for row in inserted:
            after = (f" after the last event Casework recorded outside the file (#{self.anchor_seq})"
                     if self.anchor_seq is not None and row["seq"] > self.anchor_seq else "")
            self.problem("inserted", f"{describe(row).capitalize()} was inserted into the "
                                     f"chain{after}: Casework did not write it.", row)
        for a, b in _runs([r["seq"] for r in rewritten]):
            first = next(r for r in rewritten if r["seq"] == a)
            n = b - a + 1
            self.problem("rewritten", f"The chain was rewritten from {describe(first)}: "
                                      f"{_plural(n, 'event')} ({_span(a, b)}) "
                                      f"{'does' if n == 1 else 'do'} not carry the audit "
                                      "secret's MAC: changed, replaced or added outside "
                                      "Casework, with hashes recomputed to hide it.", first)
        self._moved(rows, orig)
        upper = max(covered | {left_seq})
        if right is not None and not over:
            # Up to the event the one after the run names as its predecessor (it may sit at
            # another place if the run was renumbered), else up to the place before it.
            named = [o for r, o in zip(rows, orig) if o is not None and r["hash"] == right["prev_hash"]]
            upper = named[0] if named else right["seq"] - 1
        missing = [s for s in range(left_seq + 1, upper + 1) if s not in covered]
        renumbered = any(o is not None and o != r["seq"] for r, o in zip(rows, orig))
        for a, b in _runs(missing):
            hidden = " (the later events were renumbered to hide the gap)" if renumbered else ""
            self.problem("deleted", f"{'Event' if a == b else 'Events'} {_span(a, b)} "
                                    f"{'is' if a == b else 'are'} missing: deleted{hidden}.",
                         seq=a)
        self._links(left_seq, left_hash, rows, orig, right)
        if over:
            self.problem("rewritten", f"…and {_plural(over, 'more event')} after "
                                      f"#{rows[-1]['seq']} do not fit the chain either (not "
                                      "examined one by one).", seq=rows[-1]["seq"] + 1)

    def _head_vouches(self, row: Row) -> bool:
        h = self.head
        return bool(self.head_ok and h and h["seq"] == row["seq"] and h["hash"] == row["hash"])

    def _moved(self, rows: list[Row], orig: list[int | None]) -> None:
        moved = [(r, o) for r, o in zip(rows, orig) if o is not None and o != r["seq"]]
        if not moved:
            return
        if {o for _, o in moved} == {r["seq"] for r, _ in moved}:
            for r, o in moved[:LISTED_MAX]:
                self.problem("reordered", f"{describe(r).capitalize()} was written as event "
                                          f"#{o}: the events were reordered.", r)
            if len(moved) > LISTED_MAX:
                self.problem("reordered", f"…and {len(moved) - LISTED_MAX} more events were "
                                          "moved.", seq=moved[LISTED_MAX][0]["seq"])
            return
        by_shift: dict[int, list[Row]] = {}
        for r, o in moved:
            by_shift.setdefault(o - r["seq"], []).append(r)
        for shift, group in by_shift.items():
            a, b = group[0]["seq"], group[-1]["seq"]
            way = "later" if shift > 0 else "earlier"
            self.problem("reordered", f"{_plural(len(group), 'event')} ({_span(a, b)}) were "
                                      f"renumbered: each was written {_plural(abs(shift), 'place')} "
                                      f"{way} than it now sits.", group[0])

    def _links(self, left_seq: int, left_hash: str, rows: list[Row],
               orig: list[int | None], right: Row | None) -> None:
        """Authentic events next to each other where they were written must link."""
        placed: dict[int, tuple[str, str, Row | None]] = {left_seq: ("", left_hash, None)}
        for r, o in zip(rows, orig):
            if o is not None:
                placed[o] = (r["prev_hash"], r["hash"], r)
        if right is not None:
            placed[right["seq"]] = (right["prev_hash"], right["hash"], right)
        for s in sorted(placed):
            if s - 1 not in placed:
                continue
            prev_hash, _, row = placed[s]
            if row is None or prev_hash == placed[s - 1][1]:
                continue
            if self.keyed_from is not None and s == self.keyed_from and s > 1:
                self.problem("rewritten", f"The history before the trail was sealed (#1–#{s - 1}) "
                                          "was changed after it was sealed: the seal, "
                                          f"{describe(row)}, no longer follows it.", row)
            else:
                self.problem("broken_link", f"{describe(row).capitalize()} does not follow the "
                                            f"event stored as #{s - 1}: that event was replaced "
                                            "(by one from another copy of this trail).", row)


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
        c = _Chain(device, self._authentic(keyed_from), keyed_from=keyed_from, head=head,
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
                f"{_plural(c.type_faults, 'event')} written before the trail was sealed "
                "were hashed with a number where text is stored (a fault of earlier releases); "
                "their contents are intact.")
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

    def _head(self, c: _Chain, head: dict[str, Any] | None, keyed_from: int | None,
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
                                 f"{_span(last_seq + 1, head['seq'])} "
                                 f"{'is' if head['seq'] == last_seq + 1 else 'are'} missing: "
                                 "deleted from the end of the chain.", seq=last_seq + 1)
        elif last_seq > head["seq"]:
            c.problem("inserted", f"Events after #{head['seq']} were added outside Casework "
                                  f"(the chain head is #{head['seq']}).", c.last)
        elif c.last is not None and c.last["hash"] != head["hash"]:
            c.problem("head_mismatch", f"{describe(c.last).capitalize()} does not match the "
                                       "recorded chain head.", c.last)

    def _anchor(self, c: _Chain, keyed_from: int) -> None:
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
                                 f"{_span(c.max_orig + 1, seq)} "
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
            self.notes.append(f"The newest {_plural(n, 'event')} ({_span(seq + 1, c.max_orig)}) "
                              "came after the head last recorded outside the file (Casework "
                              "stopped before recording it); they carry the audit secret's MAC.")

    def _seal_record(self, c: _Chain, start: int) -> None:
        if c.seal is None:
            return
        try:
            detail = json.loads(c.seal["detail"])
        except ValueError:
            return
        self.sealed_devices = detail.get("devices") or {}
        found = detail.get("found") or []
        on = f"{as_utc(c.seal['at']):%Y-%m-%d}"
        known = {(f.get("kind"), f.get("seq")) for f in found if isinstance(f, dict)}
        for i in range(start, len(self.problems)):
            p = self.problems[i]
            if p.seq is not None and p.seq < (c.keyed_from or 0) and (p.kind, p.seq) in known:
                self.problems[i] = AuditProblem(p.device_id, p.seq, p.event_id, p.kind,
                                                f"{p.message} (Already found when the trail was "
                                                f"sealed on {on}.)")
        for f in found:
            if isinstance(f, dict) and f.get("kind") in ("anchor_mismatch", "anchor_damaged"):
                c.problem(str(f["kind"]), f"When Casework sealed the trail on {on} it found: "
                                          f"{f.get('message', '')}", seq=f.get("seq"))

    def _repairs(self, c: _Chain) -> None:
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

    def _sealed_legacy_device(self, c: _Chain, device: str) -> None:
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
