"""The streak rule of CONTRACT.md, checked against an independent reference and by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.pauses import PauseRange, ended_by_checkin, new_pause, resumed
from bot.coaching.streaks import compute_streak, milestone_reached, paused_weeks, weeks_touched
from bot.coaching.weeks import iso_week, shift_week, week_monday, week_of, weeks_between

# Mondays a few weeks before years that have an ISO week 53 (2015, 2020, 2026) and one that has not.
BASES = [date(2015, 11, 30), date(2020, 11, 30), date(2026, 11, 30), date(2023, 11, 27)]


def reference(done: set[int], paused: set[int], current: int) -> tuple[int, int]:
    """Streaks over week numbers (consecutive integers), written independently of the code under test."""
    done = {w for w in done if w <= current}
    if not done:
        return 0, 0
    timeline = [w for w in range(min(done), current + 1) if w not in paused]
    marks = [w in done for w in timeline]
    if timeline and timeline[-1] == current and not marks[-1]:
        marks.pop()  # the current week without a check-in yet does not break anything
    longest = run = 0
    for mark in marks:
        run = run + 1 if mark else 0
        longest = max(longest, run)
    trailing = 0
    for mark in reversed(marks):
        if not mark:
            break
        trailing += 1
    return trailing, longest


def as_week(base: date, offset: int) -> str:
    return iso_week(base + timedelta(weeks=offset))


histories = st.tuples(
    st.sampled_from(BASES),
    st.sets(st.integers(0, 40), max_size=30),
    st.sets(st.integers(0, 40), max_size=12),
    st.integers(0, 45),
)


@settings(max_examples=300, deadline=None)
@given(histories)
def test_matches_reference(history: tuple[date, set[int], set[int], int]) -> None:
    base, done, paused, current = history
    streak = compute_streak({as_week(base, w) for w in done}, {as_week(base, w) for w in paused},
                            as_week(base, current))
    assert (streak.current, streak.longest) == reference(done, paused, current)


@settings(max_examples=200, deadline=None)
@given(histories)
def test_current_never_exceeds_longest(history: tuple[date, set[int], set[int], int]) -> None:
    base, done, paused, current = history
    streak = compute_streak({as_week(base, w) for w in done}, {as_week(base, w) for w in paused},
                            as_week(base, current))
    assert 0 <= streak.current <= streak.longest


@settings(max_examples=200, deadline=None)
@given(histories)
def test_checking_in_this_week_adds_one(history: tuple[date, set[int], set[int], int]) -> None:
    base, done, paused, current = history
    done, paused = done - {current}, paused - {current}
    weeks_paused = {as_week(base, w) for w in paused}
    before = compute_streak({as_week(base, w) for w in done}, weeks_paused, as_week(base, current))
    after = compute_streak({as_week(base, w) for w in done | {current}}, weeks_paused, as_week(base, current))
    assert after.current == before.current + 1


@settings(max_examples=200, deadline=None)
@given(histories)
def test_a_pause_over_every_gap_joins_the_runs(history: tuple[date, set[int], set[int], int]) -> None:
    base, done, _, current = history
    done = {w for w in done if w <= current}
    gaps = set(range(min(done), current)) - done if done else set()
    streak = compute_streak({as_week(base, w) for w in done}, {as_week(base, w) for w in gaps},
                            as_week(base, current))
    assert streak.current == len(done)


def test_examples_by_hand() -> None:
    # W50, W51, W52, W53 of 2026 and W01 of 2027: five weeks across the year boundary.
    weeks = ["2026-W50", "2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    assert compute_streak(weeks, set(), "2027-W01").current == 5
    assert compute_streak(weeks, set(), "2027-W02").current == 5  # current week not done yet: no break
    assert compute_streak(weeks, set(), "2027-W03").current == 0  # W02 missed
    assert compute_streak(weeks, {"2027-W02"}, "2027-W03").current == 5  # ...unless paused
    assert compute_streak(weeks + ["2027-W02"], {"2027-W02"}, "2027-W02").current == 5  # paused weeks don't count
    gap = ["2026-W40", "2026-W41", "2026-W42", "2026-W45"]
    assert compute_streak(gap, set(), "2026-W45") == compute_streak(gap, set(), "2026-W46")
    assert compute_streak(gap, set(), "2026-W45").longest == 3
    assert compute_streak([], set(), "2026-W45").current == 0
    assert compute_streak(["2026-W50"], set(), "2026-W48").current == 0  # future check-ins ignored


def test_week_53_exists_where_it_should() -> None:
    assert iso_week(date(2026, 12, 31)) == "2026-W53"
    assert iso_week(date(2027, 1, 3)) == "2026-W53"
    assert iso_week(date(2027, 1, 4)) == "2027-W01"
    assert shift_week("2026-W53", 1) == "2027-W01"
    assert shift_week("2025-W52", 1) == "2026-W01"
    with pytest.raises(ValueError):
        week_monday("2025-W53")


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(-120, 120))
def test_week_arithmetic_round_trips(day: date, offset: int) -> None:
    week = iso_week(day)
    assert week_monday(week) <= day < week_monday(week) + timedelta(days=7)
    assert weeks_between(week, shift_week(week, offset)) == offset


ZONES = ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Pago_Pago",
         "Australia/Lord_Howe", "America/St_Johns"]


@settings(max_examples=300, deadline=None)
@given(st.datetimes(datetime(2015, 1, 1), datetime(2035, 1, 1), timezones=st.just(timezone.utc)),
       st.sampled_from(ZONES))
def test_week_follows_the_persons_calendar(moment: datetime, zone: str) -> None:
    local = moment.astimezone(ZoneInfo(zone)).date()
    assert week_of(moment, zone) == iso_week(local)


def test_sunday_night_in_utc_is_monday_in_tokyo() -> None:
    moment = datetime(2026, 12, 27, 23, 30, tzinfo=timezone.utc)  # Sunday of 2026-W52 in UTC
    assert week_of(moment, "UTC") == "2026-W52"
    assert week_of(moment, "Asia/Tokyo") == "2026-W53"
    early_monday = datetime(2027, 1, 4, 3, 0, tzinfo=timezone.utc)
    assert week_of(early_monday, "America/Los_Angeles") == "2026-W53"
    assert week_of(early_monday, "Europe/Berlin") == "2027-W01"


def test_milestones() -> None:
    assert milestone_reached(3, 4) == 4
    assert milestone_reached(4, 4) is None
    assert milestone_reached(0, 1) is None
    assert milestone_reached(25, 26) == 26
    assert milestone_reached(51, 52) == 52


def test_weeks_touched_by_a_pause() -> None:
    # Friday 27 Nov to Thursday 3 Dec 2026 touches W48 and W49.
    assert weeks_touched(date(2026, 11, 27), date(2026, 12, 3)) == {"2026-W48", "2026-W49"}
    assert paused_weeks([(date(2026, 12, 28), date(2027, 1, 10))]) == {"2026-W53", "2027-W01"}
    assert weeks_touched(date(2026, 12, 3), date(2026, 12, 1)) == set()


def test_pause_rules() -> None:
    friday = date(2026, 11, 27)
    assert new_pause(friday, 1, checked_in_this_week=False) == PauseRange(friday, date(2026, 12, 3))
    # Already checked in this week: the pause starts next Monday so this week still counts.
    assert new_pause(friday, 2, checked_in_this_week=True) == PauseRange(date(2026, 11, 30), date(2026, 12, 13))
    with pytest.raises(ValueError):
        new_pause(friday, 0, checked_in_this_week=False)
    pause = PauseRange(date(2026, 11, 18), date(2026, 12, 8))
    assert resumed(pause, friday) == PauseRange(date(2026, 11, 18), friday)
    assert resumed(PauseRange(date(2026, 11, 30), date(2026, 12, 6)), friday) is None
    # A check-in on Friday of W48 ends the pause on Sunday of W47.
    assert ended_by_checkin(pause, friday) == PauseRange(date(2026, 11, 18), date(2026, 11, 22))
    assert ended_by_checkin(PauseRange(date(2026, 11, 24), date(2026, 12, 1)), friday) is None
    future = PauseRange(date(2026, 11, 30), date(2026, 12, 6))
    assert ended_by_checkin(future, friday) == future
