"""Celebrations in the team channel: shared wins, finished goals and streak milestones.

Each celebration is posted once: a win remembers its message, a goal is celebrated by the one
request that moved it to ``done``, and a milestone is claimed in the delivery ledger (item
``milestone-<n>``, recipient the person's user id, week the week it was reached). People who
turned public celebrations off get none of the automatic ones; a win they explicitly choose to
share is still shared.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.checkins import streak_of
from bot.services.context import BotContext
from bot.services.people import current_week
from bot.store import ledger
from bot.store import people as people_store
from bot.store import wins as win_store
from bot.store.records import PersonRecord
from bot.views.wins import (
    CELEBRATION_REACTION,
    GOAL_REACTION,
    MILESTONE_REACTION,
    goal_done_post,
    milestone_post,
    win_celebration,
)

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
        return PostResult(False, channel, problem="Slack refused the post, so nothing reached the team channel.")
    return PostResult(True, response.get("channel", channel), response.get("ts"))


def share_win(ctx: BotContext, client: WebClient, team_id: str, user_id: str, win_id: int, text: str,
              foundation: str | None = None, streak: int | None = None) -> PostResult:
    """Celebrate a shared win once: a win that already has a message is not posted again."""
    with ctx.store.session() as session:
        win = win_store.find_win(session, win_id)
    if win is not None and win.message_ts:
        return PostResult(True, win.channel, win.message_ts)
    result = post_to_team(ctx, client, team_id, win_celebration(user_id=user_id, text=text, foundation=foundation,
                                                                streak=streak))
    if result.posted and result.channel and result.ts:
        with ctx.store.session() as session:
            win_store.mark_posted(session, win_id, result.channel, result.ts)
        react(client, result, CELEBRATION_REACTION)
    return result


def react(client: WebClient, post: PostResult, name: str) -> bool:
    """Add the bot's reaction to a celebration it just posted; best effort, never fatal."""
    if not (post.posted and post.channel and post.ts):
        return False
    try:
        client.reactions_add(channel=post.channel, timestamp=post.ts, name=name)
    except SlackApiError as exc:
        if exc.response.get("error") != "already_reacted":
            log.warning("reactions.add on %s failed: %s", post.ts, exc.response.get("error"))
            return False
    return True


# wins ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedWin:
    win_id: int
    shared: bool
    streak: int


def save_win(ctx: BotContext, person: PersonRecord, text: str, *, share: bool,
             foundation: str | None = None) -> SavedWin:
    """Store a win in this week's record (the person's week, in their time zone)."""
    week = current_week(ctx, person)
    with ctx.store.session() as session:
        win = win_store.add_win(session, person.id, text, shared=share, week=week, created_at=ctx.clock.now(),
                                foundation=foundation)
        streak = streak_of(session, person, week).current
        return SavedWin(win_id=win.id, shared=share, streak=streak)


def celebrates_publicly(ctx: BotContext, team_id: str, user_id: str) -> bool:
    """The person's current choice (read fresh: they may have changed it a second ago)."""
    with ctx.store.session() as session:
        person = people_store.find_person(session, team_id, user_id)
        return bool(person is not None and person.celebrate_publicly)


# goals ---------------------------------------------------------------------------------------
def celebrate_goal(ctx: BotContext, client: WebClient, team_id: str, user_id: str, title: str,
                   foundation: str | None) -> PostResult:
    """Post a finished goal; the caller makes sure this runs once per goal."""
    result = post_to_team(ctx, client, team_id, goal_done_post(user_id=user_id, title=title, foundation=foundation))
    react(client, result, GOAL_REACTION)
    return result


# streak milestones -----------------------------------------------------------------------------
def celebrate_milestone(ctx: BotContext, client: WebClient, team_id: str, user_id: str, weeks: int,
                        week: str) -> PostResult | None:
    """Celebrate a ``weeks``-long streak reached in ``week``, once; None when not celebrated.

    Nothing is posted when the person turned celebrations off, or when another request already
    claimed this milestone for this week.
    """
    if not celebrates_publicly(ctx, team_id, user_id):
        return None
    item, token = f"milestone-{weeks}", ledger.new_token()
    key = {"team_id": team_id, "recipient": user_id, "item": item, "week": week}
    with ctx.store.session() as session:
        claim = ledger.claim(session, **key, token=token, now=ctx.clock.now()).claim
    if claim is ledger.Claim.HELD:
        return None
    result = post_to_team(ctx, client, team_id, milestone_post(user_id=user_id, weeks=weeks))
    with ctx.store.session() as session:
        ledger.finish(session, **key, token=token, status="sent" if result.posted else "skipped",
                      now=ctx.clock.now(), message_ts=result.ts, detail=result.problem)
    react(client, result, MILESTONE_REACTION)
    return result
