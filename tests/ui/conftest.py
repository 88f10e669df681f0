"""Fixtures for the UI tests; the data they build lives in ui_world.py."""

from __future__ import annotations

import pytest

from casework.ui.tasks import SyncTaskRunner
from questions import questions  # noqa: F401  (autouse: every UI test)
from ui_world import Fixture, build_fixture


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
