"""Kudos between peers (``/lead kudos``): checked, stored, told to the recipient, shown to the team on request.

Refused with nothing stored: thanking oneself, a bot (or lead-bot), and anyone ``users.info``
says is deactivated or does not know. The recipient is checked live with Slack, never trusted
from the text. The recipient is kept as a Slack id, so a thank-you does not enrol anyone in
lead-bot's weekly messages.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot import limits
from bot.errors import NotYours, Owned
from bot.services import celebrations
from bot.services.context import BotContext
from bot.services.people import current_week, slack_user
from bot.services.types.pairing import KudosForm, KudosGiven, KudosRefusal
from bot.services.types.people import PersonRecord
from bot.services.types.wins import KudosPost, PostResult, TeamChannel
from bot.store import kudos as kudos_store

SLACKBOT = "USLACKBOT"


def check_text(text: str) -> KudosRefusal | None:
    if not text.strip():
        return KudosRefusal.NO_TEXT
    if len(text) > limits.KUDOS_TEXT:
        return KudosRefusal.TOO_LONG
    return None


def check_recipient(client: WebClient, giver: str, recipient: str, bot_user_id: str | None) -> KudosRefusal | None:
    """Why ``recipient`` cannot be thanked, asking Slack who they are; None when they can."""
    if recipient == giver:
        return KudosRefusal.SELF
    if recipient in (SLACKBOT, bot_user_id):
        return KudosRefusal.BOT
    user = slack_user(client, recipient)
    if user is None:
        return KudosRefusal.UNKNOWN
    if user.get("is_bot") or user.get("is_app_user"):
        return KudosRefusal.BOT
    if user.get("deleted"):
        return KudosRefusal.GONE
    return None


def give(ctx: BotContext, client: WebClient, giver: PersonRecord, form: KudosForm, bot_user_id: str | None
         ) -> KudosGiven | KudosRefusal:
    """Store the kudos once every check passes; a refusal stores nothing."""
    refusal = check_text(form.text) or check_recipient(client, giver.user_id, form.recipient, bot_user_id)
    if refusal is not None:
        return refusal
    week, now = current_week(ctx, giver), ctx.clock.now()
    with ctx.store.session() as session:
        row = kudos_store.add_kudos(session, giver.team_id, giver.id, form.recipient, form.text, shared=form.share,
                                    week=week, created_at=now)
    return KudosGiven(kudos_id=row.id, team_id=giver.team_id, giver=giver.user_id, recipient=form.recipient,
                      text=form.text, shared=form.share, channel=celebrations.team_channel(ctx, giver.team_id))


def post_shared(ctx: BotContext, team: TeamChannel, given: KudosGiven) -> PostResult | None:
    """Show shared kudos in the team channel once; None when the giver kept them between the two of them."""
    if not given.shared:
        return None
    with ctx.store.session() as session:
        row = kudos_store.find_kudos(session, given.kudos_id)
    if row is not None and row.message_ts:
        return PostResult(True, row.channel, row.message_ts)
    result = celebrations.post_to_team(ctx, team, given.team_id,
                                       KudosPost(giver=given.giver, recipient=given.recipient, text=given.text))
    if result.posted and result.channel and result.ts:
        with ctx.store.session() as session:
            kudos_store.mark_shared(session, given.kudos_id, result.channel, result.ts)
    return result


def share_later(ctx: BotContext, team: TeamChannel, team_id: str, user_id: str, kudos_id: int | None
                ) -> PostResult | None:
    """The giver's "show the team" button after ``/lead kudos @someone text``; NotYours for anyone else."""
    with ctx.store.session() as session:
        row = kudos_store.find_kudos(session, kudos_id) if kudos_id is not None else None
        if row is None or row.team_id != team_id or row.giver_user != user_id:
            raise NotYours(Owned.KUDOS)
        kudos_store.mark_shared(session, row.id)
    given = KudosGiven(kudos_id=row.id, team_id=row.team_id, giver=row.giver_user, recipient=row.recipient_user,
                       text=row.text, shared=True, channel=celebrations.team_channel(ctx, team_id))
    return post_shared(ctx, team, given)


def export_kudos(ctx: BotContext, person: PersonRecord) -> dict[str, list[dict[str, object]]]:
    """The export's ``kudos`` key: given (with whether the team saw them) and received, oldest first."""
    with ctx.store.session() as session:
        rows = kudos_store.of_person(session, person.id, person.team_id, person.user_id)
    given: list[dict[str, object]] = [{"to": row.recipient_user, "text": row.text, "shared": row.shared,
              "created_at": row.created_at.isoformat()}
             for row in rows if row.giver_user == person.user_id]
    got: list[dict[str, object]] = [{"from": row.giver_user, "text": row.text, "created_at": row.created_at.isoformat()}
           for row in rows if row.recipient_user == person.user_id]
    return {"given": given, "received": got}
