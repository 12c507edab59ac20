"""The win modal's submission: store the win, share it when asked, tell the author in DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import celebrations
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.views.blocks import notice
from bot.views.wins import WIN_CALLBACK, parse_win, win_recorded_text

ERROR_FIELDS = {WIN_CALLBACK: "text"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(WIN_CALLBACK)
    def win_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                      context: BoltContext) -> None:
        form = accepted(ack, parse_win(view["state"]["values"]))
        if form is None:
            return
        team_id, user_id = team_and_user(context, body)
        person = ensure_person(ctx, client, team_id, user_id)
        saved = celebrations.save_win(ctx, person, form.text, share=form.share, foundation=form.foundation)
        ack()
        if form.share:
            # An explicit tick in the modal shares this win even when automatic celebrations are off.
            result = celebrations.share_win(ctx, client, team_id, user_id, saved.win_id, form.text,
                                            foundation=form.foundation, streak=saved.streak)
            text = win_recorded_text(shared=True, channel=result.channel,
                                     problem=None if result.posted else result.problem)
        else:
            text = win_recorded_text(shared=False, channel=None)
        send_dm(client, user_id, notice(text), "win confirmation")
