"""Issue 8: fuzzing the command text and the payloads; never a 500, never a traceback.

Hypothesis writes ``/lead`` command texts (random, and after each subcommand word), and mutates
well-formed payloads of every kind (a value replaced by random JSON, or a key dropped) before
they are signed and sent to the running bot. Whatever arrives, the bot answers without a 500,
logs no error and no traceback, and sends Slack nothing it would refuse (the emulator checks).
Kept to a few seconds: the corpus in ``test_edge_requests.py`` covers the known shapes.
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack.commands import SUBCOMMANDS
from tests.conftest import RunningBot
from tests.helpers import open_view
from tests.slack_driver import RawRequest

EVENT_IDS = itertools.count(1)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)  # a form body is UTF-8: no surrogates
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6)


class Problems(logging.Handler):
    """Collects what must never be logged while fuzzing: errors, and anything with a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.seen.append(f"{record.name} {record.levelname}: {record.getMessage()}")


@pytest.fixture
def problems() -> Iterator[Problems]:
    handler = Problems()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path inside a JSON value (dict keys and list indexes)."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*prefix, index)
            yield from paths(child, (*prefix, index))


def mutate(payload: dict[str, Any], path: tuple[Any, ...], replacement: Any, drop: bool) -> dict[str, Any]:
    changed = copy.deepcopy(payload)
    parent: Any = changed
    for step in path[:-1]:
        parent = parent[step]
    if drop and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    return changed


@pytest.mark.sqlite_only
@FUZZ
@given(text=st.one_of(TEXT, st.tuples(st.sampled_from([row.name for row in SUBCOMMANDS]), TEXT).map(" ".join)))
def test_any_command_text_is_answered_without_a_500(bot: RunningBot, problems: Problems, text: str) -> None:
    reply = bot.driver.command(text, user="UADMIN")
    assert reply.status == 200, (text, reply)
    assert not problems.seen, (text, problems.seen)


@pytest.fixture
def payloads(bot: RunningBot) -> list[dict[str, Any]]:
    """One well-formed payload per kind of request: clicks, submissions of each modal, an event."""
    driver = bot.driver
    built: list[dict[str, Any]] = [
        driver.click_payload(action, value=value) for action, value in (
            ("goal_mark_done", "1"), ("goal_update_progress", "1"), ("goal_archive", "1"),
            ("prompt_did_it", "p1"), ("prompt_helpful", "p1"), ("reflection_write", "p1"), ("open_checkin", ""),
            ("pause_resume", "resume"), ("forget_cancel", ""))]
    checkin = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2",
               "rating_progress": "3", "minutes": "45", "reflection": "ok", "win": "a win", "share": ["yes"]}
    built.append(driver.submit_payload(open_view(bot, "checkin"), checkin))
    built.append(driver.submit_payload(open_view(bot, "win"), {"text": "Led the retro", "share": []}))
    built.append(driver.submit_payload(open_view(bot, "goal"), {"title": "Coach Kim", "foundation": "delegation"}))
    built.append(driver.submit_payload(open_view(bot, "settings"), {}))
    built.append(driver.event_payload({"type": "app_home_opened", "user": "U1", "tab": "home"}))
    return built


@pytest.mark.sqlite_only
@FUZZ
@given(data=st.data())
def test_any_mutated_payload_is_answered_without_a_500(bot: RunningBot, problems: Problems,
                                                       payloads: list[dict[str, Any]], data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(payloads))
    path = data.draw(st.sampled_from(list(paths(base))))
    changed = mutate(base, path, data.draw(JSON_VALUES), drop=data.draw(st.booleans()))
    # Fresh ids, so the request ledger does not answer a copy before the listener sees it.
    if isinstance(changed.get("trigger_id"), str):
        changed["trigger_id"] = bot.emulator.new_trigger_id()
    if isinstance(changed.get("event_id"), str):
        changed["event_id"] = f"Ev{next(EVENT_IDS)}"
    if base.get("type") == "event_callback":
        reply = bot.driver.send(RawRequest(json.dumps(changed).encode(), "application/json"))
    else:
        reply = bot.driver.interaction(changed)
    assert reply.status < 500, (path, changed, reply)
    assert not problems.seen, (path, changed, problems.seen)
