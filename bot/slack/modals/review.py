"""The growth review's two steps: the answers push the before-and-after step, which saves."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import review as review_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.slack.surfaces import publish_home
from bot.views import review as review_view
from bot.views.onboarding import FIRST_STATEMENT_BLOCK

ERROR_FIELDS = {review_view.REVIEW_ASSESS_CALLBACK: FIRST_STATEMENT_BLOCK,
                review_view.REVIEW_CONFIRM_CALLBACK: "track"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(review_view.REVIEW_ASSESS_CALLBACK)
    def answers_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                          context: BoltContext) -> None:
        answers = accepted(ack, review_view.parse_review_answers(view["state"]["values"]))
        if answers is None:
            return
        team_id, user_id = team_and_user(context, body)
        review = review_service.compare(ctx, ensure_person(ctx, client, team_id, user_id), answers)
        if review is None:
            ack(response_action="errors", errors={FIRST_STATEMENT_BLOCK: review_view.NO_FIRST_ASSESSMENT})
            return
        ack(response_action="push", view=review_view.build_review_result_modal(review))

    @app.view(review_view.REVIEW_CONFIRM_CALLBACK)
    def review_confirmed(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                         context: BoltContext) -> None:
        parsed = accepted(ack, review_view.parse_review_result(view["state"]["values"],
                                                               view.get("private_metadata") or ""))
        if parsed is None:
            return
        answers, track = parsed
        team_id, user_id = team_and_user(context, body)
        saved = review_service.save_review(ctx, ensure_person(ctx, client, team_id, user_id), answers, track)
        ack(response_action="clear")  # close both steps
        send_dm(client, user_id, review_view.review_saved_message(saved), "growth review summary")
        publish_home(ctx, client, team_id, user_id)
