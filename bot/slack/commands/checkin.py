"""``/lead checkin`` and ``/lead stats``."""

from __future__ import annotations

from bot.services import progress as progress_service
from bot.services.people import ensure_person
from bot.slack.commands.request import CommandRequest
from bot.slack.surfaces import open_checkin
from bot.views.messages import stats_message


def checkin(req: CommandRequest) -> None:
    # Ack first: the trigger id is only good for 3 seconds, and the modal needs a database read
    # (open_checkin opens it before anything is written).
    req.ack()
    open_checkin(req.ctx, req.client, req.team_id, req.user_id, req.trigger_id)


def stats(req: CommandRequest) -> None:
    person = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
    req.ack(**stats_message(progress_service.stats_for(req.ctx, person)))

