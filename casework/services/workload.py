"""Weighted caseloads against capacity, for allocation."""

from __future__ import annotations

from casework.services.base import Service


class WorkloadService(Service):
    pass
