"""Alembic environment. The app passes its own connection (config.attributes["connection"]),
so the same keyed SQLCipher or PostgreSQL connection that serves the app is migrated, inside
one transaction: a failed migration leaves the file as it was."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from casework.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
elif context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    # Plain alembic command line: only for PostgreSQL or an unencrypted scratch file.
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
