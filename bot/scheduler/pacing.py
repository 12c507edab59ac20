"""Pacing chat.postMessage per workspace, across every process, through the database.

Slack limits posts per channel (about one a second, :class:`bot.scheduler.sender.ChannelLimiter`)
and per workspace. The workspace limit is shared by every process that posts for the app, so
its bucket lives in the database (``bot/store/pacing.py``) and a 429 there pauses the workspace
for everyone. To keep the bucket off the path of each post, a process takes a few tokens at a
time (at most ``LOCAL_GRANT``) and spends them itself; what it holds is dropped when a 429
pauses the workspace.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bot.errors import LeadError
from bot.store import pacing as pacing_store
from bot.store.db import Store

# Tokens a process takes at once: its sending threads' worth, so other processes still get theirs.
LOCAL_GRANT = 8
MIN_WAIT_SECONDS = 0.05


class WorkspacePacer:
    """``acquire(team_id)`` blocks until the workspace's shared bucket allows one more post."""

    def __init__(self, store: Store, *, rate: float, burst: float, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.store = store
        self.rate = rate
        self.burst = max(1.0, burst)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._held: dict[str, int] = {}

    def acquire(self, team_id: str, stopping: threading.Event | None = None) -> float:
        """Wait for a token of ``team_id``; returns the seconds waited. A database that cannot be
        reached does not stop a post: the per-channel limiter and Slack's 429s still pace it."""
        waited = 0.0
        while stopping is None or not stopping.is_set():
            with self._lock:
                if self._held.get(team_id, 0) > 0:
                    self._held[team_id] -= 1
                    return waited
                try:
                    with self.store.session() as session:
                        grant = pacing_store.take(session, team_id, want=min(LOCAL_GRANT, int(self.burst)),
                                                  now=self._clock(), rate=self.rate, burst=self.burst)
                except LeadError:
                    return waited
                if grant.tokens:
                    self._held[team_id] = grant.tokens - 1
                    return waited
            delay = max(MIN_WAIT_SECONDS, grant.wait)
            self._sleep(delay)
            waited += delay
        return waited

    def pause(self, team_id: str, seconds: float) -> None:
        """Slack answered 429 with ``Retry-After: seconds``: pause the workspace in every process."""
        now = self._clock()
        with self._lock:
            self._held.pop(team_id, None)
        try:
            with self.store.session() as session:
                pacing_store.pause(session, team_id, until=now + seconds, now=now)
        except LeadError:
            pass  # this process still waits (the caller defers its channel); others see Slack's 429 too
