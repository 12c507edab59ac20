"""Wiring: settings + store + clock → a Bolt app with every listener registered."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.clock import Clock, SystemClock
from bot.coaching.library import default_library
from bot.coaching.weeks import week_of
from bot.config import Settings
from bot.errors import LeadError
from bot.logs import quiet_libraries
from bot.services.context import BotContext
from bot.services.people import rehearse_first_contact
from bot.slack import actions, commands, errors, events, middleware, modals
from bot.slack.authorization import BotIdentity
from bot.slack.client import ROTATE_BEFORE_MINUTES, make_client
from bot.store.db import Store
from bot.store.installations import LeadInstallationStore
from bot.views.checkin import build_checkin_modal

log = logging.getLogger(__name__)
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


quiet_libraries()  # before any App exists: Bolt warns in its constructor


class LeadApp(App):
    """Bolt's app, plus the bot's identity in single-workspace mode (None with OAuth)."""

    identity: BotIdentity | None = None


def build_app(ctx: BotContext) -> LeadApp:
    """The Bolt app; single-workspace with SLACK_BOT_TOKEN, else OAuth ("Add to Slack")."""
    settings = ctx.settings
    # Load and validate the whole prompt library now: a broken template fails the start, not a send.
    default_library()
    identity = BotIdentity(settings.bot_token, settings.api_url) if settings.bot_token and not settings.oauth else None
    client = make_client(settings)
    if identity is not None:
        # Handed over without its token, or Bolt warns at every start that ``authorize`` overrides it.
        client.token = None
    kwargs: dict[str, Any] = {
        "signing_secret": settings.signing_secret or "",
        "client": client,
        "token_verification_enabled": False,
        # The HTTP front verifies signatures on the raw body, before anything is parsed
        # (bot/server.py); Socket Mode has none to verify.
        "request_verification_enabled": False,
        # A request no listener handles goes to bot/slack/errors.py: one log line, a quiet 200.
        "raise_error_for_unhandled_request": True,
        "ignoring_self_events_enabled": True,
        # Listeners keep running after their ack (DMs, App Home); Bolt's default of 5 threads
        # would queue a busy team's clicks behind each other.
        "listener_executor": ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="lead-listener"),
    }
    if settings.oauth:
        installations = LeadInstallationStore(client_id=settings.client_id or "", engine=ctx.store.engine,
                                              now=ctx.clock.now)
        kwargs["client"] = make_client(settings, token=None)
        kwargs["oauth_settings"] = OAuthSettings(
            client_id=settings.client_id, client_secret=settings.client_secret, scopes=list(BOT_SCOPES),
            state_validation_enabled=True, authorization_url=_authorization_url(settings.api_url),
            installation_store=installations,
            state_store=SQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=ctx.store.engine),
            token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        )
        # Bolt's own refreshes rotating tokens through a client on slack.com; this one goes
        # through SLACK_API_URL like every other call.
        kwargs["oauth_settings"].authorize = InstallationStoreAuthorize(
            logger=log, installation_store=installations, client_id=settings.client_id,
            client_secret=settings.client_secret, token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
            client=make_client(settings, token=None))
    if identity is not None:
        # Never an auth.test on a request's time: see bot/slack/authorization.py.
        kwargs["authorize"] = identity.authorizer()
    app = LeadApp(**kwargs)
    app.identity = identity
    if identity is not None:
        # The scheduler and Socket Mode send with the app's client.
        app.client.token = settings.bot_token
    for module in LISTENER_MODULES:
        module.register(app, ctx)
    errors.register(app, modals.ERROR_FIELDS)
    return app


def warm_up(app: App, ctx: BotContext) -> None:
    """Do now what the first request after a start would otherwise wait for.

    Listener modules, the prompt library and the views are loaded by :func:`build_app`. Left are
    the bot's identity (``auth.test``, unless the start-up check asked already), a database
    connection in the pool with the ORM's mappers configured, the statements nearly every request
    runs (rehearsed and rolled back), the check-in modal, and Bolt's first dispatch.
    """
    identity = app.identity if isinstance(app, LeadApp) else None
    if identity is not None and not identity.attempted:
        identity.check()
    try:
        ctx.store.warm()
        rehearse_first_contact(ctx)
    except LeadError as exc:
        # /healthz reports the database; requests are answered as bot/slack/errors.py says.
        log.warning("the database did not answer while warming up (%s)", type(exc).__name__)
    build_checkin_modal(week_of(ctx.clock.now(), "UTC"))
    # A URL verification runs Bolt's whole middleware chain and touches nothing.
    app.dispatch(BoltRequest(body={"type": "url_verification", "challenge": "warm-up"}, mode="socket_mode"))


def _authorization_url(api_url: str) -> str:
    """Slack's authorize page on the same host as the Web API (slack.com, or GovSlack's)."""
    parts = urlsplit(api_url)
    return f"{parts.scheme}://{parts.netloc}/oauth/v2/authorize"
