"""The check-in's encouragement line says "toughest" or "strongest" only when it is true."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.encouragement import encouragement, strongest, toughest
from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS

settings.register_profile("encouragement", max_examples=300, deadline=None)
settings.load_profile("encouragement")

RATINGS = st.fixed_dictionaries({f: st.integers(1, 5) for f in FOUNDATIONS})
WEEKS = st.sampled_from([f"2026-W{n:02d}" for n in range(1, 54)])


def test_a_shared_lowest_rating_has_no_toughest_area() -> None:
    assert toughest({"personality": 2, "upskilling": 4, "delegation": 2, "progress": 3}) is None
    assert toughest({"personality": 3, "upskilling": 4, "delegation": 2, "progress": 3}) == "delegation"
    assert strongest({"personality": 5, "upskilling": 5, "delegation": 2, "progress": 3}) is None
    assert toughest({}) is None


@given(RATINGS)
def test_toughest_and_strongest_are_strictly_alone(ratings: dict[str, int]) -> None:
    low, high = toughest(ratings), strongest(ratings)
    assert (low is not None) == (sorted(ratings.values()).count(min(ratings.values())) == 1)
    assert (high is not None) == (sorted(ratings.values()).count(max(ratings.values())) == 1)
    if low is not None:
        assert all(ratings[low] < value for key, value in ratings.items() if key != low)
    if high is not None:
        assert all(ratings[high] > value for key, value in ratings.items() if key != high)


@given(RATINGS, st.integers(0, 20), st.integers(0, 30), st.booleans(), WEEKS, st.booleans())
def test_the_line_names_an_area_only_when_it_stands_alone(ratings: dict[str, int], streak: int, longest: int,
                                                          first: bool, week: str, name_toughest: bool) -> None:
    line = encouragement(streak=streak, longest=max(longest, streak), first_ever=first, ratings=ratings, week=week,
                         name_toughest=name_toughest)
    if "toughest" in line:
        low = toughest(ratings)
        assert name_toughest and low is not None and line.startswith(FOUNDATION_LABELS[low])
    if "strongest" in line:
        high = strongest(ratings)
        assert high is not None and FOUNDATION_LABELS[high] in line
