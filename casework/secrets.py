"""Credential store and workspace keys.

A small interface over the OS keychain (keyring) so that tests can use an in-memory store.
A workspace key is either a random raw key (kept in the keychain, or for the fictional demo
workspace only, in a file beside it) or a passphrase the user types at each start.

The audit trail's own secret and outside head are kept under the names given here; what
they are and why is in casework/audit_vault.py.
"""

from __future__ import annotations

import os
import secrets as _secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

SERVICE = "Casework"


class KeychainUnavailable(Exception):
    """No OS keychain on this machine (keyring has only its fail backend)."""


class CredentialStore(Protocol):
    def get(self, name: str) -> str | None: ...
    def set(self, name: str, secret: str) -> None: ...
    def delete(self, name: str) -> None: ...


class KeyringStore:
    """The OS keychain through keyring. Raises KeychainUnavailable where there is none, or
    where it cannot be used now (locked, or its service fails): the caller then falls back
    to a passphrase instead of failing to start."""

    def __init__(self, service: str = SERVICE):
        self.service = service

    # keyring is imported when first asked (it costs ~50 ms, and more to find its backend):
    # a start that finds its key elsewhere (the demo's key file) never loads it.

    def get(self, name: str) -> str | None:
        import keyring
        import keyring.errors

        try:
            return keyring.get_password(self.service, name)
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(str(exc)) from exc

    def set(self, name: str, secret: str) -> None:
        import keyring
        import keyring.errors

        try:
            keyring.set_password(self.service, name, secret)
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(str(exc)) from exc

    def delete(self, name: str) -> None:
        import keyring
        import keyring.errors

        try:
            keyring.delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(str(exc)) from exc


class MemoryStore:
    """In-memory credential store for tests; `available=False` behaves like no keychain."""

    def __init__(self, available: bool = True):
        self.available = available
        self._items: dict[str, str] = {}

    def _check(self) -> None:
        if not self.available:
            raise KeychainUnavailable("no keychain (test store)")

    def get(self, name: str) -> str | None:
        self._check()
        return self._items.get(name)

    def set(self, name: str, secret: str) -> None:
        self._check()
        self._items[name] = secret

    def delete(self, name: str) -> None:
        self._check()
        self._items.pop(name, None)


@dataclass(frozen=True, repr=False)
class WorkspaceKey:
    """What unlocks a workspace file. `repr` hides the secret from logs and tracebacks."""

    raw_hex: str | None = None
    passphrase: str | None = None

    @classmethod
    def new_raw(cls) -> "WorkspaceKey":
        return cls(raw_hex=_secrets.token_hex(32))

    @classmethod
    def from_passphrase(cls, passphrase: str) -> "WorkspaceKey":
        return cls(passphrase=passphrase)

    def pragma(self) -> str:
        # A raw key skips SQLCipher's key derivation; a typed passphrase goes through it.
        if self.raw_hex is not None:
            return f"PRAGMA key = \"x'{self.raw_hex}'\""
        assert self.passphrase is not None
        return "PRAGMA key = '" + self.passphrase.replace("'", "''") + "'"

    def __repr__(self) -> str:
        return "WorkspaceKey(raw)" if self.raw_hex else "WorkspaceKey(passphrase)"


def key_name(path: Path) -> str:
    return f"workspace-key:{Path(path).resolve()}"


def demo_key_file(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + ".key")


def store_key(store: CredentialStore, path: Path, key: WorkspaceKey, *, demo: bool) -> str:
    """Keep a new raw key: in the keychain, or beside the demo file when there is none.
    Returns where it went ('keychain' or 'file'). A real workspace with no keychain must use
    a passphrase instead, so KeychainUnavailable reaches the caller."""
    assert key.raw_hex is not None
    try:
        store.set(key_name(path), key.raw_hex)
        return "keychain"
    except KeychainUnavailable:
        if not demo:
            raise
    f = demo_key_file(path)
    fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key.raw_hex)
    return "file"


def find_key(store: CredentialStore, path: Path) -> WorkspaceKey | None:
    """The stored key of a workspace, or None when the user must type its passphrase."""
    found = find_key_and_place(store, path)
    return found[0] if found else None


def find_key_and_place(store: CredentialStore, path: Path) -> tuple[WorkspaceKey, str] | None:
    """The stored key of a workspace and where it was found ('keychain' or 'file'). A key
    file is looked at first: store_key writes one only where the keychain failed, so a
    workspace with a key file has nothing in the keychain, and the keychain is not woken
    for it."""
    f = demo_key_file(path)
    if f.exists():
        return WorkspaceKey(raw_hex=f.read_text().strip()), "file"
    try:
        raw = store.get(key_name(path))
    except KeychainUnavailable:
        raw = None
    return (WorkspaceKey(raw_hex=raw), "keychain") if raw else None


def forget_key(store: CredentialStore, path: Path) -> None:
    """Forget a workspace's key and its audit trail's outside head (a workspace made again
    at the same place starts a new trail). The audit secret is kept under the workspace's
    id, which a failed creation forgets itself (forget_audit_secret)."""
    for name in (key_name(path), audit_anchor_name(location_of(path))):
        try:
            store.delete(name)
        except KeychainUnavailable:
            pass
    for f in (demo_key_file(path), demo_audit_secret_file(path), demo_audit_anchor_file(path)):
        f.unlink(missing_ok=True)


# -- names of the audit trail's secret and outside head ------------------------------------


def location_of(path: Path) -> str:
    """How a workspace file is named outside it (its resolved path)."""
    return str(Path(path).resolve())


def audit_secret_name(workspace_id: str) -> str:
    # Under the workspace's id, not its path: its backups are checked with the same secret.
    return f"audit-secret:{workspace_id}"


def audit_anchor_name(location: str) -> str:
    # Under the place, not the id: a copy elsewhere is not the workspace the head describes.
    return f"audit-head:{location}"


def demo_audit_secret_file(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + ".audit-secret")


def demo_audit_anchor_file(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + ".audit-head")


def forget_audit_secret(store: CredentialStore, workspace_id: str) -> None:
    try:
        store.delete(audit_secret_name(workspace_id))
    except KeychainUnavailable:
        pass
