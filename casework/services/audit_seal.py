"""The audit trail when a workspace is opened, created or restored.

- **A new workspace** gets a new audit secret and a chain keyed from its first event; its
  outside head is recorded (at #0) before the first commit, so that a keyed chain without
  one is always a removed head, never an unfinished creation.
- **A workspace from an earlier release** (an unkeyed SHA-256 chain) is sealed the first time
  this release opens it with its secret: the whole history is verified, and the first keyed
  event, `audit_trail_sealed`, says what was found (damage included: nothing is sealed over
  silently) and covers the old head, so that no event before it can be rewritten afterwards
  without the seal failing. If the head kept outside the file says the trail had been keyed
  already (the file was replaced by an older copy, or rewritten as an unkeyed chain), the seal
  records that too, and verification reports it from then on. The secret is made, and the
  seal written, under the file's write lock, so that two copies of Casework opening the file
  at once seal it once.
- **A workspace already keyed**: if its outside head lags behind the file (Casework stopped
  between a commit and recording the head), the events after it are verified and the head is
  moved forward; a head *ahead* of the file is left as it is, for verification to report.
- **A restore** marks the outside head with the backup's own head before the file is swapped;
  the next open (normally the restore's own) finds the file is that backup and moves the head
  to it. A crash during the restore therefore leaves a head that still matches whichever file
  is there. A backup whose trail does not verify, or of another workspace, is not restored.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select, text

from casework.audit_vault import (
    Anchor,
    AuditVault,
    derive_secret,
    open_vault,
)
from casework.db import Database, make_engine
from casework.models import AuditEvent, AuditHead
from casework.models.audit import AuditKeyParams
from casework.secrets import CredentialStore, WorkspaceKey
from casework.services.audit import (
    GENESIS,
    SEAL_ACTION,
    AuditChain,
    append_event,
    segment_authentic,
    start_chain,
)
from casework.services.audit_verify import AnchorView, anchor_view, verify_trail
from casework.timeutil import Clock

FOUND_LISTED = 15  # problems named in the seal event (the count covers them all)


def new_chain(*, location: str, path: Path | None, workspace_id: str, device_id: str,
              is_demo: bool, key_place: str, passphrase: str | None,
              store: CredentialStore) -> tuple[AuditChain, str | None]:
    """The chain of a workspace being created, and the KDF settings to store with it."""
    vault, params = open_vault(location=location, path=path, workspace_id=workspace_id,
                               is_demo=is_demo, key_place=key_place, passphrase=passphrase,
                               params=None, store=store, may_create=True)
    return AuditChain(vault, workspace_id, device_id), params


def begin_new_chain(session, chain: AuditChain, params: str | None) -> None:
    """In the creating transaction: the head row, the KDF settings, and (before the commit)
    the outside head at #0."""
    if params is not None:
        session.add(AuditKeyParams(id=1, kdf=params))
    start_chain(session, chain)
    chain.vault.set_anchor(Anchor(chain.workspace_id, chain.device_id, 1, 0, GENESIS))


def open_chain(db: Database, *, location: str, path: Path | None, workspace_id: str,
               device_id: str, is_demo: bool, key_place: str, passphrase: str | None,
               store: CredentialStore, clock: Clock,
               vault: AuditVault | None = None) -> AuditChain:
    """The chain of a workspace being opened: sealed first if it is not keyed yet, its
    outside head brought up to date if it lags."""
    def resolve(session, may_create: bool) -> tuple[AuditVault, str | None]:
        params = session.get(AuditKeyParams, 1)
        if vault is not None:
            # A restore keeps the workspace's secret: a backup from before the trail was
            # keyed takes the workspace's KDF settings, so that its secret is the same.
            if params is None and may_create:
                return vault, vault.params
            if (params.kdf if params else None) == vault.params:
                return vault, None
        return open_vault(location=location, path=path, workspace_id=workspace_id,
                          is_demo=is_demo, key_place=key_place, passphrase=passphrase,
                          params=params.kdf if params else None, store=store,
                          may_create=may_create)

    with db.read() as s:
        head = s.get(AuditHead, device_id)
        keyed = head is not None and head.keyed_from is not None
        if keyed:
            found, _ = resolve(s, False)
    if keyed:
        chain = AuditChain(found, workspace_id, device_id)
        catch_up(db, chain)
        return chain
    # Not keyed yet: make or find the secret while holding the write lock.
    with db.write() as s:
        head = s.get(AuditHead, device_id, with_for_update=True)
        found, params = resolve(s, head is None or head.keyed_from is None)
        if params is not None:
            s.add(AuditKeyParams(id=1, kdf=params))
    chain = AuditChain(found, workspace_id, device_id)
    seal(db, chain, clock)
    return chain


def seal(db: Database, chain: AuditChain, clock: Clock) -> None:
    """Verify the unkeyed history and seal it with the first keyed event."""
    with db.write() as s:
        head = s.get(AuditHead, chain.device_id, with_for_update=True, populate_existing=True)
        if head is not None and head.keyed_from is not None:
            return  # sealed meanwhile by another copy of Casework
        report = verify_trail(s.connection(), None)
        if head is None:
            last = s.execute(select(AuditEvent.seq, AuditEvent.hash)
                             .where(AuditEvent.device_id == chain.device_id)
                             .order_by(AuditEvent.seq.desc()).limit(1)).first()
            head = AuditHead(device_id=chain.device_id, seq=last[0] if last else 0,
                             hash=last[1] if last else GENESIS)
            s.add(head)
        first_keyed = head.seq + 1
        found = [{"kind": p.kind, "seq": p.seq, "message": p.message[:300]}
                 for p in report.problems]
        found += _contradictions(chain, head.seq, head.hash, first_keyed)
        others = {d: [seq, h] for d, seq, h in s.execute(
            select(AuditHead.device_id, AuditHead.seq, AuditHead.hash)
            .where(AuditHead.device_id != chain.device_id))}
        # Recorded before the commit: a crash now leaves a head that matches the file as it
        # is (ending at the old head, not yet keyed), which the next seal recognises.
        chain.vault.set_anchor(Anchor(chain.workspace_id, chain.device_id, first_keyed,
                                      head.seq, head.hash))
        head.keyed_from = first_keyed
        head.mac = chain.head_mac(chain.device_id, first_keyed, head.seq, head.hash)
        s.flush()
        append_event(s, chain, at=clock(), actor_id=None, actor_name="Casework",
                     action=SEAL_ACTION, entity_type="audit", detail={
                         "legacy_events": report.events_checked,
                         "legacy_head": {"seq": head.seq, "hash": head.hash},
                         "devices": others,
                         "problems": len(found),
                         "found": found[:FOUND_LISTED],
                         "notes": list(report.notes),
                     })


def _contradictions(chain: AuditChain, seq: int, hash_: str, first_keyed: int) -> list[dict]:
    """What the head kept outside the file says against sealing this file now."""
    view = anchor_view(chain.vault)
    if view.damaged:
        return [{"kind": "anchor_damaged", "seq": None,
                 "message": f"the record of the chain's head kept outside the file was "
                            f"changed ({view.damaged})"}]
    a = view.anchor
    if a is None:
        return []
    if a.restoring == (seq, hash_):
        return []  # the restore of a backup made before the trail was keyed
    if (a.workspace_id, a.device_id, a.keyed_from, a.seq, a.mac) == (
            chain.workspace_id, chain.device_id, first_keyed, seq, hash_):
        return []  # a seal of this very file that did not finish
    return [{"kind": "anchor_mismatch", "seq": a.seq,
             "message": f"the record kept outside the file says this trail was already keyed "
                        f"from #{a.keyed_from} and had reached #{a.seq}, but this file's trail "
                        f"was not keyed and ends at #{seq}: the file was replaced by an older "
                        "copy, or its trail rewritten as an unkeyed chain"}]


# -- keeping the outside head up to date -----------------------------------------------------


def catch_up(db: Database, chain: AuditChain) -> None:
    """Move a lagging outside head forward to the file's head, if every event in between is
    authentic; finish (or forget) a restore the head was marked with."""
    view = anchor_view(chain.vault)
    a = view.anchor
    if a is None or (a.workspace_id, a.device_id) != (chain.workspace_id, chain.device_id):
        return
    with db.read() as s:
        head = s.get(AuditHead, chain.device_id)
        if head is None or head.keyed_from is None:
            return
        conn = s.connection()
        if a.restoring is not None:
            seq, mac = a.restoring
            if segment_authentic(conn, chain, head, seq, mac):
                chain.vault.set_anchor(Anchor(chain.workspace_id, chain.device_id,
                                              head.keyed_from, head.seq, head.hash))
            elif segment_authentic(conn, chain, head, a.seq, a.mac):
                chain.vault.set_anchor(replace(a, restoring=None))  # the restore never happened
            return
        if head.seq > a.seq and head.keyed_from == a.keyed_from and segment_authentic(
                conn, chain, head, a.seq, a.mac):
            chain.vault.advance(chain.device_id, head.keyed_from, head.seq, head.hash)


def anchor_head(db: Database, chain: AuditChain) -> None:
    """Record the file's head outside it, as it is now (after a restore)."""
    with db.read() as s:
        head = s.get(AuditHead, chain.device_id)
    if head is not None and head.keyed_from is not None:
        chain.vault.set_anchor(Anchor(chain.workspace_id, chain.device_id, head.keyed_from,
                                      head.seq, head.hash))


def head_now(chain: AuditChain) -> dict[str, Any] | None:
    """The outside head as it is, for the record of a restore that replaces it."""
    a = anchor_view(chain.vault).anchor
    return {"seq": a.seq, "mac": a.mac} if a is not None else None


# -- restoring -------------------------------------------------------------------------------


def check_backup(path: Path, key: WorkspaceKey, chain: AuditChain) -> tuple[str | None,
                                                                           tuple[int, str] | None]:
    """Whether a backup may replace the workspace: a problem in words (or None), and the
    backup's own head. Its trail is checked as a copy's: intact, ending where it ends."""
    engine = make_engine(path, key)
    try:
        with engine.connect() as conn:
            info = conn.execute(text("SELECT workspace_id, device_id FROM workspace_info "
                                     "WHERE id = 1")).first()
            if info is None:
                return "it is not a Casework workspace", None
            if info[0] != chain.workspace_id:
                return "it is a backup of another workspace", None
            backup_chain = _chain_for_copy(conn, chain, key)
            report = verify_trail(conn, backup_chain, AnchorView())
            head = conn.execute(text("SELECT seq, hash FROM audit_head WHERE device_id = :d"),
                                {"d": info[1]}).first()
    finally:
        engine.dispose()
    if not report.ok:
        first = report.problems[0]
        more = len(report.problems) - 1
        return (f"its audit trail was altered ({first.message}"
                f"{f'; and {more} more problem(s)' if more else ''})"), None
    return None, (int(head[0]), str(head[1])) if head else None


def _chain_for_copy(conn, chain: AuditChain, key: WorkspaceKey) -> AuditChain | None:
    """The keys a copy of this workspace was written with: the workspace's own, unless the
    copy derives its secret with other settings (a copy keyed by itself, elsewhere)."""
    if "audit_key_params" not in inspect(conn).get_table_names():
        return None  # from before the trail was keyed
    params = conn.execute(text("SELECT kdf FROM audit_key_params WHERE id = 1")).scalar()
    if params is None or key.passphrase is None:
        return chain
    secret = derive_secret(key.passphrase, params)
    if secret == chain.vault.secret:
        return chain
    copy_vault = AuditVault(secret, [], location="", kind="passphrase", expect_anchor=False)
    return AuditChain(copy_vault, chain.workspace_id, chain.device_id)


def prepare_restore(chain: AuditChain, backup_head: tuple[int, str] | None) -> None:
    """Mark the outside head with the backup's head before the file is swapped."""
    a = anchor_view(chain.vault).anchor
    if a is not None and backup_head is not None:
        chain.vault.set_anchor(replace(a, restoring=backup_head))


