"""The Qt binding the project installs must keep its references straight on emit.

PySide6 6.12.0 returns True from SignalInstance.emit() without a reference of its own, so
every emit releases a reference to True that nobody took: 200 emits lower its count by 200,
and on Python 3.11 a few thousand end the process with "Fatal Python error: bool_dealloc".
pyproject.toml keeps PySide6 below 6.12 for that; the first test fails if a release with the
defect is ever installed again.

From Python 3.12, True is immortal: the interpreter never changes its count, so releasing a
reference to it does nothing — the defect can neither be seen through True nor do harm
there (measured with 6.12.0: the count stays at 4294967295 on 3.12, while 200 emits take it
from 562 to 362 on 3.11). The first test is therefore limited to the Pythons where True's
count moves. The second holds on every Python: what a Python caller hands to emit comes
back through the same path to the slot, and must keep exactly the references it had.
"""

from __future__ import annotations

import gc
import sys
import weakref

import pytest
from PySide6.QtCore import QObject, Signal

EMITS = 200


class Emitter(QObject):
    changed = Signal(object)


class Payload:
    """A fresh object, whose references only this test holds."""


@pytest.mark.skipif(sys.version_info >= (3, 12), reason=(
    "True is immortal from Python 3.12: its count never moves, so the emit defect can "
    "neither show through it nor harm"))
def test_emitting_from_python_keeps_its_references_to_true(qtbot):
    emitter = Emitter()
    emitter.changed.connect(lambda value: None)
    before = sys.getrefcount(True)
    for i in range(EMITS):
        emitter.changed.emit(i)
    assert sys.getrefcount(True) >= before


def test_what_passes_through_emit_keeps_its_references(qtbot):
    emitter = Emitter()
    seen: list[int] = []
    emitter.changed.connect(lambda value: seen.append(id(value)))
    payload = Payload()
    alive = weakref.ref(payload)
    before = sys.getrefcount(payload)
    returned = [emitter.changed.emit(payload) for _ in range(EMITS)]
    gc.collect()
    assert seen == [id(payload)] * EMITS and returned == [True] * EMITS
    # None taken and kept (a leak), none released that was not taken (a crash to come).
    assert sys.getrefcount(payload) == before
    del payload
    gc.collect()
    assert alive() is None, "emit kept a reference to what it was given"
