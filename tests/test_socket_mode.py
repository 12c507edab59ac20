"""`lead-bot run` with SLACK_APP_TOKEN: Socket Mode end to end, then a graceful SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import bot_environment
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
    env = bot_environment(db_url, emulator.url, SLACK_APP_TOKEN="xapp-test")
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
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=20) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()
    assert "Traceback" not in (bot.stderr.read() if bot.stderr else "")
