"""Onboarding: what the person answered before, and storing what they settled on.

The person acting is always the one the signed Slack payload names; the answers and choices
come from the modal, so a submission replayed by someone else only ever changes that someone.
"""

from __future__ import annotations

from typing import Any

from bot.coaching.onboarding import clean_answers, first_step, suggest_focus, suggest_track
from bot.services.context import BotContext
from bot.services.types.onboarding import OnboardingChoice, OnboardingOutcome, Suggestion
from bot.services.types.people import PersonRecord
from bot.store import goals as goal_store
from bot.store import people as people_store

ASSESSMENT_VERSION = 1


def previous_answers(person: PersonRecord) -> dict[str, int]:
    """The answers the person gave last time, to pre-fill the assessment."""
    stored: Any = person.assessment.get("answers")
    return clean_answers(stored) if isinstance(stored, dict) else {}


def suggest(answers: dict[str, int]) -> Suggestion:
    return Suggestion(track=suggest_track(answers), focus=suggest_focus(answers))


def current_track(ctx: BotContext, team_id: str, user_id: str) -> str | None:
    with ctx.store.session() as session:
        person = people_store.find_person(session, team_id, user_id)
        return person.track if person else None


def complete(ctx: BotContext, person: PersonRecord, choice: OnboardingChoice) -> OnboardingOutcome:
    """Store the assessment, track and focus, and the first goal when one was given, in one transaction.

    The same goal title submitted twice (a double click, a resent request) is stored once.
    """
    now = ctx.clock.now()
    suggestion = suggest(choice.answers)
    with ctx.store.session() as session:
        row = people_store.get_or_create_person(session, person.team_id, person.user_id, now)
        updated = row.onboarded_at is not None
        people_store.update_person(session, row.id, assessment={
            "version": ASSESSMENT_VERSION,
            "answers": dict(choice.answers),
            "suggested_track": suggestion.track.track,
            "suggested_focus": suggestion.focus,
            "assessed_at": now.isoformat(),
        }, track=choice.track, focus=choice.focus, onboarded_at=row.onboarded_at or now)
        goal_title = goal_foundation = None
        if choice.goal_title and choice.goal_foundation:
            goal_title, goal_foundation = choice.goal_title, choice.goal_foundation
            existing = {g.title.casefold() for g in goal_store.active_goals(session, row.id)}
            if goal_title.casefold() not in existing:
                goal_store.add_goal(session, row.id, title=goal_title, foundation=goal_foundation, measure=None,
                                    target=None, due=None, created_at=now)
    return OnboardingOutcome(track=choice.track, focus=choice.focus, first_step=first_step(choice.focus, choice.track),
                             goal_title=goal_title, goal_foundation=goal_foundation, updated=updated)
