"""The ``/lead settings`` submission: validate next to the field, store, confirm what changed."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import settings as settings_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.slack.surfaces import publish_home
from bot.views import settings as settings_view

ERROR_FIELDS = {settings_view.SETTINGS_CALLBACK: "timezone"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(settings_view.SETTINGS_CALLBACK)
    def settings_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                           context: BoltContext) -> None:
        form = accepted(ack, settings_view.parse_settings(view["state"]["values"], settings_service.JOBS))
        if form is None:
            return
        team_id, user_id = team_and_user(context, body)
        person = ensure_person(ctx, client, team_id, user_id)
        before, after = settings_service.save_settings(ctx, person, form)
        ack()
        changes = settings_view.describe_changes(before, after)
        send_dm(client, user_id, settings_view.settings_saved_message(changes, after), "settings confirmation")
        publish_home(ctx, client, team_id, user_id)
