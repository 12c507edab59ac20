"""The "show the team too" button under ``/lead kudos @someone text``'s answer (the giver's only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import kudos as kudos_service
from bot.services.context import BotContext
from bot.slack.identity import action_value, team_and_user
from bot.slack.team_channel import SlackTeamChannel
from bot.views import kudos as views
from bot.views.state import parse_id


def register(app: App, ctx: BotContext) -> None:
    @app.action(views.SHARE_ACTION)
    def share(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        post = kudos_service.share_later(ctx, SlackTeamChannel(client, ctx, team_id), team_id, user_id,
                                         parse_id(action_value(body)))
        respond(**views.kudos_shared_note(post), replace_original=True)
