"""The Qt binding the project installs must not leak references to True on emit.

PySide6 6.12.0 returns True from SignalInstance.emit() without a reference of its own; on
Python 3.11 a few thousand emits then end the process with "Fatal Python error:
bool_dealloc". pyproject.toml keeps PySide6 below 6.12 for that; this fails if a release
with the defect is ever installed again."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    changed = Signal(object)


def test_emitting_from_python_keeps_its_references():
    emitter = Emitter()
    emitter.changed.connect(lambda value: None)
    before = sys.getrefcount(True)
    for i in range(200):
        emitter.changed.emit(i)
    assert sys.getrefcount(True) >= before
