"""Time off (docs/coaching.md "Time off"): status changes from Slack, and a person's away days.

The rules are pure (``bot/coaching/timeoff.py``, ``bot/coaching/streaks.py``); this module
feeds them what is stored. A status is only ever learnt from ``user_change`` events, so nothing
here calls Slack.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from bot.coaching import streaks as streak_rules
from bot.coaching.schedule import zone
from bot.coaching.timeoff import (
    AwayCheck,
    away_days_between,
    away_today,
    period_days,
    status_is_away,
    stored_away_terms,
    stored_calendar,
)
from bot.coaching.weeks import local_date
from bot.services.context import BotContext
from bot.services.types.people import PersonRecord, WorkspaceRecord
from bot.services.types.timeoff import StatusChange
from bot.store import people as people_store
from bot.store import schedule as schedule_store
from bot.store import timeoff as timeoff_store
from bot.store.records import AwayPeriodRecord


def status_changed(ctx: BotContext, team_id: str, user_id: str, change: StatusChange) -> bool:
    """Store a person's new status and open or close their away stretch; False when ignored.

    Only people the bot already knows are stored: a ``user_change`` arrives for everybody in the
    workspace, and someone who never used the bot must not get a row from it.
    """
    now = ctx.clock.now()
    with ctx.store.session() as session:
        person = people_store.find_person(session, team_id, user_id) or people_store.find_person_anywhere(
            session, user_id)
        if person is None:
            return False
        if not timeoff_store.record_status(session, person.id, text=change.text, emoji=change.emoji,
                                           expiration=change.expiration, updated=change.updated):
            return False
        workspace = people_store.find_workspace(session, person.team_id)
        sync_away_period(session, person.id, change.text, change.emoji, change.expiration,
                         detection=person.away_detection, away_terms=workspace.away_terms if workspace else None,
                         now=now)
    return True


def sync_away_period(session: Session, person_id: int, text: str | None, emoji: str | None,
                     expiration: int | None, *, detection: bool, away_terms: str | None, now: datetime) -> None:
    """Make the stored away stretches agree with the status at ``now``.

    An away status with an expiry is recorded as ending then, so a status that simply expires
    (Slack may send no event for it) still ends the stretch on time. With detection off nothing
    counts as away from now on.
    """
    terms, emoji_names = stored_away_terms(away_terms)
    if detection and status_is_away(text, emoji, expiration, now, extra_terms=terms, extra_emoji=emoji_names):
        until = datetime.fromtimestamp(expiration, UTC) if expiration else None
        timeoff_store.set_away(session, person_id, now, until)
    else:
        timeoff_store.end_away(session, person_id, now)


def away_check(person: PersonRecord, workspace: WorkspaceRecord | None) -> AwayCheck:
    """What the away rule needs about ``person``, from their stored record and workspace."""
    return _check(person, workspace.holidays if workspace else None, workspace.away_terms if workspace else None)


def _check(person: PersonRecord, workspace_calendar: str | None, away_terms: str | None) -> AwayCheck:
    return AwayCheck(status_text=person.status_text, status_emoji=person.status_emoji,
                     status_expiration=person.status_expiration, detection=person.away_detection,
                     personal_calendar=person.holidays, workspace_calendar=workspace_calendar, away_terms=away_terms)


def away_today_of(session: Session, people: Collection[PersonRecord], moment: datetime,
                  day: date | None = None) -> dict[int, str | None]:
    """person id -> why they are away at ``moment`` (on ``day``, else their local date), or None.

    One query for their workspaces' calendars and away terms, whatever the number of people: the
    sweeps and pairing rounds decide a whole chunk or team at once, from stored columns only.
    """
    rules = timeoff_store.workspace_rules(session, {person.team_id for person in people})
    return {person.id: away_today(_check(person, *rules.get(person.team_id, (None, None))), moment,
                                  day or local_date(moment, person.timezone))
            for person in people}


def away_reason(ctx: BotContext, person: PersonRecord) -> str | None:
    """Why the person is away right now (``AwayReason``), or None."""
    now = ctx.clock.now()
    with ctx.store.read() as session:
        workspace = people_store.find_workspace(session, person.team_id)
    return away_today(away_check(person, workspace), now, local_date(now, person.timezone))


def away_days(session: Session, person: PersonRecord, now: datetime) -> list[date]:
    """Every day the person was away, oldest first: by status stretch or by holiday, since they joined.

    Days are the person's local dates. Holidays come from their calendar as set now (their own,
    else the workspace's); status days from the stretches stored when the events came.
    """
    workspace = people_store.find_workspace(session, person.team_id)
    return _away_days(person, timeoff_store.away_periods(session, person.id), workspace.holidays if workspace else None,
                      now)


def _away_days(person: PersonRecord, periods: Collection[AwayPeriodRecord], workspace_holidays: str | None,
               now: datetime) -> list[date]:
    tz = zone(person.timezone)
    status_days = period_days([(p.started_at, p.ended_at) for p in periods], now, tz)
    start = min([person.created_at.astimezone(tz).date(), *status_days])
    return away_days_between(start, now.astimezone(tz).date(), status_away_days=status_days,
                             personal_calendar=stored_calendar(person.holidays),
                             workspace_calendar=stored_calendar(workspace_holidays))


def away_weeks(session: Session, person: PersonRecord, now: datetime) -> set[str]:
    """The ISO weeks with three or more away working days (the streak rule's away weeks)."""
    return streak_rules.away_weeks(away_days(session, person, now))


def away_weeks_of(session: Session, people: Collection[PersonRecord],
                  end_of: Callable[[PersonRecord], datetime]) -> dict[int, set[str]]:
    """person id -> away weeks, counted up to ``end_of(person)``: two queries for a whole sweep chunk."""
    periods = timeoff_store.away_periods_of(session, [person.id for person in people])
    rules = timeoff_store.workspace_rules(session, {person.team_id for person in people})
    return {person.id: streak_rules.away_weeks(_away_days(person, periods.get(person.id, []),
                                                          rules.get(person.team_id, (None, None))[0], end_of(person)))
            for person in people}


def away_without_checkin(session: Session, team_id: str, person_ids: Collection[int], weeks: Collection[str],
                         now: datetime) -> dict[str, int]:
    """week -> how many of ``person_ids`` were away that week (3+ away working days) and did not check in.

    ``/lead team`` leaves them out of that week's participation: nobody is expected to check in
    from a beach. Someone away who checked in anyway stays in, so no week can pass 100%. A few
    queries for the whole channel, whatever its size.
    """
    wanted = set(weeks)
    workspace = people_store.find_workspace(session, team_id)
    holidays = workspace.holidays if workspace else None
    periods = timeoff_store.away_periods_of(session, person_ids)
    away: dict[str, list[int]] = {week: [] for week in weeks}
    for person in timeoff_store.people_by_id(session, person_ids):
        days = _away_days(person, periods.get(person.id, []), holidays, now)
        for week in streak_rules.away_weeks(days) & wanted:
            away[week].append(person.id)
    counts = {}
    for week, ids in away.items():
        checked = schedule_store.checked_in(session, [(person_id, week) for person_id in ids]) if ids else set()
        counts[week] = len(ids) - len(checked)
    return counts
