"""Posting celebrations to the team channel through one request's Slack client.

Implements :class:`bot.services.types.wins.TeamChannel`: the services decide what to celebrate
and where, this renders it with ``bot/views/wins.py`` and sends it. Given the context and the
workspace, a post first takes a token of the workspace's send bucket, the one scheduled posts
use (``bot/scheduler/pacing.py``), and a 429 pauses the workspace for every process.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.scheduler.pacing import WorkspacePacer, process_pacer
from bot.scheduler.sender import retry_after
from bot.services.context import BotContext
from bot.services.types.wins import PostProblem, PostResult, TeamPost
from bot.views.wins import reaction, team_post

log = logging.getLogger(__name__)


class SlackTeamChannel:
    def __init__(self, client: WebClient, ctx: BotContext, team_id: str) -> None:
        # Every team-channel post takes the workspace's send bucket: no caller can forget it.
        self._client = client
        self._team_id = team_id
        self._pacer: WorkspacePacer = process_pacer(ctx.store, rate=ctx.settings.send_rate,
                                                    burst=ctx.settings.send_burst)

    def post(self, channel: str, post: TeamPost) -> PostResult:
        self._pacer.acquire(self._team_id)
        try:
            response = self._client.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False,
                                                     **team_post(post))
        except SlackApiError as exc:
            error = exc.response.get("error")
            if exc.response.status_code == 429:
                self._pacer.pause(self._team_id, retry_after(exc))
            log.warning("posting to %s failed: %s", channel, error)
            if error in ("not_in_channel", "channel_not_found"):
                return PostResult(False, channel, problem=PostProblem.NOT_IN_CHANNEL)
            return PostResult(False, channel, problem=PostProblem.REFUSED)
        return PostResult(True, response.get("channel", channel), response.get("ts"))

    def react(self, posted: PostResult, post: TeamPost) -> None:
        if not (posted.posted and posted.channel and posted.ts):
            return
        try:
            self._client.reactions_add(channel=posted.channel, timestamp=posted.ts, name=reaction(post))
        except SlackApiError as exc:
            if exc.response.get("error") != "already_reacted":
                log.warning("reactions.add on %s failed: %s", posted.ts, exc.response.get("error"))
