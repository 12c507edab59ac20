"""Buttons on the scheduled prompts: "I did it", "Helpful", "Not for me", "Write my answer".

The check-in button on nudges and reminders is the shared ``open_checkin`` action
(``actions/checkin.py``). Identity always comes from the signed payload; the button value only
names a prompt, and the services accept it only if that prompt was sent to the clicker (else
they raise NotYours, which ``bot/slack/errors.py`` answers).

A button answers in the message it sits in: once it has done its work, the message is updated
in place to say what happened and the spent buttons are gone. "I did it" and "Write my answer"
open a modal first; the modal carries the message's channel and ts, so its submission can update
the message (``modals/nudges.py``).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import nudges as nudge_service
from bot.services.context import BotContext
from bot.services.types.nudges import StepLogged
from bot.slack.identity import action_value, team_and_user
from bot.slack.surfaces import settle_prompt
from bot.views import nudges as views
from bot.views.blocks import notice


def _prompt_id(body: dict[str, Any]) -> str | None:
    return action_value(body) or None


def message_of(body: dict[str, Any]) -> tuple[str, str] | None:
    """(channel, ts) of the message whose button was clicked, from the payload."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or message.get("ts")
    return (str(channel), str(ts)) if channel and ts else None


def _tell(respond: Respond, text: str) -> None:
    """An ephemeral note to the clicker, when the message itself could not say it."""
    respond(**notice(text), response_type="ephemeral", replace_original=False)


def register(app: App, ctx: BotContext) -> None:
    @app.action(views.DID_IT)
    def did_it(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond) -> None:
        # Ack first; the lookup is a few small reads, well inside the trigger's 3 seconds.
        ack()
        team_id, user_id = team_and_user(context, body)
        question = nudge_service.minutes_question(ctx, team_id, user_id, _prompt_id(body))
        where = message_of(body)
        if isinstance(question, StepLogged):  # a second click: nothing to ask, nothing changes
            note = views.step_logged_note(question)
            if not settle_prompt(client, where, spent={views.DID_IT}, note=note, original=body.get("message")):
                _tell(respond, note)
            return
        client.views_open(trigger_id=body["trigger_id"],
                          view=views.minutes_modal(question, channel=where[0] if where else None,
                                                   ts=where[1] if where else None))

    @app.action(views.WRITE_REFLECTION)
    def write_reflection(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        question = nudge_service.reflection_question(ctx, team_id, user_id, _prompt_id(body))
        where = message_of(body)
        client.views_open(trigger_id=body["trigger_id"],
                          view=views.reflection_modal(question, channel=where[0] if where else None,
                                                      ts=where[1] if where else None))

    def feedback(verdict: str) -> Any:
        def handler(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                    respond: Respond) -> None:
            team_id, user_id = team_and_user(context, body)
            nudge_service.record_verdict(ctx, team_id, user_id, _prompt_id(body), verdict)
            ack()
            note = views.verdict_note(verdict)
            if not settle_prompt(client, message_of(body), spent=set(views.FEEDBACK_ACTIONS), note=note,
                                 original=body.get("message")):
                _tell(respond, note)
        return handler

    for action_id, verdict in views.FEEDBACK_ACTIONS.items():
        app.action(action_id)(feedback(verdict))
