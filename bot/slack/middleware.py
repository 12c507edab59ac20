"""Global middleware: ignore Slack's re-sent events."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.services.context import BotContext
from bot.services.people import first_delivery_of_event


def register(app: App, ctx: BotContext) -> None:
    @app.middleware
    def skip_resent_events(req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse | None:  # noqa: A002
        # Slack re-sends an event it thinks was not acknowledged in time; acting on it again
        # would double-post. The first delivery of each event id wins, whatever the retry headers say.
        body = req.body if isinstance(req.body, dict) else {}
        event_id = body.get("event_id")
        if body.get("type") == "event_callback" and event_id:
            if not first_delivery_of_event(ctx, str(event_id)):
                return BoltResponse(status=200, body="")
        return next()
