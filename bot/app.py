"""Wiring: settings + store + clock → a Bolt app with every listener registered."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.clock import Clock, SystemClock
from bot.coaching.library import default_library
from bot.config import Settings
from bot.services.context import BotContext
from bot.slack import actions, commands, errors, events, middleware, modals
from bot.slack.client import make_client
from bot.store.db import Store

BOT_SCOPES = (
    "commands", "chat:write", "users:read", "im:write", "im:history", "files:write", "reactions:write",
    "channels:read", "groups:read",
    # Only read to find the bot's own earlier posts after a crash, so a digest is never posted twice.
    "channels:history", "groups:history",
)
LISTENER_MODULES = (middleware, commands, actions, modals, events)
OAUTH_STATE_SECONDS = 600
LISTENER_THREADS = 16


def build_context(settings: Settings, store: Store | None = None, clock: Clock | None = None) -> BotContext:
    return BotContext(store=store or Store.from_url(settings.database_url), clock=clock or SystemClock(),
                      settings=settings)


def build_app(ctx: BotContext) -> App:
    """The Bolt app; single-workspace with SLACK_BOT_TOKEN, else OAuth ("Add to Slack")."""
    settings = ctx.settings
    # Load and validate the whole prompt library now: a broken template fails the start, not a send.
    default_library()
    kwargs: dict[str, Any] = {
        "signing_secret": settings.signing_secret or "",
        "client": make_client(settings),
        "token_verification_enabled": False,
        "request_verification_enabled": bool(settings.signing_secret),
        "ignoring_self_events_enabled": True,
        # Listeners keep running after their ack (DMs, App Home); Bolt's default of 5 threads
        # would queue a busy team's clicks behind each other.
        "listener_executor": ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="lead-listener"),
    }
    if settings.oauth:
        kwargs["client"] = make_client(settings, token=None)
        kwargs["oauth_settings"] = OAuthSettings(
            client_id=settings.client_id, client_secret=settings.client_secret, scopes=list(BOT_SCOPES),
            state_validation_enabled=True, authorization_url=_authorization_url(settings.api_url),
            installation_store=SQLAlchemyInstallationStore(client_id=settings.client_id or "",
                                                           engine=ctx.store.engine),
            state_store=SQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=ctx.store.engine),
        )
    # Single workspace: Bolt takes the bot token from the client (passing it twice only warns).
    app = App(**kwargs)
    if settings.oauth:
        # Forget a workspace's tokens when it uninstalls the app or revokes them.
        app.enable_token_revocation_listeners()
    for module in LISTENER_MODULES:
        module.register(app, ctx)
    errors.register(app, modals.ERROR_FIELDS)
    return app


def _authorization_url(api_url: str) -> str:
    """Slack's authorize page on the same host as the Web API (slack.com, or GovSlack's)."""
    parts = urlsplit(api_url)
    return f"{parts.scheme}://{parts.netloc}/oauth/v2/authorize"
