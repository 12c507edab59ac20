"""``/lead team`` (team-level numbers) and ``/lead config`` (workspace settings, admins only)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.services import team as team_service
from bot.services.celebrations import team_channel
from bot.slack.commands.request import CommandRequest, Subcommand
from bot.views import settings as settings_view
from bot.views.blocks import notice
from bot.views import team as team_view

log = logging.getLogger(__name__)


def _reply(req: CommandRequest, payload: dict) -> None:  # type: ignore[type-arg]
    req.respond(**payload, response_type="ephemeral", replace_original=False)


def team(req: CommandRequest) -> None:
    # Ack now and answer through the response URL: reading a big channel's members takes a few calls.
    req.ack()
    channel = team_channel(req.ctx, req.team_id)
    if channel is None:
        _reply(req, team_view.no_team_channel())
        return
    try:
        members = team_service.channel_members(req.client, channel)
    except SlackApiError as exc:
        log.warning("conversations.members %s failed: %s", channel, exc.response.get("error"))
        _reply(req, team_view.channel_unreadable(channel))
        return
    if req.user_id not in members:
        _reply(req, team_view.not_a_member(channel))
        return
    report = team_service.team_report(req.ctx, req.team_id, channel, members, req.context.bot_user_id)
    _reply(req, team_view.team_message(report))


def config(req: CommandRequest) -> None:
    # Ack first: the trigger id is only good for 3 seconds; the admin check is one quick call.
    req.ack()
    if not team_service.is_config_admin(req.ctx, req.client, req.user_id):
        _reply(req, notice(settings_view.CONFIG_REFUSAL))
        return
    view = settings_view.build_config_modal(team_service.workspace_config(req.ctx, req.team_id))
    req.client.views_open(trigger_id=req.trigger_id, view=view)


SUBCOMMANDS: dict[str, Subcommand] = {"team": team, "config": config}
