"""The app leaving a workspace: ``app_uninstalled``, and ``tokens_revoked`` naming the bot's token.

Either stops everything for the workspace at once (``bot/services/workspaces.py``). A revoked
user token alone changes nothing: the bot never uses one.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.services import workspaces
from bot.services.context import BotContext


def register(app: App, ctx: BotContext) -> None:
    @app.event("app_uninstalled")
    def app_uninstalled(context: BoltContext) -> None:
        workspaces.uninstalled(ctx, context.team_id, context.enterprise_id, bool(context.is_enterprise_install))

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        tokens = event.get("tokens") or {}
        if tokens.get("bot"):
            workspaces.uninstalled(ctx, context.team_id, context.enterprise_id, bool(context.is_enterprise_install))
