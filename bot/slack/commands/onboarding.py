"""``/lead start``: open the self-assessment, pre-filled with the person's earlier answers."""

from __future__ import annotations

from bot.services import onboarding as onboarding_service
from bot.slack.commands.request import CommandRequest
from bot.slack.surfaces import open_modal
from bot.views.onboarding import build_assessment_modal


def start(req: CommandRequest) -> None:
    # Ack first: the trigger id is only good for 3 seconds.
    req.ack()
    open_modal(req.ctx, req.client, req.team_id, req.user_id, req.trigger_id,
               lambda person: build_assessment_modal(onboarding_service.previous_answers(req.ctx, person)))

