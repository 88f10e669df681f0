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
    find_key,
    forget_key,
    key_name,
    store_key,
)
from casework import dto
from casework.services.audit import AuditReport, verify_chain
from casework.services.base import Context, actor_from, check, load_actor, refusals_audited
from casework.services.checked import checked
from casework.services.me import Me
from casework.timeutil import Clock, show_time, utcnow

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Verified against when the username is unknown, so that both paths cost the same.
_DUMMY_HASH: str | None = None


class Workspace:
    def __init__(self, db: Database, ctx: Context, key: WorkspaceKey | None):
        self.db = db
        self._ctx = ctx
        self._key = key
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
        """Check the audit chain. Needs only the key: it reveals no case content."""
        with self.db.read() as s:
            return verify_chain(s)

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
        with self.db.write() as s:  # kept in the 'before-restore' copy of this file
            self._ctx.audit(s, actor, "restore_workspace", entity_type="workspace",
                            detail={"backup": backup_name})
        self.close()
        backups.restore(Path(backup_path), path, self._key)
        restored = open_workspace(path, key=self._key, clock=self._ctx.clock)
        with restored.db.write() as s:
            # The restored file's own chain says what happened to it, and by whom.
            restored._ctx.audit(s, actor, "restored_from_backup", entity_type="workspace",
                                detail={"backup": backup_name})
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
) -> WorkspaceKey:
    if key is not None:
        return key
    if passphrase is not None:
        return WorkspaceKey.from_passphrase(passphrase)
    found = find_key(credentials, path)
    if found is None:
        raise PassphraseNeeded(f"{path.name} is protected by a passphrase: type it to open it.")
    return found


def open_workspace(
    url_or_path: str | Path,
    *,
    key: WorkspaceKey | None = None,
    passphrase: str | None = None,
    credentials: CredentialStore | None = None,
    clock: Clock = utcnow,
    on_progress: Callable[[dto.OpeningStep, float | None], None] | None = None,
) -> Workspace:
    """Open an existing workspace (a file path or a PostgreSQL URL), upgrading its schema to
    the current version after backing the file up. `on_progress(step, fraction or None)`
    hears how an upgrade goes (the backup can take a minute on a large file); whatever it
    raises during the backup stops it, leaving the file as it was."""
    url = to_url(url_or_path)
    path = sqlite_path(url)
    wkey = None
    if path is not None:
        if not path.exists():
            raise WorkspaceMissing(
                f"There is no workspace at {path}. Create one with 'casework-admin init'."
            )
        wkey = _resolve_key(path, key, passphrase, credentials or KeyringStore())
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
            device_id = row.device_id
    except BaseException:
        db.dispose()
        raise
    return Workspace(db, Context(db, clock, device_id, Bus(), wkey), wkey)


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
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if passphrase is not None:
            wkey = WorkspaceKey.from_passphrase(passphrase)
        else:
            wkey = WorkspaceKey.new_raw()
            try:
                store_key(store, path, wkey, demo=demo)
            except KeychainUnavailable:
                raise PassphraseNeeded(
                    "This computer has no keychain to hold the workspace key: "
                    "choose a passphrase for the workspace instead."
                ) from None
    db = Database(make_engine(url, wkey))
    try:
        migrations.upgrade(db.engine)
        device_id = new_id()
        ctx = Context(db, clock, device_id, Bus(), wkey)
        with db.write() as s:
            if s.get(WorkspaceRow, 1) is not None:
                raise ValidationError("path", "already holds a workspace")
            now = ctx.now()
            s.add(WorkspaceRow(id=1, workspace_id=new_id(), name=name.strip(), is_demo=demo,
                               device_id=device_id, created_at=now))
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
        if path is not None:
            if passphrase is None:
                forget_key(store, path)
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return Workspace(db, ctx, wkey)
