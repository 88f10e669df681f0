"""The real policy (casework.permissions) asked about a member of staff as they were on a
given day: whether they may close a case, sign off an assessment, or act as a mental health
officer. Nobody unqualified that day acts, so such an assessment stays a draft."""

from __future__ import annotations

from datetime import date

from casework import permissions as perm
from casework.synthetic.plan import CasePlan, Member

Role = perm.Role
_ActorKey = tuple[int, bool, frozenset[perm.Accreditation]]


class DayPolicy:
    def __init__(self) -> None:
        self._actors: dict[_ActorKey, perm.Actor] = {}

    @staticmethod
    def registered(m: Member, day: date) -> bool:
        """In the team that day, qualified by then and registered then: whatever the kind,
        nobody signs off with a lapsed registration."""
        return (m.holds_at(day) and m.qualified_on is not None and m.qualified_on <= day
                and m.sssc_expiry is not None and m.sssc_expiry >= day)

    def may_close(self, m: Member, c: CasePlan) -> bool:
        day = c.closed_on
        assert day is not None
        if not self.registered(m, day):
            return False
        ref = perm.CaseRef(c.team.id, c.rows[-1].worker.id if c.rows[-1].worker else None)
        return bool(perm.decide_close(self._actor(m, day), ref, c.legal.statutory_order, today=day))

    def may_sign(self, m: Member, ref: perm.CaseRef, kind: str, risk: str | None, day: date) -> bool:
        if not self.registered(m, day):
            return False
        return perm.decide_sign_off(self._actor(m, day), ref, kind, risk, today=day).allowed

    def is_mho(self, m: Member, day: date) -> bool:
        return self.registered(m, day) and bool(perm.decide_reserved(
            self._actor(m, day), perm.ReservedFunction.MHO_FUNCTION, today=day))

    def _actor(self, m: Member, day: date) -> perm.Actor:
        """What the policy needs to know of `m` on `day`: in the team then or not, and the
        accreditations awarded by then. Only those two change with the day, so one actor is
        kept per member and combination."""
        active = m.holds_at(day)
        held = frozenset(kind for kind, awarded in m.accreditations if awarded <= day)
        key = (id(m), active, held)
        actor = self._actors.get(key)
        if actor is None:
            team_id = m.team.id if m.team else None
            managed = frozenset({team_id}) if team_id and m.role == Role.TEAM_LEADER else frozenset()
            actor = self._actors[key] = perm.Actor(
                id=m.id, username=m.username, display_name=m.display_name, role=m.role,
                team_id=team_id, active=active, sssc_number=m.sssc_number,
                sssc_part=m.sssc_part, sssc_expiry=m.sssc_expiry, qualified_on=m.qualified_on,
                accreditations=held, managed_team_ids=managed)
        return actor
