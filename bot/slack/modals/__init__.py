"""Modal submissions, one module per feature.

Each module also declares ``ERROR_FIELDS``: for each of its modals (by callback id), the block id
next to which ``bot/slack/errors.py`` shows a failure the listener could not answer itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from slack_bolt import App

from bot.services.context import BotContext
from bot.slack.modals import checkin, config, goals, kudos, nudges, onboarding, pairing, review, settings, wins

FEATURE_MODULES = (checkin, goals, wins, nudges, config, onboarding, settings, review, pairing, kudos)


def error_fields() -> dict[str, str]:
    fields: dict[str, str] = {}
    for module in FEATURE_MODULES:
        declared: Mapping[str, str] = module.ERROR_FIELDS
        overlap = set(fields) & set(declared)
        if overlap:
            raise RuntimeError(f"modal error fields declared twice: {sorted(overlap)}")
        fields.update(declared)
    return fields


ERROR_FIELDS = error_fields()


def register(app: App, ctx: BotContext) -> None:
    for module in FEATURE_MODULES:
        module.register(app, ctx)
