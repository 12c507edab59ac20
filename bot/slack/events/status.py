"""``user_change``: keep each person's Slack status, so sweeps never ask Slack who is away."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.services import timeoff as timeoff_service
from bot.services.context import BotContext
from bot.services.types.timeoff import StatusChange
from bot.slack.shape import slack_id


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: object) -> int | None:
    # Slack sends epochs as numbers; a string or a float from elsewhere is read the same way.
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def register(app: App, ctx: BotContext) -> None:
    @app.event("user_change")
    def user_changed(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        user = event.get("user") or {}
        user_id = slack_id(user.get("id"))
        team_id = slack_id(context.team_id) or slack_id(body.get("team_id")) or slack_id(user.get("team_id"))
        if user_id is None or team_id is None:
            return
        profile = user.get("profile") or {}
        change = StatusChange(text=_text(profile.get("status_text")), emoji=_text(profile.get("status_emoji")),
                              expiration=_number(profile.get("status_expiration")),
                              updated=_number(user.get("updated")))
        timeoff_service.status_changed(ctx, team_id, user_id, change)
