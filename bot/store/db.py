"""Engines and sessions: SQLite tuned for a web process and a scheduler at once, or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    DisconnectionError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import DatabaseUnavailable, LeadError, SaveFailed

SQLITE_BUSY_TIMEOUT_MS = 30_000
IN_LIST_CHUNK = 500
# The database cannot be reached, as opposed to refusing what was asked of it.
_UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


def make_engine(url: str) -> Engine:
    """Create the engine for ``url`` (already normalised by :mod:`bot.config`).

    Bound parameters are people's words (wins, reflections): ``hide_parameters`` keeps them out
    of every exception message, and so out of every log line that quotes one.
    """
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock up front: a deferred transaction that reads and then writes can
        # fail at once with SQLITE_BUSY when another process wrote in between, whatever the
        # busy timeout; an immediate one waits its turn instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def translate(exc: SQLAlchemyError) -> LeadError:
    """The project error for a driver error: unreachable, or a refused write.

    The new error's message names no statement and no value; the driver's stays reachable as
    ``__cause__`` for whoever logs the class name of what happened.
    """
    if isinstance(exc, _UNREACHABLE):
        return DatabaseUnavailable("the database cannot be reached")
    return SaveFailed("the database refused the change")


def chunks(values: Iterable[Any], size: int = IN_LIST_CHUNK) -> Iterable[Sequence[Any]]:
    """Split the values of an ``IN (...)`` list: SQLite caps bound parameters, and huge lists plan badly."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]



def affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed.

    ``Session.execute`` is typed as returning a plain ``Result``; for DML it is a ``CursorResult``,
    which is the one that knows its row count.
    """
    return cast(CursorResult[Any], result).rowcount or 0


class Store:
    """The database handle the rest of the bot receives: an engine and a session factory."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str) -> Store:
        return cls(make_engine(url))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back whole on any error.

        A driver error, raised in the block or by the commit, leaves as the project's own
        (:func:`translate`), so callers above the store handle one kind of failure.
        """
        try:
            with self._sessions() as session:
                with session.begin():
                    yield session
        except SQLAlchemyError as exc:
            raise translate(exc) from exc

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def dispose(self) -> None:
        self.engine.dispose()
