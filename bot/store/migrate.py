"""Apply the Alembic migrations in ``bot/migrations/`` from code (``lead-bot migrate`` and at start).

Every process migrates as it starts, so several starting together on an empty database would
otherwise race: two creating the same table, the loser failing. One migrates at a time, under a
PostgreSQL advisory lock (held by its own connection, released when it closes, even if the
process dies) or, on SQLite, a lock file beside the database; the others wait, then find the
schema at head and have nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.resources import MIGRATIONS_DIR
from bot.store.db import make_engine

# Any constant both sides agree on; these bytes spell "leadmigr".
ADVISORY_LOCK_KEY = 0x6C6561646D696772
# How long a process waits for another's migration before giving up (a migration of a big table may be slow).
LOCK_TIMEOUT_S = 300


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would choke on a "%" in a password.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    """Bring the database at ``database_url`` to the newest schema, one process at a time."""
    with migration_lock(database_url):
        command.upgrade(alembic_config(database_url), "head")


def head_revision() -> str | None:
    """The newest revision the package ships."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(database_url: str) -> str | None:
    """The revision the database is at (None: never migrated); raises SQLAlchemyError when unreachable."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


@contextmanager
def migration_lock(database_url: str) -> Iterator[None]:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            yield  # private to this process: nobody to race
            return
        with FileLock(str(Path(database).with_name(Path(database).name + ".migrate.lock")), timeout=LOCK_TIMEOUT_S):
            yield
        return
    engine = make_engine(database_url, patient=True)
    try:
        with engine.connect() as connection:
            connection.execute(text(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'"))
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()  # the lock is the session's, not the transaction's
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
                connection.commit()
    finally:
        engine.dispose()
