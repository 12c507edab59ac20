"""`lead-bot run` with SLACK_APP_TOKEN: Socket Mode end to end, then a graceful SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import bot_environment
from tests.private_postgres import free_port
from tests.slack_emulator import SlackEmulator
from tests.socket_mode_server import SocketModeServer


@pytest.fixture
def socket_server(emulator: SlackEmulator) -> Iterator[SocketModeServer]:
    server = SocketModeServer()
    emulator.socket_mode_url = server.url
    yield server
    server.stop()


def test_run_uses_socket_mode_and_stops_on_sigterm(db_url: str, emulator: SlackEmulator,
                                                   socket_server: SocketModeServer, tmp_path: Path) -> None:
    health_port = free_port()
    env = bot_environment(db_url, emulator.url, SLACK_APP_TOKEN="xapp-test", LOG_FORMAT="json",
                          LEAD_HEALTH_PORT=str(health_port))
    bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        socket_server.wait_connected()
        opened = [c for c in emulator.calls_to("apps.connections.open")]
        assert opened and opened[0].token == "xapp-test"
        command = {"team_id": "T0001", "channel_id": "CTEAM", "user_id": "U1", "command": "/lead",
                   "text": "help", "trigger_id": emulator.new_trigger_id(), "api_app_id": "A0001",
                   "response_url": emulator.url.replace("/api/", "/response/") + "1"}
        ack = socket_server.push("slash_commands", command)
        assert "/lead checkin" in json.dumps(ack["payload"])
        ack = socket_server.push("slash_commands", {**command, "text": "checkin",
                                                    "trigger_id": emulator.new_trigger_id()})
        emulator.wait_for("views.open", 1, timeout=10)
        assert emulator.opened_views[-1]["callback_id"] == "checkin"
        # The same /healthz and /metrics as HTTP mode, on LEAD_HEALTH_PORT.
        with urllib.request.urlopen(f"http://127.0.0.1:{health_port}/healthz", timeout=10) as response:
            assert json.loads(response.read()) == {"status": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{health_port}/metrics", timeout=10) as response:
            assert 'lead_requests_total{kind="command",outcome="ok"} 2.0' in response.read().decode()
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=20) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()
    stderr = bot.stderr.read() if bot.stderr else ""
    assert "Traceback" not in stderr
    lines = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    requests = [(line["kind"], line["name"], line["status"]) for line in lines if line["logger"] == "lead-bot.requests"]
    assert requests == [("command", "help", 200), ("command", "checkin", 200)]
    start = next(line for line in lines if line.get("event") == "start")
    assert (start["mode"], start["scheduler"]) == ("socket", True)
