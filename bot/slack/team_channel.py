"""Posting celebrations to the team channel through one request's Slack client.

Implements :class:`bot.services.types.wins.TeamChannel`: the services decide what to celebrate
and where, this renders it with ``bot/views/wins.py`` and sends it.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.types.wins import PostProblem, PostResult, TeamPost
from bot.views.wins import reaction, team_post

log = logging.getLogger(__name__)


class SlackTeamChannel:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def post(self, channel: str, post: TeamPost) -> PostResult:
        try:
            response = self._client.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False,
                                                     **team_post(post))
        except SlackApiError as exc:
            error = exc.response.get("error")
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
