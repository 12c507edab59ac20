"""How long a pairing round takes end to end, beside a plain DM sweep to the same people (the floor).

Creates N people (default 200) who opted in to practice pairing (a third offer, two thirds seek,
kinds and European time zones mixed) in a fresh SQLite file (or DATABASE_URL), gives the Slack
emulator a per-call latency (default 50 ms), and runs ``lead-bot jobs run pairing`` in-process at
the round's slot: work the round out, store it, DM everyone in it. The floor is
``checkin-nudge`` for the same people at their Monday slot: one DM each, no matching. Also prints
a re-run of the round (nothing left to send).

Run: ``python bench/pairing_round.py [N] [--latency SECONDS]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.clock import SystemClock  # noqa: E402
from bot.coaching.pairing import PAIRING_KINDS  # noqa: E402
from bot.config import Settings, normalize_database_url  # noqa: E402
from bot.scheduler.runner import run_job  # noqa: E402
from bot.services.context import BotContext  # noqa: E402
from bot.slack.client import make_client  # noqa: E402
from bot.store import pairing as pairing_store  # noqa: E402
from bot.store import people as people_store  # noqa: E402
from bot.store.db import Store  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from tests.slack_emulator import SlackEmulator  # noqa: E402

ROUND_AT = datetime(2026, 11, 24, 11, 5, tzinfo=UTC)  # Tuesday of 2026-W48, an even week
NUDGE_AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # the same week's Monday, after every 10:00 below
ZONES = ("Europe/Berlin", "Europe/London", "Europe/Madrid", "Europe/Helsinki", "UTC")


def populate(store: Store, count: int) -> None:
    with store.session() as session:
        for n in range(count):
            person = people_store.get_or_create_person(session, "T0001", f"U{n:06d}", NUDGE_AT)
            people_store.update_person(session, person.id, slack_tz=ZONES[n % len(ZONES)], display_name=f"P {n}")
            first = (n // 3) % 3  # independent of who offers (n % 3), so every kind has both sides
            kinds = (PAIRING_KINDS[first], PAIRING_KINDS[(first + 1) % 3]) if n % 5 == 0 else (PAIRING_KINDS[first],)
            offering = n % 3 == 0
            seeks, offers = ((), kinds) if offering else (kinds, ())
            pairing_store.save_prefs(session, person.id, seeks=seeks, offers=offers, note=f"Note {n}", enabled=True,
                                     now=NUDGE_AT)


def main(count: int, latency: float) -> None:
    workdir = tempfile.mkdtemp(prefix="lead-bench-pairing-")
    url = normalize_database_url(os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.db")
    upgrade(url)
    emulator = SlackEmulator().start()
    emulator.set_delay("chat.postMessage", latency)
    settings = Settings(database_url=url, bot_token="xoxb-bench", api_url=emulator.url, team_channel="CTEAM")
    ctx = BotContext(store=Store.from_url(url), clock=SystemClock(), settings=settings)
    try:
        populate(ctx.store, count)
        client = make_client(settings)
        started = time.perf_counter()
        floor = run_job(ctx, client, "checkin-nudge", NUDGE_AT)
        floor_s = time.perf_counter() - started
        started = time.perf_counter()
        report = run_job(ctx, client, "pairing", ROUND_AT)
        round_s = time.perf_counter() - started
        started = time.perf_counter()
        again = run_job(ctx, client, "pairing", ROUND_AT)
        again_s = time.perf_counter() - started
        with ctx.store.session() as session:
            pairs = len(pairing_store.pairs_of_round(session, "T0001", "2026-W48"))
            left_out = len(pairing_store.left_out_of_round(session, "T0001", "2026-W48"))
    finally:
        emulator.stop()
        ctx.store.dispose()
    assert again["sent"] == 0, again
    print(f"database: {url.split(':', 1)[0]}; people: {count}; Slack latency per post: {latency * 1000:.0f} ms")
    print(f"floor, checkin-nudge to everyone: {floor['sent']} DMs in {floor_s:.2f} s "
          f"({floor['sent'] / floor_s:.1f} DMs/s)")
    print(f"pairing round: {pairs} pairs, {left_out} left out, {report['sent']} DMs in {round_s:.2f} s "
          f"({report['sent'] / round_s:.1f} DMs/s; {round_s - floor_s * report['sent'] / max(1, floor['sent']):.2f} s "
          "beyond the floor's pace: matching and storing the round)")
    print(f"re-run of the same round: {again['sent']} sent in {again_s * 1000:.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", nargs="?", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05, help="emulated Slack latency per post, seconds")
    args = parser.parse_args()
    main(args.people, args.latency)
