"""``/lead``: one slash command, one table of subcommands (:data:`SUBCOMMANDS`).

Each row names the first word of the command text, how the help shows it, a one-line
description and the handler (a function of a feature module taking a
:class:`~bot.slack.commands.request.CommandRequest`). The help message is rendered from the
table. Empty text is ``help``; an unknown word gets the help with a note that it was not
understood.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.mrkdwn import plain_text
from bot.services.context import BotContext
from bot.slack.commands import chart, checkin, goals, kudos, onboarding, pairing, privacy, review, settings, team, wins
from bot.slack.commands.request import CommandRequest, Subcommand
from bot.storable import storable
from bot.views.messages import help_message


def _help(req: CommandRequest) -> None:
    req.ack(**help_message(HELP_LINES))


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("start", "start", "Find where you stand, pick a track and a focus", onboarding.start),
    Subcommand("checkin", "checkin", "This week's check-in (ratings, learning, a win)", checkin.checkin),
    Subcommand("goal", "goal", "Set a new measurable goal", goals.goal),
    Subcommand("goals", "goals", "Your active goals, with progress buttons", goals.goals),
    Subcommand("win", "win [text]", "Record a win; with text it is shared at once", wins.win),
    Subcommand("kudos", "kudos [@someone text]", "Thank a teammate; alone it opens a form", kudos.kudos),
    Subcommand("pair", "pair", "Practice pairing: what you seek and what you offer", pairing.pair),
    Subcommand("stats", "stats", "Your streak and the last four weeks", checkin.stats),
    Subcommand("chart", "chart", "Your last 12 weeks as a picture, in DM", chart.chart),
    Subcommand("pause", "pause [weeks]", "Pause nudges (default 1 week); streak is kept", settings.pause),
    Subcommand("resume", "resume", "End a pause early", settings.resume),
    Subcommand("review", "review", "Your growth review: the self-assessment again, before and after", review.review),
    Subcommand("settings", "settings", "Nudge times, time zone, track, role, focus, celebrations, picture",
               settings.settings),
    Subcommand("team", "team", "Team-level numbers (no individual answers)", team.team),
    Subcommand("config", "config", "Admins: team channel, default nudge time, how milestones are shared",
               team.config),
    Subcommand("export", "export", "Get all your data as a JSON file", privacy.export),
    Subcommand("forget", "forget", "Delete everything the bot knows about you", privacy.forget),
    Subcommand("help", "help", "This list", _help),
)
HELP_LINES: tuple[tuple[str, str], ...] = tuple((row.usage, row.description) for row in SUBCOMMANDS)


def handlers() -> dict[str, Subcommand]:
    by_name: dict[str, Subcommand] = {}
    for row in SUBCOMMANDS:
        if row.name in by_name:
            raise RuntimeError(f"subcommand defined twice: {row.name}")
        by_name[row.name] = row
    return by_name


def register(app: App, ctx: BotContext) -> None:
    by_name = handlers()

    @app.command("/lead")
    def lead(ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond) -> None:
        # Slack escapes the text (manifest: should_escape), so every handler gets it decoded
        # into what the person typed; only mentions that name someone need the raw form.
        raw = storable(command.get("text") or "").strip()
        name, _, raw_args = raw.partition(" ")
        row = by_name.get(name.lower()) if name else by_name["help"]
        if row is None:
            ack(**help_message(HELP_LINES, not_understood=plain_text(raw)))
            return
        row.handler(CommandRequest(ctx=ctx, ack=ack, command=command, client=client, context=context,
                                   respond=respond, args=plain_text(raw_args).strip(), raw_args=raw_args.strip()))
