"""The HTTP front: Slack's endpoints through Bolt, plus ``GET /healthz``, served by waitress.

Requests to ``POST /slack/events`` are checked here, before Bolt parses anything, in this order:

1. size: a body over :data:`MAX_BODY_BYTES` is refused with 413 before it is read (waitress
   refuses a longer chunked body itself). Slack's largest payloads, a modal of 100 blocks
   submitted with its state, are a few hundred kilobytes at most; 1 MB leaves room and bounds
   what one request can make the bot hold in memory.
2. signature: verified on the raw bytes; unsigned, badly signed or stale requests get 401 and one
   log line, and nothing of their body is parsed.
3. parsing: UTF-8, then JSON (``application/json``) or a form, whose ``payload`` field is JSON;
   anything else, or anything but an object, gets 400.
4. shape: :func:`bot.slack.shape.problem`; a payload the listeners could not read gets 400.

Only then is the parsed payload handed to Bolt, re-encoded as JSON (Bolt's own form parsing
mistakes a command whose text contains the word "payload" for an interaction). Bolt's own
signature check is therefore off (``bot/app.py``): it is done here, on the bytes Slack signed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request import BoltRequest
from waitress import wasyncore
from waitress.server import create_server

from bot import metrics
from bot.errors import LeadError
from bot.services.context import BotContext
from bot.slack import requestlog
from bot.slack.errors import where
from bot.slack.shape import problem
from bot.store.db import Store
from bot.store.ledger import backlog

log = logging.getLogger(__name__)
SERVER_THREADS = 16
MAX_BODY_BYTES = 1024 * 1024
MAX_AGE_SECONDS = 5 * 60  # Slack's rule: an older signature may be a replay
EVENTS_PATH = "/slack/events"
_TIMESTAMP = re.compile(r"[0-9]{1,12}")

StartResponse = Callable[..., Any]


class HealthApp:
    """``GET /healthz`` and ``GET /metrics``: the web process's, and the whole HTTP face of ``worker``
    and Socket Mode ``run`` on ``LEAD_HEALTH_PORT``.

    ``/healthz`` answers 503 "starting" until :meth:`mark_ready`: a load balancer then sends the
    first request only to a process that has done what a first request would otherwise wait for.
    ``/metrics`` reads the ledger's backlog at each scrape (one count), so it is current in every
    process that serves it, whether or not that process sweeps.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._ready = threading.Event()

    def mark_ready(self) -> None:
        self._ready.set()

    def answers(self, environ: Mapping[str, Any]) -> bool:
        return environ.get("PATH_INFO") in ("/healthz", "/metrics") and environ.get("REQUEST_METHOD") in ("GET", "HEAD")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            if not self.answers(environ):
                return _reply(start_response, 404)
            if environ.get("PATH_INFO") == "/metrics":
                return self._metrics(start_response)
            return self._health(start_response)
        except Exception as error:  # noqa: BLE001 - the last line before waitress logs a traceback
            log.error("the health endpoint failed: %s", where(error))
            return _reply(start_response, 500)

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        if not self._ready.is_set():
            return _reply(start_response, 503, {"status": "starting"})
        healthy = self._store.ping()
        return _reply(start_response, 200 if healthy else 503,
                      {"status": "ok" if healthy else "database unavailable"})

    def _metrics(self, start_response: StartResponse) -> Iterable[bytes]:
        backlog = ledger_backlog(self._store)
        if backlog is not None:
            metrics.ledger_backlog(backlog)
        body = metrics.render()
        start_response("200 OK", [("Content-Type", metrics.CONTENT_TYPE), ("Content-Length", str(len(body)))])
        return [body]


class LeadWsgiApp:
    """Routes ``/healthz`` and ``/metrics`` to :class:`HealthApp`, checks Slack's requests (module
    docstring), hands the rest to Bolt."""

    def __init__(self, app: App, store: Store, signing_secret: str | None) -> None:
        self._app = app
        self._pages = SlackRequestHandler(app)  # the OAuth install and redirect pages
        self._health = HealthApp(store)
        self._secret = signing_secret.encode() if signing_secret else None

    def mark_ready(self) -> None:
        self._health.mark_ready()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
            if self._health.answers(environ):
                return self._health(environ, start_response)
            if path == EVENTS_PATH and method == "POST":
                return self._slack(environ, start_response, time.monotonic())
            return self._pages(environ, start_response)
        except Exception as error:  # noqa: BLE001 - the last line before waitress logs a traceback
            log.error("the HTTP front failed: %s", where(error))
            return _reply(start_response, 500)

    def _slack(self, environ: dict[str, Any], start_response: StartResponse, started: float) -> Iterable[bytes]:
        length = _content_length(environ)
        if length is None:
            log.info("refused a request without a readable Content-Length")
            return _refuse(start_response, 400, started)
        if length > MAX_BODY_BYTES:
            log.info("refused a request of %d bytes (the limit is %d)", length, MAX_BODY_BYTES)
            return _refuse(start_response, 413, started)
        raw = environ["wsgi.input"].read(length) if length else b""
        headers = _headers(environ)
        if self._secret is not None and not signed(self._secret, raw, headers, time.time()):
            log.info("refused an unsigned or badly signed request")
            return _refuse(start_response, 401, started)
        body, wrong = parse_payload(raw, str(headers.get("content-type", "")))
        wrong = wrong or problem(body)
        if wrong is not None or body is None:
            log.info("refused a signed request: %s", wrong)
            return _refuse(start_response, 400, started)
        headers["content-type"] = "application/json"
        headers.pop("content-length", None)
        request = BoltRequest(body=json.dumps(body), query=environ.get("QUERY_STRING", ""), headers=headers)
        response = self._app.dispatch(request)
        requestlog.record(requestlog.describe(body), response.status, time.monotonic() - started)
        wsgi = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
        start_response(wsgi.status, wsgi.get_headers())
        return wsgi.get_body()


def _refuse(start_response: StartResponse, status: int, started: float) -> Iterable[bytes]:
    requestlog.record_refused(time.monotonic() - started)
    return _reply(start_response, status)


def ledger_backlog(store: Store) -> int | None:
    """Deliveries claimed and not finished; None while the database does not answer."""
    try:
        with store.session() as session:
            return backlog(session)
    except LeadError:
        return None


def parse_payload(raw: bytes, content_type: str) -> tuple[dict[str, Any] | None, str | None]:
    """The payload of a Slack request body, or None and what is wrong with it (a fixed phrase)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "the body is not UTF-8"
    media = content_type.split(";", 1)[0].strip().lower()
    try:
        if media == "application/json":
            data: Any = json.loads(text)
        elif media in ("application/x-www-form-urlencoded", ""):
            fields = dict(parse_qsl(text, keep_blank_values=True))
            data = json.loads(fields["payload"]) if "payload" in fields else fields
        else:
            return None, "the body is neither JSON nor a form"
    except (ValueError, RecursionError):
        return None, "the body is not well-formed JSON"
    if not isinstance(data, dict):
        return None, "the payload is not an object"
    return data, None


def _content_length(environ: Mapping[str, Any]) -> int | None:
    raw = str(environ.get("CONTENT_LENGTH") or "0").strip()
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _headers(environ: Mapping[str, Any]) -> dict[str, str | Sequence[str]]:
    headers: dict[str, str | Sequence[str]] = {
        key[5:].lower().replace("_", "-"): str(value) for key, value in environ.items() if key.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.lower().replace("_", "-")] = str(environ[key])
    return headers


def signed(secret: bytes, raw: bytes, headers: Mapping[str, str | Sequence[str]], now: float) -> bool:
    """Slack's signature check, on the bytes as they arrived.

    slack_sdk's ``SignatureVerifier`` decodes the body as UTF-8 first, and raises on a timestamp
    that is not a number or a signature that is not ASCII; a signed body that is not UTF-8 must
    still verify (and then be refused as malformed, 400, not as unsigned).
    """
    timestamp = str(headers.get("x-slack-request-timestamp", ""))
    signature = str(headers.get("x-slack-signature", ""))
    if not _TIMESTAMP.fullmatch(timestamp) or not signature.isascii() or abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    expected = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={expected}".encode(), signature.encode())


def _reply(start_response: StartResponse, status: int, body: Mapping[str, Any] | None = None) -> Iterable[bytes]:
    wsgi = WsgiHttpResponse(status=status, headers={"content-type": ["application/json"]} if body else {},
                            body=json.dumps(body) if body else "")
    start_response(wsgi.status, wsgi.get_headers())
    return wsgi.get_body()


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
                                     clear_untrusted_proxy_headers=True, max_request_body_size=MAX_BODY_BYTES)
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


def start_health_server(ctx: BotContext, host: str, port: int, *,
                        on_loop_end: Callable[[], object] = lambda: None) -> HttpServer:
    """``/healthz`` and ``/metrics`` alone, for ``worker`` and Socket Mode ``run`` (``LEAD_HEALTH_PORT``)."""
    health = HealthApp(ctx.store)
    server = HttpServer(health, host, port, on_loop_end=on_loop_end)
    health.mark_ready()
    return server


def start_server(app: App, ctx: BotContext, host: str, port: int, *,
                 on_loop_end: Callable[[], object] = lambda: None) -> HttpServer:
    """Serve the bot on ``host:port`` (port 0 picks a free one: see ``HttpServer.port``).

    Returns once the bot is warm (``bot.app.warm_up``); until then ``/healthz`` says "starting".
    Stopping it also waits for Bolt's listeners still working after their ack.
    """
    from bot.app import warm_up

    executor = app.listener_runner.listener_executor
    wsgi = LeadWsgiApp(app, ctx.store, ctx.settings.signing_secret)
    server = HttpServer(wsgi, host, port, after_stop=lambda: executor.shutdown(wait=True), on_loop_end=on_loop_end)
    warm_up(app, ctx)
    wsgi.mark_ready()
    return server
