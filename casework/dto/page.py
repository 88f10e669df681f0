"""A page of rows from a list that pages in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: tuple[T, ...]
    offset: int
    limit: int

    @property
    def exhausted(self) -> bool:
        """No rows beyond this page."""
        return len(self.rows) < self.limit
