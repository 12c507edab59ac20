"""The weekly check-in: storing it and what follows it (what it adds up to: ``progress.py``)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from bot.coaching import pauses as pause_rules
from bot.coaching.encouragement import encouragement, toughest
from bot.coaching.focus import switch_offer
from bot.coaching.foundations import PAIRING_PRACTICE
from bot.coaching.schedule import zone
from bot.coaching.streaks import Streak, compute_streak, milestone_reached, paused_weeks, waited_while_away
from bot.coaching.weeks import shift_week, week_monday
from bot.services import celebrations
from bot.services import timeoff as timeoff_service
from bot.services.context import BotContext
from bot.services.focus import focus_of
from bot.services.people import current_week, is_stored, today
from bot.services.types.checkins import CheckinDefaults, CheckinForm, CheckinResult, SavedCheckin, StreakFacts
from bot.services.types.people import PersonRecord
from bot.services.types.review import FocusOffer
from bot.services.types.wins import TeamChannel, WinPost
from bot.store import checkins as checkin_store
from bot.store import pairing as pairing_store
from bot.store import people as people_store
from bot.store import progress as progress_store
from bot.store import schedule as schedule_store
from bot.store import wins as win_store


def streak_of(session: Session, person: PersonRecord, week: str) -> Streak:
    """The person's streak as of ``week``, with their pauses and away weeks applied."""
    return streak_facts(session, person, week).streak


def streak_facts(session: Session, person: PersonRecord, week: str) -> StreakFacts:
    """The streak as of ``week``, the away weeks it stepped over since the previous check-in, and
    the away weeks themselves: read once, for surfaces that show all three."""
    weeks, paused, away = _streak_history(session, person, week)
    return StreakFacts(streak=compute_streak(weeks, paused, week, away_weeks=away),
                       waited=waited_while_away(weeks, paused, week, away_weeks=away), away_weeks=frozenset(away))


def _streak_history(session: Session, person: PersonRecord, week: str) -> tuple[list[str], set[str], set[str]]:
    # Away days are counted to the end of ``week``: the streak rule never lets the current week
    # break a streak, so a stretch still running cannot count a day it should not.
    end = datetime.combine(week_monday(shift_week(week, 1)), time(0), tzinfo=zone(person.timezone))
    return (checkin_store.checkin_weeks(session, person.id),
            paused_weeks(people_store.pause_ranges(session, person.id)),
            timeoff_service.away_weeks(session, person, end))


def checkin_defaults(ctx: BotContext, person: PersonRecord) -> CheckinDefaults:
    """What the modal starts with: this week's earlier answers, else the minutes logged this week.

    The minutes field of a first check-in starts with what "I did it" logged that week, so the
    check-in's number (which is the week's total, CONTRACT.md) includes them unless the person
    changes it.
    """
    week = current_week(ctx, person)
    if not is_stored(person):  # a newcomer has nothing this week yet; no need to ask
        return CheckinDefaults()
    with ctx.store.read() as session:
        existing = checkin_store.find_checkin(session, person.id, week)
        logged = progress_store.logged_minutes(session, person.id, week)
        # A practice pair that met this week is that practice, ticked in advance.
        met = pairing_store.met_kinds(session, [person.id], [week]).get(person.id, {}).get(week, set())
    paired = tuple(PAIRING_PRACTICE[kind] for kind in sorted(met) if kind in PAIRING_PRACTICE)
    if existing is None:
        return CheckinDefaults(learning_minutes=logged or None, logged_minutes=logged, practices=paired)
    practices = existing.practices + tuple(p for p in paired if p not in existing.practices)
    return CheckinDefaults(ratings=existing.ratings, learning_minutes=existing.learning_minutes,
                           practices=practices, reflection=existing.reflection, energy=existing.energy,
                           logged_minutes=logged)


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
            practices=form.practices, reflection=form.reflection, submitted_at=now, energy=form.energy)
        facts = streak_facts(session, person, week)
        after, waited = facts.streak, facts.waited
        win_id = None
        if form.win:
            win_id = win_store.add_win(session, person.id, form.win, shared=form.share_win, week=week,
                                       created_at=now).id
    return SavedCheckin(person=person, form=form, week=week, created=created, first_ever=first_ever, streak=after,
                        milestone=milestone_reached(before.current, after.current), win_id=win_id,
                        pause_ended=pause_ended, streak_waited=waited)


def follow_up(ctx: BotContext, team: TeamChannel, saved: SavedCheckin) -> CheckinResult:
    """After the acknowledgement: share the win, celebrate a milestone, pick the encouragement."""
    person, form, streak = saved.person, saved.form, saved.streak
    has_win = saved.win_id is not None and bool(form.win)
    win_post = None
    if saved.win_id is not None and form.win and form.share_win:
        win_post = celebrations.share_win(ctx, team, person.team_id, saved.win_id,
                                          WinPost(user_id=person.user_id, text=form.win, streak=streak.current))
    milestone = gathered = None
    if saved.milestone:
        post = celebrations.celebrate_milestone(ctx, team, person.team_id, person.user_id, saved.milestone,
                                                saved.week)
        milestone = saved.milestone if post is not None and post.posted else None
        gathered = saved.milestone if post is not None and post.gathered else None
    offer = _focus_offer(ctx, person, form.ratings)
    line = encouragement(streak=streak.current, longest=streak.longest, first_ever=saved.first_ever,
                         ratings=form.ratings, week=saved.week, name_toughest=offer is None)
    return CheckinResult(week=saved.week, streak=streak.current, longest=streak.longest, updated=not saved.created,
                         encouragement=line, has_win=has_win, win_post=win_post, milestone_celebrated=milestone,
                         milestone_in_digest=gathered, pause_ended=saved.pause_ended, focus_offer=offer,
                         streak_waited=saved.streak_waited)


def _focus_offer(ctx: BotContext, person: PersonRecord, ratings: dict[str, int]) -> FocusOffer | None:
    """The week's toughest area as the new focus, when the person chose another (``focus.switch_offer``).

    Only a foundation rated lower than every other this week is the toughest; with a shared lowest
    rating no area is named, and nothing is offered.
    """
    with ctx.store.session() as session:
        row = people_store.find_person(session, person.team_id, person.user_id) or person
        focus = focus_of(session, row)
    offered = switch_offer(focus, toughest(ratings))
    if offered is None:
        return None
    return FocusOffer(user_id=person.user_id, mode=focus.mode, current=focus.foundation, suggested=offered)


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
