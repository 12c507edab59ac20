"""Shared fixtures: a database per test on SQLite and on PostgreSQL, the Slack emulator, the bot.

Database tests take the ``db_url`` fixture (directly or through ``store``/``bot``), which is
parametrized over both engines, so every one of them runs twice. A test that needs a running
bot but never reads or writes the database is marked ``sqlite_only`` and runs once. Every test
that runs on PostgreSQL gets the ``postgres`` marker, so ``pytest -m "not postgres"`` runs the
rest without a PostgreSQL server.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.app import build_app
from bot.clock import FixedClock
from bot.config import Settings, normalize_database_url
from bot.server import start_server
from bot.services.context import BotContext
from bot.store.db import Store
from bot.store.migrate import upgrade
from tests.slack_driver import SlackDriver
from tests.slack_emulator import SlackEmulator

SIGNING_SECRET = "test-signing-secret"
TEAM_ID = "T0001"
TEAM_CHANNEL = "CTEAM"
# Monday 23 November 2026, 09:14 UTC: ISO week 2026-W48.
MONDAY_W48 = datetime(2026, 11, 23, 9, 14, tzinfo=UTC)
POSTGRES_ADMIN_URL = os.environ.get("LEAD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

ENGINES = ["sqlite", "postgresql"]


# databases -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session, migrated once."""
    admin_url = normalize_database_url(POSTGRES_ADMIN_URL)
    name = f"leadbot_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure here means "no PostgreSQL"
        admin.dispose()
        pytest.fail(f"PostgreSQL is required for the database tests ({POSTGRES_ADMIN_URL}): {exc}")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def scratch_postgres() -> Iterator[str]:
    """A second throw-away PostgreSQL database for this session, for tests that need it empty."""
    admin_url = normalize_database_url(POSTGRES_ADMIN_URL)
    name = f"leadbot_empty_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure here means "no PostgreSQL"
        admin.dispose()
        pytest.fail(f"PostgreSQL is required for this test ({POSTGRES_ADMIN_URL}): {exc}")
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def empty_postgres_url(scratch_postgres: str) -> str:
    """A PostgreSQL database with no tables at all, for tests of what migrates it.

    The session's scratch database with its schema dropped and made again: as empty as a new
    database, without the checkpoint a DROP DATABASE costs every test.
    """
    engine = create_engine(scratch_postgres, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        # A process an earlier test started may still be connected: nothing may hold the schema.
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return scratch_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no tables at all, on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return str(request.getfixturevalue("empty_postgres_url"))


def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )).scalars().all()
        if tables:
            joined = ", ".join(f'"{t}"' for t in tables)
            connection.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
    engine.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_url" in metafunc.fixturenames:
        engines = ENGINES[:1] if metafunc.definition.get_closest_marker("sqlite_only") else ENGINES
        metafunc.parametrize("db_url", engines, indirect=True)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("db_url") == "postgresql"
        fixtures = getattr(item, "fixturenames", ())
        if on_postgres or "postgres_database" in fixtures or "empty_postgres_url" in fixtures:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "lead.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    _truncate_postgres(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    db = Store.from_url(db_url)
    yield db
    db.dispose()


# time and Slack ----------------------------------------------------------------------------
@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_W48)


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    emu = SlackEmulator(team_id=TEAM_ID).start()
    emu.add_user("U1", tz="Europe/Berlin", name="Ada Lovelace")
    emu.add_user("U2", tz="America/New_York", name="Grace Hopper")
    emu.add_user("U3", tz="Asia/Tokyo", name="Margaret Hamilton")
    emu.add_user("UADMIN", tz="Europe/London", name="Ola Admin", is_admin=True)
    emu.add_channel(TEAM_CHANNEL, name="team", members=["U1", "U2", "U3", "UADMIN"])
    yield emu
    violations = list(emu.violations)
    emu.stop()
    assert not violations, "the bot sent Slack something Slack would refuse:\n" + "\n".join(violations)


def bot_settings(db_url: str, api_url: str, **overrides: Any) -> Settings:
    settings = Settings(database_url=db_url, bot_token="xoxb-test", signing_secret=SIGNING_SECRET, api_url=api_url,
                        port=0, team_channel=TEAM_CHANNEL)
    return replace(settings, **overrides)




@dataclass
class RunningBot:
    """The real Bolt app behind the real HTTP server, plus handles the tests need."""

    ctx: BotContext
    driver: SlackDriver
    emulator: SlackEmulator
    clock: FixedClock
    url: str


@contextmanager
def running_bot(settings: Settings, emulator: SlackEmulator, clock: FixedClock) -> Iterator[RunningBot]:
    """Start the real Bolt app behind the real HTTP server on a free loopback port."""
    ctx = BotContext(store=Store.from_url(settings.database_url), clock=clock, settings=settings)
    server = start_server(build_app(ctx), ctx, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.port}"
    try:
        yield RunningBot(ctx=ctx, driver=SlackDriver(url, SIGNING_SECRET, team_id=TEAM_ID, emulator=emulator),
                         emulator=emulator, clock=clock, url=url)
    finally:
        server.stop()
        ctx.store.dispose()


@pytest.fixture
def bot(db_url: str, emulator: SlackEmulator, clock: FixedClock) -> Iterator[RunningBot]:
    with running_bot(bot_settings(db_url, emulator.url), emulator, clock) as running:
        yield running
