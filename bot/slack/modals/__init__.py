"""Modal submissions, one module per feature."""

from __future__ import annotations

from slack_bolt import App

from bot.services.context import BotContext
from bot.slack.modals import checkin
from bot.slack.modals import config, onboarding, settings
from bot.slack.modals import nudges
from bot.slack.modals import goals, wins

FEATURE_MODULES = (checkin, goals, wins, nudges, config, onboarding, settings)


def register(app: App, ctx: BotContext) -> None:
    for module in FEATURE_MODULES:
        module.register(app, ctx)
