"""Plans: personal outcomes, actions and reviews."""

from __future__ import annotations

from casework.services.base import Service


class PlanService(Service):
    pass
