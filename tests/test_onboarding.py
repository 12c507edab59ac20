"""``/lead start`` end to end: the assessment, the pushed track-and-focus step, storing, re-running."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.coaching.foundations import FOCUS_MODE_LABELS, FOUNDATIONS, ROLE_LABELS, ROLES
from bot.coaching.onboarding import PEOPLE, STATEMENT_IDS, STATEMENTS, TECHNICAL
from bot.store.models import Assessment, Goal, Person
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


def assessments_of(bot: RunningBot, user: str) -> list[Assessment]:
    with bot.ctx.store.session() as session:
        return list(session.scalars(select(Assessment).join(Person, Person.id == Assessment.person_id)
                                    .where(Person.user_id == user).order_by(Assessment.taken_at)))


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
    assert initial(confirm, "track") == "management"
    # The focus: "let lead-bot choose" first and selected, then the four foundations.
    focus = element(confirm, "focus")
    assert [o["value"] for o in focus["options"]] == ["auto", *FOUNDATIONS]
    assert focus["options"][0]["text"]["text"] == FOCUS_MODE_LABELS["auto"] == (
        "Let lead-bot choose: my weakest foundation")
    assert initial(confirm, "focus") == "auto"
    assert "Track progress" in focus["options"][0]["description"]["text"]  # the answers rate progress lowest
    role = element(confirm, "role")
    assert [(o["value"], o["text"]["text"]) for o in role["options"]] == [(r, ROLE_LABELS[r]) for r in ROLES]
    assert initial(confirm, "role") is None  # nobody is assumed to be a manager
    assert "Suggested track" in dumped and "Neither path is better" in dumped
    assert json.loads(confirm["private_metadata"])["answers"] == PEOPLE_HEAVY
    assert person(bot, "U1").track is None  # nothing stored before the last step

    title = "Run the <!here> retro & write it up"
    finish(bot, confirm, {"track": "hybrid", "role": "tech_lead", "focus": "delegation", "goal_title": title})
    stored = person(bot, "U1")
    assert (stored.track, stored.role, stored.focus_mode, stored.focus) == ("hybrid", "tech_lead", "chosen",
                                                                            "delegation")
    [assessment] = assessments_of(bot, "U1")
    assert (assessment.answers, assessment.track, assessment.taken_at) == (PEOPLE_HEAVY, "hybrid", MONDAY_W48)
    assert stored.onboarded_at == MONDAY_W48
    [goal] = goals_of(bot, "U1")
    assert (goal.title, goal.foundation, goal.status, goal.progress) == (title, "delegation", "active", 0)

    dm = bot.emulator.wait_for("chat.postMessage")[-1].args
    assert dm["channel"] == "U1"
    assert "Hybrid" in dm["text"] and "Manage, don't handle" in dm["text"] and "First step this week" in dm["text"]
    assert "Tech lead" in json.dumps(dm["blocks"]) and "your choice" in json.dumps(dm["blocks"])
    blocks = json.dumps(dm["blocks"])
    assert validate_message_blocks(dm["blocks"]) == []
    assert "&lt;!here&gt; retro &amp; write" in blocks and "<!here>" not in blocks
    home = json.dumps(bot.emulator.home_views["U1"])
    assert "Hybrid" in home and "Manage, don't handle" in home


def test_letting_lead_bot_choose_is_the_default_and_follows_the_answers(bot: RunningBot) -> None:
    confirm = submit_step1(bot, PEOPLE_HEAVY)
    finish(bot, confirm, {"track": "management", "role": "manager", "focus": "auto",
                          "goal_title": "Review one team metric every Friday"})
    stored = person(bot, "U1")
    assert (stored.focus_mode, stored.focus, stored.role) == ("auto", None, "manager")
    # Before any check-in, lead-bot's choice is the foundation the answers rate lowest; the goal goes there.
    assert [g.foundation for g in goals_of(bot, "U1")] == ["progress"]
    dm = bot.emulator.wait_for("chat.postMessage")[-1].args
    assert "Track progress" in dm["text"] and "lead-bot's choice" in json.dumps(dm["blocks"])


def test_step_two_needs_a_role(bot: RunningBot) -> None:
    confirm = submit_step1(bot, PEOPLE_HEAVY)
    body = bot.driver.submit(confirm, {"track": "hybrid", "focus": "auto"}).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"role"}
    body = bot.driver.submit(confirm, {"track": "hybrid", "role": "boss", "focus": "auto"}).json()
    assert set(body["errors"]) == {"role"}
    assert person(bot, "U1").role is None and assessments_of(bot, "U1") == []


def test_rerun_shows_earlier_answers_and_updates_them(bot: RunningBot) -> None:
    finish(bot, submit_step1(bot, PEOPLE_HEAVY), {"track": "management", "role": "manager", "focus": "progress",
                                                  "goal_title": "Review one team metric every Friday",
                                                  "goal_foundation": "progress"})
    first = person(bot, "U1")

    bot.clock.advance(timedelta(days=9))
    view = open_start(bot)
    assert "earlier answers" in json.dumps(view)
    assert {sid: int(initial(view, f"s_{sid}")) for sid in STATEMENT_IDS} == PEOPLE_HEAVY

    reply = bot.driver.submit(view, step1_answers(TECH_HEAVY))
    confirm = reply.json()["view"]
    assert initial(confirm, "track") == "technical" and initial(confirm, "role") == "manager"
    assert initial(confirm, "focus") == "auto"  # /lead start offers lead-bot's choice first, every time
    assert "You currently follow" in json.dumps(confirm) and "Management" in json.dumps(confirm)
    finish(bot, confirm, {"track": "technical", "role": "engineer", "focus": "personality"})

    again = person(bot, "U1")
    assert (again.track, again.focus, again.role) == ("technical", "personality", "engineer")
    # Every onboarding keeps its own assessment, oldest first.
    assert [(a.answers, a.track) for a in assessments_of(bot, "U1")] == [(PEOPLE_HEAVY, "management"),
                                                                          (TECH_HEAVY, "technical")]
    assert again.onboarded_at == first.onboarded_at  # the first onboarding date is kept
    assert [g.foundation for g in goals_of(bot, "U1")] == ["progress"]  # no goal given: none added
    assert "updated" in bot.emulator.calls_to("chat.postMessage")[-1].args["text"]


def test_step_one_needs_every_answer(bot: RunningBot) -> None:
    answers = step1_answers(PEOPLE_HEAVY)
    del answers["s_conflict"]
    body = bot.driver.submit(open_start(bot), answers).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"s_conflict"}
    assert assessments_of(bot, "U1") == []


def test_step_two_refuses_a_form_without_its_answers(bot: RunningBot) -> None:
    confirm = submit_step1(bot, PEOPLE_HEAVY)
    tampered = {**confirm, "private_metadata": json.dumps({"answers": {"explain": 5}})}
    body = bot.driver.submit(tampered, {"track": "hybrid", "role": "engineer", "focus": "delegation"}).json()
    assert body["response_action"] == "errors" and "/lead start" in body["errors"]["track"]
    assert person(bot, "U1").track is None and not bot.emulator.calls_to("chat.postMessage")


def test_a_replayed_step_two_changes_nothing_for_the_original_person(bot: RunningBot) -> None:
    confirm = submit_step1(bot, PEOPLE_HEAVY, user="U1")
    finish(bot, confirm, {"track": "management", "role": "manager", "focus": "progress",
                          "goal_title": "Mentor an intern"}, user="U2")
    original = person(bot, "U1")
    assert original.track is None and original.focus is None and assessments_of(bot, "U1") == []
    assert original.role is None and original.focus_mode == "auto"
    assert original.onboarded_at is None and goals_of(bot, "U1") == []
    replayer = person(bot, "U2")
    assert replayer.track == "management" and [g.title for g in goals_of(bot, "U2")] == ["Mentor an intern"]
    assert bot.emulator.calls_to("chat.postMessage")[-1].args["channel"] == "U2"


def test_the_same_step_two_submitted_twice_stores_one_goal(bot: RunningBot) -> None:
    confirm = submit_step1(bot, PEOPLE_HEAVY)
    choices = {"track": "hybrid", "role": "engineer", "focus": "delegation", "goal_title": "Pair with Sam weekly",
               "goal_foundation": "personality"}
    finish(bot, confirm, choices)
    finish(bot, confirm, {**choices, "goal_title": "pair with sam  weekly"})
    assert [(g.title, g.foundation) for g in goals_of(bot, "U1")] == [("Pair with Sam weekly", "personality")]
