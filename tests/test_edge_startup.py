"""Issue 8, item 7: Slack trouble at start-up is one line, never a traceback or a hang.

The real CLI as a subprocess, against the emulator: a bot token Slack refuses, Slack unreachable
(HTTP mode starts anyway and answers as soon as Slack does; Socket Mode cannot start), an app
token Slack refuses, and a port already in use.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SIGNING_SECRET
from tests.helpers import bot_environment, bot_process
from tests.private_postgres import free_port
from tests.slack_driver import SlackDriver
from tests.slack_emulator import SlackEmulator

pytestmark = pytest.mark.sqlite_only  # about Slack, not the database: once, on SQLite


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
    env = bot_environment(db_url, emulator.url, SLACK_BOT_TOKEN="xoxb-wrong")
    result = lead_bot(env, "serve", "--host", "127.0.0.1", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("lead-bot: SLACK_BOT_TOKEN was refused by Slack") and error in line


def test_socket_mode_with_a_refused_app_token_stops_naming_it(db_url: str, emulator: SlackEmulator,
                                                              tmp_path: Path) -> None:
    # The emulator hands out no Socket Mode URL: apps.connections.open answers invalid_auth.
    result = lead_bot(bot_environment(db_url, emulator.url, SLACK_APP_TOKEN="xapp-wrong"), "run", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("lead-bot: SLACK_APP_TOKEN was refused by Slack (invalid_auth)")


def test_socket_mode_with_slack_unreachable_stops_naming_the_app_token(db_url: str, tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    started = time.monotonic()
    result = lead_bot(bot_environment(db_url, nowhere, SLACK_APP_TOKEN="xapp-test"), "run", cwd=tmp_path)
    assert result.returncode == 2 and time.monotonic() - started < 30
    line = one_line(result.stderr)
    assert line.startswith("lead-bot: SLACK_APP_TOKEN cannot open a Socket Mode connection: Slack cannot be reached")


def test_serve_on_a_port_in_use_stops_naming_port(db_url: str, emulator: SlackEmulator, tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = lead_bot(bot_environment(db_url, emulator.url), "serve", "--host", "127.0.0.1", "--port", str(port),
                          cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result.stderr) == (f"lead-bot: PORT {port} on 127.0.0.1 is already in use: "
                                       "choose another with PORT or --port")


@pytest.fixture
def serve_without_slack(db_url: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], list[str], int, int]]:
    """``lead-bot serve`` started while nothing answers at SLACK_API_URL; yields it, its stderr, its port, Slack's."""
    slack_port = free_port()
    env = bot_environment(db_url, f"http://127.0.0.1:{slack_port}/api/")
    serve = ["serve", "--host", "127.0.0.1", "--port", "0", "--no-scheduler"]
    with bot_process(serve, env, tmp_path) as server:
        port = server.listening_port()
        yield server.process, server.lines, port, slack_port
        assert server.stop() == 0


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
