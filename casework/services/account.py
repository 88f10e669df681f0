"""The signed-in person's own account: who they are, and changing their password."""

from __future__ import annotations

from casework import passwords
from casework import permissions as perm
from casework.errors import ValidationError
from casework.models import Staff
from casework import dto
from casework.fields import Secret
from casework.services.records import staff_info
from casework.services.base import Service, load_catalogue


class AccountService(Service):
    def profile(self) -> dto.StaffInfo:
        with self._read() as s:
            staff = s.get(Staff, self._actor_id)
            assert staff is not None
            return staff_info(s, staff)

    def reserved_functions(self) -> tuple[dto.ReservedStanding, ...]:
        """Each reserved function in force and whether this person may carry it out today,
        decided as the services decide it (registration, expiry, accreditation, experience)."""
        today = self._ctx.today()
        with self._read() as s:
            actor = self._actor(s)
            catalogue = load_catalogue(s)
        standings = []
        for rule in catalogue.rules.values():
            d = perm.decide_reserved(actor, rule.code, today=today, catalogue=catalogue)
            standings.append(dto.ReservedStanding(rule.code, rule.label, d.allowed, d.reason,
                                                  d.message))
        return tuple(standings)

    def change_password(self, current: Secret, new: Secret) -> None:
        with self._write() as s:
            actor = self._require(s, perm.Action.CHANGE_OWN_PASSWORD, entity_type="staff",
                                  entity_id=self._actor_id)
            staff = s.get(Staff, self._actor_id)
            assert staff is not None
            if not passwords.verify_password(staff.password_hash, current or ""):
                raise ValidationError("current_password", "is not your current password")
            if new == current:
                raise ValidationError("new_password", "must differ from the current password")
            passwords.check_new_password(new or "", username=staff.username, field="new_password")
            staff.password_hash = passwords.hash_password(new)
            staff.must_change_password = False
            self._touch(staff, actor)
            self._ctx.audit(s, actor, "change_password", entity_type="staff", entity_id=staff.id)
        self._ctx.publish("staff", self._actor_id)
