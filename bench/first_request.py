"""Is the first request after a restart as fast as the hundredth?

Runs the real ``lead-bot serve`` as a process (with the Slack emulator in this one), waits for
``/healthz`` to say ok, as a load balancer would, then sends 100 signed ``/lead checkin``
commands from ten people the bot already knows, and prints the first and the hundredth: time
to the HTTP 200 (Slack's 3-second ack) and to the ``views.open`` call (the trigger's 3-second
window). Repeated over several restarts.

Run: ``python bench/first_request.py [restarts] [--code DIR]``; ``--code`` runs another checkout's
bot (e.g. main's, for a before/after), with DATABASE_URL for PostgreSQL (else a fresh SQLite file).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import normalize_database_url  # noqa: E402
from tests.slack_driver import SlackDriver  # noqa: E402
from tests.slack_emulator import SlackEmulator  # noqa: E402

SECRET = "bench-secret"
USERS = [f"U{i:04d}" for i in range(10)]
ROUNDS = 100
LISTENING = re.compile(r"serving Slack requests on http://127\.0\.0\.1:(\d+)/slack/events")


def serve(code: Path, url: str, emulator: SlackEmulator, workdir: str) -> tuple[subprocess.Popen[str], int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAD_", "DATABASE_URL", "PORT"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": emulator.url,
                "DATABASE_URL": url, "PYTHONPATH": str(code)})
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0",
                                "--no-scheduler"], cwd=workdir, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        match = LISTENING.search(line)
        if match:
            threading.Thread(target=process.stderr.readlines, daemon=True).start()
            return process, int(match.group(1))
    raise SystemExit(f"lead-bot serve did not start: exit {process.wait()}")


def wait_healthy(driver: SlackDriver) -> None:
    # Also covers a server that listens before its log line (port known) and says "starting" meanwhile.
    deadline = time.monotonic() + 60
    while driver.get("/healthz").status != 200:
        if time.monotonic() > deadline:
            raise SystemExit("/healthz never said ok")
        time.sleep(0.02)


def checkin(driver: SlackDriver, emulator: SlackEmulator, user: str) -> tuple[float, float]:
    before = len(emulator.calls_to("views.open"))
    started = time.monotonic()
    reply = driver.command("checkin", user=user)
    assert reply.status == 200, reply
    call = emulator.wait_for("views.open", before + 1)[-1]
    return reply.seconds * 1000, (call.at - started) * 1000


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("restarts", nargs="?", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose bot runs (default: this one)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="lead-bench-")
    # Migrated by the checkout under test, at its first start.
    url = normalize_database_url(os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.db")
    emulator = SlackEmulator().start()
    for user in USERS:
        emulator.add_user(user, tz="Europe/Berlin")
    # Everyone's first contact happens before the measured restarts: what follows is a known
    # person's /lead checkin, the 1st as much as the 100th.
    process, port = serve(args.code, url, emulator, workdir)
    driver = SlackDriver(f"http://127.0.0.1:{port}", SECRET, emulator=emulator)
    wait_healthy(driver)
    for user in USERS:
        checkin(driver, emulator, user)
    stop(process)

    firsts: list[tuple[float, float]] = []
    hundredths: list[tuple[float, float]] = []
    middles: list[float] = []
    for _ in range(args.restarts):
        process, port = serve(args.code, url, emulator, workdir)
        driver = SlackDriver(f"http://127.0.0.1:{port}", SECRET, emulator=emulator)
        wait_healthy(driver)
        results = [checkin(driver, emulator, USERS[n % len(USERS)]) for n in range(ROUNDS)]
        stop(process)
        firsts.append(results[0])
        hundredths.append(results[-1])
        middles += [opened for _ack, opened in results[1:]]
    emulator.stop()
    engine = url.split(":", 1)[0]
    print(f"/lead checkin right after a restart ({args.restarts} restarts, {engine}, code: {args.code}):")
    for label, rows in (("1st", firsts), ("100th", hundredths)):
        acks = [ack for ack, _ in rows]
        opens = [opened for _, opened in rows]
        print(f"  {label:>5}: ack median {statistics.median(acks):6.1f} ms (max {max(acks):6.1f})   "
              f"views.open median {statistics.median(opens):6.1f} ms (max {max(opens):6.1f})")
    print(f"  views.open over requests 2-100: median {statistics.median(middles):6.1f} ms")
    print(f"  violations: {len(emulator.violations)}")


if __name__ == "__main__":
    main()
