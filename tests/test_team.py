"""``/lead config`` and ``/lead team`` end to end."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot.store.models import Workspace
from tests.conftest import TEAM_CHANNEL, TEAM_ID, RunningBot
from tests.helpers import element, open_view, wait_until
from tests.slack_emulator import validate_message_blocks

CONFIG = {"channel": "CNEW", "nudge_day": "tue", "nudge_time": "09:00", "default_tz": "Europe/London"}
WITHHELD = "fewer than 3 people — withheld to keep answers anonymous"


def answer(bot: RunningBot, text: str, user: str) -> dict:
    """Run a command answered through its response URL; returns that (validated, ephemeral) answer."""
    before = len(bot.emulator.responses)
    reply = bot.driver.command(text, user=user)
    assert reply.status == 200 and reply.body == ""
    wait_until(lambda: len(bot.emulator.responses) > before)
    body = bot.emulator.responses[-1]
    assert body.get("response_type") == "ephemeral"
    assert validate_message_blocks(body.get("blocks") or []) == []
    return body


def open_config(bot: RunningBot, user: str = "UADMIN") -> dict:
    return open_view(bot, "config", user, callback_id="config")


def workspace(bot: RunningBot) -> Workspace | None:
    with bot.ctx.store.session() as session:
        return session.get(Workspace, TEAM_ID)


def check_in(bot: RunningBot, user: str, ratings: tuple[int, int, int, int], win: str | None = None,
             reflection: str | None = None) -> None:
    before = len(bot.emulator.calls_to("views.open"))
    bot.driver.command("checkin", user=user)
    bot.emulator.wait_for("views.open", before + 1)
    answers: dict[str, Any] = {f"rating_{k}": str(v) for k, v in
                               zip(("personality", "upskilling", "delegation", "progress"), ratings, strict=True)}
    answers["minutes"] = "20"
    if win:
        answers["win"] = win
    if reflection:
        answers["reflection"] = reflection
    publishes = len(bot.emulator.calls_to("views.publish"))
    assert bot.driver.submit(bot.emulator.opened_views[-1], answers, user=user).body == ""
    bot.emulator.wait_for("views.publish", publishes + 1)


# /lead config --------------------------------------------------------------------------------------
def test_an_admin_configures_the_workspace(bot: RunningBot) -> None:
    bot.emulator.add_channel("CNEW", name="leads", members=["UADMIN"])
    view = open_config(bot)
    channel = element(view, "channel")
    assert channel["initial_conversation"] == TEAM_CHANNEL  # LEAD_TEAM_CHANNEL until one is configured
    reply = bot.driver.submit(view, CONFIG, user="UADMIN")
    assert reply.status == 200 and reply.body == "", reply.body
    stored = workspace(bot)
    assert (stored.team_channel, stored.default_tz) == ("CNEW", "Europe/London")
    assert stored.slots == {"checkin-nudge": "tue 09:00"}
    dm = bot.emulator.wait_for("chat.postMessage")[-1].args
    assert dm["channel"] == "UADMIN"
    assert "<#CTEAM> → <#CNEW>" in dm["text"] and "Monday 10:00 → Tuesday 09:00" in dm["text"]
    assert "UTC → Europe/London" in dm["text"]
    # The modal now shows the stored values, and a person's settings default to the new slot.
    again = open_config(bot)
    assert element(again, "nudge_day")["initial_option"]["value"] == "tue"
    opened = len(bot.emulator.calls_to("views.open"))
    bot.driver.command("settings", user="U1")
    bot.emulator.wait_for("views.open", opened + 1)
    settings_view = bot.emulator.opened_views[-1]
    nudge = element(settings_view, "time_checkin-nudge")
    assert nudge["initial_time"] == "09:00"


@pytest.mark.sqlite_only
def test_someone_who_is_not_an_admin_is_refused(bot: RunningBot) -> None:
    body = answer(bot, "config", "U1")
    assert "admins" in body["text"] and "LEAD_ADMINS" in body["text"]
    assert not bot.emulator.calls_to("views.open")
    assert [c.args["user"] for c in bot.emulator.calls_to("users.info")] == ["U1"]  # checked live


def test_a_lead_admins_user_is_allowed(bot: RunningBot) -> None:
    bot.ctx.settings = replace(bot.ctx.settings, admins=frozenset({"U2"}))
    bot.emulator.add_channel("CNEW", name="leads", members=["U2"])
    view = open_config(bot, "U2")
    assert not bot.emulator.calls_to("users.info")  # the list is enough, no Slack call
    assert bot.driver.submit(view, CONFIG, user="U2").body == ""
    assert workspace(bot).team_channel == "CNEW"


def test_a_channel_without_the_bot_gets_an_invite_hint_next_to_the_field(bot: RunningBot) -> None:
    bot.emulator.add_channel("CQUIET", name="quiet", members=["UADMIN"], bot_is_member=False)
    body = bot.driver.submit(open_config(bot), {**CONFIG, "channel": "CQUIET"}, user="UADMIN").json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"channel"}
    assert "/invite @lead-bot" in body["errors"]["channel"]
    assert workspace(bot).team_channel is None and workspace(bot).slots == {}
    assert not bot.emulator.calls_to("chat.postMessage")


def test_an_unknown_workspace_zone_is_flagged(bot: RunningBot) -> None:
    bot.emulator.add_channel("CNEW", name="leads", members=["UADMIN"])
    body = bot.driver.submit(open_config(bot), {**CONFIG, "default_tz_other": "Atlantis/Central"},
                             user="UADMIN").json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"default_tz_other"}
    assert workspace(bot).team_channel is None


def test_a_config_view_replayed_by_someone_else_changes_nothing(bot: RunningBot) -> None:
    bot.emulator.add_channel("CNEW", name="leads", members=["UADMIN"])
    view = open_config(bot)
    body = bot.driver.submit(view, CONFIG, user="U1").json()
    assert body["response_action"] == "errors" and "admins" in body["errors"]["channel"]
    stored = workspace(bot)
    assert stored.team_channel is None and stored.slots == {} and stored.default_tz == "UTC"


# /lead team ----------------------------------------------------------------------------------------
def test_team_numbers_with_enough_people(bot: RunningBot) -> None:
    bot.clock.advance(timedelta(weeks=-1))  # W47
    check_in(bot, "U1", (1, 1, 1, 1), win="An older win")
    bot.clock.advance(timedelta(weeks=1))  # W48
    check_in(bot, "U1", (4, 3, 2, 5), win="Secret-ish win text", reflection="My private reflection")
    check_in(bot, "U2", (2, 3, 4, 1))
    check_in(bot, "U3", (3, 3, 3, 3), win="Another win")
    body = answer(bot, "team", "U2")
    dumped = json.dumps(body, ensure_ascii=False)
    assert "3 of 3 checked in (100%)" in dumped
    assert "4 of 12 possible check-ins (33%)" in dumped and "16 Nov: 1/3" in dumped and "23 Nov: 3/3" in dumped
    # Averages over the four check-ins: personality (1+4+2+3)/4, upskilling 10/4, delegation 10/4, progress 10/4.
    assert "2.5 · Personality development" in dumped and "2.5 · Track progress" in dumped
    assert "from 3 people" in dumped
    assert "2 this week · 3 in the last four weeks" in dumped
    assert WITHHELD not in dumped
    # Nothing about any individual: no ids, names, texts.
    for private in ("U1", "U3", "UADMIN", "Ada", "Grace", "Margaret", "Secret-ish", "reflection", "Another win"):
        assert private not in dumped, private


def test_team_numbers_are_withheld_under_three_people(bot: RunningBot) -> None:
    check_in(bot, "U1", (5, 5, 5, 5), win="Mine")
    check_in(bot, "U2", (1, 1, 1, 1))
    dumped = json.dumps(answer(bot, "team", "U1"), ensure_ascii=False)
    assert dumped.count(WITHHELD) == 3
    assert "checked in (" not in dumped and "this week ·" not in dumped and "3.0" not in dumped


def test_ratings_are_withheld_when_fewer_than_three_checked_in(bot: RunningBot) -> None:
    check_in(bot, "U1", (5, 5, 5, 5))
    check_in(bot, "U2", (1, 1, 1, 1))
    assert bot.driver.command("stats", user="U3").status == 200  # U3 is now known, without a check-in
    dumped = json.dumps(answer(bot, "team", "U3"), ensure_ascii=False)
    assert "2 of 3 checked in (67%)" in dumped
    assert "Average ratings: " + WITHHELD in dumped
    assert "3.0" not in dumped


def test_team_is_only_for_members_of_the_team_channel(bot: RunningBot) -> None:
    bot.emulator.add_user("U9", tz="UTC", name="Outside Person")
    body = answer(bot, "team", "U9")
    assert "members of <#CTEAM>" in body["text"] and "Participation" not in json.dumps(body)


def test_team_without_a_channel_says_how_to_set_one(bot: RunningBot) -> None:
    bot.ctx.settings = replace(bot.ctx.settings, team_channel=None)
    assert "/lead config" in answer(bot, "team", "U1")["text"]


def test_team_reads_every_page_of_a_big_channel(bot: RunningBot) -> None:
    crowd = [f"UX{i:04d}" for i in range(450)]
    bot.emulator.add_channel("CBIG", name="everyone", members=crowd + ["U1"])
    bot.ctx.settings = replace(bot.ctx.settings, team_channel="CBIG")
    body = answer(bot, "team", "U1")
    assert "members of" not in body["text"] and "451 channel members" in json.dumps(body)
    assert len(bot.emulator.calls_to("conversations.members")) == 3
