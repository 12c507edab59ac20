"""Issue 8, item 3: while the database is down people are told so, and the process recovers.

A PostgreSQL server of the test's own (``tests/private_postgres.py``) is stopped under the running
bot: a check-in submission, ``/lead win``, ``/lead checkin``, a click and the App Home each get a
clear answer inside Slack's 3 seconds (the acknowledgement window: a contract, not a benchmark),
nothing is half-written, and once the server is back the same process saves again. On SQLite a
write lock held elsewhere is answered the same way, inside the same window.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import replace

import psycopg
import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.store.migrate import upgrade
from bot.store.models import Checkin, Win
from bot.views.errors import DATABASE_UNAVAILABLE
from tests.conftest import MONDAY_W48, RunningBot, bot_settings, running_bot
from tests.helpers import open_view, responses_after, wait_until
from tests.private_postgres import PrivatePostgres, pg_bin_dir
from tests.slack_emulator import SlackEmulator

ACK_WINDOW = 3.0
CHECKIN = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3",
           "minutes": "45", "reflection": "Paired on the hard part."}


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    server = PrivatePostgres(bin_dir)
    server.start()
    try:
        yield server
    finally:
        server.destroy()


def count(bot: RunningBot, model: type) -> int:
    with bot.ctx.store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def ephemeral_text(reply_body: dict) -> str:
    assert reply_body["response_type"] == "ephemeral"
    return str(reply_body["text"])


@pytest.mark.postgres
def test_a_database_outage_is_told_within_the_ack_window_and_recovered_from(
        private_postgres: PrivatePostgres, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture) -> None:
    upgrade(private_postgres.url)
    settings = bot_settings(private_postgres.url, emulator.url)
    with running_bot(settings, emulator, FixedClock(MONDAY_W48)) as bot:
        checkin_view = open_view(bot, "checkin", callback_id="checkin")
        private_postgres.stop()
        caplog.set_level(logging.INFO)

        reply = bot.driver.submit(checkin_view, CHECKIN)
        assert reply.seconds < ACK_WINDOW
        assert reply.json() == {"response_action": "errors", "errors": {"rating_personality": DATABASE_UNAVAILABLE}}

        reply = bot.driver.command("win Shipped the migration")
        assert reply.seconds < ACK_WINDOW and ephemeral_text(reply.json()) == DATABASE_UNAVAILABLE

        reply = bot.driver.command("checkin")
        assert reply.status == 200 and reply.seconds < ACK_WINDOW  # not a 404 after 3 seconds
        assert ephemeral_text(reply.json()) == DATABASE_UNAVAILABLE

        reply = bot.driver.click("prompt_helpful", value="any-prompt")
        assert (reply.status, reply.body) == (200, "") and reply.seconds < ACK_WINDOW
        assert responses_after(bot, 1)["text"] == DATABASE_UNAVAILABLE

        caplog.clear()
        reply = bot.driver.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
        assert (reply.status, reply.body) == (200, "") and reply.seconds < ACK_WINDOW  # acknowledged: no re-sends
        assert [r.getMessage() for r in caplog.records if r.name != "lead-bot.requests"] == [
            "DatabaseUnavailable during a event (OperationalError)"]
        assert [r.getMessage().split(" ")[:3] for r in caplog.records if r.name == "lead-bot.requests"] == [
            ["event", "app_home_opened", "200"]]  # and the request's own line

        assert bot.driver.get("/healthz").json() == {"status": "database unavailable"}
        assert not any(r.exc_info for r in caplog.records)

        private_postgres.start()
        assert bot.driver.get("/healthz").json() == {"status": "ok"}
        assert "shared with your team" in bot.driver.command("win Shipped the migration").body
        reply = bot.driver.submit(checkin_view, CHECKIN)  # the modal kept what was typed: Save again
        assert (reply.status, reply.body) == (200, "")
        wait_until(lambda: bot.emulator.messages.get("U1"))
        assert count(bot, Win) == 1 and count(bot, Checkin) == 1
        assert bot.driver.event({"type": "app_home_opened", "user": "U1", "tab": "home"}).status == 200
        bot.emulator.wait_for("views.publish")


@pytest.mark.postgres
def test_a_server_that_hangs_or_a_lock_held_too_long_is_told_within_the_ack_window(
        private_postgres: PrivatePostgres, emulator: SlackEmulator) -> None:
    upgrade(private_postgres.url)
    with running_bot(bot_settings(private_postgres.url, emulator.url), emulator, FixedClock(MONDAY_W48)) as bot:
        assert bot.driver.command("stats").status == 200
        # A lock held by someone else: the statement timeout gives up on it.
        other = psycopg.connect(private_postgres.url.replace("+psycopg", ""), autocommit=False)
        other.execute("LOCK TABLE processed_events IN ACCESS EXCLUSIVE MODE")
        try:
            reply = bot.driver.command("win Unblocked the release")
            assert reply.seconds < ACK_WINDOW and ephemeral_text(reply.json()) == DATABASE_UNAVAILABLE
        finally:
            other.rollback()
            other.close()
        # A server that accepts connections and never answers: the connect timeout gives up on it.
        bot.ctx.store.engine.dispose()  # no pooled connection to an answering backend
        private_postgres.freeze()
        try:
            reply = bot.driver.command("win Unblocked the release")
            assert reply.seconds < ACK_WINDOW and ephemeral_text(reply.json()) == DATABASE_UNAVAILABLE
        finally:
            private_postgres.thaw()
        assert "shared with your team" in bot.driver.command("win Unblocked the release").body
        assert count(bot, Win) == 1


@pytest.mark.sqlite_only
def test_a_sqlite_database_locked_elsewhere_is_told_within_the_ack_window(bot: RunningBot) -> None:
    assert bot.driver.command("stats").status == 200
    path = bot.ctx.settings.database_url.removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holding the write lock, and not letting go
    try:
        reply = bot.driver.command("win Wrote the design doc")
        assert reply.seconds < ACK_WINDOW
        assert ephemeral_text(reply.json()) == DATABASE_UNAVAILABLE
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "shared with your team" in bot.driver.command("win Wrote the design doc").body


@pytest.mark.postgres
def test_an_oauth_install_is_told_too_when_the_database_is_down(private_postgres: PrivatePostgres,
                                                                 emulator: SlackEmulator) -> None:
    upgrade(private_postgres.url)
    settings = replace(bot_settings(private_postgres.url, emulator.url), bot_token=None, client_id="111.222",
                       client_secret="oauth-secret", state_secret="state-secret")
    with running_bot(settings, emulator, FixedClock(MONDAY_W48)) as bot:
        store = SQLAlchemyInstallationStore(client_id="111.222", engine=bot.ctx.store.engine)
        store.save(Installation(app_id="A0001", team_id="T0001", user_id="UADMIN", bot_token="xoxb-installed",
                                bot_id="B0001", bot_user_id="UBOT", installed_at=MONDAY_W48.timestamp()))
        assert "streak" in bot.driver.command("stats").body.lower()
        private_postgres.stop()
        reply = bot.driver.command("stats")  # Bolt looks the installation up before any listener runs
        assert reply.seconds < ACK_WINDOW and ephemeral_text(reply.json()) == DATABASE_UNAVAILABLE
        private_postgres.start()
        assert "streak" in bot.driver.command("stats").body.lower()
