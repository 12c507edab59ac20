"""A person's rights over their data: get a copy (``/lead export``) and erase it (``/lead forget``)."""

from __future__ import annotations

import json
import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.errors import NotYours, Owned
from bot.services.context import BotContext
from bot.services.export import export_person
from bot.services.types.privacy import Forgotten
from bot.store import kudos as kudos_store
from bot.store import ledger
from bot.store import people as people_store
from bot.store import wins as win_store

log = logging.getLogger(__name__)


def export_filename(user_id: str) -> str:
    return f"lead-bot-export-{user_id}.json"


def export_document(ctx: BotContext, user_id: str) -> str | None:
    """The person's data (docs/interface.md, "lead-bot export") as pretty-printed JSON; None if unknown."""
    data = export_person(ctx, user_id)
    if data is None:
        return None
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def send_export(client: WebClient, user_id: str, document: str, comment: str) -> bool:
    """Upload ``document`` into the person's DM with the bot, with ``comment``; False when Slack refused."""
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(channel=channel, content=document, filename=export_filename(user_id),
                               title="Your lead-bot data", initial_comment=comment)
    except (SlackApiError, SlackRequestError) as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else str(exc)
        log.warning("sending the export to %s failed: %s", user_id, error)
        return False
    return True


def is_known(ctx: BotContext, team_id: str, user_id: str) -> bool:
    """Whether anything is stored about the person (looked up, never created)."""
    with ctx.store.session() as session:
        return people_store.find_person(session, team_id, user_id) is not None


def confirm_asker(user_id: str, asked_for: str) -> None:
    """The buttons under ``/lead forget``'s question act only for the person it was shown to.

    ``asked_for`` is whom the question was shown to (the button's value); anyone else clicking
    (a replayed click) gets NotYours, and nothing is deleted, not even their own data.
    """
    if asked_for != user_id:
        raise NotYours(Owned.DELETION)


def forget(ctx: BotContext, client: WebClient, team_id: str, user_id: str, asked_for: str) -> Forgotten:
    """Erase the person and everything hanging off them, then remove their shared win posts.

    The rows go in one transaction: the person (check-ins, goals, wins, pauses, reflections,
    learning logs, prompt sends and feedback follow through the foreign keys' cascades) and the
    ledger rows addressed to them. The channel posts are removed afterwards, best effort: Slack
    may refuse (a post already deleted by hand), and that must not bring the data back.
    """
    confirm_asker(user_id, asked_for)
    with ctx.store.session() as session:
        # Kudos received hang off the recipient's Slack id, not a person row: someone thanked
        # before they ever used lead-bot can still have them erased.
        received_kudos = kudos_store.delete_received(session, team_id, user_id)
        person = people_store.find_person(session, team_id, user_id)
        if person is None:
            return Forgotten(found=received_kudos > 0)
        posts = win_store.shared_posts(session, person.id)
        ledger.delete_deliveries_to(session, team_id, user_id)
        people_store.delete_person(session, person.id)
    deleted = failed = 0
    for channel, ts in posts:
        try:
            client.chat_delete(channel=channel, ts=ts)
            deleted += 1
        except SlackApiError as exc:
            log.warning("could not delete win post %s in %s: %s", ts, channel, exc.response.get("error"))
            failed += 1
    return Forgotten(found=True, posts_deleted=deleted, posts_failed=failed)
