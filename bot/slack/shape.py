"""Is a parsed Slack payload shaped like one Slack sends? Checked before Bolt or a listener sees it.

A signature proves who sent a request, not that its body has the shape the listeners read: a
submission without ``user``, ``state.values`` that is a list or an event that is a string would
otherwise reach a listener and end in a 500 and a traceback, or worse, in a person stored with an
empty user id. :func:`problem` checks what the bot's listeners (and Bolt's middleware before them)
rely on, by kind of payload, and names the first thing wrong. Its answer is a fixed phrase that
quotes nothing from the payload, so it can be logged.

Used by both transports: the HTTP front (``bot/server.py``) answers 400, Socket Mode
(``bot/slack/socket_mode.py``) acknowledges and drops the envelope.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Slack ids: upper-case letters and digits (T…, E… for workspaces; U…, W… for people).
_SLACK_ID = re.compile(r"[A-Z0-9]{1,32}")
# Kinds of payload the bot has listeners for; anything else is unhandled, not malformed.
INTERACTIVE_KINDS = ("block_actions", "view_submission", "view_closed")


def slack_id(value: object) -> str | None:
    """``value`` when it looks like a Slack team or user id, else None."""
    return value if isinstance(value, str) and _SLACK_ID.fullmatch(value) else None


def problem(body: object) -> str | None:
    """None when ``body`` has the shape of a request the bot handles; else what is wrong with it."""
    if not isinstance(body, Mapping):
        return "the payload is not an object"
    if "command" in body:
        return _command(body)
    kind = body.get("type")
    if kind == "event_callback":
        return _event(body)
    if kind in INTERACTIVE_KINDS:
        return _interaction(body, str(kind))
    if kind in ("url_verification", "ssl_check") or body.get("ssl_check"):
        return None
    return "a kind of payload the bot does not handle"


def _command(body: Mapping[str, Any]) -> str | None:
    if body.get("command") != "/lead":
        return "a command the bot does not handle"
    if slack_id(body.get("team_id")) is None or slack_id(body.get("user_id")) is None:
        return "a command without a valid team_id and user_id"
    for key in ("text", "trigger_id", "response_url", "channel_id", "enterprise_id"):
        if key in body and not isinstance(body[key], str | None):
            return f"a command whose {key} is not text"
    if not _url_or_none(body.get("response_url")):
        return "a command whose response_url is not a URL"
    if not isinstance(body.get("trigger_id"), str):
        return "a command without a trigger_id"
    return None


def _interaction(body: Mapping[str, Any], kind: str) -> str | None:
    team, user = body.get("team"), body.get("user")
    if not isinstance(team, Mapping) or slack_id(team.get("id")) is None:
        return f"a {kind} without a valid team"
    if not isinstance(user, Mapping) or slack_id(user.get("id")) is None:
        return f"a {kind} without a valid user"
    for key in ("trigger_id", "response_url", "api_app_id"):
        if key in body and not isinstance(body[key], str | None):
            return f"a {kind} whose {key} is not text"
    if not _url_or_none(body.get("response_url")):
        return f"a {kind} whose response_url is not a URL"
    for key in ("container", "message", "channel", "enterprise"):
        if body.get(key) is not None and not isinstance(body[key], Mapping):
            return f"a {kind} whose {key} is not an object"
    view = body.get("view")
    if kind == "block_actions":
        if not isinstance(body.get("trigger_id"), str):
            return "a block_actions without a trigger_id"
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "a block_actions without actions"
        for action in actions:
            if not isinstance(action, Mapping) or not isinstance(action.get("action_id"), str):
                return "a block_actions with an action that has no action_id"
            if not isinstance(action.get("value"), str | None) or not isinstance(action.get("block_id"), str | None):
                return "a block_actions with an action whose value is not text"
        return None if view is None else _view(view, kind, submitted=False)
    if view is None:
        return f"a {kind} without a view"
    if kind == "view_submission" and not isinstance(body.get("trigger_id"), str):
        return "a view_submission without a trigger_id"
    return _view(view, kind, submitted=kind == "view_submission")


def _view(view: object, kind: str, *, submitted: bool) -> str | None:
    if not isinstance(view, Mapping):
        return f"a {kind} whose view is not an object"
    for key in ("id", "type", "callback_id", "private_metadata", "hash", "team_id", "app_installed_team_id"):
        if key in view and not isinstance(view[key], str | None):
            return f"a {kind} whose view {key} is not text"
    if submitted and not isinstance(view.get("callback_id"), str):
        return f"a {kind} whose view has no callback_id"
    if not isinstance(view.get("type"), str):  # Bolt reads it to tell workflow steps from modals
        return f"a {kind} whose view has no type"
    if "blocks" in view and not (isinstance(view["blocks"], list)
                                 and all(isinstance(block, Mapping) for block in view["blocks"])):
        return f"a {kind} whose view blocks are not a list of objects"
    state = view.get("state")
    if state is None and not submitted:
        return None
    values = state.get("values") if isinstance(state, Mapping) else None
    if not isinstance(values, Mapping):
        return f"a {kind} without view state values"
    for block in values.values():
        if not isinstance(block, Mapping) or not all(isinstance(element, Mapping) for element in block.values()):
            return f"a {kind} whose state values are not objects"
    return None


def _url_or_none(value: object) -> bool:
    # Answers go there; Slack's are https://hooks.slack.com/... (an emulator's may be http).
    return value is None or (isinstance(value, str) and value.startswith(("https://", "http://")))


def _event(body: Mapping[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, Mapping) or not isinstance(event.get("type"), str):
        return "an event_callback without an event object and type"
    if not isinstance(body.get("event_id"), str) or not body["event_id"]:
        return "an event_callback without an event_id"
    if slack_id(body.get("team_id")) is None:
        return "an event_callback without a valid team_id"
    authorizations = body.get("authorizations")
    if authorizations is not None and not (isinstance(authorizations, list)
                                           and all(isinstance(a, Mapping) for a in authorizations)):
        return "an event_callback whose authorizations are not a list of objects"
    if event["type"] == "user_change":
        # The one event whose ``user`` is the whole user object (with the status), not an id.
        user = event.get("user")
        if not isinstance(user, Mapping) or slack_id(user.get("id")) is None:
            return "a user_change without a user object"
        if not isinstance(user.get("profile", {}), Mapping):
            return "a user_change whose profile is not an object"
    for key in ("user", "bot_id", "subtype", "channel", "tab", "team", "user_team"):
        if key == "user" and event["type"] == "user_change":
            continue
        if key in event and not isinstance(event[key], str | None):
            return f"an event whose {key} is not text"
    if event["type"] == "app_home_opened" and slack_id(event.get("user")) is None:
        return "an app_home_opened without a valid user"
    return None
