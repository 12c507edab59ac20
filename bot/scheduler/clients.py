"""Which Slack client posts for which workspace.

Single-workspace installs have one bot token: the client the CLI hands over. With OAuth
("Add to Slack") every workspace has its own bot token, stored by Bolt's installation store in
the bot's database; :class:`ClientResolver` reads it from there per team.

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
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.slack.client import REQUEST_TIMEOUT_SECONDS, RateLimitCounter, retry_handlers

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
    """``for_team(team_id)``: the clients that speak for the bot in that workspace, or None."""

    def __init__(self, settings: Settings, base: WebClient, engine: Engine) -> None:
        self._settings = settings
        self._base = base
        self._engine = engine
        self._lock = threading.Lock()
        self._cache: dict[str, TeamClients | None] = {}
        self._installations: SQLAlchemyInstallationStore | None = None
        if settings.oauth:
            self._installations = SQLAlchemyInstallationStore(client_id=settings.client_id or "", engine=engine)

    def for_team(self, team_id: str) -> TeamClients | None:
        with self._lock:
            if team_id not in self._cache:
                self._cache[team_id] = self._resolve(team_id)
            return self._cache[team_id]

    def _resolve(self, team_id: str) -> TeamClients | None:
        base_url = self._base.base_url or self._settings.api_url
        timeout = self._base.timeout or REQUEST_TIMEOUT_SECONDS
        if self._installations is None:
            return clients_for_token(self._base.token or self._settings.bot_token, base_url, timeout)
        try:
            bot = self._installations.find_bot(enterprise_id=None, team_id=team_id)
        except SQLAlchemyError:
            log.exception("reading the installation of %s failed", team_id)
            return None
        if bot is None or not bot.bot_token:
            log.warning("no bot token installed for workspace %s; its scheduled messages wait", team_id)
            return None
        return clients_for_token(bot.bot_token, base_url, timeout)
