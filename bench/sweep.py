"""How fast one scheduled sweep gets through a workspace, against the Slack emulator.

Creates N people (default 500) in a fresh SQLite file (or DATABASE_URL), spread over time zones
so that most of them are due for Monday's check-in nudge at the chosen moment and some are not,
gives the emulator a per-call latency like Slack's (default 100 ms), and runs
``lead-bot jobs run checkin-nudge`` in-process. Prints people swept per second, Web API calls
per nudge, p50/p95 per-nudge latency, and the cost of a second sweep with nothing left to send.

Run: ``python bench/sweep.py [N] [--latency SECONDS]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.clock import SystemClock  # noqa: E402
from bot.config import Settings, normalize_database_url  # noqa: E402
from bot.scheduler.runner import run_job  # noqa: E402
from bot.services.context import BotContext  # noqa: E402
from bot.slack.client import make_client  # noqa: E402
from bot.store import people as people_store  # noqa: E402
from bot.store.db import Store  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from tests.slack_emulator import SlackEmulator  # noqa: E402

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # Monday noon UTC
DUE_ZONES = ("Europe/Berlin", "Europe/London", "UTC", "Africa/Lagos", "Asia/Kolkata", "Asia/Tokyo")
NOT_DUE_ZONES = ("America/New_York", "America/Los_Angeles")  # their Monday 10:00 is still ahead


def populate(store: Store, count: int) -> int:
    """Add ``count`` people; returns how many of them are due at ``AT``."""
    zones = DUE_ZONES * 3 + NOT_DUE_ZONES  # about three in four are due
    due = 0
    with store.session() as session:
        for n in range(count):
            tz = zones[n % len(zones)]
            person = people_store.get_or_create_person(session, "T0001", f"U{n:06d}", AT)
            people_store.update_person(session, person.id, slack_tz=tz, display_name=f"Person {n}")
            due += tz in DUE_ZONES
    return due


def main(count: int, latency: float) -> None:
    workdir = tempfile.mkdtemp(prefix="lead-bench-sweep-")
    url = normalize_database_url(os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.db")
    upgrade(url)
    emulator = SlackEmulator().start()
    emulator.set_delay("chat.postMessage", latency)
    settings = Settings(database_url=url, bot_token="xoxb-bench", api_url=emulator.url, team_channel="CTEAM")
    ctx = BotContext(store=Store.from_url(url), clock=SystemClock(), settings=settings)
    try:
        due = populate(ctx.store, count)
        client = make_client(settings)
        started = time.perf_counter()
        report = run_job(ctx, client, "checkin-nudge", AT)
        elapsed = time.perf_counter() - started
        calls = Counter(call.method for call in emulator.calls)
        again_started = time.perf_counter()
        again = run_job(ctx, client, "checkin-nudge", AT)
        again_elapsed = time.perf_counter() - again_started
    finally:
        emulator.stop()
        ctx.store.dispose()
    sent = report["sent"]
    assert sent == due and again["sent"] == 0, (report, again)
    backend = url.split(":", 1)[0]
    print(f"database: {backend}; people: {count} ({due} due); Slack latency per post: {latency * 1000:.0f} ms")
    print(f"first sweep: {elapsed:.2f} s -> {count / elapsed:.0f} people swept/s, {sent / elapsed:.1f} nudges/s")
    print(f"Web API calls per nudge: {sum(calls.values()) / sent:.2f} ({dict(calls)})")
    print(f"per-nudge latency (claim to recorded): p50 {report['latency_ms']['p50']:.0f} ms, "
          f"p95 {report['latency_ms']['p95']:.0f} ms")
    print(f"second sweep, nothing left to send: {again_elapsed * 1000:.0f} ms "
          f"({count / again_elapsed:.0f} people swept/s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", nargs="?", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.1, help="emulated Slack latency per post, seconds")
    args = parser.parse_args()
    main(args.people, args.latency)
