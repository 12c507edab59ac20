"""How fast the bot acknowledges ``/lead checkin`` and gets the modal open, over real HTTP.

Starts the Slack emulator and the real server (waitress + Bolt) on loopback with a fresh SQLite
file (or DATABASE_URL), sends N signed ``/lead checkin`` commands from a few users, and prints
the time to the HTTP 200 (Slack's 3-second ack) and to the ``views.open`` call (the trigger's
3-second window). Run: ``python bench/ack_latency.py [N]``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import build_app  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config import Settings, normalize_database_url  # noqa: E402
from bot.server import start_server  # noqa: E402
from bot.services.context import BotContext  # noqa: E402
from bot.store.db import Store  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from tests.slack_driver import SlackDriver  # noqa: E402
from tests.slack_emulator import SlackEmulator  # noqa: E402

SECRET = "bench-secret"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(rounds: int) -> None:
    workdir = tempfile.mkdtemp(prefix="lead-bench-")
    url = normalize_database_url(os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.db")
    upgrade(url)
    emulator = SlackEmulator().start()
    users = [f"U{i:04d}" for i in range(10)]
    for user in users:
        emulator.add_user(user, tz="Europe/Berlin")
    settings = Settings(database_url=url, bot_token="xoxb-bench", signing_secret=SECRET, api_url=emulator.url)
    ctx = BotContext(store=Store.from_url(url), clock=SystemClock(), settings=settings)
    server = start_server(build_app(ctx), ctx, "127.0.0.1", 0)
    driver = SlackDriver(f"http://127.0.0.1:{server.port}", SECRET, emulator=emulator)
    acks: list[float] = []
    opens: list[float] = []
    for i in range(rounds):
        before = len(emulator.calls_to("views.open"))
        started = time.monotonic()
        reply = driver.command("checkin", user=users[i % len(users)])
        assert reply.status == 200, reply
        acks.append(reply.seconds * 1000)
        call = emulator.wait_for("views.open", before + 1)[-1]
        opens.append((call.at - started) * 1000)
    server.stop()
    emulator.stop()
    engine = url.split(":", 1)[0]
    print(f"/lead checkin over HTTP ({rounds} commands, {engine}):")
    print(f"  ack (HTTP 200):  p50 {statistics.median(acks):6.1f} ms   p95 {percentile(acks, 0.95):6.1f} ms   "
          f"max {max(acks):6.1f} ms")
    print(f"  views.open sent: p50 {statistics.median(opens):6.1f} ms   p95 {percentile(opens, 0.95):6.1f} ms   "
          f"max {max(opens):6.1f} ms")
    print(f"  first contact per user includes one users.info call; violations: {len(emulator.violations)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
