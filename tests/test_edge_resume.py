"""Issue 8, item 9: ``/lead resume`` means not paused, in the export and on the App Home."""

from __future__ import annotations

import json
from datetime import date, timedelta

from bot.services.export import export_person
from tests.conftest import RunningBot
from tests.test_settings import ephemeral, pauses


def exported(bot: RunningBot) -> dict:
    """The export as of the test's clock (``lead-bot export`` asks the system clock)."""
    data = export_person(bot.ctx, "U1")
    assert data is not None
    return data


def home_text(bot: RunningBot) -> str:
    before = len(bot.emulator.calls_to("views.publish"))
    assert bot.driver.event({"type": "app_home_opened", "user": "U1", "tab": "home"}).status == 200
    return json.dumps(bot.emulator.wait_for("views.publish", before + 1)[-1].args["view"])


def test_after_resume_the_export_says_not_paused_and_keeps_the_history(bot: RunningBot) -> None:
    ephemeral(bot, "pause 2")
    assert exported(bot)["paused_until"] == "2026-12-06"
    assert "paused until" in home_text(bot)
    bot.clock.advance(timedelta(days=2))
    assert "Welcome back" in ephemeral(bot, "resume")
    data = exported(bot)
    assert data["paused_until"] is None
    assert data["pauses"] == [{"start": "2026-11-23", "end": "2026-11-25"}]  # today stays bridged
    assert "paused until" not in home_text(bot)
    assert "weren't paused" in ephemeral(bot, "resume")  # a second resume the same day
    bot.clock.advance(timedelta(days=1))
    assert exported(bot)["paused_until"] is None


def test_a_pause_on_its_last_day_is_still_a_pause(bot: RunningBot) -> None:
    ephemeral(bot, "pause")
    bot.clock.advance(timedelta(days=6))  # Sunday 29 November, the pause's last day
    assert exported(bot)["paused_until"] == "2026-11-29"


def test_pausing_again_after_a_resume_is_a_pause_again(bot: RunningBot) -> None:
    ephemeral(bot, "pause")
    bot.clock.advance(timedelta(days=1))
    ephemeral(bot, "resume")
    assert exported(bot)["paused_until"] is None
    ephemeral(bot, "pause 2")  # on Tuesday: two weeks from today, the bridged start kept
    assert exported(bot)["paused_until"] == "2026-12-07"
    assert pauses(bot) == [(date(2026, 11, 23), date(2026, 12, 7))]
