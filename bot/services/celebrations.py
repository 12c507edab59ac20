"""Celebrations in the team channel: shared wins, finished goals and streak milestones.

Each celebration is posted once: a win remembers its message, a goal is celebrated by the one
request that moved it to ``done``, and a milestone is claimed in the delivery ledger (item
``milestone-<n>``, recipient the person's user id, week the week it was reached). People who
turned public celebrations off get none of the automatic ones; a win they explicitly choose to
share is still shared.

Quieter channels: a workspace admin chooses (``/lead config``) whether milestones and finished
goals are posted as they happen (``live``) or only gathered into the Friday team digest
(``digest``, the default). Either way the digest lists them: a finished goal by its done time, a
milestone by its ledger claim, which is finished as ``sent`` when posted and as ``digest`` when
only gathered.

Posts are described as data and made through a :class:`~bot.services.types.wins.TeamChannel`,
so what a celebration looks like stays in ``bot/views/wins.py``.
"""

from __future__ import annotations

from bot.services.context import BotContext
from bot.services.types.settings import CELEBRATION_MODES, DIGEST
from bot.services.types.wins import (
    GoalPost,
    MilestonePost,
    PostProblem,
    PostResult,
    TeamChannel,
    TeamPost,
    WinPost,
)
from bot.store import ledger
from bot.store import people as people_store
from bot.store import progress as progress_store
from bot.store import wins as win_store


def team_channel(ctx: BotContext, team_id: str) -> str | None:
    """The channel set with ``/lead config``, else ``LEAD_TEAM_CHANNEL``."""
    return _where(ctx, team_id)[0]


def _where(ctx: BotContext, team_id: str) -> tuple[str | None, str]:
    """The team channel and the celebration mode, read together."""
    with ctx.store.read() as session:
        workspace = people_store.workspace_as_seen(session, team_id, ctx.clock.now())
    mode = workspace.celebrations if workspace.celebrations in CELEBRATION_MODES else DIGEST
    return workspace.team_channel or ctx.settings.default_team_channel, mode


def post_to_team(ctx: BotContext, team: TeamChannel, team_id: str, post: TeamPost) -> PostResult:
    """Post ``post`` to the team channel, or say why it could not be."""
    channel = team_channel(ctx, team_id)
    if channel is None:
        return PostResult(False, problem=PostProblem.NO_CHANNEL)
    return team.post(channel, post)


# wins ----------------------------------------------------------------------------------------
def share_win(ctx: BotContext, team: TeamChannel, team_id: str, win_id: int, post: WinPost) -> PostResult:
    """Celebrate a shared win once: a win that already has a message is not posted again."""
    with ctx.store.session() as session:
        win = win_store.find_win(session, win_id)
    if win is not None and win.message_ts:
        return PostResult(True, win.channel, win.message_ts)
    result = post_to_team(ctx, team, team_id, post)
    if result.posted and result.channel and result.ts:
        with ctx.store.session() as session:
            win_store.mark_posted(session, win_id, result.channel, result.ts)
        team.react(result, post)
    return result


def celebrates_publicly(ctx: BotContext, team_id: str, user_id: str) -> bool:
    """The person's current choice (read fresh: they may have changed it a second ago)."""
    with ctx.store.session() as session:
        person = people_store.find_person(session, team_id, user_id)
    return bool(person is not None and person.celebrate_publicly)


# goals ---------------------------------------------------------------------------------------
def celebrate_goal(ctx: BotContext, team: TeamChannel, team_id: str, post: GoalPost) -> PostResult:
    """Post a finished goal, or leave it to the digest; the caller makes sure this runs once per goal."""
    channel, mode = _where(ctx, team_id)
    if channel is None:
        return PostResult(False, problem=PostProblem.NO_CHANNEL)
    if mode == DIGEST:
        return PostResult(False, channel, gathered=True)  # the digest finds it by its done time
    result = team.post(channel, post)
    team.react(result, post)
    return result


# streak milestones -----------------------------------------------------------------------------
def celebrate_milestone(ctx: BotContext, team: TeamChannel, team_id: str, user_id: str, weeks: int,
                        week: str) -> PostResult | None:
    """Celebrate a ``weeks``-long streak reached in ``week``, once; None when not celebrated.

    Nothing is posted when the person turned celebrations off, or when another request already
    claimed this milestone for this week.
    """
    if not celebrates_publicly(ctx, team_id, user_id):
        return None
    item, token = f"{progress_store.MILESTONE_ITEM_PREFIX}{weeks}", ledger.new_token()
    with ctx.store.session() as session:
        claim = ledger.claim(session, team_id=team_id, recipient=user_id, item=item, week=week, token=token,
                             now=ctx.clock.now()).claim
    if claim is ledger.Claim.HELD:
        return None
    post = MilestonePost(user_id=user_id, weeks=weeks)
    channel, mode = _where(ctx, team_id)
    if channel is None:
        result = PostResult(False, problem=PostProblem.NO_CHANNEL)
    elif mode == DIGEST:
        result = PostResult(False, channel, gathered=True)
    else:
        result = team.post(channel, post)
    status = "sent" if result.posted else progress_store.GATHERED if result.gathered else "skipped"
    with ctx.store.session() as session:
        ledger.finish(session, team_id=team_id, recipient=user_id, item=item, week=week, token=token,
                      status=status, now=ctx.clock.now(), message_ts=result.ts,
                      detail=result.problem.value if result.problem else None)
    team.react(result, post)
    return result
