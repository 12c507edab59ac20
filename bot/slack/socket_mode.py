"""Socket Mode: the same checks as the HTTP front, for envelopes that arrive over the WebSocket.

There is no signature to verify (the app token authenticates the connection), but a payload is
still checked for shape (``bot/slack/shape.py``) before Bolt sees it: a malformed one is
acknowledged, so Slack does not send it again, dropped, and logged in one line.
"""

from __future__ import annotations

import logging
import time

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.slack import requestlog
from bot.slack.errors import where
from bot.slack.shape import problem

log = logging.getLogger(__name__)


class LeadSocketModeHandler(SocketModeHandler):
    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        started = time.time()
        wrong = problem(req.payload)
        if wrong is not None:
            log.info("dropped a Socket Mode %s envelope: %s", req.type, wrong)
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        try:
            response = run_bolt_app(self.app, req)
            requestlog.record(requestlog.describe(req.payload), response.status, time.time() - started)
            send_response(client, req, response, started)
        except Exception as error:  # noqa: BLE001 - the SDK would log it with its traceback and the payload
            log.error("a Socket Mode %s envelope failed: %s", req.type, where(error))
