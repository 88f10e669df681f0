"""Schema upgrades from inside the app: check the revision at start, back the file up, then
upgrade to head on the app's own connection in one transaction.

Alembic is imported only when there is something to do: a start that finds the file at
`HEAD` (nearly every start) is about 0.12 s quicker without it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in migrations/versions; tests/migrations checks it against Alembic's.
HEAD = "0006"


def _script_location() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # a PyInstaller bundle carries them as data
    base = Path(frozen) if frozen else Path(__file__).resolve().parent.parent
    return base / "migrations"


def alembic_config(connection: Connection | None = None) -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_script_location()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def all_revisions() -> list[str]:
    """Every revision from the first to head, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def at_head(engine: Engine) -> bool:
    """Whether the database is at `HEAD`, asked with plain SQL (no Alembic)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    except (OperationalError, ProgrammingError):  # a new file: no version table yet
        return False


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

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
    if target == "head" and at_head(engine):
        return False
    from alembic import command

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
    from alembic import command

    with engine.begin() as conn:
        command.check(alembic_config(conn))
