"""The check-in modal submission: validate next to the field, store, then tell the person."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import checkins as checkin_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.slack.surfaces import publish_home
from bot.slack.team_channel import SlackTeamChannel
from bot.views import checkin as checkin_view
from bot.views.messages import checkin_saved_message

ERROR_FIELDS = {checkin_view.CALLBACK_ID: "rating_personality"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(checkin_view.CALLBACK_ID)
    def checkin_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                          context: BoltContext) -> None:
        form = accepted(ack, checkin_view.parse_checkin(view["state"]["values"]))
        if form is None:
            return
        team_id, user_id = team_and_user(context, body)
        saved = checkin_service.save(ctx, ensure_person(ctx, client, team_id, user_id), form)
        ack()
        result = checkin_service.follow_up(ctx, SlackTeamChannel(client, ctx, team_id), saved)
        send_dm(client, user_id, checkin_saved_message(result), "check-in confirmation")
        publish_home(ctx, client, team_id, user_id)
