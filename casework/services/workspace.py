"""Opening and creating workspaces, and signing in.

    ws = open_workspace("path/to/casework.db")      # finds the key, migrates (after a backup)
    me = ws.login("username", "password")           # services bound to this member of staff
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated

from sqlalchemy import select

from casework import backups, migrations, passwords
from casework import permissions as perm
from casework.db import Database, make_engine, sqlite_path, to_url
from casework.errors import (  # services re-exports the last two, which are raised here
    AuthenticationFailed,
    CaseworkError,
    ValidationError,
    PassphraseNeeded,
    WorkspaceMissing,
)
from casework.audit_vault import AuditVault
from casework.events import Bus
from casework.fields import DISPLAY_NAME, USERNAME, WORKSPACE_NAME, Opaque, Secret, Text
from casework.models import SignInState, Staff
from casework.models import WorkspaceInfo as WorkspaceRow
from casework.models.base import new_id
from casework.paths import backups_dir
from casework.secrets import (
    CredentialStore,
    KeychainUnavailable,
    KeyringStore,
    WorkspaceKey,
    find_key_and_place,
    forget_audit_secret,
    forget_key,
    key_name,
    location_of,
    store_key,
)
from casework import dto
from casework.services.audit_seal import (
    anchor_head,
    begin_new_chain,
    check_backup,
    head_now,
    new_chain,
    open_chain,
    prepare_restore,
)
from casework.services.audit import AuditReport
from casework.services.audit_verify import anchor_view, verify_trail
from casework.services.base import Context, actor_from, check, load_actor, refusals_audited
from casework.services.checked import checked
from casework.services.me import Me
from casework.timeutil import Clock, show_time, utcnow

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Verified against when the username is unknown, so that both paths cost the same.
_DUMMY_HASH: str | None = None


class Workspace:
    def __init__(self, db: Database, ctx: Context, key: WorkspaceKey | None,
                 credentials: CredentialStore | None = None):
        self.db = db
        self._ctx = ctx
        self._key = key
        self._credentials = credentials  # where the key and the audit secret were found
        self.bus = ctx.bus

    @property
    def info(self) -> dto.WorkspaceInfo:
        with self.db.read() as s:
            row = s.get(WorkspaceRow, 1)
            assert row is not None
            path = self.db.path
            location = str(path) if path else self.db.engine.url.render_as_string(hide_password=True)
            return dto.WorkspaceInfo(row.workspace_id, row.name, row.is_demo, row.device_id, location)

    @property
    def key(self) -> WorkspaceKey | None:
        return self._key

    @checked
    def login(self, username: Annotated[str, Text(USERNAME)], password: Secret) -> Me:
        """Sign in. Wrong passwords count; the fifth in a row locks the account for fifteen
        minutes. Every failure and every success is audited."""
        name = (username or "").strip().lower()
        failure: AuthenticationFailed | None = None
        with self.db.write() as s:
            staff = s.scalar(select(Staff).where(Staff.username == name))
            now = self._ctx.now()
            if staff is None:
                passwords.verify_password(_dummy_hash(), password or "")
                self._ctx.audit(s, None, "login", outcome="refused", reason="unknown_user",
                                actor_name=name or "(blank)", detail={"username": name})
                failure = AuthenticationFailed("Wrong username or password.", reason="bad_credentials")
            else:
                actor = actor_from(s, staff)
                failure = self._check_login(s, staff, actor, password or "", now)
                if failure is None:  # the first call after signing in finds the actor kept
                    self._ctx.actors.actor(s, staff.id)
        if failure is not None:
            raise failure
        return Me(self._ctx, staff.id)

    def _check_login(self, s, staff: Staff, actor: perm.Actor, password: str, now) -> AuthenticationFailed | None:
        def refuse(reason: str, message: str) -> AuthenticationFailed:
            self._ctx.audit(s, actor, "login", outcome="refused", reason=reason,
                            entity_type="staff", entity_id=staff.id)
            return AuthenticationFailed(message, reason=reason)

        if not actor.active:
            return refuse("account_inactive", "This account is deactivated. Ask your administrator.")
        state = sign_in_state(s, staff.id)
        if state.locked_until is not None and state.locked_until > now:
            return refuse(
                "account_locked",
                "This account is locked after five wrong passwords. "
                f"Try again after {show_time(state.locked_until)}, "
                "or ask your administrator to reset your password.",
            )
        if not passwords.verify_password(staff.password_hash, password):
            state.failed_logins += 1
            if state.failed_logins >= MAX_FAILED_LOGINS:
                state.failed_logins = 0
                state.locked_until = now + LOCKOUT
                self._ctx.audit(s, actor, "account_locked", entity_type="staff", entity_id=staff.id,
                                detail={"until": state.locked_until.isoformat()})
                return refuse(
                    "account_locked",
                    "Wrong password. This account is now locked for fifteen minutes after five "
                    "wrong passwords.",
                )
            left = MAX_FAILED_LOGINS - state.failed_logins
            return refuse(
                "bad_credentials",
                f"Wrong username or password. {left} more wrong "
                f"{'password locks' if left == 1 else 'passwords lock'} the account.",
            )
        if passwords.needs_rehash(staff.password_hash):
            staff.password_hash = passwords.hash_password(password)
        state.failed_logins = 0
        state.locked_until = None
        state.last_login_at = now
        self._ctx.audit(s, actor, "login", entity_type="staff", entity_id=staff.id)
        return None

    def verify_audit(self) -> AuditReport:
        """Check the audit chain, with the audit secret and the head kept outside the file.
        Needs no sign-in: it reveals no case content."""
        chain = self._ctx.chain
        assert chain is not None
        view = anchor_view(chain.vault)
        with self.db.read() as s:
            return verify_trail(s.connection(), chain, view)

    def restore(self, me: Me, backup_path: str | Path) -> "Workspace":
        """Replace this workspace file with a backup and return the reopened workspace.
        Only an administrator may; the current file is kept as a 'before-restore' backup.
        Both files' audit chains record the restore; everyone must sign in again."""
        path = self.db.path
        backup_name = Path(backup_path).name
        with refusals_audited(self._ctx), self.db.read() as s:
            actor = load_actor(s, me.staff_id)
            check(actor, "restore_workspace",
                  perm.decide_action(actor, perm.Action.RESTORE_WORKSPACE),
                  entity_type="workspace", detail={"backup": backup_name})
        if path is None:
            raise CaseworkError("Only a workspace file can be restored from a backup.")
        # Refuse a bad backup while this workspace is still in use, not after closing it.
        problem = backups.verify_backup(backup_path, self._key)
        if problem != "ok":
            raise ValidationError("backup", f"{backup_name} cannot be restored: {problem}")
        chain = self._ctx.chain
        assert chain is not None
        # Its trail must be this workspace's and intact: a restore moves the outside head.
        problem, backup_head = check_backup(Path(backup_path), self._key, chain)
        if problem is not None:
            with self.db.write() as s:
                self._ctx.audit(s, actor, "restore_workspace", entity_type="workspace",
                                outcome="refused", reason="backup_trail_broken",
                                detail={"backup": backup_name, "problem": problem})
            raise ValidationError("backup", f"{backup_name} cannot be restored: {problem}")
        with self.db.write() as s:  # kept in the 'before-restore' copy of this file
            self._ctx.audit(s, actor, "restore_workspace", entity_type="workspace",
                            detail={"backup": backup_name})
        replaced = head_now(chain)
        prepare_restore(chain, backup_head)
        self.close()
        backups.restore(Path(backup_path), path, self._key)
        restored = open_workspace(path, key=self._key, clock=self._ctx.clock,
                                  credentials=self._credentials, audit_vault=chain.vault)
        with restored.db.write() as s:
            # The restored file's own chain says what happened to it, by whom, and which
            # head (kept outside the file) it replaced.
            restored._ctx.audit(s, actor, "restored_from_backup", entity_type="workspace",
                                detail={"backup": backup_name, "replaced_head": replaced})
        anchor_head(restored.db, restored._ctx.chain)
        return restored

    def close(self) -> None:
        self.db.dispose()


def sign_in_state(s, staff_id: str) -> SignInState:
    state = s.get(SignInState, staff_id)
    if state is None:
        state = SignInState(staff_id=staff_id, failed_logins=0)
        s.add(state)
    return state


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = passwords.hash_password(new_id())
    return _DUMMY_HASH


def _resolve_key(
    path: Path,
    key: WorkspaceKey | None,
    passphrase: str | None,
    credentials: CredentialStore,
) -> tuple[WorkspaceKey, str]:
    """The key, and where it came from: 'given', 'passphrase', 'keychain' or 'file'."""
    if key is not None:
        return key, "given"
    if passphrase is not None:
        return WorkspaceKey.from_passphrase(passphrase), "passphrase"
    found = find_key_and_place(credentials, path)
    if found is None:
        raise PassphraseNeeded(f"{path.name} is protected by a passphrase: type it to open it.")
    return found


def _location(db: Database) -> str:
    """How the audit trail names this workspace outside it: the file, or the database URL
    without its password."""
    path = db.path
    if path is not None:
        return location_of(path)
    return db.engine.url.set(password=None).render_as_string(hide_password=False)


def open_workspace(
    url_or_path: str | Path,
    *,
    key: WorkspaceKey | None = None,
    passphrase: str | None = None,
    credentials: CredentialStore | None = None,
    clock: Clock = utcnow,
    on_progress: Callable[[dto.OpeningStep, float | None], None] | None = None,
    audit_vault: AuditVault | None = None,
) -> Workspace:
    """Open an existing workspace (a file path or a PostgreSQL URL), upgrading its schema to
    the current version after backing the file up. `on_progress(step, fraction or None)`
    hears how an upgrade goes (the backup can take a minute on a large file); whatever it
    raises during the backup stops it, leaving the file as it was. The audit secret is found
    where the key was (the keychain, the passphrase, or the demo's key file); a PostgreSQL
    workspace keeps it in this computer's keychain, or derives it from `passphrase`.
    `audit_vault` is the vault of the workspace a restore is replacing."""
    url = to_url(url_or_path)
    path = sqlite_path(url)
    store = credentials or KeyringStore()
    wkey, key_place = None, "hub"
    if path is not None:
        if not path.exists():
            raise WorkspaceMissing(
                f"There is no workspace at {path}. Create one with 'casework-admin init'."
            )
        wkey, key_place = _resolve_key(path, key, passphrase, store)
    db = Database(make_engine(url, wkey))
    try:
        report = on_progress or (lambda step, fraction: None)
        steps = {backups.COPY: dto.OpeningStep.BACKUP, backups.CHECK: dto.OpeningStep.CHECK}

        def backup_first(current: str | None) -> None:
            if path is not None and current is not None:
                backups.backup(db.engine, wkey, backups_dir(path), label=f"before-upgrade-{current}",
                               progress=lambda stage, fraction: report(steps[stage], fraction))
            report(dto.OpeningStep.UPGRADE, None)

        migrations.upgrade(db.engine, before=backup_first)
        with db.read() as s:
            row = s.get(WorkspaceRow, 1)
            if row is None:
                raise WorkspaceMissing(f"{url_or_path} is not a Casework workspace.")
            device_id, workspace_id, is_demo = row.device_id, row.workspace_id, row.is_demo
        chain = open_chain(
            db, location=_location(db), path=path, workspace_id=workspace_id,
            device_id=device_id, is_demo=is_demo, key_place=key_place,
            passphrase=wkey.passphrase if wkey is not None else passphrase, store=store,
            clock=clock, vault=audit_vault)
    except BaseException:
        db.dispose()
        raise
    return Workspace(db, Context(db, clock, device_id, Bus(), wkey, chain=chain), wkey, store)


def keychain_available(path: str | Path, credentials: CredentialStore | None = None) -> bool:
    """Whether this computer has a keychain to keep the key of a workspace at `path`: asked
    of the credential store create_workspace keeps the key in, so the answer matches what
    creating will meet."""
    try:
        (credentials or KeyringStore()).get(key_name(Path(path)))
    except KeychainUnavailable:
        return False
    return True


@checked
def create_workspace(
    url_or_path: Annotated[str | Path, Opaque()],
    *,
    name: Annotated[str, Text(WORKSPACE_NAME)],
    admin_username: Annotated[str, Text(USERNAME)],
    admin_password: Secret,
    admin_display_name: Annotated[str, Text(DISPLAY_NAME)] = "Administrator",
    demo: bool = False,
    passphrase: Secret | None = None,
    credentials: Annotated[CredentialStore | None, Opaque()] = None,
    clock: Annotated[Clock, Opaque()] = utcnow,
) -> Workspace:
    """Create a workspace with its first administrator. A file gets a random key kept in the
    keychain; with no keychain a real workspace needs a passphrase, and only the fictional
    demo keeps its key in a file beside it."""
    url = to_url(url_or_path)
    path = sqlite_path(url)
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "must not be empty"
    try:
        passwords.check_new_password(admin_password, username=admin_username, field="admin_password")
    except ValidationError as exc:
        problems.update(exc.problems)
    if not admin_username.strip():
        problems["admin_username"] = "must not be empty"
    if passphrase is not None:
        try:
            passwords.check_new_passphrase(passphrase)
        except ValidationError as exc:
            problems.update(exc.problems)
    if path is not None and path.exists():
        problems["path"] = f"{path} already exists"
    if problems:
        raise ValidationError.of(problems)

    wkey: WorkspaceKey | None = None
    store = credentials or KeyringStore()
    key_place = "hub"
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if passphrase is not None:
            wkey, key_place = WorkspaceKey.from_passphrase(passphrase), "passphrase"
        else:
            wkey = WorkspaceKey.new_raw()
            try:
                key_place = store_key(store, path, wkey, demo=demo)
            except KeychainUnavailable:
                raise PassphraseNeeded(
                    "This computer has no keychain to hold the workspace key: "
                    "choose a passphrase for the workspace instead."
                ) from None
    db = Database(make_engine(url, wkey))
    workspace_id = new_id()
    try:
        migrations.upgrade(db.engine)
        device_id = new_id()
        chain, params = new_chain(
            location=_location(db), path=path, workspace_id=workspace_id, device_id=device_id,
            is_demo=demo, key_place=key_place, passphrase=passphrase, store=store)
        ctx = Context(db, clock, device_id, Bus(), wkey, chain=chain)
        with db.write() as s:
            if s.get(WorkspaceRow, 1) is not None:
                raise ValidationError("path", "already holds a workspace")
            now = ctx.now()
            s.add(WorkspaceRow(id=1, workspace_id=workspace_id, name=name.strip(), is_demo=demo,
                               device_id=device_id, created_at=now))
            begin_new_chain(s, chain, params)
            admin = Staff(
                id=new_id(), username=admin_username.strip().lower(),
                display_name=admin_display_name.strip() or "Administrator",
                role=perm.Role.ADMINISTRATOR.value, team_id=None, fte_percent=100,
                password_hash=passwords.hash_password(admin_password), active=True,
                updated_at=now,
            )
            s.add(admin)
            s.flush()
            actor = actor_from(s, admin)
            ctx.audit(s, actor, "create_workspace", entity_type="workspace",
                      detail={"name": name.strip(), "demo": demo})
    except BaseException:
        db.dispose()
        forget_audit_secret(store, workspace_id)
        if path is not None:
            if passphrase is None:
                forget_key(store, path)
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return Workspace(db, ctx, wkey, store)
