"""When the focus and growth reviews are due, and what the focus review compares."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.foundations import FOUNDATIONS
from bot.coaching.review import (
    focus_review,
    focus_review_due,
    four_weeks_before,
    growth_invite_due,
    growth_review_due,
    last_four_weeks,
)
from bot.coaching.weeks import shift_week

settings.register_profile("review", max_examples=200, deadline=None)
settings.load_profile("review")

WEEK = "2027-W02"  # the windows reach back across 2026's week 53


def test_windows_are_four_weeks_each_ending_with_the_current_week() -> None:
    assert last_four_weeks(WEEK) == ("2026-W52", "2026-W53", "2027-W01", "2027-W02")
    assert four_weeks_before(WEEK) == ("2026-W48", "2026-W49", "2026-W50", "2026-W51")


# --- focus review: who gets it ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("checkin_offsets", "last_review_offset", "due"),
    [
        ((0, -3), None, True),  # two check-ins, the oldest at the window's edge; never reviewed
        ((0, -4), None, False),  # the second one is five weeks back: outside the window
        ((-1, -2, -3), None, True),  # a Monday: nothing this week yet, three before
        ((-1,), None, False),  # one check-in is not enough
        ((), None, False),
        ((-1, -2), -4, True),  # last review exactly four weeks ago
        ((-1, -2), -3, False),  # three weeks ago: too soon
        ((-1, -2), 0, False),  # already reviewed this week
        ((-1, -1, -2), -8, True),  # duplicate week entries count once, still two weeks
        ((-1, -1), None, False),
        ((1, 2), None, False),  # check-ins dated after the week do not count
    ],
)
def test_focus_review_due_at_its_edges(checkin_offsets: tuple[int, ...], last_review_offset: int | None,
                                       due: bool) -> None:
    checkins = [shift_week(WEEK, offset) for offset in checkin_offsets]
    last = None if last_review_offset is None else shift_week(WEEK, last_review_offset)
    assert focus_review_due(WEEK, checkins, last) is due


@given(st.sets(st.integers(-12, 2)), st.none() | st.integers(-12, 0))
def test_focus_review_due_restated(offsets: set[int], last_review: int | None) -> None:
    checkins = [shift_week(WEEK, o) for o in offsets]
    expected = sum(1 for o in offsets if -3 <= o <= 0) >= 2 and (last_review is None or last_review <= -4)
    last = None if last_review is None else shift_week(WEEK, last_review)
    assert focus_review_due(WEEK, checkins, last) is expected


# --- focus review: what it shows -------------------------------------------------------------------


def test_focus_review_by_example() -> None:
    ratings = {
        shift_week(WEEK, -6): {"personality": 2, "upskilling": 3, "delegation": 4},
        shift_week(WEEK, -5): {"personality": 4, "upskilling": 3, "delegation": 4},
        shift_week(WEEK, -2): {"personality": 4, "upskilling": 2, "delegation": 1, "progress": 5},
        shift_week(WEEK, -1): {"personality": 5, "upskilling": 2, "delegation": 2, "progress": 4},
        shift_week(WEEK, -9): {"personality": 1, "upskilling": 1, "delegation": 1, "progress": 1},  # too old
    }
    review = focus_review(WEEK, ratings, current="personality")
    by = {c.foundation: c for c in review.changes}
    assert [c.foundation for c in review.changes] == list(FOUNDATIONS)
    assert (by["personality"].before, by["personality"].after, by["personality"].change) == (3.0, 4.5, 1.5)
    assert (by["upskilling"].before, by["upskilling"].after, by["upskilling"].change) == (3.0, 2.0, -1.0)
    assert (by["delegation"].before, by["delegation"].after, by["delegation"].change) == (4.0, 1.5, -2.5)
    # progress was not rated in the four weeks before: no before, no change.
    assert (by["progress"].before, by["progress"].after, by["progress"].change) == (None, 4.5, None)
    assert review.suggested == "delegation" and review.offers_switch


def test_focus_review_without_recent_ratings_suggests_nothing() -> None:
    review = focus_review(WEEK, {shift_week(WEEK, -6): {"progress": 2}}, current="progress")
    assert review.suggested is None and not review.offers_switch
    assert all(c.after is None and c.change is None for c in review.changes)


def test_no_switch_offered_when_the_suggestion_is_the_current_focus() -> None:
    review = focus_review(WEEK, {WEEK: {"progress": 1, "delegation": 3}}, current="progress")
    assert review.suggested == "progress" and not review.offers_switch


week_ratings = st.dictionaries(st.integers(-10, 1), st.dictionaries(st.sampled_from(FOUNDATIONS), st.integers(1, 5)))


@given(week_ratings)
def test_focus_review_comparison_restated(by_offset: dict[int, Mapping[str, int]]) -> None:
    ratings = {shift_week(WEEK, o): r for o, r in by_offset.items()}
    review = focus_review(WEEK, ratings, current=None)

    def mean(lo: int, hi: int, foundation: str) -> float | None:
        values = [r[foundation] for o, r in by_offset.items() if lo <= o <= hi and foundation in r]
        return sum(values) / len(values) if values else None

    for change in review.changes:
        before, after = mean(-7, -4, change.foundation), mean(-3, 0, change.foundation)
        assert change.before == pytest.approx(before) if before is not None else change.before is None
        assert change.after == pytest.approx(after) if after is not None else change.after is None
        if before is None or after is None:
            assert change.change is None
        else:
            assert change.change == pytest.approx(after - before)
    afters = {c.foundation: c.after for c in review.changes if c.after is not None}
    if afters:
        assert review.suggested is not None and afters[review.suggested] == pytest.approx(min(afters.values()))
    else:
        assert review.suggested is None


# --- growth review ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assessed", "due"),
    [
        (shift_week(WEEK, -12), True),  # exactly 12 weeks
        (shift_week(WEEK, -11), False),
        (shift_week(WEEK, -30), True),
        (WEEK, False),
        (None, False),  # no first assessment: nothing to compare with
    ],
)
def test_growth_review_due_at_its_edges(assessed: str | None, due: bool) -> None:
    assert growth_review_due(WEEK, assessed) is due


@pytest.mark.parametrize(
    ("assessed", "invited", "due"),
    [
        (-12, None, True),  # due and never invited
        (-11, None, False),  # the review itself is not due yet
        (-13, -1, False),  # invited last week: not again
        (-15, -3, False),
        (-16, -4, True),  # four weeks after the last invitation: once more
        (-20, -20, True),  # invited the week of the latest assessment: that was the previous round
        (-20, -25, True),  # invited before the latest assessment
        (-12, 0, False),  # already invited this week
    ],
)
def test_growth_invite_due_at_its_edges(assessed: int, invited: int | None, due: bool) -> None:
    last_invite = None if invited is None else shift_week(WEEK, invited)
    assert growth_invite_due(WEEK, shift_week(WEEK, assessed), last_invite) is due


@given(st.none() | st.integers(-40, 0), st.none() | st.integers(-40, 0))
def test_growth_invite_due_restated(assessed: int | None, invited: int | None) -> None:
    last_assessment = None if assessed is None else shift_week(WEEK, assessed)
    last_invite = None if invited is None else shift_week(WEEK, invited)
    expected = (assessed is not None and assessed <= -12
                and (invited is None or invited <= assessed or invited <= -4))
    assert growth_invite_due(WEEK, last_assessment, last_invite) is expected
    if expected:  # never two invitations within four weeks of each other in one round
        assert invited is None or invited <= assessed or -invited >= 4


def test_growth_invitations_over_a_year_come_every_four_weeks_until_taken() -> None:
    assessed, invited, sent = shift_week(WEEK, -12), None, []
    for offset in range(0, 30):
        week = shift_week(WEEK, offset)
        if growth_invite_due(week, assessed, invited):
            invited = week
            sent.append(offset)
        if offset == 17:  # the person takes the review
            assessed = week
    assert sent == [0, 4, 8, 12, 16, 29]
