from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from casework import fields
from casework.models.base import ID, Base, Synced


class KeyPerson(Synced, Base):
    """Someone who matters in a person's life: an unpaid carer (a partner in care with their
    own details and, perhaps, their own support plan), family, friend or professional."""

    __tablename__ = "key_person"

    person_id: Mapped[str] = mapped_column(ID, ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # vocab.KeyPersonKind
    given_name: Mapped[str] = mapped_column(String(fields.NAME))
    family_name: Mapped[str] = mapped_column(String(fields.NAME))
    relationship: Mapped[str] = mapped_column(String(fields.NAME))
    phone: Mapped[str | None] = mapped_column(String(fields.PHONE))
    email: Mapped[str | None] = mapped_column(String(fields.EMAIL))
    address: Mapped[str | None] = mapped_column(String(fields.ADDRESS))
    date_of_birth: Mapped[date | None]
    lives_with_person: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # Carers (Scotland) Act 2016: an adult carer support plan or young carer statement.
    support_plan: Mapped[str | None] = mapped_column(String(16))  # vocab.SupportPlanStatus
    support_plan_review_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(Text)
