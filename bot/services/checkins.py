"""The weekly check-in: storing it, and what the person sees about their progress."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.coaching import pauses as pause_rules
from bot.coaching.streaks import Streak, compute_streak, milestone_reached, paused_weeks
from bot.coaching.weeks import shift_week
from bot.services.context import BotContext
from bot.services.people import current_week, today
from bot.store import checkins as checkin_store
from bot.store import goals as goal_store
from bot.store import people as people_store
from bot.store import wins as win_store
from bot.store.records import PersonRecord
from bot.views.checkin import CheckinDefaults, CheckinForm
from bot.views.home import GoalLine, HomeData
from bot.views.messages import StatsData


@dataclass(frozen=True)
class CheckinOutcome:
    week: str
    created: bool
    first_ever: bool
    streak: Streak
    milestone: int | None
    win_id: int | None
    pause_ended: bool


def streak_of(session: Session, person: PersonRecord, week: str) -> Streak:
    """The person's streak as of ``week``, with their pauses applied."""
    weeks = checkin_store.checkin_weeks(session, person.id)
    return compute_streak(weeks, paused_weeks(people_store.pause_ranges(session, person.id)), week)


def checkin_defaults(ctx: BotContext, person: PersonRecord) -> CheckinDefaults | None:
    """This week's earlier answers, to pre-fill the modal when the person checks in again."""
    with ctx.store.session() as session:
        existing = checkin_store.find_checkin(session, person.id, current_week(ctx, person))
        if existing is None:
            return None
        return CheckinDefaults(ratings=existing.ratings, learning_minutes=existing.learning_minutes,
                               practices=tuple(existing.practices), reflection=existing.reflection)


def submit_checkin(ctx: BotContext, person: PersonRecord, form: CheckinForm) -> CheckinOutcome:
    """Store the check-in (and its win) in one transaction and work out the new streak."""
    now = ctx.clock.now()
    week = current_week(ctx, person)
    local_today = today(ctx, person)
    with ctx.store.session() as session:
        before = streak_of(session, person, week)
        first_ever = not checkin_store.checkin_weeks(session, person.id)
        pause_ended = _end_pause_for_checkin(session, person, local_today)
        _, created = checkin_store.upsert_checkin(
            session, person.id, week, ratings=form.ratings, learning_minutes=form.learning_minutes,
            practices=form.practices, reflection=form.reflection, submitted_at=now)
        after = streak_of(session, person, week)
        win_id = None
        if form.win:
            win_id = win_store.add_win(session, person.id, form.win, shared=form.share_win, week=week,
                                       created_at=now).id
    return CheckinOutcome(week=week, created=created, first_ever=first_ever, streak=after,
                          milestone=milestone_reached(before.current, after.current), win_id=win_id,
                          pause_ended=pause_ended)


def _end_pause_for_checkin(session: Session, person: PersonRecord, local_today) -> bool:  # type: ignore[no-untyped-def]
    pause = people_store.active_pause(session, person.id, local_today)
    if pause is None or pause.start > local_today:
        return False
    remaining = pause_rules.ended_by_checkin(pause_rules.PauseRange(pause.start, pause.end), local_today)
    people_store.set_pause(session, person.id, pause, remaining.start if remaining else None,
                           remaining.end if remaining else None)
    return True


def stats_for(ctx: BotContext, person: PersonRecord) -> StatsData:
    """Streaks, the last four weeks' ratings and learning minutes."""
    week = current_week(ctx, person)
    weeks = [shift_week(week, offset) for offset in (-3, -2, -1, 0)]
    with ctx.store.session() as session:
        streak = streak_of(session, person, week)
        total = len(checkin_store.checkin_weeks(session, person.id))
        recent = [c for c in checkin_store.recent_checkins(session, person.id, limit=4) if c.week in weeks]
        return StatsData(current=streak.current, longest=streak.longest, weeks=weeks,
                         ratings={c.week: c.ratings for c in recent},
                         minutes={c.week: c.learning_minutes for c in recent}, total_checkins=total)


def home_for(ctx: BotContext, person: PersonRecord) -> HomeData:
    """Everything the App Home shows."""
    week = current_week(ctx, person)
    local_today = today(ctx, person)
    with ctx.store.session() as session:
        streak = streak_of(session, person, week)
        latest = checkin_store.recent_checkins(session, person.id, limit=1)
        pause = people_store.active_pause(session, person.id, local_today)
        last = latest[-1] if latest else None
        return HomeData(week=week, current_streak=streak.current, longest_streak=streak.longest,
                        checked_in=bool(last and last.week == week),
                        latest_week=last.week if last else None, latest_ratings=last.ratings if last else None,
                        focus=person.focus, track=person.track,
                        paused_until=pause.end if pause and pause.start <= local_today else None,
                        goals=tuple(GoalLine(id=g.id, title=g.title, foundation=g.foundation, progress=g.progress,
                                             due=g.due) for g in goal_store.active_goals(session, person.id)))
