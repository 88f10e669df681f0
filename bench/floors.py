"""The floors the case window's reads are measured against: the same SQL each read sends,
written by hand and run directly on a keyed `sqlcipher3` connection, in a transaction of
the same kind (an audited read commits an audit event; the others only read).

Each floor returns the ids its read shows (note ids, assessment ids, outcome ids), so that a
run can check the floor and the service answered alike. The summary's audit event goes to a
scratch copy of the audit tables (same columns, same indexes), never into the file's own
chain, and the scratch tables are dropped when the floors are closed.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime

SCRATCH = "bench_floor_"

_CASE = ("SELECT id, team_id, named_worker_id, person_id, status FROM case_file "
         "WHERE id = ? AND deleted_at IS NULL")
_CASE_ROW = """
SELECT c.id, c.reference, c.person_id, p.given_name || ' ' || p.family_name, c.service_area,
       c.status, c.risk_level, c.eligibility_band, c.legal_status, c.next_review_on,
       c.named_worker_id, w.display_name, c.team_id, t.name, c.unallocated_since, c.referred_on
FROM case_file c
JOIN person p ON p.id = c.person_id
JOIN team t ON t.id = c.team_id
LEFT JOIN staff w ON w.id = c.named_worker_id
WHERE c.id = ?
"""
_PERSON = ("SELECT id, given_name, family_name, date_of_birth, chi, address, postcode, phone, "
           "communication_needs, contact_preference, what_matters FROM person WHERE id = ?")
_ALLOCATIONS = """
SELECT a.worker_id, w.display_name, a.started_at, a.reason, b.display_name
FROM allocation a
LEFT JOIN staff w ON w.id = a.worker_id
LEFT JOIN staff b ON b.id = a.allocated_by
WHERE a.case_id = ? ORDER BY a.started_at DESC, a.id
"""
_RECENT_NOTES = """
SELECT n.id, n.note_type, n.occurred_at, n.subject, s.display_name, n.significant, n.corrects_id
FROM case_note n JOIN staff s ON s.id = n.author_id
WHERE n.case_id = ? ORDER BY n.occurred_at DESC, n.id LIMIT 10
"""
_NOTE_COUNT = "SELECT count(*) FROM case_note WHERE case_id = ?"
_ASSESSMENTS = """
SELECT a.id, a.case_id, a.kind, a.status, a.risk_level, a.started_on, c.display_name,
       a.drafter_id, d.display_name, k.given_name || ' ' || k.family_name, s.display_name,
       a.signed_off_at, a.row_version
FROM assessment a
JOIN staff c ON c.id = a.created_by
LEFT JOIN staff d ON d.id = a.drafter_id
LEFT JOIN staff s ON s.id = a.signed_off_by
LEFT JOIN key_person k ON k.id = a.carer_id
WHERE a.case_id = ? AND a.deleted_at IS NULL
ORDER BY a.started_on DESC, a.updated_at DESC, a.id
"""
_REVIEWS = """
SELECT r.id, r.held_on, r.reviewer_id, s.display_name, r.summary, r.next_review_on
FROM plan_review r JOIN staff s ON s.id = r.reviewer_id
WHERE r.case_id = ? AND r.deleted_at IS NULL
ORDER BY r.held_on DESC, r.updated_at DESC, r.id
"""
_RATINGS = """
SELECT r.review_id, r.outcome_id, o.description, r.rating, r.score, r.comment
FROM outcome_rating r JOIN plan_outcome o ON o.id = r.outcome_id
WHERE r.review_id IN ({marks}) AND r.deleted_at IS NULL
ORDER BY o.position, o.id
"""
_OUTCOMES = """
SELECT id, position, description, ended_on, row_version FROM plan_outcome
WHERE case_id = ? AND deleted_at IS NULL ORDER BY position, id
"""
_ACTIONS = """
SELECT id, outcome_id, description, owner_staff_id, owner_name, due_on, done_on, row_version
FROM plan_action WHERE outcome_id IN ({marks}) AND deleted_at IS NULL
ORDER BY done_on IS NOT NULL, due_on IS NULL, due_on, done_on, id
"""
_NOTES_PAGE = """
SELECT n.id, n.case_id, n.note_type, n.occurred_at, n.updated_at, n.subject, n.body,
       n.author_id, a.display_name, n.significant, n.contact_with, n.corrects_id,
       (SELECT c.id FROM case_note c WHERE c.corrects_id = n.id
        ORDER BY c.updated_at DESC, c.id LIMIT 1)
FROM case_note n JOIN staff a ON a.id = n.author_id
WHERE n.case_id = ? AND n.deleted_at IS NULL
ORDER BY n.occurred_at DESC, n.id DESC LIMIT 100 OFFSET 0
"""


class CaseWindowFloors:
    """The four reads by hand, for one signed-in member of staff, on `conn` (autocommit:
    each floor opens and ends its own transaction)."""

    def __init__(self, conn, actor_id: str, actor_name: str):
        self.conn, self.actor_id, self.actor_name = conn, actor_id, actor_name
        self.device_id = str(uuid.uuid4())
        self._scratch_audit()

    def close(self) -> None:
        for name in ("audit_event", "audit_head"):
            self.conn.execute(f"DROP TABLE IF EXISTS {SCRATCH}{name}")

    def _scratch_audit(self) -> None:
        """Copies of the audit tables' definitions and indexes (not their rows)."""
        self.close()
        for kind, sql in self.conn.execute(
                "SELECT type, sql FROM sqlite_master WHERE tbl_name IN ('audit_event', "
                "'audit_head') AND sql IS NOT NULL AND type IN ('table', 'index') "
                "ORDER BY type = 'index'").fetchall():
            self.conn.execute(sql.replace("audit_event", f"{SCRATCH}audit_event")
                              .replace("audit_head", f"{SCRATCH}audit_head"))

    def _readable(self, case_id: str) -> tuple:
        """The case as the need-to-know check reads it (the caller's team is checked in
        Python, as the services do)."""
        row = self.conn.execute(_CASE, (case_id,)).fetchone()
        if row is None:
            raise LookupError(case_id)
        return row

    def summary(self, case_id: str) -> list[str]:
        cur = self.conn
        cur.execute("BEGIN IMMEDIATE")
        try:
            case = self._readable(case_id)
            cur.execute(_CASE_ROW, (case_id,)).fetchone()
            cur.execute(_PERSON, (case[3],)).fetchone()
            cur.execute(_ALLOCATIONS, (case_id,)).fetchall()
            notes = cur.execute(_RECENT_NOTES, (case_id,)).fetchall()
            cur.execute(_NOTE_COUNT, (case_id,)).fetchone()
            self._audit(case_id)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return [n[0] for n in notes]

    def _audit(self, case_id: str) -> None:
        """One event on the scratch chain, hashed over its fields and the one before."""
        head = self.conn.execute(f"SELECT seq, hash FROM {SCRATCH}audit_head WHERE device_id = ?",
                                 (self.device_id,)).fetchone()
        seq, prev = (head[0], head[1]) if head else (0, "0" * 64)
        at = datetime.now(UTC)
        fields = {"id": str(uuid.uuid4()), "device_id": self.device_id, "seq": seq + 1,
                  "at": at.isoformat(timespec="microseconds"), "actor_id": self.actor_id,
                  "actor_name": self.actor_name, "action": "view_case", "outcome": "done",
                  "entity_type": "case", "entity_id": case_id, "reason": None,
                  "detail": "{}", "prev_hash": prev}
        digest = hashlib.sha256(json.dumps(fields, sort_keys=True,
                                           separators=(",", ":")).encode()).hexdigest()
        self.conn.execute(
            f"INSERT INTO {SCRATCH}audit_event (id, device_id, seq, at, actor_id, actor_name, "
            f"action, outcome, entity_type, entity_id, reason, detail, prev_hash, hash) "
            f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (fields["id"], self.device_id, seq + 1, at.replace(tzinfo=None).isoformat(" "),
             self.actor_id, self.actor_name, "view_case", "done", "case", case_id, None, "{}",
             prev, digest))
        if head:
            self.conn.execute(f"UPDATE {SCRATCH}audit_head SET seq = ?, hash = ? "
                              f"WHERE device_id = ?", (seq + 1, digest, self.device_id))
        else:
            self.conn.execute(f"INSERT INTO {SCRATCH}audit_head (device_id, seq, hash) "
                              f"VALUES (?, ?, ?)", (self.device_id, seq + 1, digest))

    def _read(self, case_id: str, body) -> list[str]:
        self.conn.execute("BEGIN")
        try:
            self._readable(case_id)
            return body()
        finally:
            self.conn.execute("ROLLBACK")

    def assessments(self, case_id: str) -> list[str]:
        return self._read(case_id, lambda: [
            r[0] for r in self.conn.execute(_ASSESSMENTS, (case_id,)).fetchall()])

    def plan(self, case_id: str) -> list[str]:
        def body() -> list[str]:
            reviews = self.conn.execute(_REVIEWS, (case_id,)).fetchall()
            if reviews:
                self.conn.execute(_RATINGS.format(marks=", ".join("?" * len(reviews))),
                                  [r[0] for r in reviews]).fetchall()
            outcomes = self.conn.execute(_OUTCOMES, (case_id,)).fetchall()
            if outcomes:
                self.conn.execute(_ACTIONS.format(marks=", ".join("?" * len(outcomes))),
                                  [o[0] for o in outcomes]).fetchall()
            return sorted(o[0] for o in outcomes)
        return self._read(case_id, body)

    def notes(self, case_id: str) -> list[str]:
        return self._read(case_id, lambda: [
            r[0] for r in self.conn.execute(_NOTES_PAGE, (case_id,)).fetchall()])


def service_ids(name: str, result) -> list[str]:
    """What the service's answer shows, in the floor's terms."""
    if name == "cases.summary":
        return [n.id for n in result.recent_notes]
    if name == "assessments.list":
        return [a.id for a in result]
    if name == "plans.plan":
        return sorted(o.id for o in (*result.outcomes, *result.ended_outcomes))
    return [n.id for n in result.rows]

