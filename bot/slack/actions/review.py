"""The focus buttons (focus review, check-in confirmation) and the growth-review invitation's button.

A focus button's value names whom its message was sent to; the service refuses anyone else
(NotYours, answered by ``bot/slack/errors.py``) before anything changes. A click that worked
updates its message in place through the response URL: the buttons go, what happened is said.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import focus as focus_service
from bot.services.context import BotContext
from bot.slack.identity import action_value, team_and_user
from bot.slack.surfaces import open_growth_review, publish_home
from bot.views import review as review_view
from bot.views.blocks import notice


def register(app: App, ctx: BotContext) -> None:
    def focus_clicked(action_id: str) -> Any:
        def handler(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                    respond: Respond) -> None:
            team_id, user_id = team_and_user(context, body)
            choice = review_view.parse_choice(action_id, action_value(body))
            changed = focus_service.apply_choice(ctx, team_id, user_id, choice)
            ack()
            original = (body.get("message") or {}).get("blocks")
            respond(**review_view.focus_choice_result(original, changed), replace_original=True)
            if changed.changed:
                publish_home(ctx, client, team_id, user_id)
        return handler

    for action_id in review_view.FOCUS_ACTIONS:
        app.action(action_id)(focus_clicked(action_id))

    @app.action(review_view.GROWTH_OPEN)
    def growth_review_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                              respond: Respond) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        if not open_growth_review(ctx, client, team_id, user_id, body["trigger_id"]):
            respond(**notice(review_view.NO_FIRST_ASSESSMENT), response_type="ephemeral", replace_original=False)
