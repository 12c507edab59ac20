"""`lead-bot serve` as a real process: migrate, listen, answer Slack and /healthz, stop on SIGTERM."""

from __future__ import annotations

import json
import socket
import threading
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.app import build_app
from bot.clock import FixedClock
from bot.config import normalize_database_url
from bot.server import HttpServer, LeadWsgiApp
from bot.services.context import BotContext
from bot.store.db import Store
from tests.conftest import MONDAY_W48, SIGNING_SECRET, bot_settings
from tests.helpers import bot_environment, bot_process, wait_until
from tests.slack_driver import SlackDriver
from tests.slack_emulator import SlackEmulator


def test_serve_answers_slack_and_health_then_stops_on_sigterm(db_url: str, emulator: SlackEmulator,
                                                              tmp_path: Path) -> None:
    serve = ["serve", "--host", "127.0.0.1", "--port", "0"]
    with bot_process(serve, bot_environment(db_url, emulator.url), tmp_path) as server:
        driver = SlackDriver(f"http://127.0.0.1:{server.listening_port()}", SIGNING_SECRET, emulator=emulator)
        health = driver.get("/healthz")
        assert health.status == 200 and health.json() == {"status": "ok"}
        reply = driver.command("help")
        assert reply.status == 200 and "/lead checkin" in reply.body
        assert driver.command("help", signature="v0=" + "0" * 64).status == 401
        assert server.stop() == 0
    assert "Traceback" not in server.stderr, server.stderr


def test_healthz_says_503_while_the_database_does_not_answer(emulator: SlackEmulator) -> None:
    unreachable = normalize_database_url("postgresql://postgres@127.0.0.1:1/nowhere")
    ctx = BotContext(store=Store.from_url(unreachable), clock=FixedClock(MONDAY_W48),
                     settings=bot_settings(unreachable, emulator.url))
    health = LeadWsgiApp(build_app(ctx), ctx.store, SIGNING_SECRET)
    statuses: list[str] = []

    def ask() -> Any:
        return json.loads(b"".join(health({"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"},
                                          lambda status, headers: statuses.append(status))))

    assert ask() == {"status": "starting"}  # until the bot is warm
    health.mark_ready()
    assert ask() == {"status": "database unavailable"}
    assert statuses == ["503 Service Unavailable"] * 2
    ctx.store.dispose()


def test_a_stop_answers_the_request_in_flight_and_refuses_new_connections() -> None:
    entered, release = threading.Event(), threading.Event()

    def slow(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        entered.set()
        release.wait(10)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "4")])
        return [b"done"]

    server = HttpServer(slow, "127.0.0.1", 0)
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)  # a keep-alive client, silent
    answers: list[bytes] = []
    client = threading.Thread(target=lambda: answers.append(
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=10).read()))
    client.start()
    assert entered.wait(10)
    stopper = threading.Thread(target=server.stop)
    stopper.start()

    def refused() -> bool:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        except ConnectionRefusedError:
            return True
        return False

    wait_until(refused)
    assert stopper.is_alive()  # still waiting for the request in flight
    release.set()
    stopper.join(10)
    client.join(10)
    assert not stopper.is_alive() and answers == [b"done"]
    assert idle.recv(1) == b""  # the idle connection was closed, not left to hold the stop up
    idle.close()

