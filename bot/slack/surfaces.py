"""Surfaces several listeners show: the check-in modal, the App Home, the goals list, prompt messages."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.errors import LeadError
from bot.services import checkins as checkin_service
from bot.services import goals as goal_service
from bot.services import progress as progress_service
from bot.services import review as review_service
from bot.services.context import BotContext
from bot.services.focus import current_focus
from bot.services.people import current_week, ensure_person, person_to_show, reading, today
from bot.services.types.people import PersonRecord
from bot.views.checkin import build_checkin_modal
from bot.views.goals import goals_list_message
from bot.views.home import build_home
from bot.views.nudges import answered_prompt
from bot.views.privacy import forgotten_home
from bot.views.review import build_review_modal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opened:
    """What :func:`open_modal` did: the view Slack opened (None when there was none to open), the
    person the modal was built from, and the person as stored after it opened."""

    view: dict[str, Any] | None
    seen: PersonRecord
    person: PersonRecord


def open_modal(ctx: BotContext, client: WebClient, team_id: str, user_id: str, trigger_id: str,
               build: Callable[[PersonRecord], dict[str, Any] | None],
               same: Callable[[PersonRecord, PersonRecord], bool] | None = None) -> Opened:
    """Open the modal ``build`` makes from the person, then make sure the person is stored.

    Modals first: the trigger id is good for 3 seconds, once, so the modal is built from one
    read-only transaction and opened before anything is written or ``users.info`` is asked; a
    newcomer is stored (with their zone) after it is open, whether or not it opened. What a
    modal says can depend on that zone (the week a check-in is filed under, "Follow my Slack
    setting"): unless ``same`` (by default: the zone did not change) says the modal built for
    the stored person would say the same, it is built again and replaces the open one when it
    differs, unless the person already changed that (the hash no longer matches).
    """
    with reading(ctx):
        seen = person_to_show(ctx, team_id, user_id)
        modal = build(seen)
    view = None
    try:
        if modal is not None:
            view = client.views_open(trigger_id=trigger_id, view=modal).get("view")
    finally:
        person = ensure_person(ctx, client, team_id, user_id, seen)
    if view is not None and not (same or _same_zone)(seen, person):
        view = _bring_up_to_date(client, view, modal, build(person), user_id)
    return Opened(view=view, seen=seen, person=person)


def _same_zone(seen: PersonRecord, person: PersonRecord) -> bool:
    return (seen.timezone, seen.slack_tz) == (person.timezone, person.slack_tz)


def _bring_up_to_date(client: WebClient, view: dict[str, Any], shown: dict[str, Any] | None,
                      current: dict[str, Any] | None, user_id: str) -> dict[str, Any]:
    if current is None or current == shown:
        return view
    try:
        return client.views_update(view_id=view["id"], hash=view.get("hash"), view=current).get("view") or view
    except SlackApiError as exc:
        log.info("the modal of %s was not brought up to date: %s", user_id, exc.response.get("error"))
        return view


def _checkin_modal(ctx: BotContext, person: PersonRecord) -> dict[str, Any]:
    return build_checkin_modal(current_week(ctx, person), defaults=checkin_service.checkin_defaults(ctx, person),
                               focus=current_focus(ctx, person).foundation)


def open_checkin(ctx: BotContext, client: WebClient, team_id: str, user_id: str, trigger_id: str) -> None:
    """Open the check-in modal, pre-filled with this week's answers when there are some.

    A newcomer's modal is built in UTC, before Slack says where they live; when their own zone
    puts them in another week (around midnight from Sunday to Monday), :func:`open_modal`
    replaces it with the one for the week their check-in will be filed under.
    """
    open_modal(ctx, client, team_id, user_id, trigger_id, partial(_checkin_modal, ctx),
               same=lambda seen, person: current_week(ctx, seen) == current_week(ctx, person))


def open_growth_review(ctx: BotContext, client: WebClient, team_id: str, user_id: str, trigger_id: str) -> bool:
    """Open the growth review, pre-filled with the latest answers; False when there is no assessment yet."""
    return open_modal(ctx, client, team_id, user_id, trigger_id, partial(_review_modal, ctx)).view is not None


def _review_modal(ctx: BotContext, person: PersonRecord) -> dict[str, Any] | None:
    previous = review_service.latest_answers(ctx, person)
    return build_review_modal(previous) if previous is not None else None


def publish_home(ctx: BotContext, client: WebClient, team_id: str, user_id: str) -> None:
    """Render and publish the dashboard; a failure is logged, never shown to the person as an error.

    It is the last step after a change was saved and confirmed: a database that stops answering
    now must not make the bot tell the person that nothing was saved.
    """
    try:
        person = ensure_person(ctx, client, team_id, user_id)
        client.views_publish(user_id=user_id, view=build_home(progress_service.home_for(ctx, person)))
    except SlackApiError as exc:
        log.warning("views.publish failed for %s: %s", user_id, exc.response.get("error"))
    except LeadError as exc:
        log.warning("the App Home of %s was not refreshed: %s", user_id, type(exc).__name__)


def clear_home(client: WebClient, user_id: str) -> None:
    """After ``/lead forget``: an App Home that shows nothing of the person any more."""
    try:
        client.views_publish(user_id=user_id, view=forgotten_home())
    except SlackApiError as exc:
        log.warning("could not clear the App Home of %s: %s", user_id, exc.response.get("error"))


def goals_list(ctx: BotContext, person: PersonRecord, note: str | None = None) -> dict[str, Any]:
    """``/lead goals``: the person's active goals; ``note`` on top says what just changed."""
    return goals_list_message(goal_service.active_goals(ctx, person), today(ctx, person), note=note)


def replace_goals_list(response_url: str, payload: dict[str, Any]) -> None:
    """Refresh the goals list a modal was opened from; best effort (response URLs expire)."""
    try:
        response = WebhookClient(response_url, timeout=10).send(replace_original=True, **payload)
        if response.status_code != 200:
            log.info("refreshing the goals list answered %s", response.status_code)
    except (OSError, ValueError) as exc:
        log.info("could not refresh the goals list: %s", exc)


def settle_prompt(client: WebClient, where: tuple[str, str] | None, *, spent: Collection[str], note: str,
                  original: Mapping[str, Any] | None = None) -> bool:
    """Update a prompt message in place: its ``spent`` buttons gone, ``note`` saying what happened.

    ``where`` is the message's (channel, ts); ``original`` the message as Slack holds it (a click's
    payload carries it; after a modal it is read back from the conversation). Best effort: the
    answer is already saved, so a refusal is logged and False returned.
    """
    if where is None:
        return False
    channel, ts = where
    try:
        if original is None:
            found = client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
            original = next((m for m in found.get("messages") or [] if m.get("ts") == ts), None)
            if original is None:
                return False
        client.chat_update(channel=channel, ts=ts, **answered_prompt(original, spent=spent, note=note))
    except SlackApiError as exc:
        log.info("could not update the prompt message %s: %s", ts, exc.response.get("error"))
        return False
    return True
