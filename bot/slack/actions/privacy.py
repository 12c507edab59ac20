"""The buttons under ``/lead forget``'s question."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import privacy
from bot.services.context import BotContext
from bot.slack.identity import action_value, team_and_user
from bot.slack.surfaces import clear_home
from bot.views import privacy as privacy_view


def register(app: App, ctx: BotContext) -> None:
    # The buttons' value names whom the question was shown to; it only serves to refuse anyone else.
    @app.action(privacy_view.ACTION_FORGET_CONFIRM)
    def forget_confirmed(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                         respond: Respond) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        result = privacy.forget(ctx, client, team_id, user_id, asked_for=action_value(body))
        respond(**privacy_view.forget_done(result), replace_original=True)
        if result.found:
            clear_home(client, user_id)

    @app.action(privacy_view.ACTION_FORGET_CANCEL)
    def forget_cancelled(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        _, user_id = team_and_user(context, body)
        privacy.confirm_asker(user_id, asked_for=action_value(body))
        respond(**privacy_view.forget_cancelled(), replace_original=True)
