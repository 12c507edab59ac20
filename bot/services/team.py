"""The workspace side: who may configure the bot, the configuration itself, and ``/lead team``.

Anonymity rule for ``/lead team``: a figure is shown only when it is computed over at least
:data:`MIN_GROUP` people. Participation and win counts are computed over the channel members
the bot knows; rating averages over the people who actually checked in during the window.
Below the threshold the figure is withheld and the reason is said.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.coaching.foundations import FOUNDATIONS, PAIRING_PRACTICE, PRACTICES
from bot.coaching.weeks import shift_week, week_of
from bot.scheduler.registry import CHECKIN_NUDGE
from bot.services import timeoff as timeoff_service
from bot.services.celebrations import team_channel
from bot.services.context import BotContext
from bot.services.people import slack_user
from bot.services.types.settings import ChannelProblem, ConfigForm, WorkspaceConfig
from bot.services.types.team import TeamAnswer, TeamProblem, TeamReport
from bot.store import kudos as team_kudos_store
from bot.store import pairing as pairing_store
from bot.store import people as people_store
from bot.store import team as team_store
from bot.store.records import WorkspaceRecord

log = logging.getLogger(__name__)
MIN_GROUP = 3
WINDOW_WEEKS = 4
TREND_WEEKS = 12


# who may configure ---------------------------------------------------------------------------------
def is_config_admin(ctx: BotContext, client: WebClient, user_id: str) -> bool:
    """Listed in LEAD_ADMINS, or a workspace admin or owner according to a live ``users.info``."""
    if user_id in ctx.settings.admins:
        return True
    user = slack_user(client, user_id)
    if user is None:
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


# configuration -------------------------------------------------------------------------------------
def workspace_config(ctx: BotContext, team_id: str) -> WorkspaceConfig:
    # Read only: the config modal opens before anything is written (ensure_workspace, after).
    with ctx.store.read() as session:
        row = people_store.workspace_as_seen(session, team_id, ctx.clock.now())
    return _config(ctx, row)


def ensure_workspace(ctx: BotContext, team_id: str) -> None:
    """The workspace's row, created on first contact (an upsert), as its first person's is."""
    with ctx.store.session() as session:
        people_store.get_or_create_workspace(session, team_id, ctx.clock.now())


def _config(ctx: BotContext, row: WorkspaceRecord) -> WorkspaceConfig:
    return WorkspaceConfig(channel=row.team_channel or ctx.settings.default_team_channel,
                           nudge=CHECKIN_NUDGE.slot(None, row.slots), default_tz=row.default_tz,
                           celebrations=row.celebrations, holidays=row.holidays, away_terms=row.away_terms or "")


def channel_problem(client: WebClient, channel: str) -> ChannelProblem | None:
    """Why the bot cannot post in ``channel``, or None."""
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as exc:
        error = exc.response.get("error")
        log.info("conversations.info %s failed: %s", channel, error)
        if error in ("channel_not_found", "not_in_channel"):
            return ChannelProblem.CANNOT_SEE
        return ChannelProblem.CHECK_FAILED
    if info.get("is_im") or info.get("is_mpim"):
        return ChannelProblem.DIRECT_MESSAGE
    if info.get("is_archived"):
        return ChannelProblem.ARCHIVED
    return None if info.get("is_member") else ChannelProblem.NOT_A_MEMBER


def save_config(ctx: BotContext, team_id: str, form: ConfigForm) -> tuple[WorkspaceConfig, WorkspaceConfig]:
    """Store the configuration; returns (before, after). The built-in nudge slot is not stored."""
    now = ctx.clock.now()
    with ctx.store.session() as session:
        row = people_store.get_or_create_workspace(session, team_id, now)
        before = _config(ctx, row)
        slots = dict(row.slots)
        if form.nudge == CHECKIN_NUDGE.default_slot:
            slots.pop(CHECKIN_NUDGE.name, None)
        else:
            slots[CHECKIN_NUDGE.name] = str(form.nudge)
        people_store.update_workspace(session, team_id, now, team_channel=form.channel, default_tz=form.default_tz,
                                      slots=slots, celebrations=form.celebrations, holidays=form.holidays,
                                      away_terms=form.away_terms or None)
    return before, WorkspaceConfig(channel=form.channel, nudge=form.nudge, default_tz=form.default_tz,
                                   celebrations=form.celebrations, holidays=form.holidays,
                                   away_terms=form.away_terms)


# /lead team ------------------------------------------------------------------------------------------
def team_numbers(ctx: BotContext, client: WebClient, team_id: str, user_id: str, bot_user_id: str | None
                 ) -> TeamAnswer:
    """The team channel's numbers, for a member of that channel; otherwise why not."""
    channel = team_channel(ctx, team_id)
    if channel is None:
        return TeamAnswer(None, problem=TeamProblem.NO_CHANNEL)
    try:
        members = channel_members(client, channel)
    except SlackApiError as exc:
        log.warning("conversations.members %s failed: %s", channel, exc.response.get("error"))
        return TeamAnswer(channel, problem=TeamProblem.UNREADABLE)
    if user_id not in members:
        return TeamAnswer(channel, problem=TeamProblem.NOT_A_MEMBER)
    return TeamAnswer(channel, report=team_report(ctx, team_id, channel, members, bot_user_id))


def channel_members(client: WebClient, channel: str) -> list[str]:
    """Every member of ``channel``, following Slack's pagination; raises SlackApiError."""
    members: list[str] = []
    cursor: str | None = None
    while True:
        response = client.conversations_members(channel=channel, limit=200, cursor=cursor)
        members += [str(m) for m in response.get("members") or []]
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return members


def team_report(ctx: BotContext, team_id: str, channel: str, members: list[str], bot_user_id: str | None
                ) -> TeamReport:
    with ctx.store.session() as session:
        row = people_store.get_or_create_workspace(session, team_id, ctx.clock.now())
        week = week_of(ctx.clock.now(), row.default_tz)
        weeks = tuple(shift_week(week, offset) for offset in range(-(WINDOW_WEEKS - 1), 1))
        humans = [m for m in members if m != bot_user_id]
        people = team_store.known_people(session, team_id, humans)
        enough = len(people) >= MIN_GROUP
        checked_in = team_store.checkins_per_week(session, people, weeks) if enough else None
        wins = team_store.wins_per_week(session, people, weeks) if enough else None
        summary = team_store.rating_summary(session, people, weeks) if enough else None
        away = timeoff_service.away_without_checkin(session, people, weeks, ctx.clock.now()) if enough else None
        trends = _trends(session, people, week) if enough else {}
    rating_people = summary.people if summary else 0
    ratings = summary.averages if summary and summary.people >= MIN_GROUP else None
    return TeamReport(channel=channel, week=week, weeks=weeks, channel_size=len(humans), known=len(people),
                      checked_in=checked_in, rating_people=rating_people, ratings=ratings, wins=wins,
                      min_group=MIN_GROUP, away=away, **trends)


def _trends(session: Session, people: list[int], week: str) -> dict[str, Any]:
    """The 12-week figures: per-foundation averages, participation, practices (pairs that met too), kudos.

    A week counts only when at least :data:`MIN_GROUP` people stand behind it: averages over the
    people who checked in that week, practices over those who checked in or met a practice pair.
    """
    weeks = tuple(shift_week(week, offset) for offset in range(-(TREND_WEEKS - 1), 1))
    weekly = team_store.weekly_ratings(session, people, weeks)
    foundation_trends = {f: tuple(averages[f] if count >= MIN_GROUP else None for count, averages in
                                  (weekly[w] for w in weeks)) for f in FOUNDATIONS}
    ticked = team_store.practices_per_week(session, people, weeks)
    met = pairing_store.met_kinds(session, people, weeks)
    practices: Counter[str] = Counter()
    pairings = counted = 0
    for w in weeks:
        done = {person: set(found) for person, found in ticked[w].items()}
        met_now = {person: kinds[w] for person, kinds in met.items() if w in kinds}
        for person, kinds in met_now.items():
            done.setdefault(person, set()).update(PAIRING_PRACTICE[k] for k in kinds if k in PAIRING_PRACTICE)
        if len(done) < MIN_GROUP:
            continue
        counted += 1
        pairings += sum(len(kinds) for kinds in met_now.values())
        practices.update(p for found in done.values() for p in found if p in PRACTICES)
    order = list(PRACTICES)
    kudos = team_kudos_store.per_week(session, people, weeks)
    return {"trend_weeks": weeks, "foundation_trends": foundation_trends,
            "participation_trend": tuple(weekly[w][0] for w in weeks),
            "practices": tuple(sorted(practices.items(), key=lambda item: (-item[1], order.index(item[0])))),
            "pairings_met": pairings, "practice_weeks": counted, "kudos": tuple(kudos[w] for w in weeks)}
