"""Buttons on the scheduled prompts: "I did it", "Helpful", "Not for me", "Write my answer".

The check-in button on nudges and reminders is the shared ``open_checkin`` action
(``actions/checkin.py``). Identity always comes from the signed payload; the button value only
names a prompt, and the services accept it only if that prompt was sent to the clicker (else
they raise NotYours, which ``bot/slack/errors.py`` answers).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import nudges as nudge_service
from bot.services.context import BotContext
from bot.slack.identity import action_value, team_and_user
from bot.views import nudges as views
from bot.views.blocks import notice


def _prompt_id(body: dict[str, Any]) -> str | None:
    return action_value(body) or None


def _tell(respond: Respond, text: str) -> None:
    """An ephemeral note to the clicker; the original message stays as it is."""
    respond(**notice(text), response_type="ephemeral", replace_original=False)


def register(app: App, ctx: BotContext) -> None:
    @app.action(views.DID_IT)
    def did_it(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        # Ack first; the lookup is one small read, well inside the trigger's 3 seconds.
        ack()
        team_id, user_id = team_and_user(context, body)
        question = nudge_service.minutes_question(ctx, team_id, user_id, _prompt_id(body))
        client.views_open(trigger_id=body["trigger_id"], view=views.minutes_modal(question))

    @app.action(views.WRITE_REFLECTION)
    def write_reflection(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        question = nudge_service.reflection_question(ctx, team_id, user_id, _prompt_id(body))
        client.views_open(trigger_id=body["trigger_id"], view=views.reflection_modal(question))

    def feedback(verdict: str) -> Any:
        def handler(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
            team_id, user_id = team_and_user(context, body)
            nudge_service.record_verdict(ctx, team_id, user_id, _prompt_id(body), verdict)
            ack()
            _tell(respond, views.feedback_thanks(verdict))
        return handler

    for action_id, verdict in views.FEEDBACK_ACTIONS.items():
        app.action(action_id)(feedback(verdict))
