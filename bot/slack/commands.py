"""``/lead`` and its subcommands: parse the text, ack fast, hand over to a service."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import checkins as checkin_service
from bot.services.context import BotContext
from bot.services.people import current_week, ensure_person
from bot.slack.identity import team_and_user
from bot.views.checkin import build_checkin_modal
from bot.views.messages import help_message, stats_message

log = logging.getLogger(__name__)

Handler = Callable[..., None]


def register(app: App, ctx: BotContext) -> None:
    handlers: dict[str, Handler] = {
        "help": lambda ack, **_: ack(**help_message()),
        "checkin": lambda ack, command, client, context, args: _checkin(ctx, ack, command, client, context),
        "stats": lambda ack, command, client, context, args: _stats(ctx, ack, command, client, context),
    }

    @app.command("/lead")
    def lead(ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        text = (command.get("text") or "").strip()
        name, _, args = text.partition(" ")
        handler = handlers.get(name.lower()) if name else handlers["help"]
        if handler is None:
            ack(**help_message(not_understood=text))
            return
        handler(ack=ack, command=command, client=client, context=context, args=args.strip())


def open_checkin(ctx: BotContext, client: WebClient, team_id: str, user_id: str, trigger_id: str,
                 channel_id: str | None = None) -> None:
    """Open the check-in modal, pre-filled with this week's answers when there are some."""
    person = ensure_person(ctx, client, team_id, user_id)
    view = build_checkin_modal(current_week(ctx, person),
                               defaults=checkin_service.checkin_defaults(ctx, person), focus=person.focus,
                               channel_id=channel_id)
    client.views_open(trigger_id=trigger_id, view=view)


def _checkin(ctx: BotContext, ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    team_id, user_id = team_and_user(context, command)
    open_checkin(ctx, client, team_id, user_id, command["trigger_id"], command.get("channel_id"))


def _stats(ctx: BotContext, ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, command)
    person = ensure_person(ctx, client, team_id, user_id)
    ack(**stats_message(checkin_service.stats_for(ctx, person)))
