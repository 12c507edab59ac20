"""Wins and celebrations end to end: /lead win, the win modal, and streak milestones."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.mrkdwn import escape
from bot.services.celebrations import celebrate_milestone
from bot.slack.client import make_client
from bot.slack.team_channel import SlackTeamChannel
from bot.store.models import Delivery, Person, Win
from bot.views.wins import goal_done_post, win_celebration
from tests.conftest import TEAM_CHANNEL, TEAM_ID, RunningBot
from tests.helpers import block, open_view, team_posts, wait_until
from tests.test_goals import set_celebrations, set_workspace_celebrations

HOSTILE = "Shipped it <!channel> <!here|here> <!everyone> see <https://evil.example|the docs> & thanks <@U2>"
CHECKIN = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3",
           "minutes": "45"}


def wins(bot: RunningBot) -> list[Win]:
    with bot.ctx.store.session() as session:
        return list(session.scalars(select(Win).order_by(Win.id)))


def dms(bot: RunningBot, user: str = "U1") -> list[dict]:
    return list(bot.emulator.messages.get(user, []))


def assert_no_markup_from_the_author(dumped: str) -> None:
    for raw in ("<!channel>", "<!here", "<!everyone>", "<https://evil", "<@U2>"):
        assert raw not in dumped, raw
    assert "&lt;!channel&gt;" in dumped and "&lt;@U2&gt;" in dumped and "&amp; thanks" in dumped


# /lead win <text> -----------------------------------------------------------------------------
def test_win_with_text_is_recorded_and_shared_escaped_with_a_reaction(bot: RunningBot) -> None:
    body = bot.driver.command(f"win {escape(HOSTILE)}").json()  # as Slack sends it (should_escape)
    assert "shared with your team" in body["text"] and f"<#{TEAM_CHANNEL}>" in body["text"]
    assert body.get("response_type") != "in_channel"
    post = wait_until(lambda: team_posts(bot))[0]
    dumped = json.dumps(post)
    assert "<@U1>" in dumped
    assert_no_markup_from_the_author(dumped)
    reaction = wait_until(lambda: bot.emulator.reactions)[0]
    assert reaction == {"channel": TEAM_CHANNEL, "timestamp": post["ts"], "name": "tada"}
    [win] = wins(bot)
    assert win.text == HOSTILE and win.shared and win.week == "2026-W48"
    assert (win.channel, win.message_ts) == (TEAM_CHANNEL, post["ts"])


def test_win_with_text_stays_private_when_celebrations_are_off(bot: RunningBot) -> None:
    bot.driver.command("stats")  # the bot knows U1
    set_celebrations(bot, "U1", False)
    body = bot.driver.command("win Ran my first retro").json()
    assert "privately" in body["text"] and "/lead settings" in body["text"]
    [win] = wins(bot)
    assert win.text == "Ran my first retro" and not win.shared and win.message_ts is None
    assert team_posts(bot) == [] and not bot.emulator.calls_to("reactions.add")


def test_a_too_long_win_is_refused_and_nothing_is_stored(bot: RunningBot) -> None:
    body = bot.driver.command("win " + "x" * 1001).json()
    assert "1,000" in body["text"] and "Nothing was saved" in body["text"]
    assert wins(bot) == [] and team_posts(bot) == []


# /lead win (modal) --------------------------------------------------------------------------------
def test_win_modal_shared_names_the_foundation(bot: RunningBot) -> None:
    view = open_view(bot, "win")
    assert view["callback_id"] == "win_new"
    share = block(view, "share")
    assert [o["value"] for o in share["element"]["initial_options"]] == ["yes"]
    reply = bot.driver.submit(view, {"text": HOSTILE, "share": ["yes"], "foundation": "personality"})
    assert reply.status == 200 and reply.body == ""
    post = wait_until(lambda: team_posts(bot))[0]
    dumped = json.dumps(post)
    assert "Personality development" in dumped and "<@U1>" in dumped
    assert_no_markup_from_the_author(dumped)
    wait_until(lambda: bot.emulator.reactions)
    dm = wait_until(lambda: dms(bot))[0]
    assert "shared with your team" in dm["text"]
    [win] = wins(bot)
    assert (win.shared, win.foundation, win.message_ts) == (True, "personality", post["ts"])


def test_win_modal_private(bot: RunningBot) -> None:
    view = open_view(bot, "win")
    body = bot.driver.submit(view, {"text": "   "}).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"text"}
    assert wins(bot) == []
    assert bot.driver.submit(view, {"text": "Paired with Sam", "foundation": "delegation"}).body == ""
    dm = wait_until(lambda: dms(bot))[0]
    assert "privately" in dm["text"]
    [win] = wins(bot)
    assert (win.shared, win.foundation, win.message_ts) == (False, "delegation", None)
    assert team_posts(bot) == []


def test_win_modal_starts_unticked_when_celebrations_are_off(bot: RunningBot) -> None:
    bot.driver.command("stats")
    set_celebrations(bot, "U1", False)
    view = open_view(bot, "win")
    share = block(view, "share")
    assert "initial_options" not in share["element"] and "celebrations are off" in json.dumps(share)


# streak milestones ------------------------------------------------------------------------------
def check_in(bot: RunningBot, user: str = "U1") -> None:
    before = len(dms(bot, user))
    publishes = len(bot.emulator.calls_to("views.publish"))
    view = open_view(bot, "checkin", user)
    assert bot.driver.submit(view, CHECKIN, user=user).body == ""
    wait_until(lambda: len(dms(bot, user)) > before)
    bot.emulator.wait_for("views.publish", publishes + 1)  # the listener's last step


def test_a_four_week_streak_is_celebrated_once(bot: RunningBot) -> None:
    for week in range(4):
        if week:
            bot.clock.advance(timedelta(weeks=1))
        check_in(bot)
        if not week:
            set_workspace_celebrations(bot, "live")
        if week < 3:
            assert team_posts(bot) == []
    [post] = team_posts(bot)
    assert "<@U1>" in post["text"] and "4-week" in post["text"]
    assert "being celebrated" in dms(bot)[-1]["text"] + json.dumps(dms(bot)[-1].get("blocks"))
    wait_until(lambda: bot.emulator.reactions)
    assert bot.emulator.reactions[0]["timestamp"] == post["ts"]
    with bot.ctx.store.session() as session:
        [row] = session.scalars(select(Delivery)).all()
        assert (row.item, row.recipient, row.week, row.status, row.message_ts) == (
            "milestone-4", "U1", "2026-W51", "sent", post["ts"])
    # Checking in again in the same week updates the check-in and celebrates nothing new.
    check_in(bot)
    assert len(team_posts(bot)) == 1
    # Week five is no milestone either.
    bot.clock.advance(timedelta(weeks=1))
    check_in(bot)
    assert len(team_posts(bot)) == 1


def test_milestones_respect_celebrations_off(bot: RunningBot) -> None:
    check_in(bot)
    set_celebrations(bot, "U1", False)
    for _ in range(3):
        bot.clock.advance(timedelta(weeks=1))
        check_in(bot)
    assert team_posts(bot) == []
    with bot.ctx.store.session() as session:
        assert session.scalars(select(Delivery)).all() == []


def test_the_ledger_lets_a_milestone_through_once(bot: RunningBot) -> None:
    bot.driver.command("stats")
    set_workspace_celebrations(bot, "live")
    client = SlackTeamChannel(make_client(bot.ctx.settings), bot.ctx, TEAM_ID)
    first = celebrate_milestone(bot.ctx, client, "T0001", "U1", 8, "2027-W02")
    second = celebrate_milestone(bot.ctx, client, "T0001", "U1", 8, "2027-W02")
    assert first is not None and first.posted and second is None
    assert len(team_posts(bot)) == 1 and "8-week" in team_posts(bot)[0]["text"]
    with bot.ctx.store.session() as session:
        person = session.scalars(select(Person).where(Person.user_id == "U1")).one()
        assert person.celebrate_publicly


# rendering --------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&|@!#:/ *_~`\nabcU12")) | st.characters(), max_size=300))
def test_person_text_never_becomes_markup_in_a_celebration(text: str) -> None:
    for payload in (win_celebration(user_id="U1", text=text, foundation="progress", streak=3),
                    goal_done_post(user_id="U1", title=text, foundation="upskilling")):
        pieces = [payload["text"]] + [json.dumps(block) for block in payload["blocks"]]
        for piece in pieces:
            # The bot's own mention of the author is the only control sequence allowed.
            assert "<" not in piece.replace("<@U1>", ""), piece
