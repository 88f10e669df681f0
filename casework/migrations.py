"""Schema upgrades from inside the app: check the revision at start, back the file up, then
upgrade to head on the app's own connection in one transaction."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine


def _script_location() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # a PyInstaller bundle carries them as data
    base = Path(frozen) if frozen else Path(__file__).resolve().parent.parent
    return base / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_script_location()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def all_revisions() -> list[str]:
    """Every revision from the first to head, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(
    engine: Engine,
    target: str = "head",
    *,
    before: Callable[[str | None], None] | None = None,
) -> bool:
    """Upgrade to `target` if needed; `before(current)` runs first (the app's backup).
    Returns whether anything was applied."""
    current = current_revision(engine)
    if current == (head_revision() if target == "head" else target):
        return False
    if before is not None:
        before(current)
    with engine.connect() as conn:
        with _foreign_keys_deferred_to_the_end(conn):
            with conn.begin():
                command.upgrade(alembic_config(conn), target)
                _check_foreign_keys(conn)
    return True


@contextmanager
def _foreign_keys_deferred_to_the_end(conn: Connection) -> Iterator[None]:
    """SQLite rebuilds a table to alter it (drop, recreate, copy), which enforced foreign
    keys refuse for any table others point at; the pragma cannot change inside a
    transaction. So it is off for the migration and the whole result is checked before the
    commit instead."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        first = broken[0]
        raise RuntimeError(
            f"the migration would leave {len(broken)} broken reference(s), e.g. row "
            f"{first[1]} of {first[0]} pointing at a missing {first[2]}; nothing was changed"
        )


def check(engine: Engine) -> None:
    """Raise if the models and the migrations have drifted apart (alembic check)."""
    with engine.begin() as conn:
        command.check(alembic_config(conn))
