"""``/lead goal`` (the new-goal modal) and ``/lead goals`` (the list with its buttons)."""

from __future__ import annotations

from bot.services.focus import current_focus
from bot.services.people import ensure_person
from bot.slack.commands.request import CommandRequest
from bot.slack.surfaces import goals_list, open_modal
from bot.views.goals import build_goal_modal, title_from_command


def goal(req: CommandRequest) -> None:
    # Ack first: the trigger id is only good for 3 seconds.
    req.ack()
    title = title_from_command(req.args)
    open_modal(req.ctx, req.client, req.team_id, req.user_id, req.trigger_id,
               lambda person: build_goal_modal(focus=current_focus(req.ctx, person).foundation, title=title))


def goals(req: CommandRequest) -> None:
    req.ack(**goals_list(req.ctx, ensure_person(req.ctx, req.client, req.team_id, req.user_id)))

