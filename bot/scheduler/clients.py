"""Which Slack client posts for which workspace.

Single-workspace installs have one bot token: the client the CLI hands over. With OAuth
("Add to Slack") every workspace has its own bot token (or its Enterprise Grid org has one),
stored by Bolt's installation store in the bot's database; :class:`ClientResolver` reads it from
there per team, refreshing a rotating one.

Each team gets two clients on the same token and ``SLACK_API_URL``:

* ``post`` retries nothing by itself: :class:`bot.scheduler.sender.Poster` decides what is safe
  to retry (a blind retry after a timeout could post twice).
* ``read`` keeps the usual retry handlers (429 Retry-After, 5xx, dropped connections): reading a
  conversation twice does no harm.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from bot.config import Settings
from bot.errors import LeadError
from bot.slack.client import REQUEST_TIMEOUT_SECONDS, ROTATE_BEFORE_MINUTES, RateLimitCounter, retry_handlers
from bot.store import workspaces
from bot.store.db import Store
from bot.store.installations import LeadInstallationStore

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class TeamClients:
    post: WebClient
    read: WebClient


def clients_for_token(token: str | None, base_url: str, timeout: int = REQUEST_TIMEOUT_SECONDS) -> TeamClients:
    return TeamClients(post=WebClient(token=token, base_url=base_url, timeout=timeout,
                                      retry_handlers=[RateLimitCounter()]),
                       read=WebClient(token=token, base_url=base_url, timeout=timeout,
                                      retry_handlers=retry_handlers()))


class ClientResolver:
    """``for_team(team_id)``: the clients that speak for the bot in that workspace, or None.

    None for a workspace that uninstalled the app (or revoked its token), and, with OAuth, for one
    whose token cannot be found or refreshed. With OAuth the token is looked up as Bolt's
    installation store keys it: the workspace's Enterprise Grid org and team, or the org alone
    for an org-wide install. A token that rotates (``token_rotation_enabled``) and expires within
    :data:`ROTATE_BEFORE_MINUTES` is refreshed first and saved, as Bolt does for requests.
    """

    def __init__(self, settings: Settings, base: WebClient, engine: Engine) -> None:
        self._settings = settings
        self._base = base
        self._store = Store(engine)
        self._lock = threading.Lock()
        self._cache: dict[str, TeamClients | None] = {}
        self._installations: LeadInstallationStore | None = None
        self._rotator: TokenRotator | None = None
        if settings.oauth:
            self._installations = LeadInstallationStore(client_id=settings.client_id or "", engine=engine)
            self._rotator = TokenRotator(client_id=settings.client_id or "", client_secret=settings.client_secret or "",
                                         client=WebClient(base_url=self._base_url(), timeout=self._timeout(),
                                                          retry_handlers=retry_handlers()))

    def for_team(self, team_id: str) -> TeamClients | None:
        with self._lock:
            if team_id not in self._cache:
                self._cache[team_id] = self._resolve(team_id)
            return self._cache[team_id]

    def _base_url(self) -> str:
        return self._base.base_url or self._settings.api_url

    def _timeout(self) -> int:
        return self._base.timeout or REQUEST_TIMEOUT_SECONDS

    def _resolve(self, team_id: str) -> TeamClients | None:
        try:
            with self._store.session() as session:
                install = workspaces.install_of(session, team_id)
        except LeadError as exc:
            log.warning("reading the workspace %s failed (%s); its scheduled messages wait", team_id,
                        type(exc).__name__)
            return None
        if install is not None and install.uninstalled_at is not None:
            log.info("workspace %s uninstalled the app; nothing is sent there", team_id)
            return None
        if self._installations is None:
            return clients_for_token(self._base.token or self._settings.bot_token, self._base_url(), self._timeout())
        enterprise_id = install.enterprise_id if install else None
        try:
            token = self._bot_token(team_id, enterprise_id, install.enterprise_install if install else False)
        except (LeadError, SlackClientError, OSError) as exc:
            log.warning("the bot token of workspace %s cannot be read or refreshed (%s); its scheduled messages "
                        "wait", team_id, type(exc).__name__)
            return None
        if token is None:
            log.warning("no bot token installed for workspace %s (org %s); its scheduled messages wait", team_id,
                        enterprise_id or "-")
            return None
        return clients_for_token(token, self._base_url(), self._timeout())

    def _bot_token(self, team_id: str, enterprise_id: str | None, enterprise_install: bool) -> str | None:
        assert self._installations is not None and self._rotator is not None
        installation = None
        if not enterprise_install:
            installation = self._installations.find_installation(enterprise_id=enterprise_id, team_id=team_id)
        if installation is None and enterprise_id is not None:  # installed for the whole org
            installation = self._installations.find_installation(enterprise_id=enterprise_id, team_id=None,
                                                                 is_enterprise_install=True)
        if installation is None or not installation.bot_token:
            return None
        if installation.bot_refresh_token:
            refreshed = self._rotator.perform_token_rotation(installation=installation,
                                                             minutes_before_expiration=ROTATE_BEFORE_MINUTES)
            if refreshed is not None:
                self._installations.save(refreshed)
                return refreshed.bot_token
        return installation.bot_token
