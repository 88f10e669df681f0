from __future__ import annotations

import pytest

from service_world import World, build_world


@pytest.fixture
def world(tmp_path) -> World:
    w = build_world(tmp_path)
    yield w
    w.ws.close()
