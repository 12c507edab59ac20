"""Goals end to end: the modal, the list, its buttons, ownership and the done celebration."""

from __future__ import annotations

import json
import threading
from datetime import date

from sqlalchemy import select

from bot.services.types.goals import GoalSummary
from bot.store import people as people_store
from bot.store.models import Goal, Person
from bot.views.goals import goals_list_message
from tests.conftest import RunningBot
from tests.helpers import block, open_view, responses_after, team_posts, wait_until
from tests.slack_emulator import validate_message_blocks

VALID = {"title": "Hand the release process over to Kim", "foundation": "delegation",
         "measure": "Releases Kim runs without me", "target": "3", "due": "2027-01-31"}


def create_goal(bot: RunningBot, user: str = "U1", **answers: str) -> Goal:
    view = open_view(bot, "goal", user)
    publishes = len(bot.emulator.calls_to("views.publish"))
    reply = bot.driver.submit(view, {**VALID, **answers}, user=user)
    assert reply.status == 200 and reply.body == "", reply.body
    bot.emulator.wait_for("views.publish", publishes + 1)  # the listener's last step: it is done
    title = answers.get("title", VALID["title"])
    with bot.ctx.store.session() as session:
        return session.scalars(select(Goal).where(Goal.title == title)).one()


def goals_in_db(bot: RunningBot) -> list[Goal]:
    with bot.ctx.store.session() as session:
        return list(session.scalars(select(Goal).order_by(Goal.id)))


def click(bot: RunningBot, action: str, goal_id: int, user: str = "U1") -> None:
    assert bot.driver.click(action, user=user, value=str(goal_id), block_id=f"goal_{goal_id}").status == 200


def open_progress(bot: RunningBot, goal_id: int) -> dict:
    """Click "Update progress" on the list and return the modal it opens."""
    before = len(bot.emulator.calls_to("views.open"))
    click(bot, "goal_update_progress", goal_id)
    bot.emulator.wait_for("views.open", before + 1)
    return bot.emulator.opened_views[-1]


def set_celebrations(bot: RunningBot, user: str, on: bool) -> None:
    with bot.ctx.store.session() as session:
        session.scalars(select(Person).where(Person.user_id == user)).one().celebrate_publicly = on


def set_workspace_celebrations(bot: RunningBot, mode: str) -> None:
    """``/lead config``'s choice: "live" posts milestones and finished goals as they happen, "digest" gathers them."""
    with bot.ctx.store.session() as session:
        people_store.update_workspace(session, bot.driver.team_id, bot.clock.now(), celebrations=mode)


# creating -------------------------------------------------------------------------------------
def test_goal_modal_stores_a_goal_and_confirms_in_dm(bot: RunningBot) -> None:
    view = open_view(bot, "goal")
    assert view["callback_id"] == "goal_new"
    assert {"title", "foundation", "measure", "target", "due"} <= {b.get("block_id") for b in view["blocks"]}
    foundation_block = block(view, "foundation")
    assert [o["value"] for o in foundation_block["element"]["options"]] == [
        "personality", "upskilling", "delegation", "progress"]
    bot.driver.submit(view, VALID)
    [goal] = goals_in_db(bot)
    assert (goal.title, goal.foundation, goal.measure, goal.target, goal.due) == (
        VALID["title"], "delegation", VALID["measure"], 3, date(2027, 1, 31))
    assert (goal.status, goal.progress, goal.current, goal.done_at) == ("active", 0, 0, None)
    dm = bot.emulator.wait_for("chat.postMessage")[-1]
    assert dm.args["channel"] == "U1" and "New goal saved" in dm.args["text"]
    home = wait_until(lambda: bot.emulator.home_views.get("U1"))
    assert "Hand the release process over to Kim" in json.dumps(home)


def test_goal_text_after_the_subcommand_prefills_the_title(bot: RunningBot) -> None:
    view = open_view(bot, "goal Run the next retro")
    title = block(view, "title")
    assert title["element"]["initial_value"] == "Run the next retro"


def test_each_invalid_field_gets_an_error_next_to_it_and_nothing_is_stored(bot: RunningBot) -> None:
    cases = [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),  # Slack caps the input; a forged payload might not
        ({"foundation": None}, "foundation"),
        ({"foundation": "sleeping"}, "foundation"),
        ({"target": "0"}, "target"),
        ({"target": "three"}, "target"),
        ({"target": "-2"}, "target"),
        ({"due": "2026-11-22"}, "due"),  # yesterday for U1 (Berlin)
        ({"due": "not-a-date"}, "due"),
    ]
    view = open_view(bot, "goal")
    for change, field in cases:
        answers = {k: v for k, v in {**VALID, **change}.items() if v is not None}
        body = bot.driver.submit(view, answers).json()
        assert body["response_action"] == "errors", change
        assert set(body["errors"]) == {field}, (change, body["errors"])
    assert goals_in_db(bot) == []
    assert not bot.emulator.calls_to("chat.postMessage")
    # Several problems at once are all reported; optional fields may stay empty.
    body = bot.driver.submit(view, {"title": "", "target": "x", "due": "2020-01-01"}).json()
    assert set(body["errors"]) == {"title", "foundation", "target", "due"}
    reply = bot.driver.submit(view, {"title": "Talk to two managers", "foundation": "personality",
                                     "due": "2026-11-23"})
    assert reply.body == ""
    [goal] = goals_in_db(bot)
    assert (goal.target, goal.measure, goal.due) == (None, None, date(2026, 11, 23))


# listing --------------------------------------------------------------------------------------
def test_list_without_goals_says_how_to_add_one(bot: RunningBot) -> None:
    body = bot.driver.command("goals").json()
    dumped = json.dumps(body)
    assert "No active goals" in dumped and "/lead goal" in dumped
    assert body.get("response_type") != "in_channel"


def test_list_shows_escaped_titles_progress_due_and_buttons(bot: RunningBot) -> None:
    counted = create_goal(bot, title="Review <!here> & <@U2> PRs", target="4")
    percent = create_goal(bot, title="Speak at the meetup", target="", due="")
    body = bot.driver.command("goals").json()
    assert validate_message_blocks(body["blocks"]) == []
    dumped = json.dumps(body)
    assert "<!here>" not in dumped and "<@U2>" not in dumped
    assert "Review &lt;!here&gt; &amp; &lt;@U2&gt; PRs" in dumped
    assert "0/4" in dumped and "0%" in dumped and "Sun 31 Jan 2027" in dumped
    assert "Manage, don't handle" in dumped
    buttons = [e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert {(e["action_id"], e["value"]) for e in buttons} == {
        (action, str(goal.id)) for goal in (counted, percent)
        for action in ("goal_update_progress", "goal_mark_done", "goal_archive")}
    # Soonest due first, undated last.
    assert dumped.index("Review") < dumped.index("Speak at the meetup")


# progress -------------------------------------------------------------------------------------
def test_progress_as_a_percentage(bot: RunningBot) -> None:
    goal = create_goal(bot, target="")
    view = open_progress(bot, goal.id)
    assert view["callback_id"] == "goal_progress" and "percent" in json.dumps(view)
    for bad in ("150", "-1", "lots"):
        body = bot.driver.submit(view, {"progress": bad}).json()
        assert body["response_action"] == "errors" and set(body["errors"]) == {"progress"}
    assert goals_in_db(bot)[0].progress == 0
    publishes = len(bot.emulator.calls_to("views.publish"))
    assert bot.driver.submit(view, {"progress": "40"}).body == ""
    assert goals_in_db(bot)[0].progress == 40
    refreshed = responses_after(bot, 1)
    assert refreshed.get("replace_original") is True and "40%" in json.dumps(refreshed)
    home = bot.emulator.wait_for("views.publish", publishes + 1)[-1].args["view"]
    assert "40%" in json.dumps(home)


def test_progress_as_a_count_toward_the_target(bot: RunningBot) -> None:
    goal = create_goal(bot, target="5")
    view = open_progress(bot, goal.id)
    assert "out of 5" in json.dumps(view)
    body = bot.driver.submit(view, {"progress": "two"}).json()
    assert set(body["errors"]) == {"progress"}
    assert bot.driver.submit(view, {"progress": "3"}).body == ""
    [stored] = goals_in_db(bot)
    assert (stored.current, stored.progress, stored.status) == (3, 60, "active")
    assert "3/5 (60%)" in json.dumps(responses_after(bot, 1))
    # Going past the target caps the percentage, keeps the count.
    bot.driver.submit(open_progress(bot, goal.id), {"progress": "7"})
    assert (goals_in_db(bot)[0].current, goals_in_db(bot)[0].progress) == (7, 100)
    assert "Mark done" in json.dumps(responses_after(bot, 2))


# done and archive -----------------------------------------------------------------------------
def test_done_celebrates_once_even_on_a_double_click(bot: RunningBot) -> None:
    goal = create_goal(bot, title="Mentor <!channel> a junior")
    set_workspace_celebrations(bot, "live")
    publishes = len(bot.emulator.calls_to("views.publish"))
    threads = [threading.Thread(target=click, args=(bot, "goal_mark_done", goal.id)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    responses_after(bot, 2)
    wait_until(lambda: bot.emulator.reactions)
    posts = team_posts(bot)
    assert len(posts) == 1
    dumped = json.dumps(posts[0])
    assert "<@U1>" in dumped and "<!channel>" not in dumped and "&lt;!channel&gt;" in dumped
    assert bot.emulator.reactions[0]["timestamp"] == posts[0]["ts"]
    [stored] = goals_in_db(bot)
    assert stored.status == "done" and stored.progress == 100 and stored.done_at == bot.clock.now()
    assert stored.current == 3  # the target was reached
    replies = [json.dumps(r) for r in bot.emulator.responses]
    assert all(r["replace_original"] is True for r in bot.emulator.responses)
    assert any("is done" in r for r in replies) and any("already done" in r for r in replies)
    assert all("goal_mark_done" not in r for r in replies)  # the refreshed list no longer shows it
    # A third click, later, changes nothing either.
    click(bot, "goal_mark_done", goal.id)
    responses_after(bot, 3)
    assert len(team_posts(bot)) == 1
    home = bot.emulator.wait_for("views.publish", publishes + 1)[-1].args["view"]
    assert "a junior" not in json.dumps(home)  # the goal's title: a done goal leaves the dashboard


def test_done_stays_private_when_celebrations_are_off(bot: RunningBot) -> None:
    goal = create_goal(bot)
    set_celebrations(bot, "U1", False)
    publishes = len(bot.emulator.calls_to("views.publish"))
    click(bot, "goal_mark_done", goal.id)
    bot.emulator.wait_for("views.publish", publishes + 1)
    reply = json.dumps(responses_after(bot, 1))
    assert "private" in reply and "/lead settings" in reply
    assert goals_in_db(bot)[0].status == "done"
    assert team_posts(bot) == [] and bot.emulator.reactions == []


def test_archive_hides_the_goal_from_the_list_and_home(bot: RunningBot) -> None:
    keep = create_goal(bot, title="Keep me")
    drop = create_goal(bot, title="Drop me")
    publishes = len(bot.emulator.calls_to("views.publish"))
    click(bot, "goal_archive", drop.id)
    refreshed = json.dumps(responses_after(bot, 1))
    assert "archived" in refreshed and f'"value": "{keep.id}"' in refreshed
    assert f'"value": "{drop.id}"' not in refreshed
    assert {g.title: g.status for g in goals_in_db(bot)} == {"Keep me": "active", "Drop me": "archived"}
    listed = json.dumps(bot.driver.command("goals").json())
    assert "Keep me" in listed and "Drop me" not in listed
    home = bot.emulator.wait_for("views.publish", publishes + 1)[-1].args["view"]
    assert "Keep me" in json.dumps(home) and "Drop me" not in json.dumps(home)
    assert team_posts(bot) == []


# ownership ------------------------------------------------------------------------------------
def test_a_replayed_action_by_another_user_changes_nothing(bot: RunningBot) -> None:
    goal = create_goal(bot)
    bot.driver.command("goals", user="U2")  # U2 is known to the bot too
    opened = len(bot.emulator.calls_to("views.open"))
    for n, action in enumerate(("goal_mark_done", "goal_archive", "goal_update_progress"), start=1):
        click(bot, action, goal.id, user="U2")
        reply = responses_after(bot, n)
        assert "isn't yours" in json.dumps(reply) and reply.get("replace_original") is False
    # Someone the bot has never seen gets the same answer, and is not recorded as a person.
    click(bot, "goal_mark_done", goal.id, user="U3")
    assert "isn't yours" in json.dumps(responses_after(bot, 4))
    [stored] = goals_in_db(bot)
    assert (stored.status, stored.progress, stored.done_at) == ("active", 0, None)
    assert len(bot.emulator.calls_to("views.open")) == opened
    assert team_posts(bot) == []
    with bot.ctx.store.session() as session:
        assert session.scalars(select(Person.user_id).where(Person.user_id == "U3")).all() == []


def test_a_forged_progress_submission_for_someone_elses_goal_is_refused(bot: RunningBot) -> None:
    goal = create_goal(bot, target="")
    view = open_progress(bot, goal.id)
    bot.driver.command("goals", user="U2")
    body = bot.driver.submit(view, {"progress": "90"}, user="U2").json()
    assert body["response_action"] == "errors" and "isn't yours" in body["errors"]["progress"]
    assert goals_in_db(bot)[0].progress == 0


def test_unknown_goal_ids_are_refused_politely(bot: RunningBot) -> None:
    create_goal(bot)
    for value in ("999999", "abc", ""):
        assert bot.driver.click("goal_mark_done", value=value).status == 200
    wait_until(lambda: len(bot.emulator.responses) >= 3)
    assert all("can't find that goal" in json.dumps(r) for r in bot.emulator.responses)
    assert goals_in_db(bot)[0].status == "active"


def test_a_long_list_stays_inside_slacks_block_limits() -> None:
    goals = [GoalSummary(id=n, title=f"Goal {n} " + "&<>" * 60, foundation="progress", progress=n % 101,
                         target=(n or None), current=n // 2, measure="m" * 500, due=date(2027, 1, 1 + n % 28))
             for n in range(60)]
    payload = goals_list_message(goals, date(2027, 1, 10), note="*Something* changed")
    assert validate_message_blocks(payload["blocks"]) == []
    assert "Showing 20 of 60" in json.dumps(payload) and payload["text"]
