"""The HTTP front: Slack's endpoints through Bolt, plus ``GET /healthz``, served by waitress."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
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


def make_server(app: App, store: Store, host: str, port: int) -> Any:
    """A waitress server bound to ``host:port`` (port 0 picks a free one: see ``effective_port``)."""
    return create_server(LeadWsgiApp(app, store), host=host, port=port, threads=SERVER_THREADS,
                         ident="lead-bot", clear_untrusted_proxy_headers=True)


def stop_server(server: Any, app: App, timeout: float = 10.0) -> None:
    """Stop gracefully: finish the requests in flight, then the listeners still working after their ack."""
    server.task_dispatcher.shutdown(cancel_pending=False, timeout=timeout)
    server.close()
    app.listener_runner.listener_executor.shutdown(wait=True)
