"""Posting scheduled messages within Slack's limits, without ever posting one twice.

Two things are special about a scheduled post compared with a reply to a click:

* It must land exactly once. A blind HTTP retry after a timeout or a 5xx could post a second
  copy (Slack may have accepted the first), so the client used here retries nothing by itself.
  :class:`Poster` retries instead, with backoff, and before re-posting after such an ambiguous
  failure it looks for the first attempt in the conversation: every scheduled message carries
  Slack message metadata naming its delivery key (:func:`delivery_metadata`).
* Many go out at once. Posts run on a bounded thread pool, and :class:`ChannelLimiter` keeps
  each channel under one message per second. A 429 answer pushes that channel's next slot out
  by ``Retry-After`` (plus jitter) so the retry, and any other post to the channel, waits.
* Many processes post for one workspace. :class:`bot.scheduler.pacing.WorkspacePacer` keeps the
  workspace under its ceiling through a bucket in the database, and a 429 pauses the workspace
  for every process.
"""

from __future__ import annotations

import http.client
import logging
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.scheduler.pacing import WorkspacePacer

log = logging.getLogger(__name__)

EVENT_TYPE = "lead_delivery"
CHANNEL_INTERVAL_SECONDS = 1.0
RATE_LIMIT_JITTER_SECONDS = 0.5
MAX_POST_ATTEMPTS = 4
BACKOFF_SECONDS = 0.5  # 0.5, 1, 2 (+ jitter) between attempts after a 5xx or a timeout
LOOKUP_MARGIN_SECONDS = 60.0  # clocks differ; look a little further back than the claim
LOOKUP_PAGES = 5

# chat.postMessage errors that mean the person cannot get DMs from the bot any more.
GONE_ERRORS = frozenset({"user_not_found", "account_inactive", "cannot_dm_bot", "user_disabled",
                         "channel_not_found", "is_archived"})
# Errors after which Slack may or may not have stored the message.
AMBIGUOUS_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})


def delivery_key(team_id: str, recipient: str, item: str, week: str) -> str:
    return f"{team_id}:{recipient}:{item}:{week}"


def delivery_metadata(key: str, **extra: str) -> dict[str, Any]:
    """Slack message metadata that lets a later process recognise this delivery in the channel."""
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key, **extra}}


class ChannelLimiter:
    """At most one post per channel per ``interval`` seconds, across every thread of the process.

    Each caller reserves the next free slot of its channel under a lock, then sleeps outside it,
    so posts to different channels never wait for each other. Slack counts posts as they arrive,
    and a request's way there takes a varying time: so a post also waits until the channel's
    previous post was answered ``interval`` ago (:meth:`done`), and two arrivals are never closer.
    """

    def __init__(self, interval: float = CHANNEL_INTERVAL_SECONDS,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._answered: dict[str, float] = {}  # channel -> when its last post was answered, plus interval
        self._in_flight: set[str] = set()

    def wait(self, channel: str) -> float:
        """Block until ``channel`` may get its next post; returns the seconds waited. Call
        :meth:`done` once the post is answered (or failed)."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(channel, now))
            self._next[channel] = slot + self.interval
            if len(self._next) > 10_000:
                self._forget_idle(now)
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        waited = max(0.0, delay)
        if self.interval <= 0:
            return waited
        while True:
            with self._lock:
                now = self._clock()
                ready = self._answered.get(channel, now)
                if channel not in self._in_flight and now >= ready:
                    self._in_flight.add(channel)
                    return waited
            pause = max(0.01, min(ready - now, self.interval))
            self._sleep(pause)
            waited += pause

    def done(self, channel: str) -> None:
        """The post :meth:`wait` allowed is answered: the channel's next may go ``interval`` from now."""
        with self._lock:
            self._in_flight.discard(channel)
            self._answered[channel] = max(self._answered.get(channel, 0.0), self._clock() + self.interval)

    def defer(self, channel: str, seconds: float) -> None:
        """Slack asked us to wait (429): no post to ``channel`` before ``seconds`` from now."""
        with self._lock:
            now = self._clock()
            self._next[channel] = max(self._next.get(channel, now), now + seconds)
            self._answered[channel] = max(self._answered.get(channel, now), now + seconds)

    def _forget_idle(self, now: float) -> None:
        for channel in [c for c, t in self._next.items() if t < now]:
            del self._next[channel]
        for channel in [c for c, t in self._answered.items() if t < now and c not in self._in_flight]:
            del self._answered[channel]


class PostStatus(Enum):
    SENT = "sent"  # Slack accepted it (or an earlier attempt was found in the channel)
    GONE = "gone"  # the recipient cannot be reached any more
    FAILED = "failed"  # refused for a reason retrying will not fix soon (logged)
    RETRY = "retry"  # transient trouble: try again at the next sweep


@dataclass(frozen=True)
class PostResult:
    status: PostStatus
    ts: str | None = None
    error: str | None = None
    uncertain: bool = False  # RETRY only: an attempt may have landed; look before re-posting
    found: bool = False  # SENT only: found in the channel, not posted by this attempt


@dataclass(frozen=True)
class Found:
    """A scheduled message already in a conversation."""

    ts: str
    payload: dict[str, Any]


class SearchFailed(Exception):
    """The conversation could not be searched; ``transient`` says whether trying later may help."""

    def __init__(self, error: str, *, transient: bool) -> None:
        super().__init__(error)
        self.error = error
        self.transient = transient


def find_delivery(reader: WebClient, destination: str, key: str, oldest: float) -> Found | None:
    """The message carrying delivery ``key`` in ``destination`` since ``oldest`` (epoch seconds).

    ``destination`` is a channel id, or a user id for a DM: the DM's channel id is then asked
    for with ``conversations.open``. Only a takeover or an ambiguous failure pays for this.
    """
    try:
        channel = destination
        if destination[:1] in ("U", "W"):
            channel = reader.conversations_open(users=destination)["channel"]["id"]
        cursor: str | None = None
        for _ in range(LOOKUP_PAGES):
            page = reader.conversations_history(channel=channel, oldest=f"{max(0.0, oldest):.6f}",
                                                include_all_metadata=True, limit=200, cursor=cursor)
            for found in page.get("messages") or []:
                metadata = found.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == EVENT_TYPE and payload.get("key") == key:
                    return Found(ts=str(found.get("ts")), payload=dict(payload))
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
        return None
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"http_{exc.response.status_code}")
        transient = exc.response.status_code >= 500 or exc.response.status_code == 429 or error in AMBIGUOUS_ERRORS
        raise SearchFailed(error, transient=transient) from exc
    except (SlackClientError, OSError, URLError, http.client.HTTPException, ValueError) as exc:
        raise SearchFailed(type(exc).__name__, transient=True) from exc


class Poster:
    """Posts one scheduled message with retries that cannot duplicate it (module docstring)."""

    def __init__(self, limiter: ChannelLimiter, *, stopping: threading.Event | None = None,
                 sleep: Callable[[float], None] = time.sleep, max_attempts: int = MAX_POST_ATTEMPTS,
                 pacer: WorkspacePacer | None = None) -> None:
        self.limiter = limiter
        self.pacer = pacer
        self.stopping = stopping or threading.Event()
        self._sleep = sleep
        self.max_attempts = max_attempts

    def post(self, poster: WebClient, reader: WebClient, channel: str, payload: dict[str, Any], *,
             metadata: dict[str, Any], team_id: str | None = None) -> PostResult:
        key = metadata["event_payload"]["key"]
        began = time.time() - LOOKUP_MARGIN_SECONDS
        uncertain = False
        last_error = "not attempted"
        for attempt in range(1, self.max_attempts + 1):
            if attempt > 1 and self.stopping.is_set():
                break
            if uncertain:
                try:
                    found = find_delivery(reader, channel, key, began)
                except SearchFailed as exc:
                    log.warning("cannot check %s for %s before retrying: %s", channel, key, exc.error)
                    return PostResult(PostStatus.RETRY, error=exc.error, uncertain=True)
                if found is not None:
                    return PostResult(PostStatus.SENT, ts=found.ts, found=True)
            # The workspace's token first: the channel's slot, taken last, then decides the moment
            # of the post, so time spent on the shared bucket cannot squeeze two posts together.
            if self.pacer is not None and team_id is not None:
                self.pacer.acquire(team_id, self.stopping)
            self.limiter.wait(channel)
            try:
                response = poster.chat_postMessage(channel=channel, metadata=metadata, unfurl_links=False,
                                                   unfurl_media=False, **payload)
                return PostResult(PostStatus.SENT, ts=response.get("ts"))
            except SlackApiError as exc:
                status = exc.response.status_code
                last_error = str(exc.response.get("error") or f"http_{status}")
                if status == 429 or last_error == "ratelimited":
                    pause = retry_after(exc)
                    self.limiter.defer(channel, pause + random.uniform(0, RATE_LIMIT_JITTER_SECONDS))
                    if self.pacer is not None and team_id is not None:
                        self.pacer.pause(team_id, pause)
                    continue
                if last_error in GONE_ERRORS:
                    return PostResult(PostStatus.GONE, error=last_error)
                if status >= 500 or last_error in AMBIGUOUS_ERRORS:
                    uncertain = True
                    self._backoff(attempt)
                    continue
                log.error("Slack refused a scheduled post to %s (%s): %s", channel, key, last_error)
                return PostResult(PostStatus.FAILED, error=last_error)
            except (SlackClientError, OSError, URLError, http.client.HTTPException, ValueError) as exc:
                last_error = type(exc).__name__
                # A refused connection never reached Slack; anything else may have.
                uncertain = uncertain or not _never_sent(exc)
                self._backoff(attempt)
            finally:
                self.limiter.done(channel)
        return PostResult(PostStatus.RETRY, error=last_error, uncertain=uncertain)

    def _backoff(self, attempt: int) -> None:
        if not self.stopping.is_set():
            self._sleep(BACKOFF_SECONDS * 2 ** (attempt - 1) * random.uniform(0.8, 1.2))


def retry_after(exc: SlackApiError) -> float:
    headers = exc.response.headers or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return 1.0


def _never_sent(exc: BaseException) -> bool:
    """True when the request certainly did not reach Slack (connection refused, name not found)."""
    reason = exc.reason if isinstance(exc, URLError) else exc
    return isinstance(reason, (ConnectionRefusedError, socket.gaierror))
