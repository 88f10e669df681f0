"""People who use services, their key people and carers, and referrals."""

from __future__ import annotations

from casework.services.base import Service


class PeopleService(Service):
    pass
