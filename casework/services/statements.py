"""Statements built once per shape and reused.

A list's SQL depends on which filters are set (its shape), not on their values, which go in as
parameters. A statement used again keeps its cache key, so neither it nor its SQL is made again
(SQLAlchemy's compiled cache holds the SQL). Shapes are few; search words typed make more, so
the cache is bounded and simply starts again when full.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Shape = TypeVar("Shape", bound=Hashable)
Stmt = TypeVar("Stmt")


class ByShape(Generic[Shape, Stmt]):
    def __init__(self, build: Callable[[Shape], Stmt], most: int):
        self._build = build
        self._most = most
        self._built: dict[Shape, Stmt] = {}

    def __call__(self, shape: Shape) -> Stmt:
        stmt = self._built.get(shape)
        if stmt is None:
            if len(self._built) >= self._most:
                self._built.clear()
            stmt = self._built[shape] = self._build(shape)
        return stmt
