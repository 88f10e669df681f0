"""An in-memory keychain for tests, plugged in through keyring's own API, so that the code
under test uses the real keyring calls (tests/conftest.py leaves every test with keyring's
fail backend, as on a machine with no keychain)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class DictKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.items:
            raise PasswordDeleteError(username)
        del self.items[(service, username)]


@contextmanager
def keychain(backend: KeyringBackend | None = None) -> Iterator[KeyringBackend]:
    """Use `backend` (a fresh DictKeyring by default) as the keychain inside the block."""
    previous = keyring.get_keyring()
    backend = backend if backend is not None else DictKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
