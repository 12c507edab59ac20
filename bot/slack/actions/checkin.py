"""The check-in buttons (App Home, nudges)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services.context import BotContext
from bot.slack.identity import team_and_user
from bot.slack.surfaces import open_checkin
from bot.views.checkin import OPEN_ACTION


def register(app: App, ctx: BotContext) -> None:
    @app.action(OPEN_ACTION)
    def open_checkin_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        open_checkin(ctx, client, team_id, user_id, body["trigger_id"])
