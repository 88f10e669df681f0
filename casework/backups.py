"""Backups of a workspace file, and restoring one.

A backup is a consistent copy of a live SQLCipher workspace made with SQLite's online backup
API (other connections may keep writing), encrypted with the same key, checked after it is
written, and named `casework-YYYYmmdd-HHMMSS-<label>.db` in UTC. Restoring checks the backup
first, keeps the current workspace beside the backups, then swaps the file atomically.
Pure Python: no Qt and no services, so the app, the CLI and the tests share it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine

from casework.db import connect_sqlcipher, sqlite_path
from casework.errors import CaseworkError, Conflict, ValidationError, WorkspaceKeyError
from casework.secrets import WorkspaceKey

LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
NAME = re.compile(r"casework-(?P<stamp>\d{8}-\d{6})-(?P<label>[A-Za-z0-9][A-Za-z0-9_-]*)\.db")
STAMP = "%Y%m%d-%H%M%S"
BEFORE_RESTORE = "before-restore"
LOCK_WAIT_MS = 250  # how long restore waits for another connection before refusing


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime  # UTC, from the file name
    label: str
    size: int


def backup(engine_or_path: Engine | str | Path, key: WorkspaceKey, dest_dir: str | Path, *,
           label: str) -> Path:
    """Copy a workspace (an open engine, or its file) into `dest_dir`, check the copy and
    return its path. Safe while the app is using the workspace."""
    if not LABEL.fullmatch(label):
        raise ValidationError("label", "use up to 40 letters, digits, '-' or '_'")
    if isinstance(engine_or_path, Engine):
        if sqlite_path(engine_or_path.url) is None:
            raise ValidationError("workspace", "only a workspace file can be backed up")
        raw = engine_or_path.raw_connection()  # reuses a keyed connection: no key derivation
        try:
            return _copy_into(raw.driver_connection, key, Path(dest_dir), label)
        finally:
            raw.close()
    if not Path(engine_or_path).is_file():  # connecting would create an empty workspace
        raise ValidationError("workspace", f"{engine_or_path} does not exist")
    with contextlib.closing(connect_sqlcipher(Path(engine_or_path), key)) as source:
        return _copy_into(source, key, Path(dest_dir), label)


def verify_backup(path: str | Path, key: WorkspaceKey) -> str:
    """'ok', or what is wrong: missing, does not open with the key, or damaged."""
    path = Path(path)
    if not path.is_file():
        return f"{path.name} does not exist"
    try:
        with contextlib.closing(connect_sqlcipher(path, key)) as conn:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            # SQLCipher's own check: every page's HMAC, which catches tampered bytes too.
            problems += [r[0] for r in conn.execute("PRAGMA cipher_integrity_check")]
    except WorkspaceKeyError:
        return f"{path.name} does not open with this key or passphrase"
    except sqlcipher.DatabaseError as exc:
        return f"{path.name} is damaged ({exc})"
    problems = [p for p in problems if p != "ok"]
    return "ok" if not problems else f"{path.name} is damaged: " + "; ".join(problems[:5])


def restore(backup_path: str | Path, workspace_path: str | Path, key: WorkspaceKey) -> Path:
    """Replace the workspace file with a backup; returns the workspace path.

    The caller must have closed every connection to the workspace first (engine.dispose()):
    a workspace still open elsewhere is refused with Conflict. The backup is checked first
    and refused with ValidationError('backup', ...) if it does not open with `key` or is
    damaged; the workspace is then untouched. The current workspace is kept beside the
    backups, labelled 'before-restore', before it is replaced.
    """
    backup_path, workspace = Path(backup_path), Path(workspace_path)
    problem = verify_backup(backup_path, key)
    if problem != "ok":
        raise ValidationError("backup", problem)
    workspace.parent.mkdir(parents=True, exist_ok=True)
    if workspace.exists():
        _keep_current(workspace, key, backup_path.parent)
    _replace_atomically(backup_path, workspace)
    return workspace


def list_backups(dest_dir: str | Path) -> list[BackupInfo]:
    """The backups in `dest_dir`, newest first. Other files are ignored."""
    found = []
    folder = Path(dest_dir)
    if not folder.is_dir():
        return []
    for path in folder.iterdir():
        match = NAME.fullmatch(path.name)
        if match is None or not path.is_file():
            continue
        stat = path.stat()
        created = datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC)
        found.append((created, stat.st_mtime_ns,
                      BackupInfo(path, created, match["label"], stat.st_size)))
    # The name has whole seconds; the file time orders backups made within one second.
    found.sort(key=lambda item: item[:2], reverse=True)
    return [info for *_, info in found]


# --- internals --------------------------------------------------------------------------


def _copy_into(source: sqlcipher.Connection, key: WorkspaceKey, dest_dir: Path,
               label: str, *, check: bool = True) -> Path:
    """Back `source` up into a new file in `dest_dir`; a copy that fails its check is removed."""
    target_path = _reserve_name(dest_dir, label)
    try:
        with contextlib.closing(connect_sqlcipher(target_path, key)) as target:
            source.backup(target)  # all pages in one step: one consistent snapshot
        problem = verify_backup(target_path, key) if check else "ok"
    except BaseException:
        _remove_with_sidecars(target_path)
        raise
    if problem != "ok":
        _remove_with_sidecars(target_path)
        raise CaseworkError(f"The backup failed its check and was removed: {problem}")
    return target_path


def _reserve_name(dest_dir: Path, label: str) -> Path:
    """A new, empty file named for now (UTC); never overwrites an earlier backup."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    stem = f"casework-{datetime.now(UTC).strftime(STAMP)}-{label}"
    for n in range(1, 1000):
        path = dest_dir / (f"{stem}.db" if n == 1 else f"{stem}-{n}.db")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return path
        except FileExistsError:
            continue
    raise CaseworkError(f"Too many backups named {stem} in {dest_dir}")


@contextlib.contextmanager
def _locked(workspace: Path, key: WorkspaceKey) -> Iterator[sqlcipher.Connection | None]:
    """A connection holding the workspace's exclusive lock, or Conflict if anyone else has
    it open. In WAL mode an idle connection holds a shared lock on the file, so exclusive
    locking mode finds those too, not only a running transaction. Yields None when the file
    does not open with this key (another key, or damaged): SQLite cannot lock it for us then.
    """
    conn = sqlcipher.connect(str(workspace), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key.pragma())
        conn.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        opened = True
        try:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("ROLLBACK")  # the lock stays: exclusive locking mode keeps it
        except sqlcipher.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise Conflict(
                f"{workspace.name} is still open (in Casework or another program); "
                "close it before restoring."
            ) from exc
        except sqlcipher.DatabaseError:
            opened = False
        yield conn if opened else None
    finally:
        conn.close()


def _keep_current(workspace: Path, key: WorkspaceKey, dest_dir: Path) -> Path:
    """Keep the workspace as it is now: a consistent copy through SQLite (which includes
    what sits in its WAL), or its bytes and its WAL's if it does not open with this key or
    is damaged, which is often why one restores."""
    with _locked(workspace, key) as conn:
        if conn is not None:
            try:
                return _copy_into(conn, key, dest_dir, BEFORE_RESTORE, check=False)
            except sqlcipher.DatabaseError:
                pass  # a damaged page: fall back to the bytes
        # Copied while the connection is still open: closing it may checkpoint the WAL.
        kept = _reserve_name(dest_dir, BEFORE_RESTORE)
        for suffix in ("", "-wal"):
            source = workspace.with_name(workspace.name + suffix)
            if source.exists():
                shutil.copyfile(source, kept.with_name(kept.name + suffix))
        return kept


def _replace_atomically(source: Path, workspace: Path) -> None:
    """Copy `source` over `workspace` so that a crash leaves one or the other, whole."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{workspace.name}.", suffix=".restoring",
                                    dir=workspace.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        # The old WAL belongs to the old file: applied to the restored one it would corrupt it.
        for suffix in ("-wal", "-shm"):
            workspace.with_name(workspace.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, workspace)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(workspace.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
