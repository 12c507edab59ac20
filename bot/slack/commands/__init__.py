"""``/lead``: one slash command, one handler per subcommand.

Each feature module exposes ``SUBCOMMANDS``, a mapping from the first word of the command text
to a handler taking a :class:`~bot.slack.commands.request.CommandRequest`. Empty text is
``help``; an unknown word gets the help text with a note that it was not understood.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services.context import BotContext
from bot.slack.commands import checkin
from bot.slack.commands import onboarding, settings, team
from bot.slack.commands import goals, privacy, wins
from bot.slack.commands.request import CommandRequest, Subcommand
from bot.views.messages import help_message

FEATURE_MODULES = (checkin, goals, privacy, wins, onboarding, settings, team)


def subcommands() -> dict[str, Subcommand]:
    handlers: dict[str, Subcommand] = {"help": lambda req: req.ack(**help_message())}
    for module in FEATURE_MODULES:
        overlap = set(handlers) & set(module.SUBCOMMANDS)
        if overlap:
            raise RuntimeError(f"subcommands defined twice: {sorted(overlap)}")
        handlers.update(module.SUBCOMMANDS)
    return handlers


def register(app: App, ctx: BotContext) -> None:
    handlers = subcommands()

    @app.command("/lead")
    def lead(ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond) -> None:
        text = (command.get("text") or "").strip()
        name, _, args = text.partition(" ")
        handler = handlers.get(name.lower()) if name else handlers["help"]
        if handler is None:
            ack(**help_message(not_understood=text))
            return
        handler(CommandRequest(ctx=ctx, ack=ack, command=command, client=client, context=context, respond=respond,
                               args=args.strip()))
