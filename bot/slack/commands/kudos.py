"""``/lead kudos <@U…> text`` thanks at once; ``/lead kudos`` alone opens the form with a person picker.

The recipient comes from the raw, escaped text (a ``<@U…|name>`` mention Slack wrote, since the
manifest sets ``should_escape``); the thanks themselves are the decoded words.
"""

from __future__ import annotations

from bot.mrkdwn import leading_mention, plain_text
from bot.services import kudos as kudos_service
from bot.services.people import ensure_person
from bot.services.types.pairing import KudosForm, KudosRefusal
from bot.slack.commands.request import CommandRequest
from bot.slack.modals.common import send_dm
from bot.slack.surfaces import open_modal
from bot.views.blocks import notice
from bot.views.kudos import kudos_dm, kudos_modal, kudos_sent, refusal_text


def kudos(req: CommandRequest) -> None:
    if not req.raw_args:
        req.ack()  # the trigger id is only good for 3 seconds
        open_modal(req.ctx, req.client, req.team_id, req.user_id, req.trigger_id, lambda _person: kudos_modal(),
                   same=lambda _seen, _stored: True)  # the form is the same for everyone
        return
    recipient, rest = leading_mention(req.raw_args)
    if recipient is None:
        req.ack(**notice(refusal_text(KudosRefusal.NO_RECIPIENT)))
        return
    giver = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
    form = KudosForm(recipient=recipient, text=plain_text(rest).strip(), share=False)
    given = kudos_service.give(req.ctx, req.client, giver, form, req.context.bot_user_id)
    if isinstance(given, KudosRefusal):
        req.ack(**notice(refusal_text(given)))
        return
    req.ack(**kudos_sent(given, None))
    send_dm(req.client, given.recipient, kudos_dm(given), "kudos")
