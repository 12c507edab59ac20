"""The reviews: the focus review and the growth review, with the jobs that invite to them.

Focus review (job ``focus-review``)
    Due by ``bot/coaching/review.py``'s rule: at least two check-ins in the last four weeks, and
    the last focus review four weeks old or more (or never). The week a review is built for the
    person is recorded (``people.focus_review_week``) as it is built, right after the sweep claimed
    its delivery; a review whose post failed is built again in that same week (the recorded week
    is this week), and the delivery ledger keeps it from reaching anyone twice.

Growth review (``/lead review``, job ``growth-review``)
    ``/lead review`` repeats the self-assessment pre-filled with the latest answers, shows before
    and after (``bot/coaching/growth.py``) with the energy split over the weeks since that
    assessment, and stores a new assessment when the person saves. The invitation goes to people
    whose latest assessment is 12 weeks old or more, at most once every four weeks until they take
    the review (``review.growth_invite_due``); the week of each invitation is recorded like the
    focus review's.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta

from bot.coaching import review as review_rules
from bot.coaching.focus import CHOSEN
from bot.coaching.foundations import TRACKS
from bot.coaching.growth import compare_assessments, energy_note, energy_split
from bot.coaching.onboarding import clean_answers, is_complete
from bot.coaching.weeks import local_date, shift_week, week_monday, week_of, weeks_between
from bot.services.context import BotContext
from bot.services.focus import focus_of
from bot.services.people import current_week, first_name
from bot.services.types.people import PersonRecord
from bot.services.types.review import (
    FocusOffer,
    FocusReviewMessage,
    GrowthInvite,
    GrowthReview,
    GrowthReviewSaved,
)
from bot.store import people as people_store
from bot.store import review as review_store
from bot.store.records import AssessmentRecord

_FOCUS_REVIEW_WEEKS = 2 * review_rules.REVIEW_WINDOW_WEEKS  # the last four and the four before


# focus review --------------------------------------------------------------------------------------------
def _focus_review_due(week: str, checkin_weeks: Collection[str], last_review: str | None) -> bool:
    # A review recorded for this very week was due when it was built; its post may have failed.
    return last_review == week or review_rules.focus_review_due(week, checkin_weeks, last_review)


def focus_review_wanted(ctx: BotContext, due: Collection[tuple[int, str]]) -> set[int]:
    """The people among ``due`` (person id, week) whose focus review is due, decided in bulk."""
    weeks = {w for _, week in due for w in review_rules.last_four_weeks(week)}
    ids = [person_id for person_id, _ in due]
    with ctx.store.session() as session:
        checkins = review_store.checkin_weeks_among(session, ids, weeks)
        marks = review_store.review_marks(session, ids)
    return {person_id for person_id, week in due
            if _focus_review_due(week, checkins.get(person_id, set()), marks.get(person_id, (None, None))[0])}


def focus_review(ctx: BotContext, person: PersonRecord, week: str, _team: object = None) -> FocusReviewMessage | None:
    """The person's focus review for ``week``, recorded as theirs; None when it is not due."""
    weeks = [shift_week(week, offset) for offset in range(1 - _FOCUS_REVIEW_WEEKS, 1)]
    with ctx.store.session() as session:
        row = people_store.find_person(session, person.team_id, person.user_id)
        if row is None:
            return None
        ratings = review_store.ratings_by_week(session, row.id, weeks)
        if not _focus_review_due(week, ratings.keys(), row.focus_review_week):
            return None
        focus = focus_of(session, row)
        review = review_rules.focus_review(week, ratings, focus.foundation)
        people_store.update_person(session, row.id, focus_review_week=week)
    recent = review_rules.last_four_weeks(week)
    before = review_rules.four_weeks_before(week)
    offered = review.suggested if focus.mode == CHOSEN and review.offers_switch else None
    return FocusReviewMessage(
        first_name=first_name(row.display_name), week=week, recent_from=week_monday(recent[0]),
        before_from=week_monday(before[0]), before_to=week_monday(before[-1]) + timedelta(days=6),
        changes=review.changes, suggested=review.suggested,
        offer=FocusOffer(user_id=row.user_id, mode=focus.mode, current=focus.foundation, suggested=offered))


# growth review: the invitation ---------------------------------------------------------------------------
def _invite_due(week: str, last_assessment: str | None, last_invite: str | None) -> bool:
    return last_invite == week or review_rules.growth_invite_due(week, last_assessment, last_invite)


def growth_review_wanted(ctx: BotContext, due: Collection[tuple[int, str]]) -> set[int]:
    """The people among ``due`` to invite to the growth review this week, decided in bulk."""
    ids = [person_id for person_id, _ in due]
    with ctx.store.session() as session:
        taken = review_store.latest_assessment_times(session, ids)
        marks = review_store.review_marks(session, ids)
        zones = review_store.zones_of(session, ids)
    wanted = set()
    for person_id, week in due:
        if person_id not in taken:
            continue
        last_week = week_of(taken[person_id], zones.get(person_id, "UTC"))
        if _invite_due(week, last_week, marks.get(person_id, (None, None))[1]):
            wanted.add(person_id)
    return wanted


def growth_invite(ctx: BotContext, person: PersonRecord, week: str, _team: object = None) -> GrowthInvite | None:
    """The invitation to ``/lead review`` for ``week``, recorded as sent; None when it is not due."""
    with ctx.store.session() as session:
        row = people_store.find_person(session, person.team_id, person.user_id)
        latest = review_store.latest_assessment(session, row.id) if row is not None else None
        if row is None or latest is None:
            return None
        last_week = week_of(latest.taken_at, row.timezone)
        if not _invite_due(week, last_week, row.growth_invite_week):
            return None
        people_store.update_person(session, row.id, growth_invite_week=week)
    return GrowthInvite(first_name=first_name(row.display_name), week=week,
                        last_taken=local_date(latest.taken_at, row.timezone),
                        weeks_since=weeks_between(last_week, week))


# growth review: /lead review ----------------------------------------------------------------------------
def latest_answers(ctx: BotContext, person: PersonRecord) -> dict[str, int] | None:
    """The answers of the person's latest complete assessment, to pre-fill the review; None without one."""
    with ctx.store.read() as session:
        latest = review_store.latest_assessment(session, person.id)
    return _complete_answers(latest)


def _complete_answers(assessment: AssessmentRecord | None) -> dict[str, int] | None:
    if assessment is None or not is_complete(assessment.answers):
        return None
    return clean_answers(assessment.answers)


def compare(ctx: BotContext, person: PersonRecord, answers: Mapping[str, int]) -> GrowthReview | None:
    """Before and after for the new ``answers``; None when there is no earlier assessment to compare with.

    The energy split covers every week from the previous assessment's week to this one: a week
    without a check-in, or whose check-in skipped the question, counts as unanswered.
    """
    week = current_week(ctx, person)
    with ctx.store.session() as session:
        row = people_store.find_person(session, person.team_id, person.user_id) or person
        previous = review_store.latest_assessment(session, row.id)
        before = _complete_answers(previous)
        if previous is None or before is None:
            return None
        first_week = week_of(previous.taken_at, row.timezone)
        energy_by_week = review_store.energy_since(session, row.id, first_week)
    weeks = [shift_week(first_week, offset) for offset in range(max(0, weeks_between(first_week, week)) + 1)]
    split = energy_split([energy_by_week.get(w) for w in weeks])
    return GrowthReview(answers=dict(answers), before_taken=local_date(previous.taken_at, row.timezone),
                        comparison=compare_assessments(before, answers, row.track), energy=split,
                        energy_note=energy_note(split, row.track), track=row.track)


def save_review(ctx: BotContext, person: PersonRecord, answers: Mapping[str, int], track: str) -> GrowthReviewSaved:
    """Store the review as a new assessment, and the track the person kept or picked."""
    if track not in TRACKS or not is_complete(answers):
        raise ValueError("a growth review needs every answer and one of the tracks")
    now = ctx.clock.now()
    with ctx.store.session() as session:
        row = people_store.get_or_create_person(session, person.team_id, person.user_id, now)
        review_store.add_assessment(session, row.id, answers=clean_answers(answers), track=track, taken_at=now)
        if track != row.track:
            people_store.update_person(session, row.id, track=track)
        count = len(review_store.assessments(session, row.id))
    return GrowthReviewSaved(track=track, previous_track=row.track, assessments=count)
