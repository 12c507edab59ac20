"""Publishing a person's App Home; used by the home event and after anything that changes it."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import checkins as checkin_service
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.views.home import build_home

log = logging.getLogger(__name__)


def publish_home(ctx: BotContext, client: WebClient, team_id: str, user_id: str) -> None:
    """Render and publish the dashboard; a failure is logged, never shown to the person as an error."""
    person = ensure_person(ctx, client, team_id, user_id)
    try:
        client.views_publish(user_id=user_id, view=build_home(checkin_service.home_for(ctx, person)))
    except SlackApiError as exc:
        log.warning("views.publish failed for %s: %s", user_id, exc.response.get("error"))
