"""The services bound to one signed-in member of staff."""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property

from casework import permissions as perm
from casework import dto
from casework.services.account import AccountService
from casework.services.admin import AdminService
from casework.services.assessments import AssessmentService
from casework.services.audit_trail import AuditTrailService
from casework.services.base import Context, load_actor, load_catalogue
from casework.services.cases import CaseService
from casework.services.notes import NoteService
from casework.services.people import PeopleService
from casework.services.plans import PlanService
from casework.services.reports import ReportService
from casework.services.workload import WorkloadService


class Me:
    """`me.cases`, `me.people`, `me.workload`, `me.assessments`, `me.plans`, `me.notes`,
    `me.reports`, `me.admin`, `me.audit`, `me.account`: each call runs in its own
    transaction and checks this person's permissions as the database holds them then."""

    def __init__(self, ctx: Context, staff_id: str):
        self._ctx = ctx
        self.staff_id = staff_id
        self.cases = CaseService(ctx, staff_id)
        self.people = PeopleService(ctx, staff_id)
        self.workload = WorkloadService(ctx, staff_id)
        self.assessments = AssessmentService(ctx, staff_id)
        self.plans = PlanService(ctx, staff_id)
        self.notes = NoteService(ctx, staff_id)
        self.reports = ReportService(ctx, staff_id)
        self.admin = AdminService(ctx, staff_id)
        self.audit = AuditTrailService(ctx, staff_id)
        self.account = AccountService(ctx, staff_id)

    def today(self) -> date:
        """Today in Europe/London by the workspace's clock (tests may fix it)."""
        return self._ctx.today()

    def now(self) -> datetime:
        """Now (UTC) by the workspace's clock, as the services decide by it."""
        return self._ctx.now()

    @property
    def actor(self) -> perm.Actor:
        with self._ctx.db.read() as s:
            return load_actor(s, self.staff_id)

    @cached_property
    def capabilities(self) -> dto.Capabilities:
        """What this person may do, for the UI to show or hide (the services still decide).
        Taken at sign-in; a change of role shows after signing in again."""
        today = self._ctx.today()
        with self._ctx.db.read() as s:
            actor = load_actor(s, self.staff_id)
            catalogue = load_catalogue(s)
        return dto.Capabilities(
            actions=frozenset(a.value for a in perm.Action if perm.decide_action(actor, a)),
            reserved=frozenset(
                code for code in catalogue.rules
                if perm.decide_reserved(actor, code, today=today, catalogue=catalogue)
            ),
        )

    def refresh_capabilities(self) -> dto.Capabilities:
        """Take the capabilities again (after choosing one's own password, say)."""
        self.__dict__.pop("capabilities", None)
        return self.capabilities

    def can(self, action: perm.Action | perm.ReservedFunction | str) -> bool:
        value = getattr(action, "value", action)
        caps = self.capabilities
        return value in caps.actions or value in caps.reserved
