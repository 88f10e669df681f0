"""The audit trail's secret and its head kept outside the workspace file.

Whoever has a workspace file and its key can run any SQL on it, triggers included. What
keeps them from rewriting the audit trail unseen is a secret they do not have: each event
carries an HMAC-SHA256 made with it (casework/services/audit.py), and the newest event's
MAC is also kept *outside* the file, where someone holding only the file cannot reach it.

The secret is never stored in the workspace file. Where it lives:
- **Keychain** (the usual case): 32 random bytes in the OS keychain, through the same
  CredentialStore as the workspace key, named by the workspace's id (so that its backups,
  elsewhere on disk, are checked with it too). A workspace on PostgreSQL keeps its secret the
  same way, in the keychain of the computer that created it (tests use an in-memory store);
  the database never holds it.
- **Passphrase** (no keychain): derived from the passphrase the user types, with Argon2id and
  a salt stored in the file (`audit_key_params`). The passphrase also opens the file, so here
  the secret is exactly as strong as the passphrase: someone who knows it can rewrite the
  trail and its head; the chain still stops anyone who has only the file's raw key, and the
  outside head still catches a file swapped for an older or shortened copy. A workspace on
  PostgreSQL may use a passphrase the same way.
- **Demo**: beside the demo file's key file, where there is no keychain. The demo holds
  fictional data only; it keeps its secret in a file so that it opens on any machine.

The outside head ("anchor") is the newest event's sequence number and MAC, with the
workspace and device it belongs to and where the keyed chain starts. It is kept with the
secret: in the keychain with a keychain's secret, otherwise in a file in the user's data
folder (beside the file for the demo); the sync hub will hold it later. It is stored with its own
MAC, so it cannot be forged, and it only moves forward by events that carry the secret's MAC,
so it cannot be rolled forward either. An anchor in a file could be put back to an older
copy of itself by someone who can write that folder; in the keychain it cannot.

It is written after each commit that added events (never before: an anchor must not claim
what the file may not hold), and only when the new events continue the chain from it. A crash between the two leaves it lagging behind the file, which
verification tells apart from tampering: the events after it still carry valid MACs, and the
next open moves it forward. What a lagging anchor cannot protect is the last transaction
before a crash; anything older, once anchored, cannot be removed unseen.

The anchor is kept per place (the file's path, or the database URL without its password), so
that a backup or copy elsewhere is checked as a copy: its chain must be intact, but it is
expected to end before the workspace's own head.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets as _secrets
import tempfile
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Protocol

from casework import paths
from casework.errors import CaseworkError
from casework.passwords import FAST_ENV  # tests: cheap KDF settings (never in production)
from casework.secrets import (
    CredentialStore,
    KeychainUnavailable,
    audit_anchor_name,
    audit_secret_name,
    demo_audit_anchor_file,
    demo_audit_secret_file,
)

SECRET_BYTES = 32
# Argon2id, OWASP's second recommended setting (19 MiB, two passes): about 60 ms here. The
# settings are stored with the salt, so that later releases may raise them for new files.
KDF_MEMORY_KIB, KDF_TIME, KDF_LANES = 19456, 2, 1
_KDF_LIMITS = {"m": (8, 1 << 20), "t": (1, 10), "p": (1, 8)}  # a file cannot ask for more
_KDF = re.compile(r"argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]{22,88}={0,2})")


class AuditSecretMissing(CaseworkError):
    """The workspace's audit secret is not where it should be: Casework can neither add to
    nor check its trail, so it does not open the workspace. (Not a WorkspaceKeyError: the
    key opened the file, and asking for the passphrase again would not help.)"""


class AnchorDamaged(Exception):
    """The outside head does not carry a valid MAC: it was changed, or is not this trail's."""


def subkey(secret: bytes, purpose: str) -> bytes:
    """One key per use of the secret (events, heads, anchors), so that a MAC made for one
    can never be passed off as another."""
    return hmac.new(secret, f"casework/audit/{purpose}/v1".encode(), hashlib.sha256).digest()


# -- the secret --------------------------------------------------------------------------------


def new_kdf_params() -> str:
    fast = os.environ.get(FAST_ENV) == "1"
    m, t, p = (1024, 1, 1) if fast else (KDF_MEMORY_KIB, KDF_TIME, KDF_LANES)
    salt = base64.b64encode(_secrets.token_bytes(16)).decode()
    return f"argon2id$v=19$m={m},t={t},p={p}${salt}"


def derive_secret(passphrase: str, params: str) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    match = _KDF.fullmatch(params or "")
    if match is None:
        raise AuditSecretMissing("The audit trail's key settings in this file are not valid: "
                                 "the file was changed outside Casework.")
    cost = dict(zip("mtp", (int(g) for g in match.groups()[:3])))
    if any(not lo <= cost[k] <= hi for k, (lo, hi) in _KDF_LIMITS.items()):
        raise AuditSecretMissing("The audit trail's key settings in this file ask for more "
                                 "than Casework allows: the file was changed outside Casework.")
    salt = base64.b64decode(match[4])
    return hash_secret_raw(passphrase.encode("utf-8", "surrogatepass"), salt,
                           time_cost=cost["t"], memory_cost=cost["m"], parallelism=cost["p"],
                           hash_len=SECRET_BYTES, type=Type.ID)


# -- the outside head --------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """The chain's head as last recorded outside the file. `restoring` is set while a
    restore is under way: the head of the backup that is replacing the file."""

    workspace_id: str
    device_id: str
    keyed_from: int
    seq: int
    mac: str
    restoring: tuple[int, str] | None = None

    def _body(self) -> dict:
        body = asdict(self)
        body["restoring"] = list(self.restoring) if self.restoring else None
        return body


class AnchorStore(Protocol):
    where: str

    def read(self) -> str | None: ...
    def write(self, text: str) -> None: ...
    def forget(self) -> None: ...


class KeychainAnchor:
    def __init__(self, store: CredentialStore, location: str):
        self.store, self.name = store, audit_anchor_name(location)
        self.where = "the keychain"

    def read(self) -> str | None:
        return self.store.get(self.name)

    def write(self, text: str) -> None:
        self.store.set(self.name, text)

    def forget(self) -> None:
        self.store.delete(self.name)


class FileAnchor:
    """A small file outside the workspace file, replaced whole on each write (written under
    another name, then renamed over it), so that a process killed at any point leaves the
    old head or the new one, never a torn one. It is not synced to disk on each commit: on a
    slow disk that would double the cost of an audited write. After a power cut it may lag
    (not a problem); on a filesystem that does not keep a renamed file's contents across a
    power cut (ext4, the usual one on Linux, does) it could come back empty, which
    verification reports as unreadable, naming that cause as well as tampering."""

    def __init__(self, path: Path):
        self.path = path
        self.where = str(path)

    def read(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def write(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)


def anchor_file(location: str) -> Path:
    """Where a workspace's outside head is kept when there is no keychain: in this user's data
    folder, not beside the workspace (which may sit on a shared or removable drive)."""
    name = hashlib.sha256(location.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return paths.home() / "audit-heads" / f"{name}.json"


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(location: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(location, threading.Lock())


class AuditVault:
    """The audit secret of one workspace and its outside head at one place."""

    def __init__(self, secret: bytes, anchors: list[AnchorStore], *, location: str,
                 kind: str, expect_anchor: bool, params: str | None = None):
        self._secret = secret
        self.params = params  # the KDF settings a derived secret came from
        self._anchor_key = subkey(secret, "anchor")
        self._anchors = anchors
        self.location = location
        self.kind = kind  # "keychain" | "passphrase" | "demo file": where the secret lives
        # Whether this place is the workspace itself (its key was found for this place), so
        # that a missing outside head means it was removed, not that this is a copy.
        self.expect_anchor = expect_anchor
        self._lock = _lock_for(location)
        self._known: Anchor | None = None  # the head this process last read or wrote

    def __repr__(self) -> str:  # the secret never reaches a log or a traceback
        return f"AuditVault({self.kind}, {self.location})"

    @property
    def secret(self) -> bytes:
        return self._secret

    @property
    def where(self) -> str:
        return " or ".join(a.where for a in self._anchors) or "nowhere"

    # -- reading and writing ---------------------------------------------------------------

    def anchor(self) -> Anchor | None:
        """The outside head, or None if there is none here. Raises AnchorDamaged if it
        does not carry its MAC, and KeychainUnavailable if the keychain cannot be read."""
        for store in self._anchors:
            try:
                text = store.read()
            except KeychainUnavailable:
                if store is self._anchors[-1]:
                    raise
                continue
            if text is not None:
                self._known = self._parse(text)
                return self._known
        return None

    def set_anchor(self, anchor: Anchor) -> None:
        """Record `anchor` as the head, whatever was there (a new chain, a seal, a restore)."""
        with self._lock:
            self._write(anchor)

    def current(self, *, fresh: bool = False) -> Anchor | None:
        """The outside head as this process last saw it (read again if `fresh`), or None
        when there is none or it cannot be used (damaged, or the keychain unreadable)."""
        with self._lock:
            if fresh or self._known is None:
                try:
                    self._known = self.anchor()
                except (AnchorDamaged, KeychainUnavailable):
                    self._known = None
            return self._known

    def advance(self, device_id: str, keyed_from: int, seq: int, mac: str) -> None:
        """Move the head forward to a newly committed event, which the caller has checked
        continues the chain from the head (casework/services/audit.py). Only forward, only
        an existing head of the same chain: a head that was removed stays removed, for
        verification to report, and a restore in progress is finished by the next open."""
        with self._lock:
            current = self._known
            if current is None:
                try:
                    current = self.anchor()
                except (AnchorDamaged, KeychainUnavailable):
                    return
            if (current is None or current.restoring is not None
                    or current.device_id != device_id or current.keyed_from != keyed_from
                    or seq <= current.seq):
                self._known = current
                return
            self._write(replace(current, seq=seq, mac=mac))

    def forget_anchor(self) -> None:
        with self._lock:
            for store in self._anchors:
                try:
                    store.forget()
                except KeychainUnavailable:
                    pass
            self._known = None

    def _write(self, anchor: Anchor) -> None:
        body = anchor._body()
        text = json.dumps({**body, "mac_of_head": self._tag(body)}, sort_keys=True)
        for store in self._anchors:
            try:
                store.write(text)
                break
            except KeychainUnavailable:
                if store is self._anchors[-1]:
                    raise
        self._known = anchor

    def _tag(self, body: dict) -> str:
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        return hmac.new(self._anchor_key, canonical, hashlib.sha256).hexdigest()

    def _parse(self, text: str) -> Anchor:
        try:
            data = json.loads(text)
            tag = data.pop("mac_of_head")
            ok = hmac.compare_digest(str(tag), self._tag(data))
            restoring = data.get("restoring")
            anchor = Anchor(str(data["workspace_id"]), str(data["device_id"]),
                            int(data["keyed_from"]), int(data["seq"]), str(data["mac"]),
                            (int(restoring[0]), str(restoring[1])) if restoring else None)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            raise AnchorDamaged("it cannot be read: it was changed outside Casework, or (if "
                                "it is empty) lost in a power cut") from exc
        if not ok:
            raise AnchorDamaged("it does not carry this trail's MAC")
        return anchor


# -- finding the vault of a workspace ----------------------------------------------------------


def open_vault(*, location: str, path: Path | None, workspace_id: str, is_demo: bool,
               key_place: str, passphrase: str | None, params: str | None,
               store: CredentialStore, may_create: bool,
               ) -> tuple[AuditVault, str | None]:
    """The vault of a workspace, and the KDF settings to store in the file when a secret was
    just derived for the first time (else None).

    `key_place` is where the workspace key was found: 'keychain' or 'file' (the demo's key
    file) mean this place is the workspace itself; 'given' (a key handed in), 'passphrase'
    or 'hub' (PostgreSQL) say nothing more. A new secret is made only when `may_create`
    (a new workspace, or one whose trail is not yet keyed); otherwise a missing secret
    raises AuditSecretMissing."""
    new_params = None
    if params is None and passphrase is not None and may_create:
        params = new_params = new_kdf_params()
    expect = key_place in ("keychain", "file", "hub")
    if params is not None:
        if passphrase is None:
            raise AuditSecretMissing(
                "This workspace's audit secret comes from its passphrase: give the passphrase "
                "to open it.")
        secret = derive_secret(passphrase, params)
        vault = _vault(secret, store, location, path, is_demo, "passphrase", expect, params)
        return vault, new_params
    secret, kind = _stored_secret(store, path, workspace_id, is_demo, may_create)
    return _vault(secret, store, location, path, is_demo, kind, expect, None), None


def _vault(secret: bytes, store: CredentialStore, location: str, path: Path | None,
           is_demo: bool, kind: str, expect: bool, params: str | None) -> AuditVault:
    """The outside head goes with the secret: in the keychain with a keychain's secret (in
    the data folder if the keychain fails when it is written), beside the demo's secret
    file, in the data folder for a passphrase's."""
    anchors: list[AnchorStore]
    if kind == "demo file" and path is not None:
        anchors = [FileAnchor(demo_audit_anchor_file(path))]
    elif kind == "keychain":
        anchors = [KeychainAnchor(store, location), FileAnchor(anchor_file(location))]
    else:
        anchors = [FileAnchor(anchor_file(location))]
    return AuditVault(secret, anchors, location=location, kind=kind, expect_anchor=expect,
                      params=params)


def _stored_secret(store: CredentialStore, path: Path | None, workspace_id: str,
                   is_demo: bool, may_create: bool) -> tuple[bytes, str]:
    # The demo's file first: it has one only where the keychain failed, and the keychain
    # is then not woken for it (as for its key, secrets.find_key).
    beside = demo_audit_secret_file(path) if is_demo and path else None
    if beside is not None and beside.exists():
        return _unhex(beside.read_text(encoding="utf-8").strip()), "demo file"
    name = audit_secret_name(workspace_id)
    keychain = True
    try:
        found = store.get(name)
    except KeychainUnavailable:
        found, keychain = None, False
    if found:
        return _unhex(found), "keychain"
    if not may_create:
        where = "this computer's keychain" if keychain else "a keychain (this computer has none)"
        raise AuditSecretMissing(
            f"This workspace's audit secret is not in {where}, so Casework can neither check "
            "nor add to its audit trail. Open it on the computer that keeps its secret, or "
            "restore that keychain entry.")
    secret = _secrets.token_bytes(SECRET_BYTES)
    if keychain:
        store.set(name, secret.hex())
        return secret, "keychain"
    if beside is None:
        raise AuditSecretMissing(
            "This computer has no keychain to keep the workspace's audit secret in: give the "
            "workspace a passphrase instead (its audit secret is then derived from it).")
    _write_private(beside, secret.hex())
    return secret, "demo file"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def _unhex(text: str) -> bytes:
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) != SECRET_BYTES:
        raise AuditSecretMissing("The workspace's audit secret that was found is not valid.")
    return secret

