"""Backups of an encrypted workspace file, and restoring them."""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import text

from casework import backups
from casework.backups import BackupInfo, backup, list_backups, restore, verify_backup
from casework.db import Database, make_engine
from casework.errors import CaseworkError, Conflict, ValidationError
from casework.secrets import WorkspaceKey

ROWS_PER_BATCH = 20


@pytest.fixture
def key() -> WorkspaceKey:
    return WorkspaceKey.new_raw()


def make_workspace(path: Path, key: WorkspaceKey) -> Path:
    """A closed workspace file holding items 'one' and 'two'."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path, key)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, batch INTEGER, name TEXT)"))
        conn.execute(text("INSERT INTO item (batch, name) VALUES (0, 'one'), (0, 'two')"))
    engine.dispose()
    return path


@pytest.fixture
def workspace(tmp_path, key) -> Path:
    return make_workspace(tmp_path / "work" / "workspace.db", key)


@pytest.fixture
def dest(tmp_path) -> Path:
    return tmp_path / "backups"


def names(path: Path, key: WorkspaceKey) -> list[str]:
    engine = make_engine(path, key)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT name FROM item ORDER BY id")).scalars())
    finally:
        engine.dispose()


def add_item(path: Path, key: WorkspaceKey, name: str) -> None:
    engine = make_engine(path, key)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO item (batch, name) VALUES (0, :n)"), {"n": name})
    engine.dispose()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[Path]:
    return [p for s in ("-wal", "-shm") if (p := path.with_name(path.name + s)).exists()]


# --- backup -----------------------------------------------------------------------------


def test_backup_is_named_for_utc_now_and_checks_out(workspace, key, dest):
    started = datetime.now(UTC).replace(microsecond=0)
    path = backup(workspace, key, dest, label="manual")
    finished = datetime.now(UTC)

    [info] = list_backups(dest)
    assert info.path == path and info.label == "manual" and info.size == path.stat().st_size
    assert path.name == f"casework-{info.created_at:%Y%m%d-%H%M%S}-manual.db"
    assert started <= info.created_at <= finished
    assert verify_backup(path, key) == "ok"
    assert names(path, key) == ["one", "two"]
    assert sidecars(path) == [], "a backup should be one self-contained file"


def test_backup_of_an_open_engine_sees_committed_work(workspace, key, dest):
    engine = make_engine(workspace, key)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO item (batch, name) VALUES (0, 'three')"))
        path = backup(engine, key, dest, label="before-upgrade")
    finally:
        engine.dispose()
    assert names(path, key) == ["one", "two", "three"]


def test_backup_with_a_passphrase_key(tmp_path, dest):
    key = WorkspaceKey.from_passphrase("Auld Reekie, 2026")
    path = make_workspace(tmp_path / "workspace.db", key)

    copy = backup(path, key, dest, label="manual")
    assert verify_backup(copy, key) == "ok"
    assert "does not open" in verify_backup(copy, WorkspaceKey.from_passphrase("auld reekie"))
    assert names(copy, key) == ["one", "two"]


def test_two_backups_in_one_second_do_not_overwrite(workspace, key, dest):
    first = backup(workspace, key, dest, label="manual")
    second = backup(workspace, key, dest, label="manual")
    assert first != second and first.exists() and second.exists()


@pytest.mark.parametrize("label", ["", "../escape", "a b", "x" * 41])
def test_backup_refuses_a_label_that_is_not_a_plain_word(workspace, key, dest, label):
    with pytest.raises(ValidationError) as refused:
        backup(workspace, key, dest, label=label)
    assert refused.value.field == "label"
    assert not dest.exists() or list(dest.iterdir()) == []


def test_backup_of_a_missing_workspace_creates_nothing(tmp_path, key, dest):
    with pytest.raises(ValidationError):
        backup(tmp_path / "nowhere.db", key, dest, label="manual")
    assert not (tmp_path / "nowhere.db").exists()


def test_backup_during_concurrent_writes_is_consistent(workspace, key, dest):
    """A writer commits batches of rows while backups are taken: each backup holds whole
    batches only, and is a clean file."""
    db = Database(make_engine(workspace, key))
    stop = threading.Event()
    committed: list[int] = []
    errors: list[BaseException] = []

    def write_batches() -> None:
        try:
            batch = 1
            while not stop.is_set():
                with db.write() as session:
                    for i in range(ROWS_PER_BATCH):
                        session.execute(text("INSERT INTO item (batch, name) VALUES (:b, :n)"),
                                        {"b": batch, "n": f"{batch}-{i}"})
                committed.append(batch)
                batch += 1
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    writer = threading.Thread(target=write_batches)
    copies = []
    writer.start()
    try:
        for n in range(6):
            while len(committed) < 3 * (n + 1) and writer.is_alive():
                stop.wait(0.002)  # let some batches land between backups
            source = db.engine if n % 2 else workspace  # through the app's engine, or a file
            copies.append(backup(source, key, dest, label=f"during-{n}"))
    finally:
        stop.set()
        writer.join(10)
        db.dispose()
    assert not errors, f"the writer failed: {errors!r}"

    seen = []
    for copy in copies:
        assert verify_backup(copy, key) == "ok"
        engine = make_engine(copy, key)
        with engine.connect() as conn:
            counts = dict(conn.execute(text(
                "SELECT batch, count(*) FROM item WHERE batch > 0 GROUP BY batch")).all())
        engine.dispose()
        partial = {b: c for b, c in counts.items() if c != ROWS_PER_BATCH}
        assert not partial, f"{copy.name} holds half a transaction: {partial}"
        seen.append(len(counts))
    assert seen == sorted(seen) and seen[-1] > seen[0], f"writes did not overlap: {seen}"


def fill(path: Path, key: WorkspaceKey, pages: int) -> None:
    """Add about `pages` pages of rows, so that a copy takes several steps."""
    engine = make_engine(path, key)
    with engine.begin() as conn:
        for i in range(pages):
            conn.execute(text("INSERT INTO item (batch, name) VALUES (9, :n)"),
                         {"n": f"{i:05d}" + "x" * 3900})
    engine.dispose()


def partials(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.iterdir() if p.name.endswith(".partial")) \
        if dest.exists() else []


def test_a_backup_reports_as_it_goes_and_writes_one_file_and_nothing_more(
        workspace, key, dest, monkeypatch):
    """The copy is written without a journal: beside it there is never a WAL (which would
    double the disk it takes) and it is not listed as a backup until it has been checked."""
    fill(workspace, key, 40)
    monkeypatch.setattr(backups, "STEP_PAGES", 8)  # several steps for a small file
    heard: list[tuple[str, float | None]] = []
    seen_while_copying: list[tuple[list[str], list, int]] = []

    def progress(stage: str, fraction: float | None) -> None:
        heard.append((stage, fraction))
        if stage == backups.COPY:
            names_here = sorted(p.name for p in dest.iterdir())
            [partial] = partials(dest)
            seen_while_copying.append((names_here, list_backups(dest),
                                       (dest / partial).stat().st_size))

    path = backup(workspace, key, dest, label="before-upgrade-0003", progress=progress)

    copies = [f for stage, f in heard if stage == backups.COPY]
    assert copies[0] == 0.0 and copies[-1] == 1.0 and len(copies) > 3
    assert copies == sorted(copies)
    assert heard[-1] == (backups.CHECK, None)
    for names_here, listed, size in seen_while_copying:
        assert listed == [], "a copy being written is nobody's backup"
        assert [n for n in names_here if n.endswith(("-wal", "-journal"))] == []
        assert size <= workspace.stat().st_size
    assert sorted(p.name for p in dest.iterdir()) == [path.name]
    assert verify_backup(path, key) == "ok"
    assert names(path, key) == names(workspace, key)


def test_a_backup_stopped_half_way_leaves_nothing_and_the_workspace_as_it_was(
        workspace, key, dest, monkeypatch):
    fill(workspace, key, 40)
    monkeypatch.setattr(backups, "STEP_PAGES", 8)
    before = digest(workspace)
    reports = []

    class Stop(Exception):
        pass

    def progress(stage: str, fraction: float | None) -> None:
        reports.append(fraction)
        if len(reports) == 3:
            raise Stop  # the person quit while it was copying

    with pytest.raises(Stop):
        backup(workspace, key, dest, label="before-upgrade-0003", progress=progress)
    assert 0 < reports[-1] < 1
    assert list(dest.iterdir()) == []
    assert digest(workspace) == before and sidecars(workspace) == []


def test_a_backup_stopped_while_it_is_checked_leaves_nothing(workspace, key, dest, monkeypatch):
    fill(workspace, key, 40)
    monkeypatch.setattr(backups, "CHECK_STEP", 10)  # the check reports often, even here
    checks = []

    class Stop(Exception):
        pass

    def progress(stage: str, fraction: float | None) -> None:
        if stage == backups.CHECK:
            checks.append(fraction)
            if len(checks) == 2:  # the first report while the check runs
                raise Stop

    with pytest.raises(Stop):
        backup(workspace, key, dest, label="before-upgrade-0003", progress=progress)
    assert list(dest.iterdir()) == []
    assert verify_backup(workspace, key) == "ok"


KILLED_HALF_WAY = """
import os, signal, sys
from pathlib import Path
from casework import backups
from casework.secrets import WorkspaceKey
backups.STEP_PAGES = 8
reports = []
def progress(stage, fraction):
    reports.append(fraction)
    if len(reports) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
backups.backup(Path(sys.argv[1]), WorkspaceKey(raw_hex=sys.argv[2]), Path(sys.argv[3]),
               label="before-upgrade-0003", progress=progress)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_backup_killed_half_way_is_never_taken_for_one_and_its_leftovers_go(
        workspace, key, dest):
    import signal
    import subprocess
    import sys

    fill(workspace, key, 40)
    before = digest(workspace)
    killed = subprocess.run([sys.executable, "-c", KILLED_HALF_WAY, str(workspace),
                             key.raw_hex, str(dest)], capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    assert len(partials(dest)) == 1  # what the killed process left: hidden, partial
    assert list_backups(dest) == []
    assert digest(workspace) == before and verify_backup(workspace, key) == "ok"

    made = backup(workspace, key, dest, label="manual")  # the next backup clears it away
    assert partials(dest) == []
    assert [b.path for b in list_backups(dest)] == [made]


def test_a_copy_that_fails_its_check_is_removed(workspace, key, dest, monkeypatch):
    monkeypatch.setattr(backups, "verify_backup",
                        lambda path, key, **_: f"{Path(path).name} is damaged: page 2")
    with pytest.raises(CaseworkError, match="failed its check and was removed: the copy is damaged"):
        backup(workspace, key, dest, label="manual")
    assert list(dest.iterdir()) == []


def test_a_partial_copy_of_a_living_process_is_left_alone(workspace, key, dest):
    dest.mkdir()
    other = dest / f".casework-20261122-101500-manual.{os.getppid()}.abc123.partial"
    other.write_bytes(b"being written by the process that started this one")
    backup(workspace, key, dest, label="manual")
    assert other.exists()


# --- restore ----------------------------------------------------------------------------


def test_restore_round_trip_keeps_the_replaced_workspace(workspace, key, dest):
    saved = backup(workspace, key, dest, label="manual")
    add_item(workspace, key, "after the backup")

    assert restore(saved, workspace, key) == workspace

    assert names(workspace, key) == ["one", "two"]
    assert sidecars(workspace) == []
    kept = [b for b in list_backups(dest) if b.label == "before-restore"]
    assert len(kept) == 1
    assert names(kept[0].path, key) == ["one", "two", "after the backup"]
    assert verify_backup(saved, key) == "ok", "the backup itself must be left as it was"
    assert [p.name for p in workspace.parent.iterdir()] == [workspace.name], "temp file left"


def crash_with_wal(path: Path, key: WorkspaceKey, name: str) -> None:
    """Leave `path` as a crash would: a row committed into its WAL, not yet checkpointed."""
    wal = path.with_name(path.name + "-wal")
    engine = make_engine(path, key)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO item (batch, name) VALUES (0, :n)"), {"n": name})
    crashed = path.read_bytes(), wal.read_bytes()
    engine.dispose()  # a clean close checkpoints and removes the WAL; put the pair back
    path.write_bytes(crashed[0])
    wal.write_bytes(crashed[1])


def test_safety_copy_includes_what_was_still_in_the_wal(workspace, key, dest):
    saved = backup(workspace, key, dest, label="manual")
    crash_with_wal(workspace, key, "only in the wal")

    restore(saved, workspace, key)

    assert names(workspace, key) == ["one", "two"]
    assert sidecars(workspace) == []
    [kept] = [b for b in list_backups(dest) if b.label == "before-restore"]
    assert names(kept.path, key)[-1] == "only in the wal", "the safety copy lost the WAL's rows"


def test_restore_over_a_workspace_with_another_key_keeps_it_whole(tmp_path, key, dest):
    """A workspace that does not open with this key (another key, or damaged) is kept as
    its bytes, WAL included, so nothing of it is lost."""
    saved = backup(make_workspace(tmp_path / "good.db", key), key, dest, label="manual")
    other_key = WorkspaceKey.new_raw()
    workspace = make_workspace(tmp_path / "work" / "workspace.db", other_key)
    crash_with_wal(workspace, other_key, "other key")

    restore(saved, workspace, key)

    assert sidecars(workspace) == []
    assert names(workspace, key) == ["one", "two"]
    [kept] = [b for b in list_backups(dest) if b.label == "before-restore"]
    assert kept.path.with_name(kept.path.name + "-wal").exists(), "the old WAL was not kept"
    assert names(kept.path, other_key) == ["one", "two", "other key"]


def test_restore_never_replays_a_stale_wal_onto_the_restored_file(tmp_path, key, dest):
    """A WAL left beside the workspace belongs to the old file: SQLite would replay its
    pages onto the restored one."""
    saved = backup(make_workspace(tmp_path / "good.db", key), key, dest, label="manual")
    workspace = make_workspace(tmp_path / "work" / "workspace.db", key)
    crash_with_wal(workspace, key, "stale")
    workspace.unlink()  # only the WAL is left

    restore(saved, workspace, key)

    assert names(workspace, key) == ["one", "two"]


def test_restore_over_a_damaged_workspace_keeps_its_bytes(workspace, key, dest):
    saved = backup(workspace, key, dest, label="manual")
    workspace.write_bytes(b"not a database at all" * 100)

    restore(saved, workspace, key)

    assert names(workspace, key) == ["one", "two"]
    [kept] = [b for b in list_backups(dest) if b.label == "before-restore"]
    assert kept.path.read_bytes() == b"not a database at all" * 100


def test_restore_into_a_new_place(workspace, key, dest, tmp_path):
    saved = backup(workspace, key, dest, label="manual")
    target = tmp_path / "elsewhere" / "workspace.db"
    restore(saved, target, key)
    assert names(target, key) == ["one", "two"]
    assert [b.label for b in list_backups(dest)] == ["manual"]


def corrupt(path: Path) -> None:
    """Flip bytes in the middle of the second page, as a bad disk or a bad copy would."""
    data = bytearray(path.read_bytes())
    assert len(data) >= 8192, "the test file should have more than one page"
    for i in range(4096 + 1000, 4096 + 1016):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("fault", ["corrupt", "wrong key", "missing"])
def test_restore_refuses_a_bad_backup_and_leaves_the_workspace(workspace, key, dest, fault,
                                                               tmp_path):
    if fault == "wrong key":  # a backup of another workspace, with its own key
        other_key = WorkspaceKey.new_raw()
        other = make_workspace(tmp_path / "other" / "workspace.db", other_key)
        bad = backup(other, other_key, dest, label="other")
    else:
        bad = backup(workspace, key, dest, label="manual")
        corrupt(bad) if fault == "corrupt" else bad.unlink()
    before = digest(workspace)

    with pytest.raises(ValidationError) as refused:
        restore(bad, workspace, key)

    assert refused.value.field == "backup"
    assert {"corrupt": "damaged", "wrong key": "does not open",
            "missing": "does not exist"}[fault] in refused.value.problem
    assert digest(workspace) == before
    assert not any(b.label == "before-restore" for b in list_backups(dest))


def test_restore_refuses_while_the_workspace_is_open(workspace, key, dest):
    saved = backup(workspace, key, dest, label="manual")
    engine = make_engine(workspace, key)
    with engine.connect() as conn:  # returned to the pool, still open: the app is running
        conn.execute(text("SELECT count(*) FROM item")).scalar_one()
    before = digest(workspace)
    try:
        with pytest.raises(Conflict, match="still open"):
            restore(saved, workspace, key)
        assert digest(workspace) == before
        assert names(workspace, key) == ["one", "two"]
    finally:
        engine.dispose()
    restore(saved, workspace, key)  # once it is closed, it goes ahead


def test_restore_waits_only_briefly_for_the_lock(workspace, key, dest, monkeypatch):
    """Restore gives up on a workspace another connection holds, by itself and while it is
    still held, after a wait of LOCK_WAIT_MS that it sets on the connection asking for the
    lock; it never waits for the other connection to let go."""
    saved = backup(workspace, key, dest, label="manual")
    asked_with_timeout: list[int] = []
    connect = sqlcipher.connect

    class Asking(sqlcipher.Connection):
        def execute(self, sql, *args):
            if sql.startswith("BEGIN EXCLUSIVE"):
                asked_with_timeout.append(super().execute("PRAGMA busy_timeout").fetchone()[0])
            return super().execute(sql, *args)

    engine = make_engine(workspace, key)
    conn = engine.connect()
    conn.execute(text("SELECT 1")).scalar_one()
    monkeypatch.setattr(sqlcipher, "connect", lambda *a, **kw: connect(*a, factory=Asking, **kw))
    returned = threading.Event()
    outcome: list[BaseException | Path] = []

    def restoring() -> None:
        try:
            outcome.append(restore(saved, workspace, key))
        except BaseException as exc:  # reported by the test's thread
            outcome.append(exc)
        returned.set()

    worker = threading.Thread(target=restoring)
    worker.start()
    try:
        # The other connection lets go only after restore has returned (or never came back).
        came_back = returned.wait(60)
    finally:
        conn.close()
        engine.dispose()
        worker.join()
    assert came_back, "restore waited for the other connection to close"
    assert isinstance(outcome[0], Conflict), outcome
    assert asked_with_timeout == [backups.LOCK_WAIT_MS]


# --- listing ----------------------------------------------------------------------------


def test_list_backups_newest_first_and_ignores_other_files(dest):
    dest.mkdir()
    for name in ("casework-20261101-090000-manual.db",
                 "casework-20261121-235959-before-upgrade.db",
                 "casework-20261105-120000-before-restore.db",
                 "casework-20261105-120000-before-restore.db-wal",
                 "notes.txt", "casework-2026-manual.db", ".workspace.db.x.restoring"):
        (dest / name).write_bytes(b"x" * 10)

    listed = list_backups(dest)

    assert [(b.created_at, b.label) for b in listed] == [
        (datetime(2026, 11, 21, 23, 59, 59, tzinfo=UTC), "before-upgrade"),
        (datetime(2026, 11, 5, 12, 0, 0, tzinfo=UTC), "before-restore"),
        (datetime(2026, 11, 1, 9, 0, 0, tzinfo=UTC), "manual"),
    ]
    assert all(isinstance(b, BackupInfo) and b.size == 10 for b in listed)
    with pytest.raises(AttributeError):
        listed[0].label = "changed"  # frozen


def test_list_backups_orders_backups_made_within_one_second_by_file_time(dest):
    dest.mkdir()
    for n, label in enumerate(("b", "c", "a")):  # made in this order, all in one second
        path = dest / f"casework-20261122-101500-{label}.db"
        path.write_bytes(b"x")
        os.utime(path, ns=(1_800_000_000_000_000_000 + n, 1_800_000_000_000_000_000 + n))
    assert [b.label for b in list_backups(dest)] == ["a", "c", "b"]


def test_list_backups_of_a_missing_folder_is_empty(tmp_path):
    assert list_backups(tmp_path / "none") == []

