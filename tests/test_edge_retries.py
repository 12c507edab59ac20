"""Issue 8, item 2: every re-delivered request has one effect.

Each kind of request (a command, a click, a modal submission, an event) is sent once and then
three more times, byte for byte, with Slack's ``X-Slack-Retry-Num`` headers; the effect (rows,
posts, DMs, modals, answers) happens once and every copy gets a quiet 200. The ledger behind it
is pruned by age.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlalchemy import func, select

from bot.coaching.library import default_library
from bot.store import events as events_store
from bot.store import prompts as prompt_store
from bot.store.db import Store
from bot.store.models import Checkin, LearningLog, Person, ProcessedEvent, PromptFeedback, Win
from tests.conftest import MONDAY_W48, RunningBot
from tests.helpers import open_view, team_posts, wait_until
from tests.slack_driver import RawRequest

CHECKIN = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3",
           "minutes": "45", "win": "Ran the incident review", "share": ["yes"]}
RETRIES = (1, 2, 3)


def count(bot: RunningBot, model: type) -> int:
    with bot.ctx.store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def deliver_four_times(bot: RunningBot, raw: RawRequest) -> list[tuple[int, str]]:
    """The first delivery, then Slack's three retries of the very same request."""
    first = bot.driver.send(raw)
    replies = [(first.status, first.body)]
    for attempt in RETRIES:
        again = bot.driver.send(raw, retry=attempt)
        replies.append((again.status, again.body))
    return replies


def assert_copies_were_quiet(replies: list[tuple[int, str]]) -> None:
    assert replies[0][0] == 200
    assert replies[1:] == [(200, "")] * len(RETRIES)


def sent_prompt(bot: RunningBot) -> str:
    """A library prompt with suggested minutes, recorded as sent to U1 (as the scheduler would)."""
    prompt = next(p for p in default_library().prompts if p.minutes)
    with bot.ctx.store.session() as session:
        person = session.scalars(select(Person).where(Person.user_id == "U1")).one()
        prompt_store.record_send(session, person.id, prompt.id, "upskilling", "2026-W48", MONDAY_W48)
    return prompt.id


def test_a_retried_win_command_stores_and_posts_one_win(bot: RunningBot) -> None:
    replies = deliver_four_times(bot, bot.driver.command_request("win Mentored a new hire"))
    assert_copies_were_quiet(replies)
    assert "shared with your team" in replies[0][1]
    wait_until(lambda: team_posts(bot))
    assert count(bot, Win) == 1 and len(team_posts(bot)) == 1


def test_a_retried_checkin_command_opens_one_modal(bot: RunningBot) -> None:
    replies = deliver_four_times(bot, bot.driver.command_request("checkin"))
    assert_copies_were_quiet(replies)
    bot.emulator.wait_for("views.open")
    assert len(bot.emulator.calls_to("views.open")) == 1
    assert not bot.emulator.responses  # nobody was told "Something went wrong"


def test_a_retried_checkin_submission_saves_posts_and_dms_once(bot: RunningBot) -> None:
    view = open_view(bot, "checkin", callback_id="checkin")
    raw = bot.driver.interaction_request(bot.driver.submit_payload(view, CHECKIN))
    replies = deliver_four_times(bot, raw)
    assert replies == [(200, "")] * 4  # a saved check-in closes the modal; so do its copies
    wait_until(lambda: team_posts(bot) and bot.emulator.messages.get("U1"))
    bot.emulator.wait_for("views.publish")
    assert count(bot, Checkin) == 1 and count(bot, Win) == 1
    assert len(team_posts(bot)) == 1 and len(bot.emulator.messages["U1"]) == 1


def test_a_retried_minutes_submission_logs_once(bot: RunningBot) -> None:
    bot.driver.command("stats")
    prompt_id = sent_prompt(bot)
    bot.driver.click("prompt_did_it", value=prompt_id)
    bot.emulator.wait_for("views.open")
    view = bot.emulator.opened_views[-1]
    assert_copies_were_quiet(deliver_four_times(
        bot, bot.driver.interaction_request(bot.driver.submit_payload(view, {"minutes": "40"}))))
    assert count(bot, LearningLog) == 1


def test_a_retried_click_is_acted_on_once(bot: RunningBot) -> None:
    bot.driver.command("stats")
    prompt_id = sent_prompt(bot)
    raw = bot.driver.interaction_request(bot.driver.click_payload("prompt_helpful", value=prompt_id))
    assert_copies_were_quiet(deliver_four_times(bot, raw))
    wait_until(lambda: bot.emulator.responses)
    assert count(bot, PromptFeedback) == 1
    assert len(bot.emulator.responses) == 1 and "Marked helpful" in json.dumps(bot.emulator.responses[0])


def test_a_retried_event_publishes_the_home_once(bot: RunningBot) -> None:
    raw = bot.driver.event_request({"type": "app_home_opened", "user": "U1", "tab": "home"})
    assert_copies_were_quiet(deliver_four_times(bot, raw))
    bot.emulator.wait_for("views.publish")
    # An event's listener runs after the acknowledgement: give a copy time to publish, if it ran.
    time.sleep(0.5)
    assert len(bot.emulator.calls_to("views.publish")) == 1


def test_a_second_press_of_save_is_a_new_request_not_a_copy(bot: RunningBot) -> None:
    view = open_view(bot, "checkin", callback_id="checkin")
    answers = {**CHECKIN, "share": []}
    assert bot.driver.submit(view, answers).status == 200
    assert bot.driver.submit(view, {**answers, "minutes": "50"}).status == 200  # a new trigger id
    with bot.ctx.store.session() as session:
        assert session.scalars(select(Checkin.learning_minutes)).all() == [50]


def test_the_ledger_forgets_keys_older_than_the_cutoff(store: Store) -> None:
    with store.session() as session:
        for days, key in ((10, "Ev-old"), (8, "old.trigger"), (1, "Ev-new"), (0, "new.trigger")):
            assert events_store.first_time_seen(session, key, MONDAY_W48 - timedelta(days=days))
        assert not events_store.first_time_seen(session, "Ev-new", MONDAY_W48)
    with store.session() as session:
        assert events_store.forget_before(session, MONDAY_W48 - timedelta(days=7)) == 2
    with store.session() as session:
        assert sorted(session.scalars(select(ProcessedEvent.event_id))) == ["Ev-new", "new.trigger"]
        assert events_store.first_time_seen(session, "Ev-old", MONDAY_W48)  # forgotten, so new again


def test_a_key_longer_than_the_column_is_kept_as_its_digest(store: Store) -> None:
    long_key = "9" * 40 + "." + "T0001" * 20
    with store.session() as session:
        assert events_store.first_time_seen(session, long_key, MONDAY_W48)
        assert not events_store.first_time_seen(session, long_key, MONDAY_W48)
        assert events_store.first_time_seen(session, long_key + "x", MONDAY_W48)
