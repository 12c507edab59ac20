"""``/lead team`` (team-level numbers) and ``/lead config`` (workspace settings, admins only)."""

from __future__ import annotations

from typing import Any

from bot.services import team as team_service
from bot.slack.commands.request import CommandRequest
from bot.views import settings as settings_view
from bot.views import team as team_view
from bot.views.blocks import notice


def _reply(req: CommandRequest, payload: dict[str, Any]) -> None:
    req.respond(**payload, response_type="ephemeral", replace_original=False)


def team(req: CommandRequest) -> None:
    # Ack now and answer through the response URL: reading a big channel's members takes a few calls.
    req.ack()
    answer = team_service.team_numbers(req.ctx, req.client, req.team_id, req.user_id, req.context.bot_user_id)
    _reply(req, team_view.team_answer(answer))


def config(req: CommandRequest) -> None:
    # Ack first: the trigger id is only good for 3 seconds; the admin check is one quick call.
    req.ack()
    if not team_service.is_config_admin(req.ctx, req.client, req.user_id):
        _reply(req, notice(settings_view.CONFIG_REFUSAL))
        return
    view = settings_view.build_config_modal(team_service.workspace_config(req.ctx, req.team_id))
    try:
        req.client.views_open(trigger_id=req.trigger_id, view=view)
    finally:
        team_service.ensure_workspace(req.ctx, req.team_id)

