"""Issue 8, item 4: text a database cannot store is cleaned at the edge, the same way on both.

The rule (``bot/storable.py``): NUL and the other C0 control characters except tab and newline,
DEL, and unpaired surrogates are stripped from every text field and command argument. Each test
types them into a field, runs on SQLite and on PostgreSQL, and reads back the same clean text.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.coaching.library import default_library
from bot.storable import storable
from bot.store import prompts as prompt_store
from bot.store.models import Checkin, Goal, LearningLog, Pause, Person, Reflection, Win
from bot.views.state import ViewState
from tests.conftest import MONDAY_W48, RunningBot
from tests.helpers import open_view, wait_until
from tests.test_goals import VALID as GOAL
from tests.test_goals import open_progress
from tests.test_onboarding import PEOPLE_HEAVY, finish, submit_step1
from tests.test_settings import KEEP, open_settings, save

# What a person typed, with what no store accepts mixed in; and what gets stored.
UNSTORABLE = "\x00\x01\x08\x0b\x0c\r\x1b\x1f\x7f"


def dirty(text: str, *, surrogate: bool = True) -> str:
    """``text`` with every unstorable character (and a lone surrogate) spread through it.

    A form body (a command) is UTF-8, which has no surrogates: ``surrogate=False`` leaves it out.
    """
    out = []
    for n, char in enumerate(text):
        out.append(char)
        if n % 3 == 0:
            out.append(UNSTORABLE[n % len(UNSTORABLE)])
    return "\x00" + "".join(out) + ("\ud800" if surrogate else "") + "\x1b"


def one(bot: RunningBot, column: Any) -> Any:
    with bot.ctx.store.session() as session:
        return session.scalars(select(column)).one()


def submit_ok(bot: RunningBot, view: dict, answers: dict) -> None:
    reply = bot.driver.submit(view, answers)
    assert (reply.status, reply.body) == (200, ""), reply.body


def sent_prompt(bot: RunningBot) -> str:
    prompt = next(p for p in default_library().prompts if p.minutes)
    with bot.ctx.store.session() as session:
        person = session.scalars(select(Person).where(Person.user_id == "U1")).one()
        prompt_store.record_send(session, person.id, prompt.id, "reflection", "2026-W48", MONDAY_W48)
    return prompt.id


# the rule itself ---------------------------------------------------------------------------------------
@given(st.text())
def test_the_rule_keeps_everything_else_and_leaves_nothing_unstorable(text: str) -> None:
    clean = storable(text)
    assert not any(ord(c) < 0x20 and c not in "\t\n" or c == "\x7f" or 0xD800 <= ord(c) <= 0xDFFF for c in clean)
    assert clean == "".join(c for c in text if c in clean)  # only removals, in order
    assert storable(clean) == clean
    clean.encode("utf-8")  # every driver can encode it


def test_every_text_a_modal_sends_back_is_cleaned() -> None:
    state = ViewState({"t": {"value": {"value": dirty("a\tb\nc")}},
                       "r": {"value": {"selected_option": {"value": "x\x00y"}}},
                       "c": {"value": {"selected_options": [{"value": "p\x1bq"}]}},
                       "d": {"value": {"selected_date": "2026-\x0012-01"}}})
    assert state.text("t") == "a\tb\nc"
    assert (state.selected("r"), state.selections("c"), state.date("d")) == ("xy", ["pq"], "2026-12-01")


# every text field and command argument, stored ---------------------------------------------------------
def test_command_arguments(bot: RunningBot) -> None:
    assert "shared with your team" in bot.driver.command("win " + dirty("Led the retro", surrogate=False)).body
    assert one(bot, Win.text) == "Led the retro"
    assert "Paused" in bot.driver.command("pause " + dirty("2", surrogate=False)).body
    assert one(bot, Pause.end).isoformat() == "2026-12-06"


def test_checkin_fields(bot: RunningBot) -> None:
    view = open_view(bot, "checkin", callback_id="checkin")
    submit_ok(bot, view, {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2",
                          "rating_progress": "3", "minutes": dirty("45"), "reflection": dirty("Asked\tfor help\n"),
                          "win": dirty("Mentored Sam")})
    assert one(bot, Checkin.reflection) == "Asked\tfor help"  # stripped of its end spaces by the parser
    assert one(bot, Checkin.learning_minutes) == 45
    wait_until(lambda: bot.emulator.messages.get("U1"))
    assert one(bot, Win.text) == "Mentored Sam"


def test_win_modal(bot: RunningBot) -> None:
    view = open_view(bot, "win", callback_id="win_new")
    submit_ok(bot, view, {"text": dirty("Closed the loop"), "share": []})
    assert one(bot, Win.text) == "Closed the loop"


def test_goal_and_progress_modals(bot: RunningBot) -> None:
    view = open_view(bot, "goal")
    submit_ok(bot, view, {**GOAL, "title": dirty("Coach Kim"), "measure": dirty("Releases Kim runs"),
                          "target": dirty("3")})
    bot.emulator.wait_for("views.publish")
    assert (one(bot, Goal.title), one(bot, Goal.measure), one(bot, Goal.target)) == ("Coach Kim",
                                                                                     "Releases Kim runs", 3)
    progress = open_progress(bot, int(one(bot, Goal.id)))
    assert bot.driver.submit(progress, {"progress": dirty("2")}).status == 200
    wait_until(lambda: one(bot, Goal.current) == 2)


def test_prompt_answer_and_minutes_modals(bot: RunningBot) -> None:
    bot.driver.command("stats")
    prompt_id = sent_prompt(bot)
    bot.driver.click("reflection_write", value=prompt_id)
    bot.emulator.wait_for("views.open")
    submit_ok(bot, bot.emulator.opened_views[-1], {"answer": dirty("I let Ana lead")})
    assert one(bot, Reflection.text) == "I let Ana lead"
    bot.driver.click("prompt_did_it", value=prompt_id)
    bot.emulator.wait_for("views.open", 2)
    submit_ok(bot, bot.emulator.opened_views[-1], {"minutes": dirty("1h15")})
    assert one(bot, LearningLog.minutes) == 75


def test_onboarding_goal_title(bot: RunningBot) -> None:
    confirm = submit_step1(bot, PEOPLE_HEAVY)
    finish(bot, confirm, {"track": "hybrid", "role": "engineer", "focus": "delegation",
                          "goal_title": dirty("Shadow a lead")})
    assert one(bot, Goal.title) == "Shadow a lead"


def test_settings_time_zone(bot: RunningBot) -> None:
    save(bot, open_settings(bot), {**KEEP, "timezone_other": dirty("Europe/Lisbon")})
    assert one(bot, Person.tz_override) == "Europe/Lisbon"


@pytest.mark.sqlite_only
def test_a_lone_surrogate_in_a_modal_is_no_500(bot: RunningBot) -> None:
    view = open_view(bot, "win", callback_id="win_new")
    payload = bot.driver.submit_payload(view, {"text": "ok", "share": []})
    raw = json.dumps(payload).replace('"ok"', '"\\ud800ok\\udfff"')
    reply = bot.driver.send(bot.driver.form_request({"payload": raw}))
    assert (reply.status, reply.body) == (200, "")
    assert one(bot, Win.text) == "ok"
