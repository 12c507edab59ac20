"""Modals opened from scheduled prompts: logging learning minutes, answering a reflection.

After saving, the prompt message the modal was opened from says what happened, and loses the
button that opened the modal (its channel and ts travel in the modal's metadata).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import nudges as nudge_service
from bot.services.context import BotContext
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted
from bot.slack.surfaces import settle_prompt
from bot.views import nudges as views

ERROR_FIELDS = {views.MINUTES_CALLBACK: "minutes", views.REFLECTION_CALLBACK: "answer"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(views.MINUTES_CALLBACK)
    def minutes_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                          context: BoltContext) -> None:
        minutes = accepted(ack, views.parse_minutes_form(view["state"]["values"]))
        if minutes is None:
            return
        team_id, user_id = team_and_user(context, body)
        metadata = view.get("private_metadata") or ""
        logged = nudge_service.log_minutes(ctx, team_id, user_id, views.prompt_from_metadata(metadata), minutes)
        ack()
        settle_prompt(client, views.message_from_metadata(metadata), spent={views.DID_IT},
                      note=views.step_logged_note(logged))

    @app.view(views.REFLECTION_CALLBACK)
    def reflection_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                             context: BoltContext) -> None:
        answer = accepted(ack, views.parse_reflection_form(view["state"]["values"]))
        if answer is None:
            return
        team_id, user_id = team_and_user(context, body)
        metadata = view.get("private_metadata") or ""
        week = nudge_service.save_reflection(ctx, team_id, user_id, views.prompt_from_metadata(metadata), answer)
        ack()
        settle_prompt(client, views.message_from_metadata(metadata), spent={views.WRITE_REFLECTION},
                      note=views.reflection_saved_note(week))
