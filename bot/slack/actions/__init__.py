"""Button clicks and other block actions, one module per feature."""

from __future__ import annotations

from slack_bolt import App

from bot.services.context import BotContext
from bot.slack.actions import checkin, goals, kudos, nudges, pairing, privacy, review, settings

FEATURE_MODULES = (checkin, goals, privacy, nudges, settings, review, pairing, kudos)


def register(app: App, ctx: BotContext) -> None:
    for module in FEATURE_MODULES:
        module.register(app, ctx)
