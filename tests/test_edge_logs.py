"""Issue 8, item 5: private text never reaches a log, even when saving it fails.

The database is made to refuse any row carrying a planted secret (a CHECK constraint on
PostgreSQL, whose error quotes the failing row; a trigger on SQLite), then a check-in reflection
and a prompt answer carrying it are submitted. The person is told that saving failed; the secret
appears neither in any log record (caplog, tracebacks included) nor on the process's stderr, in
the test's process with the CLI's logging set up and in a real ``lead-bot serve``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bot.coaching.library import default_library
from bot.slack.errors import where
from bot.store import prompts as prompt_store
from bot.store.db import make_engine
from bot.store.models import Person
from bot.views.errors import SAVE_FAILED
from tests.conftest import MONDAY_W48, SIGNING_SECRET, RunningBot
from tests.helpers import bot_environment, bot_process
from tests.slack_driver import SlackDriver
from tests.slack_emulator import SlackEmulator

SECRET = "SECRET-my-manager-is-leaving-in-March"
CHECKIN = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3",
           "minutes": "45", "reflection": f"Nobody knows yet: {SECRET}"}


@pytest.fixture
def refuse_the_secret(db_url: str) -> Iterator[None]:
    """Make the database itself refuse a check-in or reflection that contains the secret.

    On PostgreSQL the session's database outlives the test, so the constraints go again after it.
    """
    tables = (("checkins", "reflection"), ("reflections", "text"))
    engine = create_engine(db_url)
    with engine.begin() as connection:
        for table, column in tables:
            if engine.dialect.name == "postgresql":
                connection.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT refuse_secret_{table} "
                                        f"CHECK ({column} NOT LIKE '%SECRET%')"))
                continue
            for when in ("INSERT", "UPDATE"):
                connection.execute(text(
                    f"CREATE TRIGGER refuse_secret_{table}_{when.lower()} BEFORE {when} ON {table} "
                    f"WHEN NEW.{column} LIKE '%SECRET%' BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    try:
        yield
    finally:
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                for table, _column in tables:
                    connection.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS refuse_secret_{table}"))
        engine.dispose()


class StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time: pytest swaps it between a test's phases."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(self.format(record) + "\n")


@pytest.fixture
def stderr_like_the_cli(capfd: pytest.CaptureFixture[str]) -> Iterator[None]:
    """The CLI's logging (level INFO, to stderr, tracebacks included) on top of pytest's capture."""
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


def plant_and_fail(bot: RunningBot | SlackDriver, emulator: SlackEmulator, store_prompt: bool) -> None:
    driver = bot if isinstance(bot, SlackDriver) else bot.driver
    before = len(emulator.calls_to("views.open"))
    assert driver.command("checkin").status == 200
    view = emulator.wait_for("views.open", before + 1) and emulator.opened_views[-1]
    reply = driver.submit(view, CHECKIN)
    assert reply.json() == {"response_action": "errors", "errors": {"rating_personality": SAVE_FAILED}}
    if not store_prompt:
        return
    assert isinstance(bot, RunningBot)
    prompt = default_library().prompts[0]
    with bot.ctx.store.session() as session:
        person = session.scalars(select(Person).where(Person.user_id == "U1")).one()
        prompt_store.record_send(session, person.id, prompt.id, "reflection", "2026-W48", MONDAY_W48)
    driver.click("reflection_write", value=prompt.id)
    emulator.wait_for("views.open", before + 2)
    reply = driver.submit(emulator.opened_views[-1], {"answer": f"My answer: {SECRET}"})
    assert reply.json()["response_action"] == "errors" and SAVE_FAILED in reply.body


def test_a_failed_save_logs_no_private_text(bot: RunningBot, refuse_the_secret: None,
                                            caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str],
                                            stderr_like_the_cli: None) -> None:
    caplog.set_level(logging.INFO)
    plant_and_fail(bot, bot.emulator, store_prompt=True)
    logged = "\n".join(caplog.text.splitlines() + [r.getMessage() for r in caplog.records])
    assert "SaveFailed during a view_submission" in logged  # the failure is logged, by class
    assert SECRET not in logged
    stderr = capfd.readouterr().err
    assert "SaveFailed during a view_submission" in stderr and SECRET not in stderr


def test_a_failed_save_in_a_real_serve_process_keeps_stderr_clean(db_url: str, refuse_the_secret: None,
                                                                 emulator: SlackEmulator, tmp_path: Path) -> None:
    serve = ["serve", "--host", "127.0.0.1", "--port", "0", "--no-scheduler"]
    with bot_process(serve, bot_environment(db_url, emulator.url), tmp_path) as server:
        driver = SlackDriver(f"http://127.0.0.1:{server.listening_port()}", SIGNING_SECRET, emulator=emulator)
        plant_and_fail(driver, emulator, store_prompt=False)
        assert server.stop() == 0
    stderr = server.stderr
    assert "SaveFailed during a view_submission" in stderr
    assert SECRET not in stderr and "Traceback" not in stderr


@pytest.mark.sqlite_only
def test_engines_hide_parameters_for_requests_and_for_migrations(db_url: str) -> None:
    for url in (db_url, make_url("postgresql+psycopg://nobody@127.0.0.1:1/none").render_as_string()):
        for patient in (False, True):
            engine = make_engine(url, patient=patient)
            assert engine.hide_parameters, (url, patient)
            engine.dispose()


def test_where_a_bug_happened_names_no_value() -> None:
    def parse(raw: str) -> int:
        return int(raw)

    try:
        try:
            parse(SECRET)
        except ValueError as inner:
            raise KeyError(SECRET) from inner
    except KeyError as error:
        line = where(error)
    assert SECRET not in line
    assert "builtins.KeyError at test_edge_logs.py" in line and "caused by builtins.ValueError" in line
    assert "parse" in line
