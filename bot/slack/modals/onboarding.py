"""The two onboarding steps: the assessment pushes the track-and-focus step, which saves."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import onboarding as onboarding_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.slack.surfaces import publish_home
from bot.views import onboarding as onboarding_view

ERROR_FIELDS = {onboarding_view.ASSESS_CALLBACK: onboarding_view.FIRST_STATEMENT_BLOCK,
                onboarding_view.CONFIRM_CALLBACK: "track"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(onboarding_view.ASSESS_CALLBACK)
    def assessment_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        answers = accepted(ack, onboarding_view.parse_assessment(view["state"]["values"]))
        if answers is None:
            return
        team_id, user_id = team_and_user(context, body)
        step = onboarding_service.confirm_step(ctx, team_id, user_id, answers)
        ack(response_action="push", view=onboarding_view.build_confirm_modal(
            answers, step.suggestion.track, step.suggestion.focus, current_track=step.current_track,
            current_role=step.current_role, auto_focus=step.auto_focus, auto_from_checkins=step.auto_from_checkins))

    @app.view(onboarding_view.CONFIRM_CALLBACK)
    def choice_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                         context: BoltContext) -> None:
        metadata = view.get("private_metadata") or ""
        choice = accepted(ack, onboarding_view.parse_confirm(view["state"]["values"], metadata))
        if choice is None:
            return
        team_id, user_id = team_and_user(context, body)
        person = ensure_person(ctx, client, team_id, user_id)
        outcome = onboarding_service.complete(ctx, person, choice)
        # Close both steps at once.
        ack(response_action="clear")
        send_dm(client, user_id, onboarding_view.onboarding_summary(outcome), "onboarding summary")
        publish_home(ctx, client, team_id, user_id)
