from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from casework import fields
from casework.models.base import ID, Base, Synced


class Team(Synced, Base):
    __tablename__ = "team"

    name: Mapped[str] = mapped_column(String(fields.DISPLAY_NAME), unique=True)
    service_area: Mapped[str] = mapped_column(String(40))
    service_manager_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("staff.id", use_alter=True)
    )


class Staff(Synced, Base):
    __tablename__ = "staff"

    username: Mapped[str] = mapped_column(String(fields.USERNAME), unique=True)
    display_name: Mapped[str] = mapped_column(String(fields.DISPLAY_NAME))
    email: Mapped[str | None] = mapped_column(String(fields.EMAIL))
    role: Mapped[str] = mapped_column(String(32))
    # The staff member's team (also their sync scope); none for administrators.
    team_id: Mapped[str | None] = mapped_column(ID, ForeignKey("team.id"), index=True)
    fte_percent: Mapped[int] = mapped_column(Integer, default=100)
    supervisor_id: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    sssc_number: Mapped[str | None] = mapped_column(String(fields.SSSC_NUMBER))
    sssc_part: Mapped[str | None] = mapped_column(String(32))
    sssc_expiry: Mapped[date | None]
    qualified_on: Mapped[date | None]
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(server_default=false())
    active: Mapped[bool] = mapped_column(server_default=true())


class SignInState(Base):
    """Failed attempts and lockout of one account on this workspace file. Kept apart from
    the staff record so that signing in never changes it (no edit conflicts, nothing to
    sync: each laptop locks its own door)."""

    __tablename__ = "sign_in_state"

    staff_id: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class StaffAccreditation(Synced, Base):
    __tablename__ = "staff_accreditation"
    __table_args__ = (UniqueConstraint("staff_id", "kind"),)

    staff_id: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    awarded_on: Mapped[date | None]


class ReservedRuleExtension(Synced, Base):
    """An administrator's addition to the reserved-function catalogue (never a weakening)."""

    __tablename__ = "reserved_rule"

    code: Mapped[str] = mapped_column(String(fields.CODE), unique=True)
    label: Mapped[str] = mapped_column(String(fields.RULE_LABEL))
    accreditations: Mapped[str] = mapped_column(String(200), default="")
    min_pq_months: Mapped[int] = mapped_column(Integer, default=0)


class StaffEpoch(Base):
    """One row whose token changes whenever a staff record, an accreditation or a team
    changes, in the same transaction (triggers do it, whoever writes: this app, another
    process on the file, a sync). A service keeps the actors it has loaded and loads one
    again only when the token differs. Random rather than a counter, so that a token seen
    inside a transaction that was rolled back never comes back. Local to each database:
    never synced."""

    __tablename__ = "staff_epoch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(36))
