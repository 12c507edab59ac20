"""The focus a person works on, as every part of the bot sees it, and the one-click changes to it.

The focus in effect follows ``bot/coaching/focus.py``: in ``auto`` the weakest foundation over the
last four check-ins (before any, the one the latest self-assessment rated lowest), in ``chosen``
the person's pick. Everything that shows or uses a focus (nudges, the check-in modal, App Home,
prompt choice, the export) asks :func:`focus_of`, so they cannot disagree.

The focus buttons (the focus review, the check-in confirmation) carry the user id of the person
they were sent to. Identity comes from the signed payload; a click by anyone else, a replayed
payload say, is refused with :class:`~bot.errors.NotYours` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from bot.coaching.focus import AUTO, AUTO_WINDOW, CHOSEN, Focus, effective_focus
from bot.coaching.foundations import FOUNDATIONS
from bot.coaching.onboarding import clean_answers, suggest_focus
from bot.errors import NotYours, Owned
from bot.services.context import BotContext
from bot.services.people import is_stored
from bot.services.types.people import PersonRecord
from bot.services.types.review import FocusChanged, FocusChoice
from bot.store import checkins as checkin_store
from bot.store import people as people_store
from bot.store import review as review_store


def focus_of(session: Session, person: PersonRecord) -> Focus:
    """The person's focus in effect, from their mode, their pick and their last four check-ins."""
    if not is_stored(person):  # a newcomer (people.person_to_show) has neither check-ins nor answers
        return effective_focus(person.focus_mode, person.focus, [], None)
    recent = [c.ratings for c in checkin_store.recent_checkins(session, person.id, limit=AUTO_WINDOW)]
    latest = review_store.latest_assessment(session, person.id)
    return focus_from(person, recent, latest.answers if latest is not None else None)


def focus_from(person: PersonRecord, recent: Sequence[Mapping[str, int]], answers: Mapping[str, object] | None
               ) -> Focus:
    """:func:`focus_of` from facts already read (a sweep reads them for a whole chunk at once)."""
    cleaned = clean_answers(answers) if answers else {}
    suggestion = suggest_focus(cleaned) if cleaned else None
    return effective_focus(person.focus_mode, person.focus, list(recent[-AUTO_WINDOW:]), suggestion)


def current_focus(ctx: BotContext, person: PersonRecord) -> Focus:
    with ctx.store.read() as session:
        return focus_of(session, person)


def apply_choice(ctx: BotContext, team_id: str, user_id: str, choice: FocusChoice) -> FocusChanged:
    """Act on a focus button: switch to a foundation (chosen), keep the focus, or let lead-bot choose.

    ``user_id`` is the clicker from the signed payload; ``choice.owner`` whom the buttons were sent
    to. Anyone else, and anything the bot never offers (an unknown action or foundation), is
    refused with NotYours and nothing changes.
    """
    if choice.owner != user_id or choice.action not in FocusChoice.ACTIONS:
        raise NotYours(Owned.FOCUS)
    if choice.action != FocusChoice.AUTO and choice.foundation not in FOUNDATIONS:
        raise NotYours(Owned.FOCUS)
    with ctx.store.session() as session:
        person = people_store.find_person(session, team_id, user_id)
        if person is None:
            raise NotYours(Owned.FOCUS)
        before = focus_of(session, person)
        if choice.action == FocusChoice.SWITCH:
            person = people_store.update_person(session, person.id, focus_mode=CHOSEN, focus=choice.foundation)
        elif choice.action == FocusChoice.AUTO:
            person = people_store.update_person(session, person.id, focus_mode=AUTO, focus=None)
        after = focus_of(session, person)
    return FocusChanged(action=choice.action, mode=after.mode, focus=after.foundation,
                        changed=(before.mode, before.foundation) != (after.mode, after.foundation))
