"""The audit trail for administrators: verifying the chain and reading events.

Verifying here is the same check as `Workspace.verify_audit()` and `casework-admin
verify-audit` (casework/services/audit_verify.py), with the audit secret and the head kept
outside the file; the check itself is then recorded in the trail."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from casework import permissions as perm
from casework.models import AuditEvent
from casework import dto
from casework.fields import Limit, Offset
from casework.services.audit import AuditReport
from casework.services.audit_verify import anchor_view, verify_trail
from casework.services.base import Service


class AuditTrailService(Service):
    def verify(self) -> AuditReport:
        chain = self._ctx.chain
        assert chain is not None
        with self._write() as s:
            actor = self._require(s, perm.Action.VIEW_AUDIT, entity_type="audit")
            report = verify_trail(s.connection(), chain, anchor_view(chain.vault))
            # The check itself is on the record, with what it found.
            self._ctx.audit(s, actor, "verify_audit", entity_type="audit",
                            detail={"events": report.events_checked, "problems": len(report.problems)})
        return report

    def events(self, query: dto.AuditQuery, offset: Offset = 0,
               limit: Limit = 100) -> dto.Page[dto.AuditEventInfo]:
        """Newest first."""
        with self._read() as s:
            self._require(s, perm.Action.VIEW_AUDIT, entity_type="audit")
            stmt = select(AuditEvent.id, AuditEvent.seq, AuditEvent.at, AuditEvent.actor_name,
                          AuditEvent.action, AuditEvent.outcome, AuditEvent.entity_type,
                          AuditEvent.entity_id, AuditEvent.reason, AuditEvent.detail)
            if query.outcome:
                stmt = stmt.where(AuditEvent.outcome == query.outcome)
            text = query.text.strip()
            if text:
                like = f"%{text.lower()}%"
                stmt = stmt.where(or_(func.lower(AuditEvent.actor_name).like(like),
                                      AuditEvent.action.like(like),
                                      AuditEvent.entity_id == text))
            stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.seq.desc())
            rows = s.execute(stmt.offset(offset).limit(limit))
            return dto.Page(tuple(dto.AuditEventInfo(*r) for r in rows), offset, limit)
