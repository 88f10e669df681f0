"""The credential store over the real keyring API, and how a workspace finds its key."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from casework.errors import WorkspaceKeyError
from casework.secrets import (
    KeychainUnavailable,
    KeyringStore,
    MemoryStore,
    WorkspaceKey,
    demo_key_file,
    find_key,
    forget_key,
    key_name,
    store_key,
)
from casework.services import PassphraseNeeded, create_workspace, open_workspace
from keychains import DictKeyring, keychain


@pytest.fixture(name="keychain")
def keychain_fixture():
    with keychain() as backend:
        yield backend


@pytest.fixture
def no_keychain():
    """As tests/conftest.py leaves every test: keyring's fail backend."""
    assert isinstance(keyring.get_keyring(), FailKeyring)


def test_keyring_store_uses_the_keychain(keychain):
    store = KeyringStore()
    store.set("k", "secret")
    assert store.get("k") == "secret"
    assert keychain.items[("Casework", "k")] == "secret"
    store.delete("k")
    store.delete("k")  # deleting what is not there is not an error
    assert store.get("k") is None


def test_no_keychain_is_said_plainly(no_keychain):
    store = KeyringStore()
    with pytest.raises(KeychainUnavailable):
        store.set("k", "v")
    with pytest.raises(KeychainUnavailable):
        store.get("k")


def test_a_new_workspace_keeps_its_raw_key_in_the_keychain(tmp_path, keychain):
    path = tmp_path / "ws.db"
    create_workspace(path, name="W", admin_username="admin",
                     admin_password="admin-password-1").close()
    stored = keychain.items[("Casework", key_name(path))]
    assert len(stored) == 64 and not demo_key_file(path).exists()
    ws = open_workspace(path)  # found in the keychain, no passphrase asked
    assert ws.key.raw_hex == stored
    ws.close()


def test_a_real_workspace_without_keychain_needs_a_passphrase(tmp_path, no_keychain):
    path = tmp_path / "ws.db"
    with pytest.raises(PassphraseNeeded):
        create_workspace(path, name="W", admin_username="admin", admin_password="admin-password-1")
    assert not path.exists() and not demo_key_file(path).exists()
    create_workspace(path, name="W", admin_username="admin", admin_password="admin-password-1",
                     passphrase="correct horse battery staple").close()
    with pytest.raises(PassphraseNeeded):
        open_workspace(path)
    with pytest.raises(WorkspaceKeyError):
        open_workspace(path, passphrase="wrong horse")
    open_workspace(path, passphrase="correct horse battery staple").close()


def test_only_the_demo_keeps_its_key_in_a_file(tmp_path, no_keychain):
    path = tmp_path / "demo.db"
    create_workspace(path, name="Demo", admin_username="admin", admin_password="admin-password-1",
                     demo=True).close()
    key_file = demo_key_file(path)
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    ws = open_workspace(path)
    assert ws.info.is_demo
    ws.close()


def test_key_lookup_order_and_forgetting(tmp_path):
    store = MemoryStore()
    path = tmp_path / "w.db"
    assert find_key(store, path) is None
    key = WorkspaceKey.new_raw()
    assert store_key(store, path, key, demo=False) == "keychain"
    assert find_key(store, path).raw_hex == key.raw_hex
    forget_key(store, path)
    assert find_key(store, path) is None


def test_keys_never_show_in_logs():
    key = WorkspaceKey.new_raw()
    assert key.raw_hex not in repr(key) and "raw" in repr(key)
    assert "secret" not in repr(WorkspaceKey.from_passphrase("secret"))


def test_a_passphrase_with_quotes_is_escaped():
    assert WorkspaceKey.from_passphrase("it's").pragma() == "PRAGMA key = 'it''s'"


class LockedKeyring(DictKeyring):
    """A Secret Service that is there but locked: keyring raises KeyringLocked."""

    def get_password(self, service, username):
        from keyring.errors import KeyringLocked

        raise KeyringLocked("the login keyring is locked")

    def set_password(self, service, username, password):
        self.get_password(service, username)


def test_a_locked_keychain_counts_as_none(tmp_path):
    with keychain(LockedKeyring()):
        with pytest.raises(KeychainUnavailable):
            KeyringStore().get("k")
        path = tmp_path / "ws.db"
        with pytest.raises(PassphraseNeeded):  # falls back to a passphrase, no crash
            create_workspace(path, name="W", admin_username="admin",
                             admin_password="admin-password-1")
        assert find_key(KeyringStore(), path) is None


def test_a_short_passphrase_is_refused_by_the_service(tmp_path):
    from casework.errors import ValidationError

    with pytest.raises(ValidationError) as e:
        create_workspace(tmp_path / "ws.db", name="W", admin_username="admin",
                         admin_password="admin-password-1", passphrase="too short")
    assert e.value.field == "passphrase" and "12 characters" in e.value.problem
    assert not (tmp_path / "ws.db").exists()
