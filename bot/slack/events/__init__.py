"""Events API listeners, one module per feature."""

from __future__ import annotations

from slack_bolt import App

from bot.services.context import BotContext
from bot.slack.events import home, installs, status

FEATURE_MODULES = (home, installs, status)


def register(app: App, ctx: BotContext) -> None:
    for module in FEATURE_MODULES:
        module.register(app, ctx)
