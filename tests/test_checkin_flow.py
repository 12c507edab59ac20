"""The check-in loop end to end: signed requests over HTTP into the running bot, Slack emulated."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.store.models import Checkin, Person, Win
from tests.conftest import TEAM_CHANNEL, RunningBot
from tests.helpers import block, cli_export, open_view

ANSWERS = {
    "rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3",
    "minutes": "1h30", "practices": ["code_review", "mentoring"], "reflection": "Paired with Sam on the outage.",
}


def count(bot: RunningBot, model: type) -> int:
    with bot.ctx.store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.sqlite_only
def test_help_for_empty_help_and_unknown_text(bot: RunningBot) -> None:
    for text in ("", "help", "HELP"):
        body = bot.driver.command(text).json()
        assert "/lead checkin" in json.dumps(body)
        assert body.get("response_type") != "in_channel"
        assert "didn't understand" not in json.dumps(body)
    body = bot.driver.command("fly me to the moon").json()
    dumped = json.dumps(body)
    assert "didn't understand" in dumped and "fly me to the moon" in dumped
    assert "/lead stats" in dumped and body.get("response_type") != "in_channel"


@pytest.mark.sqlite_only
def test_unknown_text_is_escaped_in_the_help_reply(bot: RunningBot) -> None:
    dumped = json.dumps(bot.driver.command("&lt;!channel&gt; hi").json())  # typed "<!channel>", escaped by Slack
    assert "<!channel>" not in dumped and "&lt;!channel&gt;" in dumped


def test_checkin_opens_a_modal_with_the_four_foundations(bot: RunningBot) -> None:
    view = open_view(bot, "checkin")
    block_ids = {b.get("block_id") for b in view["blocks"]}
    assert {"rating_personality", "rating_upskilling", "rating_delegation", "rating_progress", "minutes",
            "practices", "reflection", "win", "share"} <= block_ids
    dumped = json.dumps(view, ensure_ascii=False)
    assert "Week of 23 Nov" in dumped and "Mon 23 Nov – Sun 29 Nov" in dumped and "W48" not in dumped
    assert count(bot, Checkin) == 0


def test_invalid_submission_shows_errors_next_to_fields_and_stores_nothing(bot: RunningBot) -> None:
    view = open_view(bot, "checkin")
    answers = {**ANSWERS, "minutes": "lots", "share": ["yes"]}
    del answers["rating_progress"]
    body = bot.driver.submit(view, answers).json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"minutes", "rating_progress", "win"}
    assert count(bot, Checkin) == 0 and count(bot, Win) == 0
    assert not bot.emulator.calls_to("chat.postMessage")


def test_valid_submission_stores_and_reports_the_streak(bot: RunningBot) -> None:
    view = open_view(bot, "checkin")
    reply = bot.driver.submit(view, ANSWERS)
    assert reply.status == 200 and reply.body == ""
    dm = bot.emulator.wait_for("chat.postMessage")[-1]
    assert dm.args["channel"] == "U1"
    assert "1-week streak" in dm.args["text"] and "week of 23 Nov" in dm.args["text"]
    with bot.ctx.store.session() as session:
        checkin = session.scalars(select(Checkin)).one()
        assert checkin.week == "2026-W48"
        assert checkin.ratings == {"personality": 3, "upskilling": 4, "delegation": 2, "progress": 3}
        assert checkin.learning_minutes == 90
        assert checkin.practices == ["code_review", "mentoring"]
        assert checkin.reflection == "Paired with Sam on the outage."
    home = bot.emulator.wait_for("views.publish")[-1]
    assert "You checked in for the *week of 23 Nov*" in json.dumps(home.args["view"])
    # The private reflection never leaves the DM and the database.
    assert all("outage" not in json.dumps(m) for m in bot.emulator.messages.get(TEAM_CHANNEL, []))


def test_resubmitting_in_the_same_week_updates_that_week(bot: RunningBot) -> None:
    bot.driver.submit(open_view(bot, "checkin"), ANSWERS)
    bot.emulator.wait_for("chat.postMessage", 1)
    view = open_view(bot, "checkin")
    assert "already checked in" in json.dumps(view)
    minutes_block = block(view, "minutes")
    assert minutes_block["element"]["initial_value"] == "90"
    bot.driver.submit(view, {**ANSWERS, "rating_delegation": "5", "minutes": "120"})
    second = bot.emulator.wait_for("chat.postMessage", 2)[-1]
    assert "updated" in second.args["text"] and "1-week streak" in second.args["text"]
    with bot.ctx.store.session() as session:
        checkin = session.scalars(select(Checkin)).one()
        assert (checkin.delegation, checkin.learning_minutes) == (5, 120)


def test_streak_grows_week_over_week_and_stats_show_it(bot: RunningBot) -> None:
    for week in range(3):
        bot.driver.submit(open_view(bot, "checkin"), {**ANSWERS, "minutes": str(30 * (week + 1))})
        bot.emulator.wait_for("chat.postMessage", week + 1)
        bot.clock.advance(timedelta(weeks=1))
    last = bot.emulator.calls_to("chat.postMessage")[-1]
    assert "3-week streak" in last.args["text"]
    body = bot.driver.command("stats").json()
    dumped = json.dumps(body, ensure_ascii=False)
    assert "Current streak" in dumped and "3 weeks" in dumped
    # The last four completed weeks (W47 to W50); this week (W51) apart, not as an empty column.
    assert "weeks of 16 Nov – 7 Dec" in dumped and "week of 14 Dec" in dumped and "W5" not in dumped
    assert "0 · 30 · 60 · 90 = *180*" in dumped


def test_stats_before_any_checkin(bot: RunningBot) -> None:
    dumped = json.dumps(bot.driver.command("stats").json())
    assert "No check-ins yet" in dumped


def test_shared_win_is_posted_escaped_with_a_mention(bot: RunningBot) -> None:
    hostile = "Shipped it <!channel> see <https://evil.example|the docs> & more"
    bot.driver.submit(open_view(bot, "checkin"), {**ANSWERS, "win": hostile, "share": ["yes"]})
    posts = [c for c in bot.emulator.wait_for("chat.postMessage", 2) if c.args["channel"] == TEAM_CHANNEL]
    assert len(posts) == 1
    dumped = json.dumps(posts[0].args)
    assert "<@U1>" in dumped
    assert "<!channel>" not in dumped and "<https://evil" not in dumped
    assert "&lt;!channel&gt;" in dumped and "&amp; more" in dumped
    with bot.ctx.store.session() as session:
        win = session.scalars(select(Win)).one()
        assert win.text == hostile and win.shared and win.message_ts


def test_private_win_is_not_posted(bot: RunningBot) -> None:
    bot.driver.submit(open_view(bot, "checkin"), {**ANSWERS, "win": "Fixed the flaky test"})
    bot.emulator.wait_for("chat.postMessage", 1)
    assert not bot.emulator.messages.get(TEAM_CHANNEL)
    assert count(bot, Win) == 1


def test_app_home_shows_streak_and_a_checkin_button(bot: RunningBot) -> None:
    assert bot.driver.event({"type": "app_home_opened", "user": "U2", "tab": "home"}).status == 200
    view = bot.emulator.wait_for("views.publish")[-1].args["view"]
    dumped = json.dumps(view)
    assert view["type"] == "home" and "No check-in yet" in dumped and "open_checkin" in dumped
    reply = bot.driver.click("open_checkin", user="U2", value="checkin")
    assert reply.status == 200
    bot.emulator.wait_for("views.open")
    assert bot.emulator.opened_views[-1]["callback_id"] == "checkin"


def test_a_resent_event_is_not_handled_twice(bot: RunningBot) -> None:
    event = {"type": "app_home_opened", "user": "U1", "tab": "home"}
    bot.driver.event(event, event_id="EvSAME")
    bot.emulator.wait_for("views.publish")
    reply = bot.driver.event(event, event_id="EvSAME", headers={"X-Slack-Retry-Num": "1",
                                                               "X-Slack-Retry-Reason": "http_timeout"})
    assert reply.status == 200
    bot.driver.event(event, event_id="EvOTHER")
    bot.emulator.wait_for("views.publish", 2)
    assert len(bot.emulator.calls_to("views.publish")) == 2


def test_time_zone_is_cached_for_a_day(bot: RunningBot) -> None:
    bot.driver.command("stats", user="U3")
    bot.driver.command("stats", user="U3")
    assert len([c for c in bot.emulator.calls_to("users.info") if c.args.get("user") == "U3"]) == 1
    with bot.ctx.store.session() as session:
        person = session.scalars(select(Person).where(Person.user_id == "U3")).one()
        assert person.slack_tz == "Asia/Tokyo"
    bot.clock.advance(timedelta(hours=25))
    bot.driver.command("stats", user="U3")
    assert len([c for c in bot.emulator.calls_to("users.info") if c.args.get("user") == "U3"]) == 2


def test_checkin_week_follows_the_persons_time_zone(bot: RunningBot) -> None:
    # Sunday 29 Nov 2026 20:00 UTC is already Monday of W49 in Tokyo, still Sunday of W48 in Berlin.
    bot.clock.set(bot.clock.now().replace(day=29, hour=20, minute=0))
    bot.driver.submit(open_view(bot, "checkin", "U3"), ANSWERS, user="U3")
    bot.driver.submit(open_view(bot, "checkin", "U1"), ANSWERS, user="U1")
    bot.emulator.wait_for("chat.postMessage", 2)
    with bot.ctx.store.session() as session:
        weeks = dict(session.execute(select(Person.user_id, Checkin.week).join(Checkin.person)).all())
    assert weeks == {"U3": "2026-W49", "U1": "2026-W48"}


def test_forged_signature_is_refused_and_nothing_is_stored(bot: RunningBot) -> None:
    reply = bot.driver.command("checkin", signature="v0=" + "0" * 64)
    assert reply.status == 401
    stale = bot.driver.command("stats", timestamp="1000000000")
    assert stale.status == 401
    assert count(bot, Person) == 0
    assert not bot.emulator.calls_to("views.open") and not bot.emulator.calls_to("users.info")


def test_healthz(bot: RunningBot) -> None:
    reply = bot.driver.get("/healthz")
    assert reply.status == 200 and reply.json() == {"status": "ok"}
    assert bot.driver.get("/nothing-here").status == 404


def test_export_cli_matches_the_contract_shape(bot: RunningBot) -> None:
    bot.driver.submit(open_view(bot, "checkin"), {**ANSWERS, "win": "Ran my first retro", "share": ["yes"]})
    bot.emulator.wait_for("chat.postMessage", 2)
    result = cli_export(bot, "U1")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"user_id", "team_id", "track", "focus", "timezone", "paused_until", "streak", "checkins", "goals",
            "wins"} <= set(data)
    assert (data["user_id"], data["team_id"], data["timezone"]) == ("U1", "T0001", "Europe/Berlin")
    assert data["streak"] == {"current": 1, "longest": 1}
    assert data["paused_until"] is None and data["track"] is None
    checkin = data["checkins"][0]
    assert checkin["week"] == "2026-W48" and checkin["learning_minutes"] == 90
    assert checkin["submitted_at"].startswith("2026-11-23T09:14:00") and checkin["submitted_at"].endswith("+00:00")
    assert checkin["ratings"] == {"personality": 3, "upskilling": 4, "delegation": 2, "progress": 3}
    assert checkin["practices"] == ["code_review", "mentoring"]
    assert data["wins"][0]["text"] == "Ran my first retro" and data["wins"][0]["shared"] is True
    assert data["goals"] == []
