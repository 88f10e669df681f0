from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from casework import fields
from casework.models.base import ID, Base, Synced


class Person(Synced, Base):
    """Someone who uses services. CHI is the 10-digit Community Health Index number."""

    __tablename__ = "person"
    given_name: Mapped[str] = mapped_column(String(fields.NAME))
    family_name: Mapped[str] = mapped_column(String(fields.NAME))
    # casework.text.name_key(given, family): accent- and case-folded, for search and order.
    name_key: Mapped[str] = mapped_column(String(fields.NAME_KEY), index=True)
    date_of_birth: Mapped[date | None]
    chi: Mapped[str | None] = mapped_column(String(10), index=True)
    address: Mapped[str | None] = mapped_column(String(fields.ADDRESS))
    postcode: Mapped[str | None] = mapped_column(String(fields.POSTCODE))
    phone: Mapped[str | None] = mapped_column(String(fields.PHONE))
    communication_needs: Mapped[str | None] = mapped_column(Text)
    contact_preference: Mapped[str | None] = mapped_column(String(fields.PREFERENCE))
    what_matters: Mapped[str | None] = mapped_column(Text)


class Case(Synced, Base):
    """An episode of involvement with a person. `named_worker_id` is None only while the case
    waits in its team's unallocated queue (since `unallocated_since`)."""

    __tablename__ = "case_file"
    __table_args__ = (
        Index("ix_case_file_worker_status", "named_worker_id", "status"),
        Index("ix_case_file_team_status", "team_id", "status"),
        Index("ix_case_file_team_unallocated", "team_id", "unallocated_since"),
    )

    team_id: Mapped[str | None] = mapped_column(ID, ForeignKey("team.id"), index=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    person_id: Mapped[str] = mapped_column(ID, ForeignKey("person.id"), index=True)
    service_area: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    eligibility_band: Mapped[str | None] = mapped_column(String(16))
    risk_level: Mapped[str] = mapped_column(String(16))
    legal_status: Mapped[str] = mapped_column(String(40))
    named_worker_id: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    unallocated_since: Mapped[datetime | None]
    referred_on: Mapped[date]
    opened_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    next_review_on: Mapped[date | None]
    summary: Mapped[str | None] = mapped_column(Text)
    # When the band's indicative time runs out (six weeks for critical and substantial).
    band_target_on: Mapped[date | None]
    referral_source: Mapped[str | None] = mapped_column(String(200))
    referral_reason: Mapped[str | None] = mapped_column(Text)
    closing_summary: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))


class Allocation(Synced, Base):
    """Insert-only history of named workers. A row with no worker puts the case in the queue;
    each row lasts until the next one for the same case."""

    __tablename__ = "allocation"
    __table_args__ = (Index("ix_allocation_case_started", "case_id", "started_at"),)

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"))
    worker_id: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"), index=True)
    started_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    allocated_by: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))


class CaseNote(Synced, Base):
    """Insert-only. A correction is a new note whose `corrects_id` points at the old one."""

    __tablename__ = "case_note"
    __table_args__ = (Index("ix_case_note_case_occurred", "case_id", "occurred_at"),)

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"))
    author_id: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"))
    note_type: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime]
    subject: Mapped[str] = mapped_column(String(fields.SUBJECT))
    body: Mapped[str] = mapped_column(Text)
    significant: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # Who the contact was with (the person, a carer, another agency), for contacts.
    contact_with: Mapped[str | None] = mapped_column(String(fields.CONTACT))
    # Indexed: every list of notes asks, for each note, which later note corrects it.
    corrects_id: Mapped[str | None] = mapped_column(ID, ForeignKey("case_note.id"), index=True)
