"""What a scheduled sweep costs at scale, beside a bare sender, on SQLite and PostgreSQL.

For each store: a fresh database seeded with N people (``bench/seed.py``: about 20 time zones,
about 10 % paused or with nudges off), the Slack emulator in a process of its own (unthrottled:
no latency, no rate limits), then in this process:

* an idle sweep (Sunday: nobody is due): wall time and SQL statements;
* the Monday check-in nudge sweep (``run_job``, the same code ``lead-bot jobs run`` runs): people
  swept per second, nudges per second, SQL statements (a cursor-execute counter) and commits per
  1,000 nudges, and peak RSS while it runs;
* the floor, in the same run against the same emulator (the better of a run just before and
  one just after the sweep): a bare sender, 8 threads each with
  its own ``WebClient`` posting the same rendered nudge with ``chat.postMessage`` as fast as the
  emulator answers.

The sweep's per-workspace bucket is set wide open (``send_rate``) because the emulator has no
workspace ceiling; the per-channel limiter stays (every nudge goes to a different DM).

Run: ``python bench/sweep.py --people 10000 [--store sqlite] [--store postgresql] [--floor-posts N]``.
PostgreSQL databases are created and dropped through ``LEAD_BENCH_POSTGRES_URL``
(default ``postgresql://postgres@127.0.0.1:5432/postgres``).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.seed import AT, IDLE_AT, seed  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config import DEFAULT_SWEEP_CHUNK, Settings, normalize_database_url  # noqa: E402
from bot.scheduler.runner import run_job  # noqa: E402
from bot.services.context import BotContext  # noqa: E402
from bot.services.types.nudges import CheckinNudge  # noqa: E402
from bot.store.db import Store  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from bot.views.nudges import scheduled_message  # noqa: E402

ADMIN_URL = os.environ.get("LEAD_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
EMULATOR = """
import sys, time
sys.path.insert(0, sys.argv[1])
from tests.slack_emulator import SlackEmulator
emulator = SlackEmulator().start()
print(emulator.url, flush=True)
sys.stdin.read()
"""
FLOOR_THREADS = 8


@contextmanager
def emulator_process() -> Iterator[str]:
    process = subprocess.Popen([sys.executable, "-c", EMULATOR, str(ROOT)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        workdir = tempfile.mkdtemp(prefix="lead-bench-")
        yield f"sqlite:///{workdir}/bench.db"
        return
    admin = create_engine(normalize_database_url(ADMIN_URL), isolation_level="AUTOCOMMIT")
    name = f"lead_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalize_database_url(ADMIN_URL)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Counters:
    """SQL statements (every cursor execute, BEGIN included) and commits on one engine."""

    def __init__(self, store: Store) -> None:
        self.statements = 0
        self.commits = 0
        event.listen(store.engine, "before_cursor_execute", self._statement)
        event.listen(store.engine, "commit", self._commit)

    def _statement(self, *_args: Any) -> None:
        self.statements += 1

    def _commit(self, *_args: Any) -> None:
        self.commits += 1

    def read(self) -> tuple[int, int]:
        return self.statements, self.commits


class PeakRss:
    """The process's resident set size, sampled every 20 ms while the block runs (MB)."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()

    @staticmethod
    def now() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now())
            self._stop.wait(0.02)

    @contextmanager
    def watch(self) -> Iterator[PeakRss]:
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()
            self.peak = max(self.peak, self.now())


def bare_sender(api_url: str, posts: int) -> float:
    """Posts per second of 8 threads, each with its own client, posting as fast as the emulator answers.

    Each post is the check-in nudge the sweep sends (rendered once, up front), with delivery
    metadata, so the emulator does the same work for both.
    """
    clients = threading.local()
    payload = scheduled_message(CheckinNudge(first_name="Ada", week="2026-W48", streak=3, focus_label="Delegation"))

    def post(n: int) -> None:
        client = getattr(clients, "client", None)
        if client is None:
            client = clients.client = WebClient(token="xoxb-bench", base_url=api_url, retry_handlers=[])
        client.chat_postMessage(channel=f"UFLOOR{n:06d}", unfurl_links=False, unfurl_media=False,
                                metadata={"event_type": "lead_delivery", "event_payload": {"key": str(n)}},
                                **payload)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=FLOOR_THREADS) as pool:
        list(pool.map(post, range(posts)))
    return posts / (time.perf_counter() - started)


def run(kind: str, people: int, floor_posts: int, chunk: int) -> dict[str, Any]:
    with database(kind) as url, emulator_process() as api_url:
        upgrade(url)
        settings = Settings(database_url=url, bot_token="xoxb-bench", api_url=api_url, team_channel="CTEAM",
                            send_rate=1e9, send_burst=1e9, sweep_chunk=chunk)
        store = Store.from_url(url)
        ctx = BotContext(store=store, clock=SystemClock(), settings=settings)
        client = WebClient(token="xoxb-bench", base_url=api_url, timeout=30)
        try:
            started = time.perf_counter()
            seed(store, people)
            seeded = time.perf_counter() - started
            counters = Counters(store)
            idle_runs = []
            for _ in range(3):
                before = counters.read()
                started = time.perf_counter()
                idle = run_job(ctx, client, "checkin-nudge", IDLE_AT)
                idle_runs.append((time.perf_counter() - started, counters.read()[0] - before[0]))
                assert idle["due"] == 0, idle
            floor_before = bare_sender(api_url, min(floor_posts, people))
            rss_before = PeakRss.now()
            before = counters.read()
            with PeakRss().watch() as rss:
                started = time.perf_counter()
                report = run_job(ctx, client, "checkin-nudge", AT)
                elapsed = time.perf_counter() - started
            statements, commits = (after - first for after, first in zip(counters.read(), before, strict=True))
            # The floor is the better of a run before and one after the sweep: on a shared machine
            # the load moves, and the sweep is judged against the faster one.
            floor = max(floor_before, bare_sender(api_url, min(floor_posts, max(1, report["sent"]))))
        finally:
            store.dispose()
    sent = report["sent"]
    return {"store": kind, "people": people, "seed_s": seeded, "due": report["due"], "sent": sent,
            "failed": report["failed"], "elapsed_s": elapsed, "people_per_s": people / elapsed,
            "nudges_per_s": sent / elapsed, "floor_posts_per_s": floor,
            "statements_per_1000": 1000 * statements / max(1, sent), "commits_per_1000": 1000 * commits / max(1, sent),
            "rss_before_mb": rss_before, "rss_peak_mb": rss.peak, "idle_s": min(t for t, _ in idle_runs),
            "idle_statements": min(s for _, s in idle_runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--store", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--floor-posts", type=int, default=10_000, help="posts the bare sender makes")
    parser.add_argument("--chunk", type=int, default=DEFAULT_SWEEP_CHUNK, help="people per sweep chunk")
    args = parser.parse_args()
    print(f"# {datetime.now().isoformat(timespec='seconds')} {platform.node()} {platform.processor() or ''} "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    for kind in args.store or ["sqlite", "postgresql"]:
        result = run(kind, args.people, args.floor_posts, args.chunk)
        ratio = result["nudges_per_s"] / result["floor_posts_per_s"]
        print(f"{kind}: {result['people']} people ({result['due']} due, {result['sent']} sent, chunk {args.chunk}, "
              f"{result['failed']} failed), seeded in {result['seed_s']:.0f} s")
        print(f"  sweep: {result['elapsed_s']:.1f} s, {result['people_per_s']:.0f} people/s, "
              f"{result['nudges_per_s']:.0f} nudges/s; bare 8-thread sender: {result['floor_posts_per_s']:.0f} "
              f"posts/s -> {ratio:.0%} of the floor (target >= 80%)")
        print(f"  SQL statements per 1,000 nudges: {result['statements_per_1000']:.1f} "
              f"(commits {result['commits_per_1000']:.1f}) (target <= 10)")
        print(f"  peak RSS during the sweep: {result['rss_peak_mb']:.0f} MB (before it: "
              f"{result['rss_before_mb']:.0f} MB) (target <= 150 MB)")
        print(f"  idle sweep (nobody due): {result['idle_s'] * 1000:.0f} ms, {result['idle_statements']} statements "
              f"(target <= 200 ms, a few statements)", flush=True)


if __name__ == "__main__":
    main()
