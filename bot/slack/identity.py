"""Who and where a Bolt request came from, read the same way for every kind of payload."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext


def team_and_user(context: BoltContext, body: dict[str, Any]) -> tuple[str, str]:
    """The workspace and the acting user of any command, action, view or event payload.

    Payloads from Slack carry the acting user in the signed body; an id typed into an action's
    value is never trusted for identity.
    """
    team_id = context.team_id or (body.get("team") or {}).get("id") or body.get("team_id") or ""
    user_id = context.user_id or (body.get("user") or {}).get("id") or body.get("user_id") or ""
    return str(team_id), str(user_id)


def action_value(body: dict[str, Any]) -> str:
    """The ``value`` of the clicked button in a block action payload; ``""`` when it carries none.

    It is whatever the bot put on the button (a goal id, a prompt id, ...), never proof of who
    clicked: identity comes from :func:`team_and_user`.
    """
    actions = body.get("actions") or [{}]
    value = actions[0].get("value")
    return value if isinstance(value, str) else ""
