"""Assessments: drafts, contributions and sign-off."""

from __future__ import annotations

from casework.services.base import Service


class AssessmentService(Service):
    pass
