"""Knowing who someone is: their record, and their time zone as Slack reports it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.weeks import local_date, week_of
from bot.services.context import BotContext
from bot.store import checkins as checkin_store
from bot.store import people as people_store
from bot.store.events import first_time_seen
from bot.store.records import PersonRecord

log = logging.getLogger(__name__)
TZ_MAX_AGE = timedelta(days=1)


def slack_user(client: WebClient, user_id: str) -> dict[str, Any] | None:
    """The user object ``users.info`` returns; None (and one line logged) when Slack refuses or is unreachable."""
    try:
        return client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
    except OSError as exc:  # URLError, timeouts, refused connections: Slack cannot be reached
        log.warning("users.info failed for %s: Slack cannot be reached (%s)", user_id, type(exc).__name__)
    return None


@contextmanager
def reading(ctx: BotContext) -> Iterator[None]:
    """The reads made inside share one read-only transaction (``Store.read``): e.g. all a modal shows."""
    with ctx.store.read():
        yield


def person_to_show(ctx: BotContext, team_id: str, user_id: str) -> PersonRecord:
    """The person as stored, or as a newcomer will start (``people_store.newcomer``), read only.

    What a modal is built from before it opens: it takes no write lock and calls no Slack
    method, so the trigger's 3 seconds are spent on nothing but the read and ``views.open``.
    :func:`ensure_person` stores the newcomer afterwards.
    """
    with ctx.store.read() as session:
        return (people_store.find_person(session, team_id, user_id)
                or people_store.newcomer(session, team_id, user_id, ctx.clock.now()))


def is_stored(person: PersonRecord) -> bool:
    return person.id != people_store.NOT_STORED


def ensure_person(ctx: BotContext, client: WebClient | None, team_id: str, user_id: str,
                  seen: PersonRecord | None = None) -> PersonRecord:
    """The person's record, created on first contact, with a time zone at most a day old.

    ``seen`` is what :func:`person_to_show` returned moments ago, to save reading it again. A
    known person with a fresh zone costs one read and no write. ``users.info`` is called only
    when the cached zone is missing or stale, so most requests cost no Slack call; when Slack
    cannot answer, the cached zone (or UTC) is used. A newcomer is then stored in one upsert,
    with their zone when Slack gave it.
    """
    now = ctx.clock.now()
    person = seen if seen is not None else person_to_show(ctx, team_id, user_id)
    stale = person.tz_fetched_at is None or now - person.tz_fetched_at > TZ_MAX_AGE
    if is_stored(person) and (not stale or client is None):
        return person
    user = slack_user(client, user_id) if stale and client is not None else None
    known: dict[str, Any] = {}
    if user is not None:
        name = (user.get("profile") or {}).get("display_name") or user.get("real_name") or user.get("name")
        known = {"display_name": name, "tz_fetched_at": now}
        if user.get("tz"):
            known["slack_tz"] = user["tz"]
    elif is_stored(person):
        return person
    with ctx.store.session() as session:
        return people_store.upsert_person(session, team_id, user_id, now, **known)


def current_week(ctx: BotContext, person: PersonRecord) -> str:
    """The ISO week it is now for this person."""
    return week_of(ctx.clock.now(), person.timezone)


def today(ctx: BotContext, person: PersonRecord) -> date:
    """The calendar date it is now for this person."""
    return local_date(ctx.clock.now(), person.timezone)


def first_name(display_name: str | None) -> str:
    """What to call a person in a message: the first word of their Slack name, else "there"."""
    name = (display_name or "").strip()
    return name.split()[0] if name else "there"


def rehearse_first_contact(ctx: BotContext) -> None:
    """Run what nearly every request runs (the request ledger, finding or creating the person),
    rolled back: its statements are compiled and cached before the first real request needs them."""
    now = ctx.clock.now()
    with ctx.store.rehearsal() as session:
        first_time_seen(session, "lead-bot.rehearsal", now)
        person = people_store.get_or_create_person(session, "T0REHEARSAL", "U0REHEARSAL", now)
        people_store.update_person(session, person.id, tz_fetched_at=now)
        checkin_store.find_checkin(session, person.id, week_of(now, person.timezone))


def first_delivery(ctx: BotContext, key: str) -> bool:
    """True the first time Slack delivers the request with ``key``; False for a re-sent copy."""
    with ctx.store.session() as session:
        return first_time_seen(session, key, ctx.clock.now())
