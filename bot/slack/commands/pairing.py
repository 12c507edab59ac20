"""``/lead pair``: open the practice-pairing modal with the saved choice or the role's suggestion."""

from __future__ import annotations

from bot.services import pairing as pairing_service
from bot.slack.commands.request import CommandRequest
from bot.slack.surfaces import open_modal
from bot.views.pairing import pair_modal


def pair(req: CommandRequest) -> None:
    req.ack()  # the trigger id is only good for 3 seconds
    open_modal(req.ctx, req.client, req.team_id, req.user_id, req.trigger_id,
               lambda person: pair_modal(pairing_service.pairing_settings(req.ctx, person)),
               same=lambda _seen, _stored: True)  # nothing in the modal depends on the time zone
