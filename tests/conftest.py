"""Test settings for the whole suite: offscreen Qt, cheap password hashing, a private
CASEWORK_HOME, and no real keychain unless a test asks for one."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CASEWORK_FAST_PASSWORD_HASH"] = "1"

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("casework-home")
    monkeypatch.setenv("CASEWORK_HOME", str(home))
    return home
