"""The Slack Web API client every call goes through, aimed at SLACK_API_URL."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    RetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings

REQUEST_TIMEOUT_SECONDS = 10


def retry_handlers() -> list[RetryHandler]:
    """Honour 429 Retry-After, and retry 5xx answers and dropped connections with backoff."""
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    return WebClient(token=token or settings.bot_token, base_url=settings.api_url,
                     timeout=REQUEST_TIMEOUT_SECONDS, retry_handlers=retry_handlers())
