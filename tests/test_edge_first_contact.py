"""Issue 8, item 6: first contact is race-free.

Thirty people of a workspace the bot has never seen send three requests each at the same instant
(90 threads released together by a barrier): every request succeeds and there is one workspace
row and one row per person. A double click on the very first check-in's Save (the person not yet
known) saves one check-in and says so twice.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.store.models import Checkin, Person, Workspace
from bot.views.checkin import build_checkin_modal
from bot.views.errors import DATABASE_UNAVAILABLE, SAVE_FAILED_MESSAGE, SOMETHING_WENT_WRONG
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.slack_driver import Reply, SlackDriver

NEW_TEAM = "T0NEW"
PEOPLE = [f"UNEW{n:02d}" for n in range(30)]
CHECKIN = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3",
           "minutes": "45"}


def at_once(calls: list[Callable[[], Reply]]) -> list[Reply]:
    """Run every call on its own thread, all released at the same instant."""
    barrier = threading.Barrier(len(calls))
    replies: list[Reply | None] = [None] * len(calls)

    def run(n: int) -> None:
        barrier.wait()
        replies[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(reply is not None for reply in replies)
    return [reply for reply in replies if reply is not None]


def rows(bot: RunningBot, model: type, *where: Any) -> int:
    with bot.ctx.store.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_thirty_new_people_of_a_new_workspace_at_once(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    for user in PEOPLE:
        bot.emulator.add_user(user, tz="Europe/Berlin", name=f"Person {user}")
    driver = SlackDriver(bot.url, SIGNING_SECRET, team_id=NEW_TEAM, emulator=bot.emulator)
    calls: list[Callable[[], Reply]] = []
    for user in PEOPLE:
        calls.append(lambda user=user: driver.command("stats", user=user))
        calls.append(lambda user=user: driver.command("checkin", user=user))
        calls.append(lambda user=user: driver.event({"type": "app_home_opened", "user": user, "tab": "home"}))
    replies = at_once(calls)

    assert [r.status for r in replies] == [200] * len(calls)
    for reply in replies:
        for failure in (SAVE_FAILED_MESSAGE, DATABASE_UNAVAILABLE, SOMETHING_WENT_WRONG):
            assert failure not in reply.body
    assert all("streak" in r.body.lower() for r in replies[0::3])  # the stats, answered
    assert rows(bot, Workspace, Workspace.team_id == NEW_TEAM) == 1
    assert rows(bot, Person, Person.team_id == NEW_TEAM) == len(PEOPLE)
    bot.emulator.wait_for("views.open", len(PEOPLE), timeout=30)
    bot.emulator.wait_for("views.publish", len(PEOPLE), timeout=30)
    assert not bot.emulator.responses  # nobody was told anything went wrong
    assert [r.getMessage() for r in caplog.records if r.name.startswith("bot.")] == []


def test_a_double_click_on_the_first_save(bot: RunningBot) -> None:
    bot.emulator.add_user("UFIRST", tz="Europe/Berlin", name="First Timer")
    view = {**build_checkin_modal("2026-W48"), "id": "VFIRST"}
    replies = at_once([lambda: bot.driver.submit(view, CHECKIN, user="UFIRST") for _ in range(2)])
    assert [(r.status, r.body) for r in replies] == [(200, "")] * 2
    assert rows(bot, Person, Person.user_id == "UFIRST") == 1
    assert rows(bot, Checkin) == 1
    dms = bot.emulator.wait_for("chat.postMessage", 2)
    assert all("check-in" in json.dumps(call.args).lower() for call in dms)
