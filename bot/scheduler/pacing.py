"""Pacing chat.postMessage per workspace, across every process, through the database.

Slack limits posts per channel (about one a second, :class:`bot.scheduler.sender.ChannelLimiter`)
and per workspace. The workspace limit is shared by every process that posts for the app, so
its bucket lives in the database (``bot/store/pacing.py``) and a 429 there pauses the workspace
for everyone. To keep the bucket off the path of each post, a process leases the tokens it
expects to need (a sweep says how many posts a chunk holds, :meth:`WorkspacePacer.expect`), at
most ``LEASE_SECONDS`` of the rate ahead, and spaces them itself. A 429 drops what it holds; a
lease held elsewhere runs out within ``LEASE_SECONDS``, after which that process sees the pause.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from bot.errors import LeadError
from bot.store import pacing as pacing_store
from bot.store.db import Store

LEASE_SECONDS = 2.0
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
        self._held: dict[str, deque[float]] = {}  # team -> when each leased token may be spent
        self._expected: dict[str, int] = {}  # team -> posts announced and not yet paced

    def expect(self, team_id: str, posts: int) -> None:
        """``posts`` more posts to ``team_id`` are coming: lease for them at once, not one by one."""
        with self._lock:
            self._expected[team_id] = self._expected.get(team_id, 0) + posts

    def acquire(self, team_id: str, stopping: threading.Event | None = None) -> float:
        """Wait for a token of ``team_id``; returns the seconds waited. A database that cannot be
        reached does not stop a post: the per-channel limiter and Slack's 429s still pace it."""
        waited = 0.0
        while stopping is None or not stopping.is_set():
            retry_in = MIN_WAIT_SECONDS
            with self._lock:
                held = self._held.setdefault(team_id, deque())
                if not held:
                    want = max(1, self._expected.get(team_id, 0))
                    try:
                        with self.store.session() as session:
                            grant = pacing_store.take(session, team_id, want=want, now=self._clock(),
                                                      rate=self.rate, burst=self.burst, lease=LEASE_SECONDS)
                    except LeadError:
                        return waited
                    held.extend(grant.start + n / self.rate for n in range(grant.tokens))
                    retry_in = max(MIN_WAIT_SECONDS, grant.wait)
                token_at = held.popleft() if held else None
                if token_at is not None:
                    self._expected[team_id] = max(0, self._expected.get(team_id, 0) - 1)
            if token_at is not None:
                delay = token_at - self._clock()
                if delay > 0:
                    self._sleep(delay)
                    waited += delay
                return waited
            self._sleep(retry_in)
            waited += retry_in
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


_PACERS: dict[int, WorkspacePacer] = {}
_PACERS_LOCK = threading.Lock()


def process_pacer(store: Store, *, rate: float, burst: float) -> WorkspacePacer:
    """The one pacer of this process for ``store``: sweeps and team-channel posts share its leases."""
    with _PACERS_LOCK:
        pacer = _PACERS.get(id(store))
        if pacer is None or pacer.store is not store:
            pacer = _PACERS[id(store)] = WorkspacePacer(store, rate=rate, burst=burst)
        return pacer
