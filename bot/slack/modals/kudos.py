"""The kudos modal: check the person picked, store, DM the recipient, show the team when asked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import kudos as kudos_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.services.types.pairing import KudosRefusal
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.slack.team_channel import SlackTeamChannel
from bot.views.kudos import KUDOS_CALLBACK, REFUSALS, kudos_dm, kudos_sent, parse_kudos_form

ERROR_FIELDS = {KUDOS_CALLBACK: "recipient"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(KUDOS_CALLBACK)
    def kudos_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                        context: BoltContext) -> None:
        form = accepted(ack, parse_kudos_form(view["state"]["values"]))
        if form is None:
            return
        team_id, user_id = team_and_user(context, body)
        given = kudos_service.give(ctx, client, ensure_person(ctx, client, team_id, user_id), form,
                                   context.bot_user_id)
        if isinstance(given, KudosRefusal):
            field = "text" if given in (KudosRefusal.NO_TEXT, KudosRefusal.TOO_LONG) else "recipient"
            ack(response_action="errors", errors={field: REFUSALS[given] + " Nothing was sent."})
            return
        ack()
        send_dm(client, given.recipient, kudos_dm(given), "kudos")
        post = kudos_service.post_shared(ctx, SlackTeamChannel(client, ctx, team_id), given)
        send_dm(client, user_id, kudos_sent(given, post), "kudos confirmation")
