"""How a failure reaches the person: each project error, for each kind of Slack request.

The failures are real project errors raised where the bot meets its database: the running bot's
store is swapped for one whose units of work raise the chosen error, as a store facing an outage
(or refusing a write) would. Everything else is the real app over real HTTP, Slack emulated.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.coaching.library import default_library
from bot.errors import DatabaseUnavailable, LeadError, NotYours, Owned, SaveFailed
from bot.store.db import Store
from bot.store.models import Checkin, Win, Workspace
from tests.conftest import RunningBot
from tests.helpers import open_view, responses_after

ANSWERS = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3",
           "minutes": "45", "reflection": "Kept my head down.", "win": "Shipped the thing"}


@dataclass(frozen=True)
class Failure:
    error: LeadError
    in_modal: str  # what the person reads next to the field
    in_message: str  # what the person reads in an ephemeral reply


DOWN = "lead-bot can't reach its database right now; nothing was saved — try again in a minute."
FAILURES = {
    "database unavailable": Failure(DatabaseUnavailable("down"), DOWN, DOWN),
    "save failed": Failure(
        SaveFailed("refused"),
        "Saving failed on our side and nothing was stored. Please press Save again in a moment.",
        "Saving failed on our side and nothing was stored. Please try again in a moment."),
    "not yours": Failure(
        NotYours(Owned.PROMPT),
        "This prompt was not sent to you, so nothing was saved.",
        "That button belongs to a message sent to someone else, so nothing was changed."),
}
GENERIC = "Something went wrong on my side and it has been logged. Please try again in a minute."
NOW = datetime(2026, 11, 23, tzinfo=UTC)


class FailingStore(Store):
    """The bot's own database, except that while ``failure`` is set every unit of work raises it."""

    def __init__(self, store: Store) -> None:
        super().__init__(store.engine)
        self.failure: Exception | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        if self.failure is not None:
            raise self.failure
        with super().session() as session:
            yield session


@pytest.fixture
def failing(bot: RunningBot, monkeypatch: pytest.MonkeyPatch) -> FailingStore:
    store = FailingStore(bot.ctx.store)
    bot.ctx.store = store  # the listeners read the store from the context at each request
    # These tests are about failures inside listeners; the request ledger in front of them,
    # which fails first when the whole database does, has its own tests (test_edge_outage.py).
    monkeypatch.setattr("bot.slack.middleware.first_delivery", lambda _ctx, _key: True)
    return store


@pytest.fixture(params=list(FAILURES))
def failure(request: pytest.FixtureRequest) -> Failure:
    return FAILURES[request.param]


def count(bot: RunningBot, model: type) -> int:
    with bot.ctx.store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# modal submissions, answered before the acknowledgement -----------------------------------------------
def test_a_failed_submission_keeps_the_modal_open_with_the_answer_at_its_field(
        bot: RunningBot, failing: FailingStore, failure: Failure) -> None:
    checkin = open_view(bot, "checkin", callback_id="checkin")
    win = open_view(bot, "win", callback_id="win_new")
    failing.failure = failure.error
    reply = bot.driver.submit(checkin, ANSWERS)
    assert reply.status == 200
    assert reply.json() == {"response_action": "errors", "errors": {"rating_personality": failure.in_modal}}
    reply = bot.driver.submit(win, {"text": "Led the retro", "share": ["yes"]})
    assert reply.status == 200
    assert reply.json() == {"response_action": "errors", "errors": {"text": failure.in_modal}}
    failing.failure = None
    assert count(bot, Checkin) == 0 and count(bot, Win) == 0
    assert not bot.emulator.calls_to("chat.postMessage")


# commands ---------------------------------------------------------------------------------------------
def test_a_failed_command_is_answered_with_an_ephemeral_message(
        bot: RunningBot, failing: FailingStore, failure: Failure) -> None:
    failing.failure = failure.error
    reply = bot.driver.command("stats")  # fails before its acknowledgement: the answer is the reply
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral" and body["text"] == failure.in_message
    assert body["blocks"][0]["text"]["text"] == failure.in_message
    reply = bot.driver.command("team")  # acknowledges first: the answer goes through the response URL
    assert (reply.status, reply.body) == (200, "")
    answer = responses_after(bot, 1)
    assert answer["text"] == failure.in_message
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert not bot.emulator.calls_to("chat.postMessage") and not bot.emulator.calls_to("views.open")


# clicks -----------------------------------------------------------------------------------------------
def test_a_failed_click_gets_a_200_and_an_ephemeral_answer(
        bot: RunningBot, failing: FailingStore, failure: Failure) -> None:
    prompt_id = default_library().prompts[0].id
    failing.failure = failure.error
    # "Helpful" stores before acknowledging; "Mark done" acknowledges first.
    for n, action, value in ((1, "prompt_helpful", prompt_id), (2, "goal_mark_done", "1")):
        reply = bot.driver.click(action, value=value)
        assert (reply.status, reply.body) == (200, ""), action
        answer = responses_after(bot, n)
        assert answer["text"] == failure.in_message, action
        assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert not bot.emulator.calls_to("chat.postMessage")


# events -----------------------------------------------------------------------------------------------
def test_an_event_is_acknowledged_while_the_database_is_down(bot: RunningBot, failing: FailingStore) -> None:
    event = {"type": "app_home_opened", "user": "U1", "tab": "home"}
    failing.failure = DatabaseUnavailable("down")
    assert bot.driver.event(event, event_id="EvDOWN").status == 200  # Slack would only re-send it to a dead store
    assert not bot.emulator.calls_to("views.publish")
    failing.failure = None
    assert bot.driver.event(event, event_id="EvUP").status == 200  # opening the App Home again works
    assert "Your leadership dashboard" in json.dumps(bot.emulator.wait_for("views.publish")[-1].args["view"])


# anything else ----------------------------------------------------------------------------------------
def test_other_failures_keep_the_generic_apology(bot: RunningBot, failing: FailingStore) -> None:
    failing.failure = RuntimeError("a bug")
    reply = bot.driver.command("stats")
    assert reply.status == 500
    assert responses_after(bot, 1)["text"] == GENERIC
    reply = bot.driver.command("team")
    assert reply.status == 200
    assert responses_after(bot, 2)["text"] == GENERIC


# the translation itself -----------------------------------------------------------------------------------
def test_a_refused_write_is_save_failed_and_quotes_nothing_that_was_written(store: Store) -> None:
    with store.session() as session:
        session.add(Workspace(team_id="T0001", default_tz="UTC", slots={}, created_at=NOW))
    with pytest.raises(SaveFailed) as caught:
        with store.session() as session:
            session.add(Workspace(team_id="T0001", name="SECRET team name", default_tz="UTC", slots={},
                                  created_at=NOW))
    assert "SECRET" not in str(caught.value) and "SECRET" not in str(caught.value.__cause__)
    assert type(caught.value.__cause__).__name__ == "IntegrityError"


def test_an_unreachable_database_is_database_unavailable(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path}/no/such/dir/lead.db")
    try:
        with pytest.raises(DatabaseUnavailable):
            with store.session() as session:
                session.execute(select(1))
    finally:
        store.dispose()
