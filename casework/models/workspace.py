from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, false
from sqlalchemy.orm import Mapped, mapped_column

from casework import fields
from casework.models.base import ID, Base


class WorkspaceInfo(Base):
    """One row: what this file is. The device id names this file's audit chain."""

    __tablename__ = "workspace_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ID)
    name: Mapped[str] = mapped_column(String(fields.WORKSPACE_NAME))
    is_demo: Mapped[bool] = mapped_column(server_default=false())
    device_id: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime]
