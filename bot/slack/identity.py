"""Who and where a Bolt request came from, read the same way for every kind of payload."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.errors import LeadError
from bot.slack.shape import slack_id
from bot.storable import storable


class NoIdentity(LeadError):
    """The request names no valid workspace or person; nothing is read or written for it.

    Requests are shape-checked before any listener runs (``bot/slack/shape.py``), so this is the
    last line: a person is never stored with an empty or made-up id.
    """


def team_and_user(context: BoltContext, body: dict[str, Any]) -> tuple[str, str]:
    """The workspace and the acting user of any command, action, view or event payload.

    Payloads from Slack carry the acting user in the signed body; an id typed into an action's
    value is never trusted for identity. Raises :class:`NoIdentity` when either is missing or
    is not shaped like a Slack id.
    """
    team = body.get("team")
    user = body.get("user")
    event = body.get("event")
    team_id = slack_id(context.team_id) or slack_id(team.get("id") if isinstance(team, dict) else team) \
        or slack_id(body.get("team_id"))
    user_id = slack_id(context.user_id) or slack_id(user.get("id") if isinstance(user, dict) else user) \
        or slack_id(body.get("user_id")) or slack_id(event.get("user") if isinstance(event, dict) else None)
    if team_id is None or user_id is None:
        raise NoIdentity("the request names no valid team and user")
    return team_id, user_id


def action_value(body: dict[str, Any]) -> str:
    """The ``value`` of the clicked button in a block action payload; ``""`` when it carries none.

    It is whatever the bot put on the button (a goal id, a prompt id, ...), never proof of who
    clicked: identity comes from :func:`team_and_user`.
    """
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    value = first.get("value") if isinstance(first, dict) else None
    return storable(value) if isinstance(value, str) else ""
