"""/lead export (a JSON file in DM) and /lead forget (confirmed deletion of everything) end to end."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from bot.store.models import (
    Assessment,
    Checkin,
    Delivery,
    Goal,
    LearningLog,
    Pause,
    Person,
    PromptFeedback,
    PromptSend,
    Reflection,
    Win,
)
from tests.conftest import TEAM_CHANNEL, RunningBot
from tests.helpers import cli_export, open_view, responses_after, wait_until
from tests.slack_emulator import validate_message_blocks
from tests.test_goals import VALID

CHECKIN = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "5",
           "minutes": "1h", "practices": ["mentoring"], "reflection": "Let Kim lead the incident review."}
PERSON_TABLES = (Checkin, Goal, Win, Pause, Reflection, LearningLog, PromptSend, PromptFeedback, Assessment)


def seed(bot: RunningBot, user: str) -> None:
    """Give ``user`` a row in every table that can hold something about them."""
    dms_before = len(bot.emulator.messages.get(user, []))
    publishes = len(bot.emulator.calls_to("views.publish"))
    assert bot.driver.submit(open_view(bot, "checkin", user), CHECKIN, user=user).body == ""
    assert bot.driver.submit(open_view(bot, "goal", user), VALID, user=user).body == ""
    wait_until(lambda: len(bot.emulator.messages.get(user, [])) >= dms_before + 2)
    bot.emulator.wait_for("views.publish", publishes + 2)
    reactions = len(bot.emulator.reactions)
    bot.driver.command(f"win Unblocked the team &lt;!here&gt; ({user})", user=user)  # typed "<!here>", escaped by Slack
    wait_until(lambda: len(bot.emulator.reactions) > reactions)  # posted, then reacted to
    now = bot.clock.now()
    with bot.ctx.store.session() as session:
        person = session.scalars(select(Person).where(Person.user_id == user)).one()
        session.add_all([
            Pause(person_id=person.id, start=date(2027, 1, 4), end=date(2027, 1, 10)),
            Reflection(person_id=person.id, week="2026-W48", prompt_id="r-1", text="private", created_at=now),
            LearningLog(person_id=person.id, week="2026-W48", prompt_id="u-1", minutes=30, created_at=now),
            PromptSend(person_id=person.id, prompt_id="u-1", kind="upskilling", week="2026-W48", sent_at=now),
            PromptFeedback(person_id=person.id, prompt_id="u-1", verdict="helpful", at=now),
            Assessment(person_id=person.id, taken_at=now, track="hybrid", answers={"explain": 4}),
            Delivery(team_id=person.team_id, recipient=user, item="checkin-nudge", week="2026-W48", status="sent",
                     claim_token="t", claimed_at=now, attempts=1),
        ])


def rows_of(bot: RunningBot, user: str) -> dict[str, int]:
    with bot.ctx.store.session() as session:
        person_id = session.scalar(select(Person.id).where(Person.user_id == user))
        counts = {"people": session.scalar(select(func.count()).select_from(Person).where(Person.user_id == user)),
                  "deliveries": session.scalar(select(func.count()).select_from(Delivery)
                                               .where(Delivery.recipient == user))}
        for model in PERSON_TABLES:
            counts[model.__tablename__] = session.scalar(
                select(func.count()).select_from(model).where(model.person_id == person_id)) if person_id else 0
        return counts


def forget_buttons(body: dict) -> dict[str, dict]:
    return {e["action_id"]: e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]}


# export ---------------------------------------------------------------------------------------
def test_export_arrives_as_a_json_file_in_the_dm(bot: RunningBot) -> None:
    seed(bot, "U1")
    body = bot.driver.command("export").json()
    assert "JSON file" in body["text"] and body.get("response_type") != "in_channel"
    bot.emulator.wait_for("files.completeUploadExternal")
    assert bot.emulator.calls_to("conversations.open")[-1].args["users"] == "U1"
    [upload] = bot.emulator.uploads
    assert upload["channel_id"] == "DU1" and upload["filename"] == "lead-bot-export-U1.json"
    assert "/lead forget" in upload["initial_comment"]
    data = json.loads(upload["content"].decode("utf-8"))
    assert {"user_id", "team_id", "track", "focus", "timezone", "paused_until", "streak", "checkins", "goals",
            "wins"} <= set(data)
    assert (data["user_id"], data["team_id"], data["timezone"]) == ("U1", "T0001", "Europe/Berlin")
    assert data["streak"] == {"current": 1, "longest": 1}
    [checkin] = data["checkins"]
    assert checkin["week"] == "2026-W48" and checkin["learning_minutes"] == 60
    assert checkin["ratings"] == {"personality": 3, "upskilling": 4, "delegation": 2, "progress": 5}
    assert checkin["reflection"] == CHECKIN["reflection"] and checkin["submitted_at"].endswith("+00:00")
    [goal] = data["goals"]
    assert {k: goal[k] for k in ("title", "foundation", "status", "progress", "due")} == {
        "title": VALID["title"], "foundation": "delegation", "status": "active", "progress": 0, "due": "2027-01-31"}
    assert isinstance(goal["id"], int)
    [win] = data["wins"]
    assert win["text"] == "Unblocked the team <!here> (U1)" and win["shared"] is True
    # The file is the same document the CLI prints.
    assert cli_export(bot, "U1").stdout.strip() == upload["content"].decode("utf-8").strip()


def test_export_for_someone_unknown_says_nothing_is_stored(bot: RunningBot) -> None:
    body = bot.driver.command("export", user="U3").json()
    assert "nothing stored" in body["text"]
    assert not bot.emulator.calls_to("files.getUploadURLExternal") and bot.emulator.uploads == []
    assert rows_of(bot, "U3")["people"] == 0


def test_a_refused_upload_is_reported(bot: RunningBot) -> None:
    bot.driver.command("stats")
    bot.emulator.fail_next("files.getUploadURLExternal", status=200)
    bot.driver.command("export")
    assert "not sent" in json.dumps(responses_after(bot, 1))
    assert bot.emulator.uploads == []


# forget ---------------------------------------------------------------------------------------
def test_forget_asks_first_and_deletes_everything_of_the_owner_only(bot: RunningBot) -> None:
    seed(bot, "U1")
    seed(bot, "U2")
    u1_post, u2_post = (m["ts"] for m in bot.emulator.messages[TEAM_CHANNEL])
    before_u1, before_u2 = rows_of(bot, "U1"), rows_of(bot, "U2")
    assert all(count >= 1 for count in before_u1.values()), before_u1
    body = bot.driver.command("forget").json()
    assert validate_message_blocks(body["blocks"]) == [] and body["text"]
    dumped = json.dumps(body)
    assert "cannot be undone" in dumped and "/lead export" in dumped
    buttons = forget_buttons(body)
    confirm = buttons["forget_confirm"]
    assert confirm["style"] == "danger" and "forget_cancel" in buttons
    # U2 replays U1's confirmation: nothing is deleted, neither U1's data nor U2's.
    bot.driver.click("forget_confirm", user="U2", value=confirm["value"], block_id="forget")
    reply = responses_after(bot, 1)
    assert "someone else" in json.dumps(reply) and reply["replace_original"] is False
    assert rows_of(bot, "U1") == before_u1 and rows_of(bot, "U2") == before_u2
    assert len(bot.emulator.messages[TEAM_CHANNEL]) == 2
    # U1 confirms: every row about U1 goes, in every table; U2 keeps everything.
    bot.driver.click("forget_confirm", user="U1", value=confirm["value"], block_id="forget")
    done = responses_after(bot, 2)
    assert done["replace_original"] is True and "deleted everything" in done["text"]
    assert "removed 1 shared win post" in done["text"]
    assert all(count == 0 for count in rows_of(bot, "U1").values()), rows_of(bot, "U1")
    assert rows_of(bot, "U2") == before_u2
    assert [m["ts"] for m in bot.emulator.messages[TEAM_CHANNEL]] == [u2_post]
    assert bot.emulator.calls_to("chat.delete")[-1].args["ts"] == u1_post
    # The App Home is cleared after the reply: wait for it rather than read the dashboard it replaces.
    home = wait_until(lambda: "deleted" in json.dumps(bot.emulator.home_views.get("U1")) and
                      bot.emulator.home_views["U1"])
    assert "Hand the release" not in json.dumps(home)
    result = cli_export(bot, "U1")
    assert result.returncode == 1 and "U1" in result.stderr and result.stdout == ""
    assert cli_export(bot, "U2").returncode == 0


def test_forget_reports_posts_it_could_not_remove(bot: RunningBot) -> None:
    seed(bot, "U1")
    ts = bot.emulator.messages[TEAM_CHANNEL][0]["ts"]
    bot.emulator.messages[TEAM_CHANNEL].clear()  # someone already deleted the post by hand
    confirm = forget_buttons(bot.driver.command("forget").json())["forget_confirm"]
    bot.driver.click("forget_confirm", value=confirm["value"])
    done = responses_after(bot, 1)["text"]
    assert "could not be removed" in done and "deleted everything" in done
    assert bot.emulator.calls_to("chat.delete")[-1].args["ts"] == ts
    assert rows_of(bot, "U1")["people"] == 0
    wait_until(lambda: bot.emulator.home_views.get("U1"))


def test_forget_cancel_keeps_everything(bot: RunningBot) -> None:
    seed(bot, "U1")
    before = rows_of(bot, "U1")
    buttons = forget_buttons(bot.driver.command("forget").json())
    bot.driver.click("forget_cancel", value=buttons["forget_cancel"]["value"])
    reply = responses_after(bot, 1)
    assert reply["replace_original"] is True and "Nothing was deleted" in reply["text"]
    assert rows_of(bot, "U1") == before and not bot.emulator.calls_to("chat.delete")


def test_forget_for_someone_unknown_says_nothing_is_stored(bot: RunningBot) -> None:
    body = bot.driver.command("forget", user="U3").json()
    assert "nothing stored" in body["text"] and "forget_confirm" not in json.dumps(body)
    assert rows_of(bot, "U3")["people"] == 0
