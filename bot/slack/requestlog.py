"""One log line and the metrics for each Slack request, written where it is answered.

Both fronts call :func:`record`: the HTTP server (``bot/server.py``) once Bolt has acknowledged a
request or the front refused it, and Socket Mode (``bot/slack/socket_mode.py``) once an envelope
is acknowledged. The line names what arrived, never what a person wrote: its kind, the fixed
name the bot gave it (a ``/lead`` subcommand known to the bot, an action id, a view's
callback id, an event type), the status, the milliseconds to the acknowledgement and the team.
A command's text is read only to recognise its first word among the subcommands; anything
else is named ``unknown``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot import metrics
from bot.logs import line

log = logging.getLogger("lead-bot.requests")
# Names the bot gives (action ids, callback ids) and Slack's own (event types): anything else
# is not logged as it came.
_NAME = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
_ID = re.compile(r"^[A-Z0-9]{2,32}$")


@dataclass(frozen=True)
class RequestLabel:
    kind: str  # command, action, view, event, options, shortcut, other
    name: str
    team: str | None


@cache
def _subcommands() -> frozenset[str]:
    from bot.slack.commands import handlers

    return frozenset(handlers())


def _safe(value: Any) -> str:
    return value if isinstance(value, str) and _NAME.match(value) else "unknown"


def _team(body: Mapping[str, Any]) -> str | None:
    team = body.get("team")
    candidates = (body.get("team_id"), team.get("id") if isinstance(team, Mapping) else None,
                  (body.get("event") or {}).get("team") if isinstance(body.get("event"), Mapping) else None)
    for value in candidates:
        if isinstance(value, str) and _ID.match(value):
            return value
    return None


def describe(body: Mapping[str, Any]) -> RequestLabel:
    """What a parsed Slack payload is, in words safe to log."""
    team = _team(body)
    kind = body.get("type")
    if "command" in body and kind is None:
        first = str(body.get("text") or "").strip().split(" ", 1)[0].lower()
        name = first if first in _subcommands() else ("help" if not first else "unknown")
        return RequestLabel("command", name, team)
    if kind == "event_callback":
        event = body.get("event")
        return RequestLabel("event", _safe(event.get("type") if isinstance(event, Mapping) else None), team)
    if kind in ("block_actions", "interactive_message"):
        actions = body.get("actions")
        first_action = actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], Mapping) else {}
        return RequestLabel("action", _safe(first_action.get("action_id") or first_action.get("name")), team)
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        return RequestLabel("view", _safe(view.get("callback_id") if isinstance(view, Mapping) else None), team)
    if kind in ("block_suggestion", "dialog_suggestion"):
        return RequestLabel("options", _safe(body.get("action_id") or body.get("callback_id")), team)
    if kind in ("shortcut", "message_action"):
        return RequestLabel("shortcut", _safe(body.get("callback_id")), team)
    return RequestLabel("other", _safe(kind), team)


def outcome_of(status: int) -> str:
    return "error" if status >= 500 else ("refused" if status >= 400 else "ok")


def record(label: RequestLabel, status: int, seconds: float) -> None:
    """The request's log line and metrics."""
    outcome = outcome_of(status)
    metrics.request_handled(label.kind, outcome, seconds)
    ms = round(seconds * 1000, 1)
    line(log, "%s %s %s %.1fms team %s", label.kind, label.name, status, ms, label.team or "-",
         kind=label.kind, name=label.name, status=status, ms=ms, team=label.team, outcome=outcome)


def record_refused(seconds: float) -> None:
    """A request the HTTP front refused before Bolt saw it (too big, unsigned, malformed): counted;
    its one line is the front's own, which says why."""
    metrics.request_handled("unknown", "refused", seconds)
