"""Buttons on the scheduled prompts: "I did it", "Helpful", "Not for me", "Write my answer".

The check-in button on nudges and reminders is the shared ``open_checkin`` action
(``actions/checkin.py``). Identity always comes from the signed payload; the button value only
names a prompt, and the services accept it only if that prompt was sent to the clicker.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import nudges as nudge_service
from bot.services.context import BotContext
from bot.slack.identity import action_value, team_and_user
from bot.views import nudges as views
from bot.views.blocks import notice

log = logging.getLogger(__name__)


def _prompt_id(body: dict[str, Any]) -> str | None:
    return action_value(body) or None


def _tell(respond: Respond, text: str) -> None:
    """An ephemeral note to the clicker; the original message stays as it is."""
    respond(**notice(text), response_type="ephemeral", replace_original=False)


def register(app: App, ctx: BotContext) -> None:
    def open_modal(builder: Any, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                   respond: Respond) -> None:
        # Ack first; the lookup is one small read, well inside the trigger's 3 seconds.
        ack()
        team_id, user_id = team_and_user(context, body)
        view = builder(ctx, team_id, user_id, _prompt_id(body))
        if view is None:
            _tell(respond, views.NOT_YOURS)
            return
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(views.DID_IT)
    def did_it(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond) -> None:
        open_modal(nudge_service.minutes_view, ack, body, client, context, respond)

    @app.action(views.WRITE_REFLECTION)
    def write_reflection(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                         respond: Respond) -> None:
        open_modal(nudge_service.reflection_view, ack, body, client, context, respond)

    def feedback(verdict: str) -> Any:
        def handler(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
            ack()
            team_id, user_id = team_and_user(context, body)
            stored = nudge_service.record_verdict(ctx, team_id, user_id, _prompt_id(body), verdict)
            _tell(respond, views.feedback_thanks(verdict) if stored else views.NOT_YOURS)
        return handler

    for action_id, verdict in views.FEEDBACK_ACTIONS.items():
        app.action(action_id)(feedback(verdict))
