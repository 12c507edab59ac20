"""``/lead settings``, ``/lead pause`` and ``/lead resume`` end to end."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.coaching.foundations import FOUNDATIONS, ROLES
from bot.scheduler.registry import PERSONAL_JOBS
from bot.store.models import Pause, Person
from tests.conftest import RunningBot
from tests.helpers import element, open_view, wait_until
from tests.slack_emulator import validate_message_blocks

CHECKIN = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3",
           "minutes": "30"}
# What an untouched modal submits: every job at its default slot, the Slack zone, lead-bot's focus choice.
KEEP = {**{f"day_{job.name}": job.default_slot.day for job in PERSONAL_JOBS},
        **{f"time_{job.name}": f"{job.default_slot.at:%H:%M}" for job in PERSONAL_JOBS},
        "timezone": "slack", "focus": "auto", "prefs": ["nudges", "celebrate", "picture"]}
assert KEEP["day_checkin-nudge"] == "mon" and KEEP["time_reflection-prompt"] == "15:00"


def open_settings(bot: RunningBot, user: str = "U1") -> dict:
    return open_view(bot, "settings", user, callback_id="settings")


def save(bot: RunningBot, view: dict, answers: dict, user: str = "U1") -> dict:
    """Submit settings successfully; returns the confirmation DM's arguments."""
    publishes = len(bot.emulator.calls_to("views.publish"))
    reply = bot.driver.submit(view, answers, user=user)
    assert reply.status == 200 and reply.body == "", reply.body
    bot.emulator.wait_for("views.publish", publishes + 1)
    dm = bot.emulator.calls_to("chat.postMessage")[-1].args
    assert dm["channel"] == user and validate_message_blocks(dm["blocks"]) == []
    return dm


def person(bot: RunningBot, user: str = "U1") -> Person:
    with bot.ctx.store.session() as session:
        return session.scalars(select(Person).where(Person.user_id == user)).one()


def pauses(bot: RunningBot, user: str = "U1") -> list[tuple[date, date]]:
    with bot.ctx.store.session() as session:
        rows = session.execute(select(Pause.start, Pause.end).join(Person, Person.id == Pause.person_id)
                               .where(Person.user_id == user).order_by(Pause.start))
        return [(start, end) for start, end in rows]


def check_in(bot: RunningBot, user: str = "U1") -> str:
    """Check in through the modal; returns the confirmation DM's text."""
    before = len(bot.emulator.calls_to("views.open"))
    bot.driver.command("checkin", user=user)
    bot.emulator.wait_for("views.open", before + 1)
    publishes = len(bot.emulator.calls_to("views.publish"))
    posts = len(bot.emulator.calls_to("chat.postMessage"))
    assert bot.driver.submit(bot.emulator.opened_views[-1], CHECKIN, user=user).body == ""
    bot.emulator.wait_for("views.publish", publishes + 1)
    # The confirmation DM, not one sent before (a pause's dashboard may be published late).
    return bot.emulator.wait_for("chat.postMessage", posts + 1)[posts].args["text"]


def ephemeral(bot: RunningBot, text: str, user: str = "U1") -> str:
    reply = bot.driver.command(text, user=user)
    assert reply.status == 200
    body = reply.json()
    assert body.get("response_type") != "in_channel"
    if body.get("blocks"):
        assert validate_message_blocks(body["blocks"]) == []
    return json.dumps(body)


# settings ----------------------------------------------------------------------------------------
def test_settings_modal_shows_what_is_in_effect(bot: RunningBot) -> None:
    # A first-time user's modal opens before Slack is asked where they live (modals first), then
    # is brought up to date with their zone.
    open_settings(bot)
    bot.emulator.wait_for("views.update")
    first, view = bot.emulator.opened_views[0], bot.emulator.opened_views[-1]
    assert "(UTC)" in element(first, "timezone")["initial_option"]["text"]["text"]
    assert view["id"] == first["id"]
    assert element(view, "day_checkin-nudge")["initial_option"]["value"] == "mon"
    assert element(view, "time_checkin-nudge")["initial_time"] == "10:00"
    assert element(view, "day_reflection-prompt")["initial_option"]["value"] == "fri"
    zone = element(view, "timezone")
    assert zone["initial_option"]["value"] == "slack" and "Europe/Berlin" in zone["initial_option"]["text"]["text"]
    assert {o["value"] for o in element(view, "prefs")["initial_options"]} == {"nudges", "celebrate", "picture"}
    assert "initial_option" not in element(view, "track")
    focus = element(view, "focus")
    assert [o["value"] for o in focus["options"]] == ["auto", *FOUNDATIONS]
    assert focus["initial_option"]["value"] == "auto"
    assert [o["value"] for o in element(view, "role")["options"]] == list(ROLES)
    assert "initial_option" not in element(view, "role")
    # The new jobs can be moved like the others.
    assert element(view, "day_focus-review")["initial_option"]["value"] == "mon"
    assert element(view, "time_focus-review")["initial_time"] == "10:30"
    assert element(view, "day_growth-review")["initial_option"]["value"] == "tue"


def test_focus_mode_and_role_round_trip(bot: RunningBot) -> None:
    dm = save(bot, open_settings(bot), {**KEEP, "focus": "upskilling", "role": "tech_lead"})
    stored = person(bot)
    assert (stored.focus_mode, stored.focus, stored.role) == ("chosen", "upskilling", "tech_lead")
    assert "Role: not chosen → Tech lead" in dm["text"]
    assert "Focus: Let lead-bot choose: my weakest foundation → Continuous upskilling" in dm["text"]
    again = open_settings(bot)
    assert element(again, "focus")["initial_option"]["value"] == "upskilling"
    assert element(again, "role")["initial_option"]["value"] == "tech_lead"

    check_in(bot)  # delegation is rated lowest (2)
    dm = save(bot, open_settings(bot), {**KEEP, "focus": "auto", "role": "tech_lead"})
    stored = person(bot)
    assert (stored.focus_mode, stored.focus, stored.role) == ("auto", None, "tech_lead")
    assert ("Focus: Continuous upskilling → Let lead-bot choose: my weakest foundation (Manage, don't handle right now)"
            in dm["text"])
    view = open_settings(bot)
    assert element(view, "focus")["initial_option"]["value"] == "auto"
    assert "Manage, don't handle" in element(view, "focus")["initial_option"]["description"]["text"]
    # Leaving the role untouched keeps it.
    save(bot, view, KEEP)
    assert person(bot).role == "tech_lead"


def test_a_focus_that_is_no_choice_is_flagged(bot: RunningBot) -> None:
    body = bot.driver.submit(open_settings(bot), {**KEEP, "focus": "everything"}).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"focus"}
    assert person(bot).focus_mode == "auto"


def test_a_valid_save_is_stored_and_the_changes_are_listed(bot: RunningBot) -> None:
    answers = {**KEEP, "day_checkin-nudge": "tue", "time_checkin-nudge": "09:30", "time_reflection-prompt": "16:30",
               "timezone": "Asia/Kolkata", "track": "technical", "focus": "progress", "prefs": ["nudges"]}
    dm = save(bot, open_settings(bot), answers)
    stored = person(bot)
    # Only the slots that differ from the defaults are the person's own.
    assert stored.slots == {"checkin-nudge": "tue 09:30", "reflection-prompt": "fri 16:30"}
    assert (stored.tz_override, stored.track, stored.focus, stored.focus_mode) == ("Asia/Kolkata", "technical",
                                                                                  "progress", "chosen")
    assert stored.nudges_enabled is True and stored.celebrate_publicly is False and stored.progress_picture is False
    text = dm["text"]
    assert "Check-in nudge: Monday 10:00 → Tuesday 09:30" in text
    assert "Reflection question: Friday 15:00 → Friday 16:30" in text
    assert "Time zone: your Slack zone (Europe/Berlin) → Asia/Kolkata" in text
    assert "Public celebrations: on → off" in text and "Track: not chosen → Technical" in text
    assert "Monthly progress picture: on → off" in text
    assert "Learning step" not in text and "Nudges:" not in text

    again = open_settings(bot)
    assert element(again, "day_checkin-nudge")["initial_option"]["value"] == "tue"
    assert element(again, "timezone")["initial_option"]["value"] == "Asia/Kolkata"
    assert element(again, "track")["initial_option"]["value"] == "technical"
    assert [o["value"] for o in element(again, "prefs")["initial_options"]] == ["nudges"]
    dm = save(bot, again, {**KEEP, "day_checkin-nudge": "tue", "time_checkin-nudge": "09:30",
                           "time_reflection-prompt": "16:30", "timezone": "Asia/Kolkata", "track": "technical",
                           "focus": "progress", "prefs": ["nudges"]})
    assert "Nothing changed" in dm["text"]


def test_a_typed_zone_wins_and_following_slack_clears_it(bot: RunningBot) -> None:
    save(bot, open_settings(bot), {**KEEP, "timezone": "Europe/London", "timezone_other": " america/bogota "})
    assert person(bot).tz_override == "America/Bogota"
    dm = save(bot, open_settings(bot), KEEP)
    assert person(bot).tz_override is None
    assert "America/Bogota → your Slack zone (Europe/Berlin)" in dm["text"]


def test_an_unknown_time_zone_is_flagged_next_to_the_field_and_nothing_is_stored(bot: RunningBot) -> None:
    view = open_settings(bot)
    body = bot.driver.submit(view, {**KEEP, "day_checkin-nudge": "sun", "track": "hybrid",
                                    "timezone_other": "Mars/Olympus"}).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"timezone_other"}
    assert "Mars/Olympus" in body["errors"]["timezone_other"]
    stored = person(bot)
    assert stored.slots == {} and stored.tz_override is None and stored.track is None
    assert not bot.emulator.calls_to("chat.postMessage")


def test_a_replayed_settings_view_changes_nothing_for_the_original_person(bot: RunningBot) -> None:
    view = open_settings(bot, "U1")
    save(bot, view, {**KEEP, "day_checkin-nudge": "fri", "timezone": "Asia/Tokyo", "prefs": []}, user="U2")
    original = person(bot, "U1")
    assert original.slots == {} and original.tz_override is None
    assert original.nudges_enabled and original.celebrate_publicly
    other = person(bot, "U2")
    assert other.slots == {"checkin-nudge": "fri 10:00"} and other.tz_override == "Asia/Tokyo"
    assert not other.nudges_enabled


# pause and resume --------------------------------------------------------------------------------
def test_pause_defaults_to_one_week_and_says_until_when(bot: RunningBot) -> None:
    body = ephemeral(bot, "pause")
    assert "Sunday 29 November" in body and "Europe/Berlin" in body and "pause_resume" in body
    assert pauses(bot) == [(date(2026, 11, 23), date(2026, 11, 29))]
    home = bot.emulator.wait_for("views.publish")[-1].args["view"]
    assert "paused until *Sun 29 Nov*" in json.dumps(home)


def test_pause_after_this_weeks_checkin_starts_next_monday(bot: RunningBot) -> None:
    check_in(bot)
    body = ephemeral(bot, "pause 2")
    assert "Monday 30 November" in body and "Sunday 13 December" in body
    assert pauses(bot) == [(date(2026, 11, 30), date(2026, 12, 13))]


def test_pause_dates_are_in_the_persons_time_zone(bot: RunningBot) -> None:
    # Sunday 29 November 20:00 UTC: still Sunday in Berlin, already Monday 30 November in Tokyo.
    bot.clock.set(datetime(2026, 11, 29, 20, 0, tzinfo=UTC))
    assert "Saturday 5 December" in ephemeral(bot, "pause", user="U1")
    assert "Sunday 6 December" in ephemeral(bot, "pause 1 week", user="U3")
    assert pauses(bot, "U3") == [(date(2026, 11, 30), date(2026, 12, 6))]


def test_pause_with_a_bad_argument_says_what_to_type(bot: RunningBot) -> None:
    for text in ("pause soon", "pause 0", "pause 13", "pause -2", "pause &lt;!channel&gt;"):
        body = ephemeral(bot, text)
        assert "/lead pause 3" in body and "1 to 12" in body, text
    assert "<!channel>" not in body and "&lt;!channel&gt;" in body
    assert pauses(bot) == []


def test_asking_again_moves_the_end_of_the_pause(bot: RunningBot) -> None:
    ephemeral(bot, "pause")
    bot.clock.advance(timedelta(days=2))
    assert "now runs until the end of *Tuesday 8 December*" in ephemeral(bot, "pause 2")
    assert pauses(bot) == [(date(2026, 11, 23), date(2026, 12, 8))]


def test_resume_ends_a_pause_or_says_there_was_none(bot: RunningBot) -> None:
    assert "weren't paused" in ephemeral(bot, "resume")
    ephemeral(bot, "pause 3")
    bot.clock.advance(timedelta(days=3))
    assert "Welcome back" in ephemeral(bot, "resume")
    assert pauses(bot) == [(date(2026, 11, 23), date(2026, 11, 26))]
    bot.clock.advance(timedelta(days=1))
    assert "weren't paused" in ephemeral(bot, "resume")


def test_resume_cancels_a_pause_that_has_not_begun(bot: RunningBot) -> None:
    check_in(bot)
    ephemeral(bot, "pause")
    assert "planned from Monday 30 November is cancelled" in ephemeral(bot, "resume")
    assert pauses(bot) == []


def test_a_replayed_resume_button_only_resumes_the_clicker(bot: RunningBot) -> None:
    ephemeral(bot, "pause 2")
    assert bot.driver.click("pause_resume", user="U2", value="resume").status == 200
    reply = wait_until(lambda: bot.emulator.responses)[-1]
    assert "weren't paused" in reply["text"] and reply.get("response_type") == "ephemeral"
    assert pauses(bot, "U1") == [(date(2026, 11, 23), date(2026, 12, 6))]
    bot.driver.click("pause_resume", user="U1", value="resume")
    wait_until(lambda: len(bot.emulator.responses) >= 2)
    assert "Welcome back" in bot.emulator.responses[-1]["text"]
    assert pauses(bot, "U1") == [(date(2026, 11, 23), date(2026, 11, 23))]


def test_a_paused_week_does_not_break_the_streak(bot: RunningBot) -> None:
    assert "1-week streak" in check_in(bot)  # W48
    publishes = len(bot.emulator.calls_to("views.publish"))
    ephemeral(bot, "pause")  # W49, since W48 already has its check-in
    bot.emulator.wait_for("views.publish", publishes + 1)  # the pause's App Home, published after the reply
    bot.clock.advance(timedelta(weeks=2))
    assert "2-week streak" in check_in(bot)  # W50: W49 is bridged
    # Without the pause the same gap restarts the streak.
    assert "1-week streak" in check_in(bot, "U2")
    bot.clock.advance(timedelta(weeks=2))
    assert "1-week streak" in check_in(bot, "U2")
