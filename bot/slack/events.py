"""Events API listeners, and the guard that ignores Slack's re-sent events."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from bot.services.context import BotContext
from bot.slack.home import publish_home
from bot.store.events import first_time_seen


def register(app: App, ctx: BotContext) -> None:
    @app.middleware
    def skip_resent_events(req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse | None:  # noqa: A002
        # Slack re-sends an event it thinks was not acknowledged in time; acting on it again
        # would double-post. The first delivery of each event id wins.
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if req.body.get("type") == "event_callback" and event_id:
            with ctx.store.session() as session:
                if not first_time_seen(session, str(event_id), ctx.clock.now()):
                    return BoltResponse(status=200, body="")
        return next()

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(ctx, client, context.team_id or "", event["user"])
