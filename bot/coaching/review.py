"""When the focus review and the growth review are due, and what the focus review compares.

Pure functions over ISO weeks (``YYYY-Www``); the caller turns dates into the person's weeks.

Focus review (job ``focus-review``)
    The review sent in week W looks at two windows of four ISO weeks each: *last four weeks*,
    W-3 to W, and *the four before*, W-7 to W-4. The current week belongs to the last four, as in
    the streak rule: a check-in already made this week counts, one not made yet breaks nothing
    (each foundation is averaged over the check-ins that rated it, not over calendar weeks).

    It is due for a person in week W when both hold:
    - at least two check-ins fall in the last four weeks (fewer would compare noise);
    - their last focus review was sent at least four weeks earlier (``weeks_between >= 4``), or
      they never had one.

    It shows, per foundation, the average over the four weeks before and over the last four, and
    the change (after minus before); an average is None when its window has no rating for that
    foundation, and the change is None unless both are known. The suggested focus is the weakest
    foundation over the last four weeks (ties: ``FOUNDATIONS`` order); the review offers a switch
    when that differs from the current focus.

Growth review (job ``growth-review``)
    Due in week W when the person's latest self-assessment was taken at least 12 ISO weeks before
    (``weeks_between >= 12``). A person with no assessment at all is not due: a review compares
    against a first assessment, which onboarding (``/lead start``) takes.

    The invitation (``growth_invite_due``) is not repeated every week while the review stays due:
    it goes out when the review is due and the person has had no invitation since their latest
    assessment, or their last one is at least four weeks old (``GROWTH_INVITE_EVERY_WEEKS``). An
    invitation from the week of the latest assessment or before belongs to the previous round.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final

from bot.coaching.focus import averages, weakest_foundation
from bot.coaching.foundations import FOUNDATIONS
from bot.coaching.weeks import shift_week, weeks_between

REVIEW_WINDOW_WEEKS: Final = 4
FOCUS_REVIEW_EVERY_WEEKS: Final = 4
FOCUS_REVIEW_MIN_CHECKINS: Final = 2
GROWTH_REVIEW_EVERY_WEEKS: Final = 12
GROWTH_INVITE_EVERY_WEEKS: Final = 4


def last_four_weeks(week: str) -> tuple[str, ...]:
    """W-3 … W, oldest first."""
    return tuple(shift_week(week, offset) for offset in range(1 - REVIEW_WINDOW_WEEKS, 1))


def four_weeks_before(week: str) -> tuple[str, ...]:
    """W-7 … W-4, oldest first."""
    return tuple(shift_week(week, offset) for offset in range(1 - 2 * REVIEW_WINDOW_WEEKS, 1 - REVIEW_WINDOW_WEEKS))


def focus_review_due(week: str, checkin_weeks: Collection[str], last_review_week: str | None) -> bool:
    """Whether the focus review goes to this person in ``week`` (see the module docstring)."""
    recent = set(last_four_weeks(week))
    if sum(1 for checked in set(checkin_weeks) if checked in recent) < FOCUS_REVIEW_MIN_CHECKINS:
        return False
    return last_review_week is None or weeks_between(last_review_week, week) >= FOCUS_REVIEW_EVERY_WEEKS


def growth_review_due(week: str, last_assessment_week: str | None) -> bool:
    """Whether the growth-review invitation goes to this person in ``week``."""
    return last_assessment_week is not None and weeks_between(last_assessment_week, week) >= GROWTH_REVIEW_EVERY_WEEKS


def growth_invite_due(week: str, last_assessment_week: str | None, last_invite_week: str | None) -> bool:
    """Whether the growth-review invitation goes out in ``week`` (see the module docstring)."""
    if last_assessment_week is None or not growth_review_due(week, last_assessment_week):
        return False
    if last_invite_week is None or weeks_between(last_invite_week, last_assessment_week) >= 0:
        return True
    return weeks_between(last_invite_week, week) >= GROWTH_INVITE_EVERY_WEEKS


@dataclass(frozen=True)
class FoundationChange:
    """One foundation's average rating in the two windows; None where a window has no rating."""

    foundation: str
    before: float | None
    after: float | None
    change: float | None


@dataclass(frozen=True)
class FocusReview:
    """What the focus review shows: per-foundation change, the suggestion, and the current focus."""

    week: str
    changes: tuple[FoundationChange, ...]  # FOUNDATIONS order
    suggested: str | None  # weakest over the last four weeks; None with no rating there
    current: str | None

    @property
    def offers_switch(self) -> bool:
        return self.suggested is not None and self.suggested != self.current


def focus_review(week: str, ratings_by_week: Mapping[str, Mapping[str, int]], current: str | None) -> FocusReview:
    """The review for ``week`` from the person's check-ins (ISO week -> ratings; other weeks ignored)."""
    after_ratings = [ratings_by_week[w] for w in last_four_weeks(week) if w in ratings_by_week]
    before_ratings = [ratings_by_week[w] for w in four_weeks_before(week) if w in ratings_by_week]
    after, before = averages(after_ratings), averages(before_ratings)
    changes = tuple(
        FoundationChange(
            foundation=foundation,
            before=float(before[foundation]) if foundation in before else None,
            after=float(after[foundation]) if foundation in after else None,
            change=float(after[foundation] - before[foundation])
            if foundation in before and foundation in after
            else None,
        )
        for foundation in FOUNDATIONS
    )
    return FocusReview(week=week, changes=changes, suggested=weakest_foundation(after_ratings), current=current)
