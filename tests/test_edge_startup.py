"""Issue 8, item 7: Slack trouble at start-up is one line, never a traceback or a hang.

The real CLI as a subprocess, against the emulator: a bot token Slack refuses, Slack unreachable
(HTTP mode starts anyway and answers as soon as Slack does; Socket Mode cannot start), an app
token Slack refuses, and a port already in use.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SIGNING_SECRET
from tests.private_postgres import free_port
from tests.slack_driver import SlackDriver
from tests.slack_emulator import SlackEmulator

ROOT = Path(__file__).resolve().parents[1]
LISTENING = re.compile(r"serving Slack requests on http://127\.0\.0\.1:(\d+)/slack/events")
pytestmark = pytest.mark.sqlite_only  # about Slack, not the database: once, on SQLite


def environment(db_url: str, api_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAD_", "DATABASE_URL", "PORT"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": api_url,
                "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT), **extra})
    return env


def lead_bot(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=60)


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive"])
def test_a_refused_bot_token_stops_the_start_naming_it(db_url: str, emulator: SlackEmulator, tmp_path: Path,
                                                       error: str) -> None:
    emulator.refuse_token("xoxb-wrong", error)
    env = environment(db_url, emulator.url, SLACK_BOT_TOKEN="xoxb-wrong")
    result = lead_bot(env, "serve", "--host", "127.0.0.1", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("lead-bot: SLACK_BOT_TOKEN was refused by Slack") and error in line


def test_socket_mode_with_a_refused_app_token_stops_naming_it(db_url: str, emulator: SlackEmulator,
                                                              tmp_path: Path) -> None:
    # The emulator hands out no Socket Mode URL: apps.connections.open answers invalid_auth.
    result = lead_bot(environment(db_url, emulator.url, SLACK_APP_TOKEN="xapp-wrong"), "run", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("lead-bot: SLACK_APP_TOKEN was refused by Slack (invalid_auth)")


def test_socket_mode_with_slack_unreachable_stops_naming_the_app_token(db_url: str, tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    started = time.monotonic()
    result = lead_bot(environment(db_url, nowhere, SLACK_APP_TOKEN="xapp-test"), "run", cwd=tmp_path)
    assert result.returncode == 2 and time.monotonic() - started < 30
    line = one_line(result.stderr)
    assert line.startswith("lead-bot: SLACK_APP_TOKEN cannot open a Socket Mode connection: Slack cannot be reached")


def test_serve_on_a_port_in_use_stops_naming_port(db_url: str, emulator: SlackEmulator, tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = lead_bot(environment(db_url, emulator.url), "serve", "--host", "127.0.0.1", "--port", str(port),
                          cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result.stderr) == (f"lead-bot: PORT {port} on 127.0.0.1 is already in use: "
                                       "choose another with PORT or --port")


@pytest.fixture
def serve_without_slack(db_url: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], list[str], int, int]]:
    """``lead-bot serve`` started while nothing answers at SLACK_API_URL; yields it, its stderr, its port, Slack's."""
    slack_port = free_port()
    env = environment(db_url, f"http://127.0.0.1:{slack_port}/api/")
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0",
                               "--no-scheduler"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    stream = server.stderr
    assert stream is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in stream],
                              daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        port = None
        while port is None:
            seen.append(lines.get(timeout=30))
            match = LISTENING.search(seen[-1])
            port = int(match.group(1)) if match else None
        yield server, seen, port, slack_port
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        reader.join(timeout=10)
        while not lines.empty():
            seen.append(lines.get())


def test_serve_starts_without_slack_and_answers_as_soon_as_slack_does(
        serve_without_slack: tuple[subprocess.Popen[str], list[str], int, int]) -> None:
    _server, seen, port, slack_port = serve_without_slack
    warnings = [line for line in seen if " WARNING " in line]  # the start-up's lines, up to "serving"
    assert len(warnings) == 1 and "Slack cannot be reached" in warnings[0] and "starting anyway" in warnings[0]
    emulator = SlackEmulator()
    driver = SlackDriver(f"http://127.0.0.1:{port}", SIGNING_SECRET)
    assert driver.get("/healthz").json() == {"status": "ok"}
    # Commands that need nothing from Slack are answered now, fast, without asking Slack each time.
    for _ in range(3):
        reply = driver.command("help")
        assert reply.status == 200 and "/lead checkin" in reply.body and reply.seconds < 3
    reply = driver.command("stats")
    assert reply.status == 200 and "streak" in reply.body.lower() and reply.seconds < 3

    emulator.start(port=slack_port)  # Slack is back
    try:
        emulator.add_user("U1", tz="Europe/Berlin", name="Ada Lovelace")
        driver.emulator = emulator
        assert driver.command("checkin").status == 200
        emulator.wait_for("views.open", timeout=10)
        assert emulator.opened_views[-1]["callback_id"] == "checkin"
        assert len(emulator.calls_to("auth.test")) <= 1  # learned once in the background, not per request
        assert not emulator.violations
    finally:
        emulator.stop()
    assert not any("Traceback" in line for line in seen), "".join(seen)
