"""Global middleware: Slack calls that fit a request's time, acting once on each request, and
noting which workspace (and Enterprise Grid org) it came from."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.errors import LeadError
from bot.services.context import BotContext
from bot.services.people import first_delivery
from bot.services.workspaces import note_request
from bot.slack.client import request_retry_handlers

log = logging.getLogger(__name__)


def delivery_key(body: Mapping[str, Any]) -> str | None:
    """What stays the same when Slack delivers one request again; None for requests without one.

    An event has its event id. A command, a click and a modal submission each get a trigger id
    of their own (which is why a second press of Save is a new request, not a copy), and a
    re-sent copy keeps it.
    """
    if body.get("type") == "event_callback":
        key = body.get("event_id")
    else:
        key = body.get("trigger_id")
    return key if isinstance(key, str) and key else None


def _no_response_url(*_args: Any, **_kwargs: Any) -> None:
    log.info("an answer was dropped: the request came without a response URL")


def register(app: App, ctx: BotContext) -> None:
    @app.middleware
    def calls_that_fit_the_request(req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse | None:  # noqa: A002
        # Bolt gives each request a client of its own, copied from the app's (whose patient retries
        # suit the scheduler); this one must not out-wait Slack's 3 seconds.
        client = req.context.client
        if client is not None:
            client.retry_handlers = request_retry_handlers()
        return next()

    @app.middleware
    def nowhere_to_respond(req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse | None:  # noqa: A002
        # A click in the App Home or in a modal comes without a response URL, and Bolt's respond()
        # then raises: the answer has nowhere to go, which is worth a line, not a 500.
        if not req.context.response_url:
            req.context["respond"] = _no_response_url
        return next()

    @app.middleware
    def act_once(req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse | None:  # noqa: A002
        # Slack re-sends what it thinks was not acknowledged in time (and a proxy may replay),
        # whatever the retry headers say: the first delivery of each key wins, the others get a
        # quiet 200. One small insert; while the database is down it raises DatabaseUnavailable
        # at once, which bot/slack/errors.py answers like any listener's.
        key = delivery_key(req.body)
        if key is not None and not first_delivery(ctx, key):
            return BoltResponse(status=200, body="")
        return next()

    @app.middleware
    def note_workspace(req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse | None:  # noqa: A002
        # The scheduler finds a workspace's token by its Enterprise Grid org, which only requests
        # (and the OAuth install) tell; once per workspace and process, so it costs nothing after.
        context = req.context
        try:
            note_request(ctx, context.team_id, context.enterprise_id, bool(context.is_enterprise_install))
        except LeadError as exc:
            log.info("could not record the workspace of a request (%s); next time", type(exc).__name__)
        return next()
