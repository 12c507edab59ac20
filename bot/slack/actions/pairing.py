"""Buttons of practice pairing: "did you meet?" (yes / not yet / skip) and "add a note to self".

Identity comes from the signed payload; the button only names a pair, which the service accepts
only from one of its two people.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import pairing as pairing_service
from bot.services.context import BotContext
from bot.services.types.pairing import Answer
from bot.slack.identity import action_value, team_and_user
from bot.views import pairing as views
from bot.views.state import parse_id


def register(app: App, ctx: BotContext) -> None:
    def answered(answer: Answer) -> Any:
        def handler(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
            team_id, user_id = team_and_user(context, body)
            recorded = pairing_service.record_answer(ctx, team_id, user_id, parse_id(action_value(body)),
                                                     answer)
            ack()
            respond(**views.answer_recorded(recorded), replace_original=True)
        return handler

    for action_id, answer in views.MET_ACTIONS.items():
        app.action(action_id)(answered(answer))

    @app.action(views.SELF_NOTE_ACTION)
    def open_note(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        pair_id = parse_id(action_value(body))
        if pair_id is not None:
            client.views_open(trigger_id=body["trigger_id"], view=views.self_note_modal(pair_id))
