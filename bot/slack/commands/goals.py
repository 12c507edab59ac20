"""``/lead goal`` (the new-goal modal) and ``/lead goals`` (the list with its buttons)."""

from __future__ import annotations

from bot import limits
from bot.mrkdwn import truncate
from bot.services import goals as goal_service
from bot.services.people import ensure_person, today
from bot.slack.commands.request import CommandRequest, Subcommand
from bot.views.goals import build_goal_modal, goals_list_message


def goal(req: CommandRequest) -> None:
    # Ack first: the trigger id is only good for 3 seconds.
    req.ack()
    person = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
    title = truncate(" ".join(req.args.split()), limits.GOAL_TITLE) or None
    req.client.views_open(trigger_id=req.trigger_id, view=build_goal_modal(focus=person.focus, title=title))


def goals(req: CommandRequest) -> None:
    person = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
    req.ack(**goals_list_message(goal_service.active_goals(req.ctx, person), today(req.ctx, person)))


SUBCOMMANDS: dict[str, Subcommand] = {"goal": goal, "goals": goals}
