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
