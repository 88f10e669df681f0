"""Case PDFs: a case summary and a chronology."""

from __future__ import annotations

from casework.services.base import Service


class ReportService(Service):
    pass
