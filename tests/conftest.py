"""Test settings for the whole suite: offscreen Qt, cheap password hashing, a private
CASEWORK_HOME, and no real keychain unless a test asks for one."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CASEWORK_FAST_PASSWORD_HASH"] = "1"

import pytest  # noqa: E402

pytest_plugins = ["pgcluster", "pytester"]


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("casework-home")
    monkeypatch.setenv("CASEWORK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _no_real_keychain():
    """No test reads or writes the keychain of the machine it runs on: each starts as on a
    machine with none (keyring's fail backend); tests that need one plug in their own."""
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(previous)
