"""``/lead pair``: open the practice-pairing modal with the saved choice or the role's suggestion."""

from __future__ import annotations

from bot.services import pairing as pairing_service
from bot.services.people import ensure_person
from bot.slack.commands.request import CommandRequest
from bot.views.pairing import pair_modal


def pair(req: CommandRequest) -> None:
    req.ack()  # the trigger id is only good for 3 seconds
    person = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
    req.client.views_open(trigger_id=req.trigger_id, view=pair_modal(pairing_service.pairing_settings(req.ctx, person)))
