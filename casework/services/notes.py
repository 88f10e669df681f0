"""Case notes and the chronology."""

from __future__ import annotations

from casework.services.base import Service


class NoteService(Service):
    pass
