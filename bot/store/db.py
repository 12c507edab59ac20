"""Engines and sessions: SQLite tuned for a web process and a scheduler at once, or PostgreSQL.

Every wait on the database is bounded so that a listener can still answer Slack within its 3
seconds when the database is down, unreachable or locked: connecting, waiting for a pooled
connection, running a statement, waiting for SQLite's write lock. Each ends in
:class:`~bot.errors.DatabaseUnavailable` (:func:`translate`), which ``bot/slack/errors.py``
answers. Migrations are the exception (``patient=True``): they run before the bot listens, and an
ALTER on a big table may take its time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from threading import RLock, local
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    DisconnectionError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, configure_mappers, sessionmaker

from bot.errors import DatabaseUnavailable, LeadError, SaveFailed

# On the request path (the ack window is 3 s; these leave time to answer after giving up).
SQLITE_BUSY_TIMEOUT_MS = 2_000
POSTGRES_CONNECT_TIMEOUT_S = 2  # libpq's smallest: it rounds anything lower up to 2
POSTGRES_STATEMENT_TIMEOUT_MS = 2_000
POOL_TIMEOUT_S = 1.0
# Migrations, before the bot listens: wait for another process's write lock rather than fail.
PATIENT_SQLITE_BUSY_TIMEOUT_MS = 30_000
# Enough for every request thread and listener thread at once (waitress 16, listeners 16) plus
# the scheduler, so a burst of first requests waits on the database, never on the pool.
POOL_SIZE = 10
POOL_OVERFLOW = 30
IN_LIST_CHUNK = 500
# Marks the connections of read-only units of work (Store.read): on SQLite they begin deferred.
READ_ONLY = "lead_read_only"
# The database cannot be reached, as opposed to refusing what was asked of it.
_UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


def make_engine(url: str, *, patient: bool = False) -> Engine:
    """Create the engine for ``url`` (already normalised by :mod:`bot.config`).

    Bound parameters are people's words (wins, reflections): ``hide_parameters`` keeps them out
    of every exception message, and so out of every log line that quotes one. ``patient`` lifts
    the request-path time limits (see the module docstring), for migrations.
    """
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, PATIENT_SQLITE_BUSY_TIMEOUT_MS if patient else SQLITE_BUSY_TIMEOUT_MS)
    connect_args: dict[str, Any] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
    if not patient:
        # Server-side limit per statement (lock waits included); a cancelled statement is an
        # OperationalError, so DatabaseUnavailable. tcp_user_timeout bounds a send to a host
        # that stopped answering, which no server-side limit can.
        connect_args["options"] = f"-c statement_timeout={POSTGRES_STATEMENT_TIMEOUT_MS}"
        connect_args["tcp_user_timeout"] = POSTGRES_CONNECT_TIMEOUT_S * 1000
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW,
                         pool_timeout=POOL_TIMEOUT_S, hide_parameters=True, connect_args=connect_args)


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(
        url,
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A reader begins deferred: in WAL mode it reads a snapshot and never waits for a writer.
        # A writer takes the write lock up front: a deferred transaction that reads and then
        # writes can fail at once with SQLITE_BUSY when another process wrote in between,
        # whatever the busy timeout; an immediate one waits its turn instead.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def translate(exc: SQLAlchemyError) -> LeadError:
    """The project error for a driver error: unreachable, or a refused write.

    The new error's message names no statement and no value; the driver's stays reachable as
    ``__cause__`` for whoever logs the class name of what happened.
    """
    if isinstance(exc, _UNREACHABLE):
        return DatabaseUnavailable("the database cannot be reached")
    return SaveFailed("the database refused the change")


def insert_or_ignore(session: Session, model: type[Any], *, index_elements: Sequence[str]) -> Any:
    """``INSERT … ON CONFLICT (index_elements) DO NOTHING`` for ``model``, in the session's dialect.

    How first contact stays race-free: two requests creating the same row at once both succeed,
    one of them inserting. Add ``.values(...)``, and ``.returning(<primary key>)`` to learn whether
    this one inserted (the row count is not reliable for it on every driver).
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing(index_elements=list(index_elements))


def upsert(session: Session, model: type[Any], *, index_elements: Sequence[str], values: dict[str, Any],
           update: Sequence[str]) -> Any:
    """``INSERT … ON CONFLICT (index_elements) DO UPDATE`` of the ``update`` columns (DO NOTHING
    when there are none), in the session's dialect: the row is created or brought up to date in
    one statement, whoever else is creating it at the same moment."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(**values)
    if not update:
        return statement.on_conflict_do_nothing(index_elements=list(index_elements))
    # The new values again as parameters, not as ``excluded.<column>``: building that alias copies
    # every column of the table, on each call.
    return statement.on_conflict_do_update(index_elements=list(index_elements),
                                           set_={column: values[column] for column in update})


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
    """The database handle the rest of the bot receives: an engine and session factories.

    :meth:`session` is the writer's unit of work, :meth:`read` the reader's. On SQLite, which
    has one write lock per file, this process's writers queue on one in-process lock (an
    ``RLock``) before they ask for SQLite's: SQLite's busy handler would sleep in growing steps
    (up to 100 ms) even after the lock came free, while a lock hands over at once. Other processes (a CLI
    command, a second worker) still meet this one in the busy handler.
    """

    def __init__(self, engine: Engine, *, write_wait_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
        self.engine = engine
        self._reading = engine.execution_options(**{READ_ONLY: True})
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(self._reading, expire_on_commit=False)
        # Reentrant: a writer nested in another on the same thread meets SQLite's own lock as before
        # (it waits only if the outer one has begun), instead of waiting for itself.
        self._write_lock = RLock() if engine.dialect.name == "sqlite" else None
        self._write_wait_s = write_wait_ms / 1000
        self._reading_now = local()  # the read this thread has open, which a nested read joins

    @classmethod
    def from_url(cls, url: str, *, patient: bool = False) -> Store:
        return cls(make_engine(url, patient=patient),
                   write_wait_ms=PATIENT_SQLITE_BUSY_TIMEOUT_MS if patient else SQLITE_BUSY_TIMEOUT_MS)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back whole on any error.

        A driver error, raised in the block or by the commit, leaves as the project's own
        (:func:`translate`), so callers above the store handle one kind of failure. So does a
        string the driver cannot encode (text is cleaned at the edge, ``bot/storable.py``; this
        is the backstop). On SQLite it first waits its turn behind this process's other writers,
        as long as SQLite's own busy timeout would have let it wait.
        """
        with self._writer_turn():
            try:
                with self._sessions() as session:
                    with session.begin():
                        yield session
            except SQLAlchemyError as exc:
                raise translate(exc) from exc
            except UnicodeEncodeError as exc:
                raise SaveFailed("the database refused the change") from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads: no write lock, on either store, and never rolled into a write.

        On SQLite it begins deferred, so it neither waits for a writer nor makes one wait; on
        PostgreSQL readers never wait for writers anyway. Nothing is committed: whatever the
        block flushed is rolled back at its end, so a write slipped in here cannot persist.
        A read opened inside another on the same thread joins it: the reads that build one
        modal share one connection, one snapshot and one round trip to begin and end.
        """
        joined = getattr(self._reading_now, "session", None)
        if joined is not None:
            yield joined
            return
        try:
            with self._readers() as session:
                with session.begin() as transaction:
                    self._reading_now.session = session
                    try:
                        yield session
                    finally:
                        self._reading_now.session = None
                    transaction.rollback()
        except SQLAlchemyError as exc:
            raise translate(exc) from exc

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        if self._write_lock is None:
            yield
            return
        if not self._write_lock.acquire(timeout=self._write_wait_s):
            raise DatabaseUnavailable("the database is busy")
        try:
            yield
        finally:
            self._write_lock.release()

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self._reading.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    @contextmanager
    def rehearsal(self) -> Iterator[Session]:
        """A unit of work that is always rolled back: run statements for their side effects in
        this process (a pooled connection, compiled statements), none in the database."""
        with self._writer_turn():
            try:
                with self._sessions() as session:
                    with session.begin() as transaction:
                        yield session
                        transaction.rollback()
            except SQLAlchemyError as exc:
                raise translate(exc) from exc

    def warm(self) -> None:
        """Do now what the first request would otherwise wait for: mappers, a pooled connection."""
        configure_mappers()
        try:
            with self._reading.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise translate(exc) from exc

    def dispose(self) -> None:
        self.engine.dispose()
