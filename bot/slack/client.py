"""The Slack Web API client every call goes through, aimed at SLACK_API_URL."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot import metrics
from bot.config import Settings

REQUEST_TIMEOUT_SECONDS = 10
# A rotating token (``token_rotation_enabled``) is refreshed once it expires within this many
# minutes, for requests (Bolt) and for the scheduler alike: a sweep must not outlive its token.
ROTATE_BEFORE_MINUTES = 120


class RateLimitCounter(RetryHandler):
    """Retries nothing: counts each 429 Slack answers (``bot/metrics.py``), whoever retries it after.

    First in every client's handler list, so it sees every answer the handlers see.
    """

    def __init__(self) -> None:
        super().__init__(max_retry_count=0)

    def can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                  error: Exception | None = None) -> bool:
        if response is not None and response.status_code == 429:
            metrics.rate_limited(request.url.rstrip("/").rsplit("/", 1)[-1] or "unknown")
        return False


def retry_handlers() -> list[RetryHandler]:
    """Honour 429 Retry-After, and retry 5xx answers and dropped connections with backoff."""
    return [
        RateLimitCounter(),
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


def request_retry_handlers() -> list[RetryHandler]:
    """For the calls a Slack request makes while Slack waits for its answer (3 seconds).

    One quick retry of a dropped connection (a stale keep-alive), no backoff: with Slack
    unreachable, the backoff of :func:`retry_handlers` alone outlasted the acknowledgement, and
    the person got nothing. A 429 still waits as Slack asks.
    """
    return [
        RateLimitCounter(),
        ConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=FixedValueRetryIntervalCalculator(0.1)),
        RateLimitErrorRetryHandler(max_retry_count=1),
    ]


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    return WebClient(token=token or settings.bot_token, base_url=settings.api_url,
                     timeout=REQUEST_TIMEOUT_SECONDS, retry_handlers=retry_handlers())
