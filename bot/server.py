"""The HTTP front: Slack's endpoints through Bolt, plus ``GET /healthz``, served by waitress."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import create_server

from bot.store.db import Store

log = logging.getLogger(__name__)
SERVER_THREADS = 16

StartResponse = Callable[..., Any]


class LeadWsgiApp:
    """Routes ``/healthz`` itself and hands everything else to Bolt's WSGI adapter."""

    def __init__(self, app: App, store: Store) -> None:
        self._slack = SlackRequestHandler(app)
        self._store = store

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self._health(start_response)
        return self._slack(environ, start_response)

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        healthy = self._store.ping()
        body = json.dumps({"status": "ok" if healthy else "database unavailable"}).encode()
        start_response("200 OK" if healthy else "503 Service Unavailable",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


class HttpServer:
    """waitress serving a WSGI app on a thread of its own, so the caller's thread is free to wait for a stop.

    waitress's loop sleeps in ``select`` for up to a second (``asyncore_loop_timeout``), and closing
    its sockets from another thread neither wakes it nor is safe while it polls them. So every step
    of the stop runs inside the loop, handed over through waitress's trigger (a pipe in the loop's
    ``select``): the loop wakes at once, and stops as soon as its last socket is closed.
    """

    def __init__(self, wsgi: Callable[..., Iterable[bytes]], host: str, port: int, *,
                 after_stop: Callable[[], object] = lambda: None, on_loop_end: Callable[[], object] = lambda: None
                 ) -> None:
        self._server = create_server(wsgi, host=host, port=port, threads=SERVER_THREADS, ident="lead-bot",
                                     clear_untrusted_proxy_headers=True)
        self._after_stop = after_stop
        self._on_loop_end = on_loop_end
        self.port: int = int(self._server.effective_port)
        self._thread = threading.Thread(target=self._loop, name="lead-bot-http", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        try:
            self._server.run()
        except Exception:
            log.exception("the HTTP server stopped serving")
        finally:
            # Also after a failure: whoever waits for a stop must not wait on a dead server.
            self._on_loop_end()

    def stop(self, timeout: float = 10.0) -> None:
        """Refuse new connections, finish the requests in flight and send their answers, then ``after_stop``."""
        self._in_loop(self._stop_listening, timeout)
        self._server.task_dispatcher.shutdown(cancel_pending=False, timeout=timeout)
        self._in_loop(self._close_when_answered, timeout)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("a client did not take its answer within %ss; leaving its connection behind", timeout)
        self._after_stop()

    def _in_loop(self, action: Callable[[], None], timeout: float) -> None:
        if not self._thread.is_alive():  # the loop is gone: nothing else touches its sockets
            action()
            return
        done = threading.Event()

        def run() -> None:
            try:
                action()
            finally:
                done.set()

        self._server.trigger.pull_trigger(run)
        done.wait(timeout)

    def _stop_listening(self) -> None:
        # The base class's close: waitress's own also closes the trigger, which the stop still needs.
        wasyncore.dispatcher.close(self._server)

    def _close_when_answered(self) -> None:
        # Each connection closes once its answer is written; the loop ends with the last socket.
        for channel in list(self._server.active_channels.values()):
            channel.close_when_flushed = True
        self._server.trigger.close()


def start_server(app: App, store: Store, host: str, port: int, *,
                 on_loop_end: Callable[[], object] = lambda: None) -> HttpServer:
    """Serve the bot on ``host:port`` (port 0 picks a free one: see ``HttpServer.port``).

    Stopping it also waits for Bolt's listeners still working after their ack.
    """
    executor = app.listener_runner.listener_executor
    return HttpServer(LeadWsgiApp(app, store), host, port, after_stop=lambda: executor.shutdown(wait=True),
                      on_loop_end=on_loop_end)
