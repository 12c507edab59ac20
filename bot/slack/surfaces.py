"""Surfaces several listeners open: the check-in modal and the App Home."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import LeadError
from bot.services import checkins as checkin_service
from bot.services.context import BotContext
from bot.services.people import current_week, ensure_person
from bot.views.checkin import build_checkin_modal
from bot.views.home import build_home

log = logging.getLogger(__name__)


def open_checkin(ctx: BotContext, client: WebClient, team_id: str, user_id: str, trigger_id: str) -> None:
    """Open the check-in modal, pre-filled with this week's answers when there are some."""
    person = ensure_person(ctx, client, team_id, user_id)
    view = build_checkin_modal(current_week(ctx, person), defaults=checkin_service.checkin_defaults(ctx, person),
                               focus=person.focus)
    client.views_open(trigger_id=trigger_id, view=view)


def publish_home(ctx: BotContext, client: WebClient, team_id: str, user_id: str) -> None:
    """Render and publish the dashboard; a failure is logged, never shown to the person as an error.

    It is the last step after a change was saved and confirmed: a database that stops answering
    now must not make the bot tell the person that nothing was saved.
    """
    try:
        person = ensure_person(ctx, client, team_id, user_id)
        client.views_publish(user_id=user_id, view=build_home(checkin_service.home_for(ctx, person)))
    except SlackApiError as exc:
        log.warning("views.publish failed for %s: %s", user_id, exc.response.get("error"))
    except LeadError as exc:
        log.warning("the App Home of %s was not refreshed: %s", user_id, type(exc).__name__)
