"""Checking one device's chain: its rows read once, in order, keeping only those that do
not fit (a run of them is examined with the authentic rows either side), and naming what
was done to them. What each name means is in casework/services/audit_verify.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from casework.services.audit import GENESIS, REPAIR_ACTION, SEAL_ACTION, AuditProblem
from casework.timeutil import as_utc

Row = Mapping[str, Any]

RUN_MAX = 2000  # rows of one run of misfits examined one by one; the rest are counted
SHIFT_MAX = 8  # how far a moved event is looked for either side of where it sits
SWAP_SCAN_MAX = 64  # a run this short is also searched for events swapped within it
LISTED_MAX = 20  # moved events named one by one before the rest are summed up


def describe(row: Row) -> str:
    return (f"event #{row['seq']} ({row['action']} by {row['actor_name']}, "
            f"{as_utc(row['at']):%Y-%m-%d %H:%M} UTC, id {row['id']})")


def span(a: int, b: int) -> str:
    return f"#{a}" if a == b else f"#{a}–#{b}"


def _runs(seqs: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for s in sorted(seqs):
        if runs and s == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], s)
        else:
            runs.append((s, s))
    return runs


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class DeviceChain:
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
                else:
                    self._placed(row, row["seq"])
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
                                      f"{plural(n, 'event')} ({span(a, b)}) "
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
            self.problem("deleted", f"{'Event' if a == b else 'Events'} {span(a, b)} "
                                    f"{'is' if a == b else 'are'} missing: deleted{hidden}.",
                         seq=a)
        self._links(left_seq, left_hash, rows, orig, right)
        if over:
            self.problem("rewritten", f"…and {plural(over, 'more event')} after "
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
            self.problem("reordered", f"{plural(len(group), 'event')} ({span(a, b)}) were "
                                      f"renumbered: each was written {plural(abs(shift), 'place')} "
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
            elif s == 1:
                self.problem("broken_link", f"{describe(row).capitalize()} does not start the "
                                            "chain: it names an event before it.", row)
            else:
                self.problem("broken_link", f"{describe(row).capitalize()} does not follow the "
                                            f"event stored as #{s - 1}: that event was replaced "
                                            "(by one from another copy of this trail).", row)
