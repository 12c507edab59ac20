"""Alembic environment: the URL comes from the bot's settings, the schema from bot.store.models."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bot.store.db import make_engine
from bot.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    # Patient: no request-path statement timeout for a migration (it runs before the bot listens).
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", patient=True)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # Batch mode rebuilds a SQLite table by copying it and dropping the old one. With foreign
        # keys on (bot/store/db.py turns them on), that DROP first deletes the old rows and cascades
        # into every table that refers to them: rebuilding ``people`` would erase every check-in,
        # goal and win. Off for the migration (before its transaction begins, or SQLite ignores it).
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    # Batch mode lets later migrations alter columns on SQLite, which has no ALTER COLUMN.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_name=lambda name, type_, _parent: not (
                          type_ == "table" and name.startswith(("apscheduler", "slack_"))))
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
