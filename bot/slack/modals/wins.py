"""The win modal's submission: store the win, share it when asked, tell the author in DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import wins as win_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.slack.team_channel import SlackTeamChannel
from bot.views.wins import WIN_CALLBACK, parse_win, win_saved_dm

ERROR_FIELDS = {WIN_CALLBACK: "text"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(WIN_CALLBACK)
    def win_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                      context: BoltContext) -> None:
        form = accepted(ack, parse_win(view["state"]["values"]))
        if form is None:
            return
        team_id, user_id = team_and_user(context, body)
        # An explicit tick in the modal shares this win even when automatic celebrations are off.
        saved = win_service.save(ctx, ensure_person(ctx, client, team_id, user_id), form)
        ack()
        shared = win_service.follow_up(ctx, SlackTeamChannel(client, ctx, team_id), saved)
        send_dm(client, user_id, win_saved_dm(shared), "win confirmation")
