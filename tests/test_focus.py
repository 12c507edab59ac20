"""The focus rules: auto follows the weakest foundation, chosen is kept, the mix is one week in three."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.focus import (
    AUTO,
    CHOSEN,
    FOCUS,
    MIX,
    NEWCOMER_FOCUS,
    effective_focus,
    is_mix_week,
    switch_offer,
    weakest_foundation,
    weakness_order,
    week_target,
)
from bot.coaching.foundations import FOCUS_MODES, FOUNDATIONS
from bot.coaching.library import KINDS
from bot.coaching.weeks import shift_week

settings.register_profile("focus", max_examples=200, deadline=None)
settings.load_profile("focus")

ratings = st.dictionaries(st.sampled_from(FOUNDATIONS), st.integers(1, 5))
full_ratings = st.fixed_dictionaries({f: st.integers(1, 5) for f in FOUNDATIONS})
windows = st.lists(ratings, max_size=4)
weeks = st.integers(-400, 400).map(lambda offset: shift_week("2026-W50", offset))
keys = st.text(min_size=1, max_size=12)


def _averages(window: list[Mapping[str, int]]) -> dict[str, Fraction]:
    result = {}
    for f in FOUNDATIONS:
        values = [r[f] for r in window if f in r]
        if values:
            result[f] = Fraction(sum(values), len(values))
    return result


# --- auto ---------------------------------------------------------------------------------------------


@given(windows, st.sampled_from((*FOUNDATIONS, None, "charisma")), st.sampled_from((*FOUNDATIONS, None)))
def test_an_auto_focus_is_the_weakest_over_the_check_ins_when_there_are_any(
    window: list[Mapping[str, int]], chosen: str | None, suggestion: str | None
) -> None:
    focus = effective_focus(AUTO, chosen, window, suggestion)
    means = _averages(window)
    assert focus.mode == AUTO
    if means:
        lowest = min(means.values())
        assert focus.foundation is not None and means[focus.foundation] == lowest
        # Ties: the first in FOUNDATIONS order among the lowest.
        assert focus.foundation == next(f for f in FOUNDATIONS if means.get(f) == lowest)
    else:
        assert focus.foundation == suggestion


def test_auto_before_any_data_is_none_and_prompts_use_delegation() -> None:
    focus = effective_focus(AUTO, None, [])
    assert focus.foundation is None and focus.for_prompts == NEWCOMER_FOCUS == "delegation"
    assert effective_focus(AUTO, None, [{}, {}]).foundation is None
    assert effective_focus(AUTO, None, [], "progress").foundation == "progress"
    assert effective_focus(AUTO, None, [], "charisma").foundation is None


def test_weakest_averages_only_the_ratings_given() -> None:
    # A skipped rating is not a zero: progress averages 2 over its one rating.
    assert weakest_foundation([{"personality": 3, "progress": 2}, {"personality": 1}]) == "personality"
    assert weakest_foundation([{"personality": 3, "progress": 2}, {"personality": 2}]) == "progress"
    assert weakest_foundation([{f: 3 for f in FOUNDATIONS}]) == FOUNDATIONS[0]
    assert weakest_foundation([{"progress": 2, "delegation": 2, "upskilling": 4}]) == "delegation"
    assert weakest_foundation([{"progress": 2, "delegation": 2}], exclude={"delegation"}) == "progress"
    assert weakest_foundation([{"progress": 2}], exclude={"progress"}) is None


@given(windows)
def test_weakness_order_lists_every_foundation_rated_weakest_first(window: list[Mapping[str, int]]) -> None:
    order = weakness_order(window)
    means = _averages(window)
    assert sorted(order) == sorted(FOUNDATIONS)
    rated = [f for f in order if f in means]
    assert order[: len(rated)] == tuple(rated)  # unrated after rated
    assert [means[f] for f in rated] == sorted(means[f] for f in rated)


# --- chosen -------------------------------------------------------------------------------------------


@given(windows, st.sampled_from(FOUNDATIONS))
def test_a_chosen_focus_is_kept_whatever_the_ratings(window: list[Mapping[str, int]], chosen: str) -> None:
    focus = effective_focus(CHOSEN, chosen, window)
    assert focus.mode == CHOSEN and focus.foundation == chosen == focus.for_prompts


@pytest.mark.parametrize("chosen", [None, "", "charisma"])
def test_a_chosen_mode_without_a_valid_focus_acts_as_auto(chosen: str | None) -> None:
    focus = effective_focus(CHOSEN, chosen, [{"progress": 1, "delegation": 2}])
    assert focus.mode == AUTO and focus.foundation == "progress"


def test_an_unknown_mode_acts_as_auto() -> None:
    assert effective_focus(None, "progress", [{"delegation": 1}]).foundation == "delegation"
    assert FOCUS_MODES == (AUTO, CHOSEN)


# --- the mix ------------------------------------------------------------------------------------------


@given(keys, st.sampled_from(KINDS), weeks)
def test_exactly_4_mix_weeks_in_any_12_consecutive_weeks(key: str, kind: str, start: str) -> None:
    mixed = [is_mix_week(kind, key, shift_week(start, n)) for n in range(12)]
    assert sum(mixed) == 4
    # And never two in a row: one in every three consecutive weeks.
    assert all(sum(mixed[i:i + 3]) == 1 for i in range(10))


@given(keys, weeks)
def test_upskilling_and_reflection_never_leave_the_focus_the_same_week(key: str, week: str) -> None:
    assert not (is_mix_week("upskilling", key, week) and is_mix_week("reflection", key, week))


def test_mix_weeks_run_on_across_a_week_53() -> None:
    # 2026 has 53 ISO weeks; the pattern must not skip or double up at the turn of the year.
    mixed = [is_mix_week("upskilling", "T1:U1", shift_week("2026-W45", n)) for n in range(20)]
    assert all(sum(mixed[i:i + 3]) == 1 for i in range(18))


def test_people_in_a_team_do_not_all_switch_the_same_week() -> None:
    offsets = {next(n for n in range(3) if is_mix_week("upskilling", f"T1:U{p}", shift_week("2026-W10", n)))
               for p in range(30)}
    assert offsets == {0, 1, 2}


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        is_mix_week("gossip", "T1:U1", "2026-W10")


@given(full_ratings, st.sampled_from(FOUNDATIONS), keys, st.sampled_from(KINDS), weeks)
def test_chosen_mix_weeks_aim_at_the_weakest_other_foundation(
    rated: dict[str, int], chosen: str, key: str, kind: str, week: str
) -> None:
    target = week_target(effective_focus(CHOSEN, chosen, [rated]), kind=kind, person_key=key, week=week)
    if is_mix_week(kind, key, week):
        others = [f for f in FOUNDATIONS if f != chosen]
        lowest = min(rated[f] for f in others)
        assert target.reason == MIX
        assert target.foundation == next(f for f in others if rated[f] == lowest)
    else:
        assert target.reason == FOCUS and target.foundation == chosen


@given(windows, st.sampled_from((*FOUNDATIONS, None)), keys, st.sampled_from(KINDS), weeks)
def test_auto_never_mixes(window: list[Mapping[str, int]], suggestion: str | None, key: str, kind: str,
                          week: str) -> None:
    focus = effective_focus(AUTO, None, window, suggestion)
    target = week_target(focus, kind=kind, person_key=key, week=week)
    assert target.reason == FOCUS and target.foundation == focus.for_prompts


@given(st.sampled_from(FOUNDATIONS), keys, st.sampled_from(KINDS), weeks)
def test_before_any_rating_the_mix_takes_the_other_foundations_in_turn(
    chosen: str, key: str, kind: str, start: str
) -> None:
    focus = effective_focus(CHOSEN, chosen, [])
    targets = [week_target(focus, kind=kind, person_key=key, week=shift_week(start, n)) for n in range(9)]
    mixed = [t.foundation for t in targets if t.reason == MIX]
    assert sorted(mixed) == sorted(f for f in FOUNDATIONS if f != chosen)


# --- switch offers ------------------------------------------------------------------------------------


def test_the_check_in_offers_a_switch_only_to_a_chosen_focus() -> None:
    chosen = effective_focus(CHOSEN, "delegation", [])
    assert switch_offer(chosen, "progress") == "progress"
    assert switch_offer(chosen, "delegation") is None
    assert switch_offer(chosen, None) is None
    assert switch_offer(chosen, "charisma") is None
    assert switch_offer(effective_focus(AUTO, None, [{"delegation": 1}]), "progress") is None
