"""``/lead start`` end to end: the assessment, the pushed track-and-focus step, storing, re-running."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.coaching.onboarding import PEOPLE, STATEMENT_IDS, STATEMENTS, TECHNICAL
from bot.store.models import Goal, Person
from tests.conftest import MONDAY_W48, RunningBot
from tests.helpers import element, open_view
from tests.slack_emulator import validate_message_blocks, validate_view

PEOPLE_HEAVY = {sid: (5 if s.axis == PEOPLE else 2) for sid, s in zip(STATEMENT_IDS, STATEMENTS, strict=True)}
PEOPLE_HEAVY["goals"] = 1  # progress becomes the weakest foundation
TECH_HEAVY = {sid: (5 if s.axis == TECHNICAL else 2) for sid, s in zip(STATEMENT_IDS, STATEMENTS, strict=True)}


def step1_answers(answers: dict[str, int]) -> dict[str, str]:
    return {f"s_{sid}": str(value) for sid, value in answers.items()}


def open_start(bot: RunningBot, user: str = "U1") -> dict:
    return open_view(bot, "start", user, callback_id="onboarding_assess", empty_reply=True)


def submit_step1(bot: RunningBot, answers: dict[str, int], user: str = "U1") -> dict:
    reply = bot.driver.submit(open_start(bot, user), step1_answers(answers), user=user)
    body = reply.json()
    assert body["response_action"] == "push", body
    view = body["view"]
    assert validate_view(view) == [] and view["callback_id"] == "onboarding_confirm"
    return view


def finish(bot: RunningBot, view: dict, answers: dict[str, Any], user: str = "U1") -> None:
    publishes = len(bot.emulator.calls_to("views.publish"))
    reply = bot.driver.submit(view, answers, user=user)
    assert reply.json() == {"response_action": "clear"}, reply.body
    bot.emulator.wait_for("views.publish", publishes + 1)  # the listener's last step


def person(bot: RunningBot, user: str) -> Person | None:
    with bot.ctx.store.session() as session:
        return session.scalars(select(Person).where(Person.user_id == user)).one_or_none()


def goals_of(bot: RunningBot, user: str) -> list[Goal]:
    with bot.ctx.store.session() as session:
        return list(session.scalars(select(Goal).join(Person, Person.id == Goal.person_id)
                                    .where(Person.user_id == user).order_by(Goal.id)))


def initial(view: dict, block_id: str) -> str | None:
    chosen = element(view, block_id).get("initial_option")
    return chosen["value"] if chosen else None


def test_start_suggests_a_track_and_stores_the_choices_and_a_first_goal(bot: RunningBot) -> None:
    view = open_start(bot)
    inputs = [b for b in view["blocks"] if b.get("type") == "input"]
    assert [b["block_id"] for b in inputs] == [f"s_{sid}" for sid in STATEMENT_IDS]
    assert all(initial(view, b["block_id"]) is None for b in inputs)
    labels = [o["text"]["text"] for o in inputs[0]["element"]["options"]]
    assert labels[0].startswith("1") and "Not like me" in labels[0] and "Very much" in labels[-1]

    confirm = submit_step1(bot, PEOPLE_HEAVY)
    dumped = json.dumps(confirm)
    assert initial(confirm, "track") == "management" and initial(confirm, "focus") == "progress"
    assert "Suggested track" in dumped and "Neither path is better" in dumped
    assert json.loads(confirm["private_metadata"])["answers"] == PEOPLE_HEAVY
    assert person(bot, "U1").track is None  # nothing stored before the last step

    title = "Run the <!here> retro & write it up"
    finish(bot, confirm, {"track": "hybrid", "focus": "delegation", "goal_title": title})
    stored = person(bot, "U1")
    assert (stored.track, stored.focus) == ("hybrid", "delegation")
    assert stored.assessment["answers"] == PEOPLE_HEAVY
    assert stored.assessment["suggested_track"] == "management"
    assert stored.onboarded_at == MONDAY_W48
    [goal] = goals_of(bot, "U1")
    assert (goal.title, goal.foundation, goal.status, goal.progress) == (title, "delegation", "active", 0)

    dm = bot.emulator.wait_for("chat.postMessage")[-1].args
    assert dm["channel"] == "U1"
    assert "Hybrid" in dm["text"] and "Manage, don't handle" in dm["text"] and "First step this week" in dm["text"]
    blocks = json.dumps(dm["blocks"])
    assert validate_message_blocks(dm["blocks"]) == []
    assert "&lt;!here&gt; retro &amp; write" in blocks and "<!here>" not in blocks
    home = json.dumps(bot.emulator.home_views["U1"])
    assert "Hybrid" in home and "Manage, don't handle" in home


def test_rerun_shows_earlier_answers_and_updates_them(bot: RunningBot) -> None:
    finish(bot, submit_step1(bot, PEOPLE_HEAVY), {"track": "management", "focus": "progress",
                                                  "goal_title": "Review one team metric every Friday",
                                                  "goal_foundation": "progress"})
    first = person(bot, "U1")

    bot.clock.advance(timedelta(days=9))
    view = open_start(bot)
    assert "earlier answers" in json.dumps(view)
    assert {sid: int(initial(view, f"s_{sid}")) for sid in STATEMENT_IDS} == PEOPLE_HEAVY

    reply = bot.driver.submit(view, step1_answers(TECH_HEAVY))
    confirm = reply.json()["view"]
    assert initial(confirm, "track") == "technical"
    assert "You currently follow" in json.dumps(confirm) and "Management" in json.dumps(confirm)
    finish(bot, confirm, {"track": "technical", "focus": "personality"})

    again = person(bot, "U1")
    assert (again.track, again.focus) == ("technical", "personality")
    assert again.assessment["answers"] == TECH_HEAVY
    assert again.onboarded_at == first.onboarded_at  # the first onboarding date is kept
    assert [g.foundation for g in goals_of(bot, "U1")] == ["progress"]  # no goal given: none added
    assert "updated" in bot.emulator.calls_to("chat.postMessage")[-1].args["text"]


def test_step_one_needs_every_answer(bot: RunningBot) -> None:
    answers = step1_answers(PEOPLE_HEAVY)
    del answers["s_conflict"]
    body = bot.driver.submit(open_start(bot), answers).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"s_conflict"}
    assert person(bot, "U1").assessment == {}


def test_step_two_refuses_a_form_without_its_answers(bot: RunningBot) -> None:
    confirm = submit_step1(bot, PEOPLE_HEAVY)
    tampered = {**confirm, "private_metadata": json.dumps({"answers": {"explain": 5}})}
    body = bot.driver.submit(tampered, {"track": "hybrid", "focus": "delegation"}).json()
    assert body["response_action"] == "errors" and "/lead start" in body["errors"]["track"]
    assert person(bot, "U1").track is None and not bot.emulator.calls_to("chat.postMessage")


def test_a_replayed_step_two_changes_nothing_for_the_original_person(bot: RunningBot) -> None:
    confirm = submit_step1(bot, PEOPLE_HEAVY, user="U1")
    finish(bot, confirm, {"track": "management", "focus": "progress", "goal_title": "Mentor an intern"}, user="U2")
    original = person(bot, "U1")
    assert original.track is None and original.focus is None and original.assessment == {}
    assert original.onboarded_at is None and goals_of(bot, "U1") == []
    replayer = person(bot, "U2")
    assert replayer.track == "management" and [g.title for g in goals_of(bot, "U2")] == ["Mentor an intern"]
    assert bot.emulator.calls_to("chat.postMessage")[-1].args["channel"] == "U2"


def test_the_same_step_two_submitted_twice_stores_one_goal(bot: RunningBot) -> None:
    confirm = submit_step1(bot, PEOPLE_HEAVY)
    choices = {"track": "hybrid", "focus": "delegation", "goal_title": "Pair with Sam weekly",
               "goal_foundation": "personality"}
    finish(bot, confirm, choices)
    finish(bot, confirm, {**choices, "goal_title": "pair with sam  weekly"})
    assert [(g.title, g.foundation) for g in goals_of(bot, "U1")] == [("Pair with Sam weekly", "personality")]
