"""Issue 8, item 1: bad requests never reach a handler, and never get a 500 or a traceback.

A table of malformed and unsigned requests over every kind of listener (the command, every
button, every modal, the event), sent over real HTTP to the real bot. Each row names what Slack
gets back; whatever the row, the bot never answers 500, never logs a traceback or an error,
never calls Slack with something Slack would refuse (the emulator checks), and stores nothing
(the request ledger aside: a signed request that reaches Bolt is remembered so a copy is not
acted on twice).
"""

from __future__ import annotations

import http.client
import json
import logging
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.server import MAX_BODY_BYTES
from bot.slack.modals import ERROR_FIELDS
from bot.store.db import Store
from bot.store.models import Base
from bot.views import checkin as checkin_view
from bot.views import goals as goal_view
from bot.views import nudges as nudge_view
from bot.views import privacy as privacy_view
from bot.views import settings as settings_view
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.helpers import bot_environment
from tests.slack_driver import RawRequest, SlackDriver, sign
from tests.slack_emulator import SlackEmulator
from tests.socket_mode_server import SocketModeServer

ACTIONS = (checkin_view.OPEN_ACTION, goal_view.ACTION_PROGRESS, goal_view.ACTION_DONE, goal_view.ACTION_ARCHIVE,
           nudge_view.DID_IT, nudge_view.WRITE_REFLECTION, *nudge_view.FEEDBACK_ACTIONS,
           privacy_view.ACTION_FORGET_CONFIRM, privacy_view.ACTION_FORGET_CANCEL, settings_view.RESUME_ACTION)
CALLBACKS = tuple(ERROR_FIELDS)  # every modal listener declares its error field
IGNORED_TABLES = {"processed_events"}  # the request ledger: written for every signed request Bolt sees


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[SlackDriver], RawRequest]
    status: int
    signed: bool = True


def form(build: Callable[[SlackDriver], dict[str, Any]]) -> Callable[[SlackDriver], RawRequest]:
    return lambda d: d.form_request({k: v if isinstance(v, str) else json.dumps(v) for k, v in build(d).items()})


def payload(build: Callable[[SlackDriver], Any]) -> Callable[[SlackDriver], RawRequest]:
    """A form body whose ``payload`` field is ``build``'s JSON (or the raw text it returns)."""
    def raw(d: SlackDriver) -> RawRequest:
        value = build(d)
        return d.form_request({"payload": value if isinstance(value, str) else json.dumps(value)})
    return raw


def json_body(build: Callable[[SlackDriver], Any]) -> Callable[[SlackDriver], RawRequest]:
    return lambda d: RawRequest(json.dumps(build(d)).encode(), "application/json")


def bytes_body(body: bytes, content_type: str) -> Callable[[SlackDriver], RawRequest]:
    return lambda _d: RawRequest(body, content_type)


def command(text: str = "stats", **changes: Any) -> Callable[[SlackDriver], dict[str, Any]]:
    def build(d: SlackDriver) -> dict[str, Any]:
        fields: dict[str, Any] = d.command_fields(text)
        fields.update(changes)
        return {k: v for k, v in fields.items() if v is not None}
    return build


def click(action_id: str = goal_view.ACTION_DONE, **changes: Any) -> Callable[[SlackDriver], dict[str, Any]]:
    def build(d: SlackDriver) -> dict[str, Any]:
        body = d.click_payload(action_id, value="1")
        body.update(changes)
        return {k: v for k, v in body.items() if v is not None}
    return build


def submission(callback_id: str = checkin_view.CALLBACK_ID, values: Any = None, **changes: Any
               ) -> Callable[[SlackDriver], dict[str, Any]]:
    def build(d: SlackDriver) -> dict[str, Any]:
        view = {"id": "V1", "type": "modal", "callback_id": callback_id, "blocks": [],
                "state": {"values": {} if values is None else values}, "private_metadata": ""}
        body = d.submit_payload(view, {})
        body["view"]["state"] = {"values": {} if values is None else values}
        body.update(changes)
        return {k: v for k, v in body.items() if v is not None}
    return build


def event(inner: Any = None, **changes: Any) -> Callable[[SlackDriver], dict[str, Any]]:
    def build(d: SlackDriver) -> dict[str, Any]:
        body = d.event_payload({"type": "app_home_opened", "user": "U1", "tab": "home"} if inner is None else inner)
        body.update(changes)
        return {k: v for k, v in body.items() if v is not None}
    return build


def valid_requests() -> list[tuple[str, Callable[[SlackDriver], RawRequest]]]:
    """One well-formed request per listener: what the unsigned rows send without a valid signature."""
    rows: list[tuple[str, Callable[[SlackDriver], RawRequest]]] = [("command", form(command())),
                                                                  ("event", json_body(event()))]
    rows += [(f"click {a}", payload(click(a))) for a in ACTIONS]
    rows += [(f"submit {c}", payload(submission(c))) for c in CALLBACKS]
    return rows


BAD_SIGNATURES: dict[str, Callable[[str, bytes], dict[str, str]]] = {
    "no signature": lambda _ts, _body: {"X-Slack-Signature": ""},
    "a wrong signature": lambda ts, body: {"X-Slack-Signature": sign("not-the-secret", ts, body)},
    "a stale timestamp": lambda ts, body: {"X-Slack-Request-Timestamp": str(int(ts) - 600),
                                           "X-Slack-Signature": sign(SIGNING_SECRET, str(int(ts) - 600), body)},
    "a timestamp that is no number": lambda _ts, _body: {"X-Slack-Request-Timestamp": "soon"},
    "a signature that is not ASCII": lambda _ts, _body: {"X-Slack-Signature": "v0=\u00e9\u00e9"},
}

MALFORMED = [
    # not a Slack payload at all
    Case("invalid JSON in payload=", payload(lambda _d: "{not json"), 400),
    Case("payload= that is a list", payload(lambda _d: [1, 2]), 400),
    Case("deeply nested JSON", payload(lambda _d: "[" * 100_000), 400),
    Case("a body that is not UTF-8", bytes_body(b"payload=%7B%7D\xff\xfe", "application/x-www-form-urlencoded"), 400),
    Case("a form body sent as JSON", lambda d: RawRequest(d.command_request("stats").body, "application/json"), 400),
    Case("a JSON body that is a list", bytes_body(b"[]", "application/json"), 400),
    Case("a body of another content type", bytes_body(b"hello", "text/plain"), 400),
    Case("an empty body", bytes_body(b"", "application/x-www-form-urlencoded"), 400),
    # commands
    Case("a command without user_id", form(command(user_id=None)), 400),
    Case("a command with an empty user_id", form(command(user_id="")), 400),
    Case("a command without team_id", form(command(team_id=None)), 400),
    Case("a command with a made-up user id", form(command(user_id="robert'); DROP TABLE people;--")), 400),
    Case("another slash command", form(command(command="/other")), 400),
    Case("a command without trigger_id", form(command(trigger_id=None)), 400),
    Case("a command whose response_url is no URL", form(command(response_url="")), 400),
    Case("a command sent as JSON", json_body(command(user_id=7)), 400),
    # block actions
    Case("a click without user", payload(click(user=None)), 400),
    Case("a click with an empty user id", payload(click(user={"id": ""})), 400),
    Case("a click whose user is a string", payload(click(user="U1")), 400),
    Case("a click without team", payload(click(team=None)), 400),
    Case("a click without actions", payload(click(actions=None)), 400),
    Case("a click with an empty actions list", payload(click(actions=[])), 400),
    Case("a click whose actions are an object", payload(click(actions={"action_id": "goal_mark_done"})), 400),
    Case("a click whose action_id is a number", payload(click(actions=[{"action_id": 5, "value": "1"}])), 400),
    Case("a click whose value is an object", payload(click(actions=[{"action_id": "goal_mark_done",
                                                                     "value": {"id": 1}}])), 400),
    Case("a click whose view is a string", payload(click(view="V1")), 400),
    Case("a click without trigger_id", payload(click(trigger_id=None)), 400),
    Case("a click whose response_url is no URL", payload(click(response_url="hooks")), 400),
    Case("a click on an unknown action", payload(click("no_such_action")), 200),
    Case("a goal id that is not a number", payload(click(goal_view.ACTION_DONE, actions=[
        {"action_id": goal_view.ACTION_DONE, "value": "abc", "block_id": "b"}])), 200),
    Case("a goal id in full-width digits", payload(click(goal_view.ACTION_ARCHIVE, actions=[
        {"action_id": goal_view.ACTION_ARCHIVE, "value": "\uff11\uff12", "block_id": "b"}])), 200),
    Case("a goal id with fifty digits", payload(click(goal_view.ACTION_PROGRESS, actions=[
        {"action_id": goal_view.ACTION_PROGRESS, "value": "9" * 50, "block_id": "b"}])), 200),
    Case("a prompt id that was never sent", payload(click(nudge_view.DID_IT, actions=[
        {"action_id": nudge_view.DID_IT, "value": "no-such-prompt\u0000", "block_id": "b"}])), 200),
    # view submissions
    Case("a submission without user", payload(submission(user=None)), 400),
    Case("a submission with an empty user id", payload(submission(user={"id": ""})), 400),
    Case("a submission without team", payload(submission(team=None)), 400),
    Case("a submission without view", payload(submission(view=None)), 400),
    Case("a submission whose view is a list", payload(submission(view=[])), 400),
    Case("a submission whose view has no type", payload(submission(view={"id": "V1", "callback_id": "checkin",
                                                                         "state": {"values": {}}})), 400),
    Case("a submission whose state.values is a list", payload(submission(values=[1])), 400),
    Case("a submission whose block is a string", payload(submission(values={"minutes": "45"})), 400),
    Case("a submission whose element is a number", payload(submission(values={"minutes": {"value": 45}})), 400),
    Case("a submission with an unknown callback id", payload(submission("no_such_modal")), 200),
    Case("wrong-typed answers read as unanswered", payload(submission(values={
        "rating_personality": {"value": {"type": "radio_buttons", "selected_option": "3"}},
        "minutes": {"value": {"type": "plain_text_input", "value": ["45"]}},
        "practices": {"value": {"type": "checkboxes", "selected_options": "all"}}})), 200),
    Case("minutes in superscript digits", payload(submission(values={
        "minutes": {"value": {"type": "plain_text_input", "value": "\u00b2\u00b3"}}})), 200),
    Case("minutes with five thousand digits", payload(submission(values={
        "minutes": {"value": {"type": "plain_text_input", "value": "9" * 5000}}})), 200),
    Case("progress metadata that is not JSON", payload(submission(goal_view.PROGRESS_CALLBACK, values={
        "progress": {"value": {"type": "plain_text_input", "value": "50"}}}, view={
        "id": "V1", "type": "modal", "callback_id": goal_view.PROGRESS_CALLBACK, "private_metadata": "{oops",
        "state": {"values": {"progress": {"value": {"type": "plain_text_input", "value": "50"}}}}})), 200),
    Case("a goal id in metadata that is a string", payload(submission(goal_view.PROGRESS_CALLBACK, view={
        "id": "V1", "type": "modal", "callback_id": goal_view.PROGRESS_CALLBACK,
        "private_metadata": json.dumps({"goal_id": "x"}),
        "state": {"values": {"progress": {"value": {"type": "plain_text_input", "value": "50"}}}}})), 200),
    Case("a reflection for a prompt in no metadata", payload(submission(nudge_view.REFLECTION_CALLBACK, view={
        "id": "V1", "type": "modal", "callback_id": nudge_view.REFLECTION_CALLBACK, "private_metadata": "[]",
        "state": {"values": {"answer": {"value": {"type": "plain_text_input", "value": "I delegated."}}}}})), 200),
    # events
    Case("an event that is a list", json_body(event([{"type": "app_home_opened"}])), 400),
    Case("an event that is a string", json_body(event("app_home_opened")), 400),
    Case("an event without event_id", json_body(event(event_id=None)), 400),
    Case("an app_home_opened without user", json_body(event({"type": "app_home_opened", "tab": "home"})), 400),
    Case("an app_home_opened whose user is a number", json_body(event({"type": "app_home_opened", "user": 1})), 400),
    Case("an event without team_id", json_body(event(team_id=None)), 400),
    Case("authorizations that are not objects", json_body(event(authorizations=["x"])), 400),
    Case("an event the bot does not listen to", json_body(event({"type": "reaction_added", "user": "U1"})), 200),
    Case("a payload of an unknown type", payload(lambda _d: {"type": "dialog_submission", "user": {"id": "U1"}}),
         400),
]


def table_counts(bot: RunningBot) -> dict[str, int]:
    with bot.ctx.store.session() as session:
        return {name: session.scalar(select(func.count()).select_from(table)) or 0
                for name, table in Base.metadata.tables.items() if name not in IGNORED_TABLES}


def send(bot: RunningBot, raw: RawRequest, headers: dict[str, str] | None = None) -> int:
    """POST ``raw`` signed as Slack signs, with ``headers`` replacing any of the signature's (empty: left out)."""
    ts = str(int(time.time()))
    chosen = {"Content-Type": raw.content_type, "X-Slack-Request-Timestamp": ts,
              "X-Slack-Signature": sign(SIGNING_SECRET, ts, raw.body), **(headers or {})}
    request = urllib.request.Request(bot.url + "/slack/events", data=raw.body, method="POST",
                                     headers={k: v for k, v in chosen.items() if v})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_bad_requests_never_reach_a_handler(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert bot.driver.command("stats").status == 200  # the bot knows U1: first contact is not what is tested
    before = table_counts(bot)
    wrong: list[str] = []
    for case in MALFORMED:
        caplog.clear()
        status = send(bot, case.build(bot.driver))
        if status != case.status:
            wrong.append(f"{case.name}: {status}, expected {case.status}")
        wrong += [f"{case.name}: logged {r.levelname} {r.getMessage()!r}" for r in caplog.records
                  if r.levelno >= logging.ERROR or r.exc_info]
    for name, build in valid_requests():
        for how, headers in BAD_SIGNATURES.items():
            caplog.clear()
            raw = build(bot.driver)
            ts = str(int(time.time()))
            status = send(bot, raw, {"X-Slack-Request-Timestamp": ts, **headers(ts, raw.body)})
            if status != 401:
                wrong.append(f"{name} with {how}: {status}, expected 401")
            lines = [r.getMessage() for r in caplog.records]
            if lines != ["refused an unsigned or badly signed request"]:
                wrong.append(f"{name} with {how}: logged {lines}")
    assert not wrong, "\n".join(wrong)
    assert table_counts(bot) == before


@pytest.mark.sqlite_only
def test_unsigned_garbage_is_refused_before_it_is_parsed(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for body, content_type in ((b"payload={not json", "application/x-www-form-urlencoded"),
                               (b"\xff\xfe\x00", "application/json"), (b'{"event": []}', "application/json")):
        caplog.clear()
        reply = bot.driver.post(body, content_type, signature="v0=" + "0" * 64)
        assert reply.status == 401 and reply.body == ""
        assert [r.getMessage() for r in caplog.records] == ["refused an unsigned or badly signed request"]


@pytest.mark.sqlite_only
def test_an_oversized_body_is_refused_with_413_before_it_is_read(bot: RunningBot) -> None:
    for signature in ("v0=" + "0" * 64, None):
        # Only the headers are sent: the answer comes without the bot waiting for the 2 MB.
        connection = http.client.HTTPConnection("127.0.0.1", int(bot.url.rsplit(":", 1)[1]), timeout=10)
        connection.putrequest("POST", "/slack/events")
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(2 * MAX_BODY_BYTES))
        connection.putheader("X-Slack-Request-Timestamp", str(int(time.time())))
        if signature:
            connection.putheader("X-Slack-Signature", signature)
        connection.endheaders()
        assert connection.getresponse().status == 413
        connection.close()
    # Just under the limit is read, verified and parsed like any other request.
    fits = bot.driver.command_fields("help")
    fits["padding"] = "x" * (MAX_BODY_BYTES - 4096)
    reply = bot.driver.send(bot.driver.form_request(fits))
    assert reply.status == 200 and "/lead checkin" in reply.body


def test_a_submission_without_user_stores_nobody(bot: RunningBot) -> None:
    view = {"id": "V1", "type": "modal", "callback_id": checkin_view.CALLBACK_ID, "blocks": []}
    body = bot.driver.submit_payload(view, {})
    body["view"]["state"] = {"values": {f"rating_{k}": {"value": {"type": "radio_buttons",
                                                                   "selected_option": {"value": "3"}}}
                                        for k in ("personality", "upskilling", "delegation", "progress")}}
    body["view"]["state"]["values"]["minutes"] = {"value": {"type": "plain_text_input", "value": "30"}}
    for user in (None, {"id": ""}, {"name": "nobody"}):
        changed = {**body, "user": user} if user is not None else {k: v for k, v in body.items() if k != "user"}
        assert bot.driver.interaction(changed).status == 400
    assert table_counts(bot)["people"] == 0 and table_counts(bot)["checkins"] == 0
    assert bot.driver.interaction(body).status == 200  # the same submission with its user is stored
    assert table_counts(bot)["people"] == 1 and table_counts(bot)["checkins"] == 1


@pytest.mark.sqlite_only
def test_socket_mode_drops_malformed_envelopes_and_keeps_serving(db_url: str, emulator: SlackEmulator,
                                                                 tmp_path: Path) -> None:
    socket_server = SocketModeServer()
    emulator.socket_mode_url = socket_server.url
    env = bot_environment(db_url, emulator.url, SLACK_APP_TOKEN="xapp-test")
    bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    driver = SlackDriver("http://127.0.0.1:9", SIGNING_SECRET, emulator=emulator)
    try:
        socket_server.wait_connected()
        malformed = [
            ("slash_commands", command(user_id=None)(driver)),
            ("slash_commands", command(user_id="")(driver)),
            ("interactive", submission(values=[1])(driver)),
            ("interactive", submission(user=None)(driver)),
            ("interactive", click(actions={"action_id": "goal_mark_done"})(driver)),
            ("events_api", event([{"type": "app_home_opened"}])(driver)),
            ("events_api", event({"type": "app_home_opened", "tab": "home"})(driver)),
        ]
        for kind, body in malformed:
            ack = socket_server.push(kind, body)  # acknowledged, so Slack does not send it again
            assert "payload" not in ack, (kind, ack)
        ack = socket_server.push("slash_commands", command(text="help")(driver))
        assert "/lead checkin" in json.dumps(ack["payload"])
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=20) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()
        socket_server.stop()
    stderr = bot.stderr.read() if bot.stderr else ""
    assert stderr.count("dropped a Socket Mode") == len(malformed), stderr
    assert "Traceback" not in stderr and " ERROR " not in stderr, stderr
    assert table_counts_at(db_url)["people"] == 0


def table_counts_at(db_url: str) -> dict[str, int]:
    store = Store.from_url(db_url)
    try:
        with store.session() as session:
            return {name: session.scalar(select(func.count()).select_from(table)) or 0
                    for name, table in Base.metadata.tables.items()}
    finally:
        store.dispose()


def test_a_command_that_mentions_payload_is_still_a_command(bot: RunningBot) -> None:
    # Bolt's own form parsing takes any body containing "payload" for an interaction, and reads {}.
    reply = bot.driver.command("win Rewrote the payload parser")
    assert reply.status == 200 and "shared with your team" in reply.body
    assert table_counts(bot)["wins"] == 1
