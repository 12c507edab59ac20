"""The ``/lead pair`` modal and the note-to-self modal after a practice meeting."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import pairing as pairing_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.views.blocks import notice
from bot.views.pairing import (
    PAIR_CALLBACK,
    SELF_NOTE_CALLBACK,
    SELF_NOTE_SAVED,
    pair_from_metadata,
    pair_saved,
    parse_pair_form,
    parse_self_note,
)

ERROR_FIELDS = {PAIR_CALLBACK: "seeks", SELF_NOTE_CALLBACK: "note"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(PAIR_CALLBACK)
    def pair_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                       context: BoltContext) -> None:
        form = accepted(ack, parse_pair_form(view["state"]["values"]))
        if form is None:
            return
        team_id, user_id = team_and_user(context, body)
        saved = pairing_service.save_pairing(ctx, ensure_person(ctx, client, team_id, user_id), form)
        ack()
        send_dm(client, user_id, pair_saved(saved), "pairing confirmation")

    @app.view(SELF_NOTE_CALLBACK)
    def note_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                       context: BoltContext) -> None:
        note = accepted(ack, parse_self_note(view["state"]["values"]))
        if note is None:
            return
        team_id, user_id = team_and_user(context, body)
        pairing_service.save_self_note(ctx, team_id, user_id, pair_from_metadata(view.get("private_metadata", "")),
                                       note)
        ack()
        send_dm(client, user_id, notice(SELF_NOTE_SAVED), "note to self")
