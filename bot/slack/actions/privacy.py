"""The buttons under ``/lead forget``'s question."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import privacy
from bot.services.context import BotContext
from bot.slack.identity import action_value, team_and_user
from bot.views import privacy as privacy_view
from bot.views.blocks import notice

log = logging.getLogger(__name__)


def register(app: App, ctx: BotContext) -> None:
    @app.action(privacy_view.ACTION_FORGET_CONFIRM)
    def forget_confirmed(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                         respond: Respond) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        # The button's value names who the confirmation was shown to; it only serves to refuse others.
        result = privacy.forget(ctx, client, team_id, user_id, asked_for=action_value(body))
        if not result.found:
            respond(**notice(privacy_view.NOTHING_STORED), replace_original=True)
            return
        respond(**privacy_view.forget_done(posts_deleted=result.posts_deleted, posts_failed=result.posts_failed),
                replace_original=True)
        try:
            client.views_publish(user_id=user_id, view=privacy_view.forgotten_home())
        except SlackApiError as exc:
            log.warning("could not clear the App Home of %s: %s", user_id, exc.response.get("error"))

    @app.action(privacy_view.ACTION_FORGET_CANCEL)
    def forget_cancelled(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        _, user_id = team_and_user(context, body)
        privacy.confirm_asker(user_id, asked_for=action_value(body))
        respond(**privacy_view.forget_cancelled(), replace_original=True)
