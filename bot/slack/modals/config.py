"""The ``/lead config`` submission: admins only, and only a channel the bot is in."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import team as team_service
from bot.services.context import BotContext
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.views import settings as settings_view

ERROR_FIELDS = {settings_view.CONFIG_CALLBACK: "channel"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(settings_view.CONFIG_CALLBACK)
    def config_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                         context: BoltContext) -> None:
        team_id, user_id = team_and_user(context, body)
        # Checked again on submit: the view could be replayed by someone who is not an admin.
        if not team_service.is_config_admin(ctx, client, user_id):
            ack(response_action="errors", errors={"channel": settings_view.NOT_ALLOWED})
            return
        form = accepted(ack, settings_view.parse_config(view["state"]["values"]))
        if form is None:
            return
        problem = team_service.channel_problem(client, form.channel)
        if problem:
            ack(response_action="errors", errors={"channel": settings_view.CHANNEL_PROBLEMS[problem]})
            return
        before, after = team_service.save_config(ctx, team_id, form)
        ack()
        changes = settings_view.describe_config_changes(before, after)
        send_dm(client, user_id, settings_view.config_saved_message(changes), "config confirmation")
