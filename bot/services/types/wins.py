"""Wins and the team channel: the win form, what saving one returns, and celebration posts.

A service decides what to celebrate and where; it describes the post as data (:data:`TeamPost`)
and hands it to a :class:`TeamChannel`, which ``bot/slack/team_channel.py`` implements with the
views and the Web API. So services never build Block Kit, and the posts stay the views' work.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol


@dataclass(frozen=True)
class WinForm:
    text: str
    share: bool
    foundation: str | None


class PostProblem(Enum):
    """Why a post did not reach the team channel."""

    NO_CHANNEL = "no_channel"  # neither /lead config nor LEAD_TEAM_CHANNEL set one
    NOT_IN_CHANNEL = "not_in_channel"  # the bot is not a member (or cannot see the channel)
    REFUSED = "refused"  # Slack refused for another reason


@dataclass(frozen=True)
class PostResult:
    posted: bool
    channel: str | None = None
    ts: str | None = None
    problem: PostProblem | None = None  # set when it was not posted
    gathered: bool = False  # not posted now on purpose: the workspace gathers it into the team digest


# what the team channel is told -----------------------------------------------------------------------
@dataclass(frozen=True)
class WinPost:
    user_id: str
    text: str
    foundation: str | None = None
    streak: int | None = None


@dataclass(frozen=True)
class GoalPost:
    user_id: str
    title: str
    foundation: str | None


@dataclass(frozen=True)
class MilestonePost:
    user_id: str
    weeks: int


@dataclass(frozen=True)
class KudosPost:
    """Thanks the giver chose to show the team: both mentions, the words escaped by the view."""

    giver: str
    recipient: str
    text: str


TeamPost = WinPost | GoalPost | MilestonePost | KudosPost


class TeamChannel(Protocol):
    """Posting celebrations to a workspace's team channel, on behalf of one request's Slack client."""

    def post(self, channel: str, post: TeamPost) -> PostResult:
        """Post ``post`` in ``channel``; a refusal comes back as a problem, never as an exception."""
        ...

    def react(self, posted: PostResult, post: TeamPost) -> None:
        """Add the bot's own reaction to a post it just made; best effort."""
        ...


# saving a win -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedWin:
    """A win just stored, and what is needed to share it after the acknowledgement."""

    win_id: int
    team_id: str
    user_id: str
    text: str
    foundation: str | None
    shared: bool  # the person asked for it to be shared (or celebrates publicly, for /lead win text)
    streak: int
    channel: str | None  # where it would be shared; None when no team channel is set
    celebrations_off: bool = False  # /lead win text kept it private because celebrations are off


@dataclass(frozen=True)
class WinShared:
    """What sharing a saved win did."""

    saved: SavedWin
    post: PostResult | None  # None when the win was not to be shared
