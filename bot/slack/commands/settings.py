"""``/lead settings`` (the modal), ``/lead pause [weeks]`` and ``/lead resume``."""

from __future__ import annotations

import re

from bot.coaching.pauses import MAX_PAUSE_WEEKS
from bot.services import settings as settings_service
from bot.services.people import ensure_person
from bot.services.types.settings import Resumed
from bot.slack.commands.request import CommandRequest
from bot.slack.surfaces import open_modal, publish_home
from bot.views import settings as settings_view

_WEEKS = re.compile(r"^(\d{1,3})\s*(?:w|wk|wks|week|weeks)?$", re.IGNORECASE)


def parse_weeks(args: str) -> int | None:
    """``""`` → 1, ``"3"``/``"3 weeks"`` → 3; None for anything else or outside 1..12."""
    text = args.strip()
    if not text:
        return 1
    match = _WEEKS.match(text)
    if not match:
        return None
    weeks = int(match.group(1))
    return weeks if 1 <= weeks <= MAX_PAUSE_WEEKS else None


def settings(req: CommandRequest) -> None:
    # Ack first: the trigger id is only good for 3 seconds.
    req.ack()
    open_modal(req.ctx, req.client, req.team_id, req.user_id, req.trigger_id,
               lambda person: settings_view.build_settings_modal(settings_service.current_settings(req.ctx, person)))


def pause(req: CommandRequest) -> None:
    weeks = parse_weeks(req.args)
    if weeks is None:
        req.ack(**settings_view.pause_usage(req.args))
        return
    person = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
    req.ack(**settings_view.pause_confirmation(settings_service.pause(req.ctx, person, weeks)))
    publish_home(req.ctx, req.client, req.team_id, req.user_id)  # the dashboard shows the pause


def resume(req: CommandRequest) -> None:
    person = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
    outcome = settings_service.resume(req.ctx, person)
    req.ack(**settings_view.resume_message(outcome))
    if outcome.kind is not Resumed.NOT_PAUSED:
        publish_home(req.ctx, req.client, req.team_id, req.user_id)

