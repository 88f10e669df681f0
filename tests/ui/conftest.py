"""Fixtures for the UI tests; the data they build lives in ui_world.py."""

from __future__ import annotations

import pytest

from casework.ui.tasks import SyncTaskRunner
from casework.ui.widgets.confirm import Confirm
from ui_world import Fixture, build_fixture


@pytest.fixture(autouse=True)
def _no_waiting_questions(monkeypatch):
    """A real question box would wait for a click that never comes (offscreen, nobody
    answers), so a test hangs instead of failing. Unless a test answers `Confirm.ask`
    itself, the answer is yes: as when the test's windows close at its end with typing
    left in a form. Set up before `qtbot`, this outlasts its closing of the windows."""
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *args, **kwargs: True))


@pytest.fixture
def fx(tmp_path) -> Fixture:
    fixture = build_fixture(tmp_path)
    yield fixture
    fixture.ws.close()


@pytest.fixture
def runner(qtbot):
    r = SyncTaskRunner()
    yield r
    r.deleteLater()
