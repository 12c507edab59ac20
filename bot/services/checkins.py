"""The weekly check-in: storing it, what follows it, and what the person sees about their progress."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy.orm import Session

from bot.coaching import pauses as pause_rules
from bot.coaching.encouragement import encouragement
from bot.coaching.streaks import Streak, compute_streak, milestone_reached, paused_weeks
from bot.coaching.weeks import shift_week
from bot.services import celebrations
from bot.services.context import BotContext
from bot.services.people import current_week, today
from bot.services.types.checkins import CheckinDefaults, CheckinForm, CheckinResult, SavedCheckin
from bot.services.types.home import GoalLine, HomeData, StatsData
from bot.services.types.people import PersonRecord
from bot.services.types.wins import TeamChannel, WinPost
from bot.store import checkins as checkin_store
from bot.store import goals as goal_store
from bot.store import people as people_store
from bot.store import schedule as schedule_store
from bot.store import wins as win_store


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
                           practices=existing.practices, reflection=existing.reflection)


def save(ctx: BotContext, person: PersonRecord, form: CheckinForm) -> SavedCheckin:
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
    return SavedCheckin(person=person, form=form, week=week, created=created, first_ever=first_ever, streak=after,
                        milestone=milestone_reached(before.current, after.current), win_id=win_id,
                        pause_ended=pause_ended)


def follow_up(ctx: BotContext, team: TeamChannel, saved: SavedCheckin) -> CheckinResult:
    """After the acknowledgement: share the win, celebrate a milestone, pick the encouragement."""
    person, form, streak = saved.person, saved.form, saved.streak
    has_win = saved.win_id is not None and bool(form.win)
    win_post = None
    if saved.win_id is not None and form.win and form.share_win:
        win_post = celebrations.share_win(ctx, team, person.team_id, saved.win_id,
                                          WinPost(user_id=person.user_id, text=form.win, streak=streak.current))
    milestone = None
    if saved.milestone:
        post = celebrations.celebrate_milestone(ctx, team, person.team_id, person.user_id, saved.milestone,
                                                saved.week)
        milestone = saved.milestone if post is not None and post.posted else None
    line = encouragement(streak=streak.current, longest=streak.longest, first_ever=saved.first_ever,
                         ratings=form.ratings, week=saved.week)
    return CheckinResult(week=saved.week, streak=streak.current, longest=streak.longest, updated=not saved.created,
                         encouragement=line, has_win=has_win, win_post=win_post, milestone_celebrated=milestone,
                         pause_ended=saved.pause_ended)


def _end_pause_for_checkin(session: Session, person: PersonRecord, local_today: date) -> bool:
    pause = people_store.active_pause(session, person.id, local_today)
    if pause is None or pause.start > local_today:
        return False
    remaining = pause_rules.ended_by_checkin(pause_rules.PauseRange(pause.start, pause.end), local_today)
    people_store.set_pause(session, person.id, pause, remaining.start if remaining else None,
                           remaining.end if remaining else None)
    return True


def without_checkin(ctx: BotContext, due: Collection[tuple[int, str]]) -> set[int]:
    """The people among ``due`` (person id, week) who have no check-in for that week yet."""
    with ctx.store.session() as session:
        done = schedule_store.checked_in(session, due)
    return {person_id for person_id, _ in due} - done


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
        goals = goal_store.active_goals(session, person.id)
    last = latest[-1] if latest else None
    return HomeData(week=week, current_streak=streak.current, longest_streak=streak.longest,
                    checked_in=bool(last and last.week == week),
                    latest_week=last.week if last else None, latest_ratings=last.ratings if last else None,
                    focus=person.focus, track=person.track,
                    paused_until=pause.end if pause and pause.start <= local_today and not pause.resumed else None,
                    goals=tuple(GoalLine(id=g.id, title=g.title, foundation=g.foundation, progress=g.progress,
                                         due=g.due) for g in goals))
