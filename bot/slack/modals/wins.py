"""The win modal's submission: store the win, share it when asked, tell the author in DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.services import celebrations
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.views.messages import ephemeral_text
from bot.views.wins import WIN_CALLBACK, parse_win, win_recorded_text

log = logging.getLogger(__name__)
SAVE_FAILED = "Saving failed on our side and nothing was stored. Please press Save again in a moment."


def register(app: App, ctx: BotContext) -> None:
    @app.view(WIN_CALLBACK)
    def win_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                      context: BoltContext) -> None:
        form, errors = parse_win(view["state"]["values"])
        if form is None:
            ack(response_action="errors", errors=errors)
            return
        team_id, user_id = team_and_user(context, body)
        person = ensure_person(ctx, client, team_id, user_id)
        try:
            saved = celebrations.save_win(ctx, person, form.text, share=form.share, foundation=form.foundation)
        except SQLAlchemyError:
            log.exception("storing a win failed")
            ack(response_action="errors", errors={"text": SAVE_FAILED})
            return
        ack()
        if form.share:
            # An explicit tick in the modal shares this win even when automatic celebrations are off.
            result = celebrations.share_win(ctx, client, team_id, user_id, saved.win_id, form.text,
                                            foundation=form.foundation, streak=saved.streak)
            text = win_recorded_text(shared=True, channel=result.channel,
                                     problem=None if result.posted else result.problem)
        else:
            text = win_recorded_text(shared=False, channel=None)
        try:
            client.chat_postMessage(channel=user_id, **ephemeral_text(text))
        except SlackApiError as exc:
            log.warning("could not DM the win confirmation: %s", exc.response.get("error"))
