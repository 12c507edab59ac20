"""A ``/lead`` subcommand: its entry in the table, and what its handler receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.services.context import BotContext
from bot.slack.identity import team_and_user


@dataclass
class CommandRequest:
    """One ``/lead`` invocation: the Bolt handles plus the text after the subcommand word."""

    ctx: BotContext
    ack: Ack
    command: dict[str, Any]
    client: WebClient
    context: BoltContext
    respond: Respond
    args: str  # the text after the subcommand word, decoded into what the person typed
    raw_args: str = ""  # the same text as Slack sent it (escaped, mentions as <@U…>)

    @property
    def team_id(self) -> str:
        return team_and_user(self.context, self.command)[0]

    @property
    def user_id(self) -> str:
        return team_and_user(self.context, self.command)[1]

    @property
    def trigger_id(self) -> str:
        return str(self.command.get("trigger_id") or "")

    @property
    def channel_id(self) -> str | None:
        return self.command.get("channel_id")


Handler = Callable[[CommandRequest], None]


@dataclass(frozen=True)
class Subcommand:
    """One row of the ``/lead`` table; the help message is rendered from these rows."""

    name: str  # the first word of the command text
    usage: str  # how the help shows it, e.g. "win [text]"
    description: str  # one line
    handler: Handler
