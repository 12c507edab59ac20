"""Modals opened from scheduled prompts: logging learning minutes, answering a reflection."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import nudges as nudge_service
from bot.services.context import BotContext
from bot.slack.identity import team_and_user
from bot.views import nudges as views

log = logging.getLogger(__name__)
NOT_YOURS_FIELD = "This prompt was not sent to you, so nothing was saved."


def register(app: App, ctx: BotContext) -> None:
    @app.view(views.MINUTES_CALLBACK)
    def minutes_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        minutes, errors = views.parse_minutes_form(view["state"]["values"])
        if minutes is None:
            ack(response_action="errors", errors=errors)
            return
        team_id, user_id = team_and_user(context, body)
        prompt_id = views.prompt_from_metadata(view.get("private_metadata") or "")
        if not nudge_service.log_minutes(ctx, team_id, user_id, prompt_id, minutes):
            ack(response_action="errors", errors={"minutes": NOT_YOURS_FIELD})
            return
        ack()

    @app.view(views.REFLECTION_CALLBACK)
    def reflection_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        text, errors = views.parse_reflection_form(view["state"]["values"])
        if text is None:
            ack(response_action="errors", errors=errors)
            return
        team_id, user_id = team_and_user(context, body)
        prompt_id = views.prompt_from_metadata(view.get("private_metadata") or "")
        if not nudge_service.save_reflection(ctx, team_id, user_id, prompt_id, text):
            ack(response_action="errors", errors={"answer": NOT_YOURS_FIELD})
            return
        ack()
