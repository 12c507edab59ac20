"""``/lead checkin`` → ``views.open`` for first-time users, beside a bare Bolt app, on both stores.

Issue 13 items 4 and 6. One Slack emulator (in this process, with the load generator) and,
in a process of its own as in production, the bot's own HTTP front (``bot/server.py``:
waitress, signature check, Bolt) serving, in turn:

- **bare**: a minimal Bolt app whose ``/lead`` listener acks and opens a ready-made check-in
  modal; no database. The floor: what any Bolt app on this server and emulator takes.
- **lead-bot on SQLite** and **on PostgreSQL**: the real app (``bot.app.build_app``) on a fresh,
  migrated database.

Each phase sends N signed ``/lead checkin`` commands from N users who have never used the bot,
C at a time, and measures from sending the command to the emulator receiving ``views.open``.
The phases run R rounds, interleaved (bare, SQLite, PostgreSQL, bare, …), so that a noisy
neighbour on the machine lands on all of them alike; figures are over all rounds.

Run: ``python bench/modal_latency.py [--users 200] [--at-once 20] [--rounds 3]``; PostgreSQL at
BENCH_POSTGRES_URL (default ``postgresql://postgres@127.0.0.1:5432/postgres``), where a throw-away
database is created and dropped.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt import Ack, App  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.app import LISTENER_THREADS, build_app  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.coaching.weeks import week_of  # noqa: E402
from bot.config import Settings, normalize_database_url  # noqa: E402
from bot.server import HttpServer, LeadWsgiApp, start_server  # noqa: E402
from bot.services.context import BotContext  # noqa: E402
from bot.store.db import Store  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from bot.views.checkin import build_checkin_modal  # noqa: E402
from tests.slack_driver import SlackDriver  # noqa: E402
from tests.slack_emulator import SlackEmulator  # noqa: E402

SECRET = "bench-secret"
logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" is what a burst is here
TEAM = "T0001"
TARGET = 1.2  # lead-bot's p99 may be at most this times the bare app's
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="lead-modal-bench-") as workdir:
        url = normalize_database_url(f"sqlite:///{workdir}/bench.db")
        upgrade(url)
        yield url


@contextmanager
def postgres_url() -> Iterator[str]:
    admin_url = normalize_database_url(POSTGRES_ADMIN_URL)
    name = f"leadbot_modal_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def lead_bot(url: str, api_url: str) -> Iterator[int]:
    settings = Settings(database_url=url, bot_token="xoxb-bench", signing_secret=SECRET, api_url=api_url)
    ctx = BotContext(store=Store.from_url(url), clock=SystemClock(), settings=settings)
    server = start_server(build_app(ctx), ctx, "127.0.0.1", 0)
    try:
        yield server.port
    finally:
        server.stop()
        ctx.store.dispose()


@contextmanager
def bare_bolt(url: str, api_url: str) -> Iterator[int]:
    """A Bolt app that does nothing but open the modal, behind the same HTTP front."""
    view = build_checkin_modal(week_of(SystemClock().now(), "UTC"))
    store = Store.from_url(url)  # it only answers /healthz
    app = App(signing_secret=SECRET, client=WebClient(token="xoxb-bench", base_url=api_url),
              token_verification_enabled=False, request_verification_enabled=False,
              listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS))

    @app.command("/lead")
    def lead(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=view)

    wsgi = LeadWsgiApp(app, store, SECRET)
    server = HttpServer(wsgi, "127.0.0.1", 0, after_stop=lambda: app.listener_runner.listener_executor.shutdown())
    wsgi.mark_ready()
    try:
        yield server.port
    finally:
        server.stop()
        store.dispose()


SERVERS: dict[str, Callable[[str, str], Any]] = {"bare": bare_bolt, "lead": lead_bot}


def serve(kind: str, url: str, api_url: str) -> None:
    """In a process of its own: serve, print the port, stop when the parent closes stdin."""
    with SERVERS[kind](url, api_url) as port:
        print(port, flush=True)
        sys.stdin.read()


@contextmanager
def server_process(kind: str, url: str, api_url: str) -> Iterator[str]:
    """The server in a process of its own, as in production: the emulator and the load generator
    (this process) do not share its interpreter lock."""
    child = subprocess.Popen([sys.executable, __file__, "--serve", kind, url, api_url],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        port = child.stdout.readline().strip()
        if not port:
            raise RuntimeError(f"the {kind} server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


def measure(base_url: str, emulator: SlackEmulator, users: list[str], at_once: int) -> tuple[list[float], int]:
    """Milliseconds from each command to its ``views.open``, and how many commands got no modal."""
    for user in users:
        emulator.add_user(user, tz="Europe/Berlin", name=f"Bench {user}")
    driver = SlackDriver(base_url, SECRET, team_id=TEAM, emulator=emulator)
    sent: dict[str, float] = {}

    def one(user: str) -> None:
        fields = driver.command_fields("checkin", user=user)
        sent[fields["trigger_id"]] = time.monotonic()
        reply = driver.send(driver.form_request(fields))
        if reply.status != 200:
            print(f"  {user}: HTTP {reply.status}", file=sys.stderr)

    with ThreadPoolExecutor(max_workers=at_once) as pool:
        list(pool.map(one, users))
    deadline = time.monotonic() + 10
    opened: dict[str, float] = {}
    while time.monotonic() < deadline:
        opened = {str(c.args.get("trigger_id")): c.at for c in emulator.calls_to("views.open") if c.status == 200}
        if all(trigger in opened for trigger in sent):
            break
        time.sleep(0.05)
    latencies = [(opened[t] - at) * 1000 for t, at in sent.items() if t in opened]
    time.sleep(0.5)  # let the last listeners finish storing their people before the next phase
    return latencies, len(sent) - len(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--at-once", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", nargs=3, metavar=("KIND", "DATABASE_URL", "API_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return

    results: dict[str, list[float]] = {"bare Bolt app": [], "lead-bot, SQLite": [], "lead-bot, PostgreSQL": []}
    missing = dict.fromkeys(results, 0)
    serial = iter(range(10**6))

    def newcomers() -> list[str]:
        return [f"UB{next(serial):06d}" for _ in range(args.users)]

    with SlackEmulator(team_id=TEAM) as emulator, sqlite_url() as lite, postgres_url() as pg:
        phases: dict[str, Callable[[], Any]] = {
            "bare Bolt app": lambda: server_process("bare", lite, emulator.url),
            "lead-bot, SQLite": lambda: server_process("lead", lite, emulator.url),
            "lead-bot, PostgreSQL": lambda: server_process("lead", pg, emulator.url),
        }
        for _ in range(args.rounds):
            for name, start in phases.items():
                with start() as base_url:
                    measure(base_url, emulator, newcomers()[: args.at_once], args.at_once)  # warm-up, not counted
                    latencies, lost = measure(base_url, emulator, newcomers(), args.at_once)
                results[name] += latencies
                missing[name] += lost
        violations = list(emulator.violations)

    print(f"/lead checkin → views.open, {args.users} first-time users per phase, {args.at_once} at a time, "
          f"{args.rounds} rounds interleaved")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    floor = percentile(results["bare Bolt app"], 0.99)
    print(f"{'':22} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'p99/bare':>9} {'no modal':>9}")
    for name, values in results.items():
        p99 = percentile(values, 0.99)
        verdict = "" if name.startswith("bare") else (
            f"  target ≤ {TARGET:.1f}×: {'met' if p99 <= TARGET * floor else 'missed'}")
        print(f"{name:22} {statistics.median(values):8.1f} {p99:8.1f} {max(values):8.1f} {p99 / floor:8.2f}× "
              f"{missing[name]:9d}{verdict}")
    print(f"Slack-contract violations seen by the emulator: {len(violations)}")


if __name__ == "__main__":
    main()
