"""Backups of a workspace file, and restoring one.

A backup is a consistent copy of a live SQLCipher workspace made with SQLite's online backup
API (other connections may keep writing), encrypted with the same key, checked after it is
written, and named `casework-YYYYmmdd-HHMMSS-<label>.db` in UTC. It is written under a hidden
`.partial` name and given that name only once checked, so a copy cut short (a crash, a kill,
a full disk) is never listed or restored as a backup. Restoring checks the backup first, keeps
the current workspace beside the backups, then swaps the file atomically. Pure Python: no Qt
and no services, so the app, the CLI and the tests share it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine

from casework.db import connect_keyed, connect_sqlcipher, sqlite_path
from casework.dto import BackupInfo
from casework.errors import CaseworkError, Conflict, ValidationError, WorkspaceKeyError
from casework.secrets import WorkspaceKey

LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
NAME = re.compile(r"casework-(?P<stamp>\d{8}-\d{6})-(?P<label>[A-Za-z0-9][A-Za-z0-9_-]*)\.db")
# A copy being written: hidden, never matching NAME, and naming the process writing it.
PARTIAL = re.compile(r"\.casework-[^/]*\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.partial")
STAMP = "%Y%m%d-%H%M%S"
BEFORE_RESTORE = "before-restore"
LOCK_WAIT_MS = 250  # how long restore waits for another connection before refusing
# Pages copied per step of the backup (8 MiB of 4 KiB pages): between steps the copy reports
# how far it has got (many times a second) and may be cancelled.
STEP_PAGES = 2048
# SQLite instructions between two calls of a check's progress (a few hundred a second).
CHECK_STEP = 100_000

# What a backup reports as it goes: ("copy", fraction done) while the pages are copied, then
# ("check", None) while the copy is checked (one statement: no fraction to give). Whatever it
# raises stops the backup, and the partial copy is removed.
Progress = Callable[[str, float | None], None]
COPY = "copy"
CHECK = "check"


def backup(engine_or_path: Engine | str | Path, key: WorkspaceKey, dest_dir: str | Path, *,
           label: str, progress: Progress | None = None) -> Path:
    """Copy a workspace (an open engine, or its file) into `dest_dir`, check the copy and
    return its path. Safe while the app is using the workspace. `progress` hears how far it
    has got (see Progress)."""
    if not LABEL.fullmatch(label):
        raise ValidationError("label", "use up to 40 letters, digits, '-' or '_'")
    if isinstance(engine_or_path, Engine):
        if sqlite_path(engine_or_path.url) is None:
            raise ValidationError("workspace", "only a workspace file can be backed up")
        raw = engine_or_path.raw_connection()  # reuses a keyed connection: no key derivation
        try:
            return _copy_into(raw.driver_connection, key, Path(dest_dir), label,
                              progress=progress)
        finally:
            raw.close()
    if not Path(engine_or_path).is_file():  # connecting would create an empty workspace
        raise ValidationError("workspace", f"{engine_or_path} does not exist")
    with contextlib.closing(connect_sqlcipher(Path(engine_or_path), key)) as source:
        return _copy_into(source, key, Path(dest_dir), label, progress=progress)


def verify_backup(path: str | Path, key: WorkspaceKey, *, thorough: bool = True,
                  progress: Callable[[], None] | None = None) -> str:
    """'ok', or what is wrong: missing, does not open with the key, or damaged.

    Every page's HMAC is checked (SQLCipher's own check, which catches damaged or tampered
    bytes anywhere in the file), and the b-trees: thoroughly (`integrity_check`, which also
    matches every index against its table) before a restore, or quickly (`quick_check`:
    the structure of every page, in a fraction of the time on a large file) for a copy just
    made, whose indexes are the source's own, page for page. `progress()` is called now and
    then while the b-trees are checked; whatever it raises stops the check and is raised."""
    path = Path(path)
    if not path.is_file():
        return f"{path.name} does not exist"
    stopped: list[BaseException] = []

    def now_and_then() -> int:  # SQLite's progress handler: non-zero interrupts the check
        try:
            progress()  # type: ignore[misc]
        except BaseException as exc:  # noqa: BLE001 (raised again below, whole)
            stopped.append(exc)
            return 1
        return 0

    try:
        with contextlib.closing(connect_keyed(path, key)) as conn:
            if progress is not None:
                conn.set_progress_handler(now_and_then, CHECK_STEP)
            check = "integrity_check" if thorough else "quick_check"
            problems = [r[0] for r in conn.execute(f"PRAGMA {check}")]
            problems += [r[0] for r in conn.execute("PRAGMA cipher_integrity_check")]
    except WorkspaceKeyError:
        return f"{path.name} does not open with this key or passphrase"
    except sqlcipher.DatabaseError as exc:
        if stopped:
            raise stopped[0] from None
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
               label: str, *, check: bool = True, progress: Progress | None = None) -> Path:
    """Back `source` up into a new file in `dest_dir` and return its path.

    The copy is written under a hidden partial name with no journal and no syncing as it
    goes, so the disk holds one copy and nothing more (in WAL mode every page would be
    written twice, into the WAL and then the file). A partial file is nobody's backup, so a
    crash half-way damages nothing: the copy is synced, checked, and only then given its
    name. A copy that fails its check is removed, as is whatever a cut-short copy left."""
    report = progress or (lambda stage, fraction: None)
    stem, partial = _start_partial(dest_dir, label)
    try:
        with contextlib.closing(_connect_copy(partial, key)) as target:
            _copy_pages(source, target, report)
        _fsync_file(partial)
        if check:
            report(CHECK, None)
            problem = verify_backup(partial, key, thorough=False,
                                    progress=lambda: report(CHECK, None))
            if problem != "ok":
                raise CaseworkError("The backup failed its check and was removed: "
                                    + problem.replace(partial.name, "the copy"))
        return _publish(partial, dest_dir, stem)
    finally:
        _remove_with_sidecars(partial)


def _start_partial(dest_dir: Path, label: str) -> tuple[str, Path]:
    """The stem of a new backup's name (for now, UTC) and a new, empty partial file."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_partials(dest_dir)
    stem = f"casework-{datetime.now(UTC).strftime(STAMP)}-{label}"
    fd, name = tempfile.mkstemp(prefix=f".{stem}.{os.getpid()}.", suffix=".partial",
                                dir=dest_dir)
    os.close(fd)
    return stem, Path(name)


def _connect_copy(path: Path, key: WorkspaceKey) -> sqlcipher.Connection:
    """A keyed connection to write a copy through: no journal (a copy cut short is thrown
    away, never rolled back) and no sync per step (the whole file is synced once, at the
    end, before it is named)."""
    conn = connect_keyed(path, key)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    return conn


def _copy_pages(source: sqlcipher.Connection, target: sqlcipher.Connection,
                report: Progress) -> None:
    """SQLite's online backup, STEP_PAGES at a time, from one read transaction on the
    source: the copy is one consistent snapshot however many steps it takes (writers go on
    into the WAL meanwhile), where a step beginning its own read would restart the copy
    after every write made in between."""
    began = not source.in_transaction
    if began:
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
    try:
        report(COPY, 0.0)
        source.backup(target, pages=STEP_PAGES,
                      progress=lambda _status, remaining, total: report(
                          COPY, 1 - remaining / total if total else 1.0))
    finally:
        if began:
            source.execute("ROLLBACK")  # a read: nothing to keep


def _publish(partial: Path, dest_dir: Path, stem: str) -> Path:
    """Give a checked copy its backup name: a new one, never an earlier backup's."""
    for n in range(1, 1000):
        path = dest_dir / (f"{stem}.db" if n == 1 else f"{stem}-{n}.db")
        try:
            os.link(partial, path)  # fails if the name is taken, where a rename would replace
        except FileExistsError:
            continue
        except OSError:  # no hard links here (FAT, some shares): the name is checked first
            if path.exists():
                continue
            os.replace(partial, path)
        _fsync_dir(dest_dir)
        return path
    raise CaseworkError(f"Too many backups named {stem} in {dest_dir}")


def _remove_abandoned_partials(dest_dir: Path) -> None:
    """Remove what copies cut short left behind (their process is gone), so that a crash
    during a backup costs no disk for longer than until the next backup."""
    if os.name != "posix":  # no safe way to ask whether a process lives; they stay hidden
        return
    for path in dest_dir.iterdir():
        match = PARTIAL.fullmatch(path.name)
        if match is None or int(match["pid"]) == os.getpid():
            continue
        try:
            os.kill(int(match["pid"]), 0)  # signal 0: only asks whether it exists
        except ProcessLookupError:
            _remove_with_sidecars(path)
        except PermissionError:
            pass  # another user's living process


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
        stem, partial = _start_partial(dest_dir, BEFORE_RESTORE)
        wal, partial_wal = (p.with_name(p.name + "-wal") for p in (workspace, partial))
        try:
            shutil.copyfile(workspace, partial)
            _fsync_file(partial)
            if wal.exists():
                shutil.copyfile(wal, partial_wal)
                _fsync_file(partial_wal)
            kept = _publish(partial, dest_dir, stem)
            if partial_wal.exists():
                os.replace(partial_wal, kept.with_name(kept.name + "-wal"))
            return kept
        finally:
            _remove_with_sidecars(partial)


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


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows syncs only what it may write
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
