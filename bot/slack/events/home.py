"""The App Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.services.context import BotContext
from bot.slack.identity import team_and_user
from bot.slack.surfaces import publish_home


def register(app: App, ctx: BotContext) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        team_id, user_id = team_and_user(context, body)
        publish_home(ctx, client, team_id, user_id)
