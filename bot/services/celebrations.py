"""Posting what people chose to share to the team channel."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.context import BotContext
from bot.store import people as people_store
from bot.store import wins as win_store
from bot.views.messages import win_post

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PostResult:
    posted: bool
    channel: str | None = None
    ts: str | None = None
    problem: str | None = None  # what to tell the person when it was not posted


def team_channel(ctx: BotContext, team_id: str) -> str | None:
    """The channel set with ``/lead config``, else ``LEAD_TEAM_CHANNEL``."""
    with ctx.store.session() as session:
        workspace = people_store.get_or_create_workspace(session, team_id, ctx.clock.now())
        return workspace.team_channel or ctx.settings.team_channel


def post_to_team(ctx: BotContext, client: WebClient, team_id: str, payload: dict) -> PostResult:  # type: ignore[type-arg]
    """Post ``payload`` (text and blocks) to the team channel, explaining any reason it could not."""
    channel = team_channel(ctx, team_id)
    if channel is None:
        return PostResult(False, problem="No team channel is set yet; an admin can set one with `/lead config`.")
    try:
        response = client.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False, **payload)
    except SlackApiError as exc:
        error = exc.response.get("error")
        log.warning("posting to %s failed: %s", channel, error)
        if error in ("not_in_channel", "channel_not_found"):
            return PostResult(False, channel, problem=f"I'm not in <#{channel}> yet; invite me with `/invite @lead-bot`.")
        return PostResult(False, channel, problem="Slack refused the post; it is saved and you can share it later.")
    return PostResult(True, response.get("channel", channel), response.get("ts"))


def share_win(ctx: BotContext, client: WebClient, team_id: str, user_id: str, win_id: int, text: str,
              foundation: str | None = None, streak: int | None = None) -> PostResult:
    """Celebrate a shared win once: a win that already has a message is not posted again."""
    with ctx.store.session() as session:
        win = session.get(win_store.Win, win_id)
        if win is not None and win.message_ts:
            return PostResult(True, win.channel, win.message_ts)
    result = post_to_team(ctx, client, team_id, win_post(user_id=user_id, text=text, foundation=foundation,
                                                         streak=streak))
    if result.posted and result.channel and result.ts:
        with ctx.store.session() as session:
            win_store.mark_posted(session, win_id, result.channel, result.ts)
    return result
