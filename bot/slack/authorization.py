"""Who the bot is in its one workspace (``auth.test``): asked at start, never on a request's time.

Bolt's single-workspace authorization calls ``auth.test`` on each request until one succeeds.
With Slack unreachable, every request waited for that call and its retries, then answered 500;
with a wrong token, every person read "your installation is no longer available". Here the
token is checked once, at start (the CLI exits on a refused token, ``bot/cli.py``), and a request
never waits for Slack to authorize it: its token is the configured one, and the bot's own user
id, which a few features need, is whatever ``auth.test`` said. When Slack could not be reached at
start, one background attempt at a time learns it later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)
# The SDK logs each failed attempt itself; the caller of a check reports its outcome in one line.
_SDK_QUIET = logging.getLogger(f"{__name__}.sdk")
_SDK_QUIET.addHandler(logging.NullHandler())
_SDK_QUIET.propagate = False
CHECK_TIMEOUT_SECONDS = 5
RETRY_SECONDS = 30.0
# auth.test errors that mean the token itself is wrong, not that Slack had a bad moment.
REFUSALS = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                      "not_allowed_token_type"})


@dataclass(frozen=True)
class TokenCheck:
    """What ``auth.test`` said about the bot token: fine, refused (Slack's error code), or unreachable."""

    refused: str | None = None
    unreachable: str | None = None


class BotIdentity:
    """The bot token and what ``auth.test`` says about it; :meth:`authorizer` is Bolt's ``authorize``."""

    def __init__(self, token: str, api_url: str) -> None:
        self._token = token
        self._api_url = api_url
        self._lock = threading.Lock()
        self._answer: dict[str, Any] | None = None
        self._last_attempt: float | None = None
        self._asking = False

    @property
    def known(self) -> bool:
        return self._answer is not None

    @property
    def attempted(self) -> bool:
        return self._last_attempt is not None

    def check(self) -> TokenCheck:
        """Ask ``auth.test`` now (one attempt, no retries, a short timeout) and remember the answer."""
        with self._lock:
            self._last_attempt = time.monotonic()
        client = check_client(self._api_url, token=self._token)
        try:
            answer = client.auth_test()
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            return TokenCheck(refused=error) if error in REFUSALS else TokenCheck(unreachable=f"Slack answered {error}")
        except (SlackClientError, OSError) as exc:
            return TokenCheck(unreachable=f"{type(exc).__name__}: {_reason(exc)}")
        with self._lock:
            self._answer = dict(answer.data) if isinstance(answer.data, dict) else {}
        return TokenCheck()

    def authorizer(self) -> Callable[..., AuthorizeResult]:
        """Bolt's ``authorize`` (a plain function: Bolt passes arguments by their names)."""
        def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
            return self.authorize(enterprise_id, team_id, user_id)
        return authorize

    def authorize(self, enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        """The request's authorization, from what is known now; never waits for Slack."""
        if self._answer is None:
            self._learn_in_background()
        answer = self._answer or {}
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                               bot_token=self._token, bot_user_id=answer.get("user_id"), bot_id=answer.get("bot_id"),
                               team=answer.get("team"), url=answer.get("url"))

    def _learn_in_background(self) -> None:
        with self._lock:
            recent = self._last_attempt is not None and time.monotonic() - self._last_attempt < RETRY_SECONDS
            if self._asking or recent:
                return
            self._asking = True
        threading.Thread(target=self._learn, name="lead-auth-test", daemon=True).start()

    def _learn(self) -> None:
        try:
            result = self.check()
            if result.refused:
                log.error("Slack refused the bot token (%s): check SLACK_BOT_TOKEN", result.refused)
            elif result.unreachable:
                log.info("auth.test still failing (%s); trying again in %ss", result.unreachable, RETRY_SECONDS)
        finally:
            with self._lock:
                self._asking = False


def check_client(api_url: str, token: str | None = None) -> WebClient:
    """A client for one start-up question: no retries (an unreachable Slack costs one timeout, not
    three) and no logging of its own."""
    return WebClient(token=token, base_url=api_url, timeout=CHECK_TIMEOUT_SECONDS, retry_handlers=[],
                     logger=_SDK_QUIET)


def _reason(exc: BaseException) -> str:
    """The first line of what went wrong, short: enough to tell a typo in a URL from a dead network."""
    reason = getattr(exc, "reason", None) or exc
    return str(reason).strip().splitlines()[0][:160] if str(reason).strip() else type(reason).__name__
