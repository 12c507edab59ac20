"""The "Resume now" button on a pause confirmation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import settings as settings_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.services.types.settings import Resumed
from bot.slack.identity import team_and_user
from bot.slack.surfaces import publish_home
from bot.views import settings as settings_view


def register(app: App, ctx: BotContext) -> None:
    @app.action(settings_view.RESUME_ACTION)
    def resume_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                       respond: Respond) -> None:
        ack()
        # The clicking user, from the signed payload: a replayed click resumes only the clicker.
        team_id, user_id = team_and_user(context, body)
        person = ensure_person(ctx, client, team_id, user_id)
        outcome = settings_service.resume(ctx, person)
        respond(**settings_view.resume_message(outcome), response_type="ephemeral", replace_original=True)
        if outcome.kind is not Resumed.NOT_PAUSED:
            publish_home(ctx, client, team_id, user_id)
