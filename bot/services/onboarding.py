"""Onboarding: what the person answered before, and storing what they settled on.

The person acting is always the one the signed Slack payload names; the answers and choices
come from the modal, so a submission replayed by someone else only ever changes that someone.
Every completed onboarding stores a new self-assessment (the growth review compares with it).
"""

from __future__ import annotations

from bot.coaching.focus import AUTO, AUTO_WINDOW, effective_focus
from bot.coaching.onboarding import clean_answers, first_step, suggest_focus, suggest_track
from bot.services.context import BotContext
from bot.services.focus import focus_of
from bot.services.types.onboarding import ConfirmStep, OnboardingChoice, OnboardingOutcome, Suggestion
from bot.services.types.people import PersonRecord
from bot.store import checkins as checkin_store
from bot.store import goals as goal_store
from bot.store import people as people_store
from bot.store import review as review_store


def previous_answers(ctx: BotContext, person: PersonRecord) -> dict[str, int]:
    """The answers the person gave last time, to pre-fill the assessment."""
    with ctx.store.read() as session:
        latest = review_store.latest_assessment(session, person.id)
    return clean_answers(latest.answers) if latest is not None else {}


def suggest(answers: dict[str, int]) -> Suggestion:
    return Suggestion(track=suggest_track(answers), focus=suggest_focus(answers))


def confirm_step(ctx: BotContext, team_id: str, user_id: str, answers: dict[str, int]) -> ConfirmStep:
    """What step 2 shows: the suggestion, the person's track and role, and what "auto" gives now."""
    suggestion = suggest(answers)
    with ctx.store.session() as session:
        person = people_store.find_person(session, team_id, user_id)
        recent = ([c.ratings for c in checkin_store.recent_checkins(session, person.id, limit=AUTO_WINDOW)]
                  if person else [])
    auto = effective_focus(AUTO, None, recent, suggestion.focus)
    return ConfirmStep(suggestion=suggestion, current_track=person.track if person else None,
                       current_role=person.role if person else None, auto_focus=auto.for_prompts,
                       auto_from_checkins=bool(recent))


def complete(ctx: BotContext, person: PersonRecord, choice: OnboardingChoice) -> OnboardingOutcome:
    """Store the assessment, track, role and focus, and the first goal when one was given, in one transaction.

    The same goal title submitted twice (a double click, a resent request) is stored once.
    """
    now = ctx.clock.now()
    with ctx.store.session() as session:
        row = people_store.get_or_create_person(session, person.team_id, person.user_id, now)
        updated = row.onboarded_at is not None
        review_store.add_assessment(session, row.id, answers=choice.answers, track=choice.track, taken_at=now)
        row = people_store.update_person(session, row.id, track=choice.track, role=choice.role,
                                         focus_mode=choice.focus_mode, focus=choice.focus,
                                         onboarded_at=row.onboarded_at or now)
        focus = focus_of(session, row).for_prompts
        goal_title = goal_foundation = None
        if choice.goal_title:
            goal_title, goal_foundation = choice.goal_title, choice.goal_foundation or focus
            existing = {g.title.casefold() for g in goal_store.active_goals(session, row.id)}
            if goal_title.casefold() not in existing:
                goal_store.add_goal(session, row.id, title=goal_title, foundation=goal_foundation, measure=None,
                                    target=None, due=None, created_at=now)
    return OnboardingOutcome(track=choice.track, role=choice.role, focus_mode=choice.focus_mode, focus=focus,
                             first_step=first_step(focus, choice.track), goal_title=goal_title,
                             goal_foundation=goal_foundation, updated=updated)
