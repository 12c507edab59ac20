"""The ``/lead settings`` submission: validate next to the field, store, confirm what changed."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.services import settings as settings_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.slack.surfaces import publish_home
from bot.views import settings as settings_view

log = logging.getLogger(__name__)
SAVE_FAILED = "Saving failed on our side and nothing was stored. Please press Save again in a moment."


def register(app: App, ctx: BotContext) -> None:
    @app.view(settings_view.SETTINGS_CALLBACK)
    def settings_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                           context: BoltContext) -> None:
        form, errors = settings_view.parse_settings(view["state"]["values"])
        if form is None:
            ack(response_action="errors", errors=errors)
            return
        team_id, user_id = team_and_user(context, body)
        person = ensure_person(ctx, client, team_id, user_id)
        try:
            before, after = settings_service.save_settings(ctx, person, form)
        except SQLAlchemyError:
            log.exception("storing settings failed")
            ack(response_action="errors", errors={"timezone": SAVE_FAILED})
            return
        ack()
        changes = settings_view.describe_changes(before, after)
        try:
            client.chat_postMessage(channel=user_id, **settings_view.settings_saved_message(changes, after))
        except SlackApiError as exc:
            log.warning("could not DM the settings confirmation: %s", exc.response.get("error"))
        publish_home(ctx, client, team_id, user_id)
