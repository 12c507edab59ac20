"""The streak rule (docs/coaching.md, docs/interface.md), checked against an independent reference and by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.pauses import PauseRange, ended_by_checkin, new_pause, resumed
from bot.coaching.streaks import (
    Streak,
    away_weeks,
    compute_streak,
    milestone_reached,
    paused_weeks,
    waited_while_away,
    weeks_touched,
)
from bot.coaching.weeks import iso_week, shift_week, week_monday, week_of, weeks_between

# Mondays a few weeks before years that have an ISO week 53 (2015, 2020, 2026) and one that has not.
BASES = [date(2015, 11, 30), date(2020, 11, 30), date(2026, 11, 30), date(2023, 11, 27)]


def reference(done: set[int], paused: set[int], current: int,
              away: frozenset[int] | set[int] = frozenset()) -> tuple[int, int, int]:
    """Streaks over week numbers (consecutive integers), written independently of the code under test.

    Returns (current, longest, away weeks bridged by the current run).
    """
    done = {w for w in done if w <= current}
    if not done:
        return 0, 0, 0
    # Paused weeks, and away weeks nobody checked in, are taken out of the calendar altogether.
    timeline = [w for w in range(min(done), current + 1) if w not in paused and not (w in away and w not in done)]
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
    if not trailing:
        return 0, longest, 0
    first = timeline[len(marks) - trailing]
    bridged = len({w for w in away if first < w < current and w not in done and w not in paused})
    return trailing, longest, bridged


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
    assert (streak.current, streak.longest, streak.bridged_away) == reference(done, paused, current)


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
@given(st.datetimes(datetime(2015, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC)),
       st.sampled_from(ZONES))
def test_week_follows_the_persons_calendar(moment: datetime, zone: str) -> None:
    local = moment.astimezone(ZoneInfo(zone)).date()
    assert week_of(moment, zone) == iso_week(local)


def test_sunday_night_in_utc_is_monday_in_tokyo() -> None:
    moment = datetime(2026, 12, 27, 23, 30, tzinfo=UTC)  # Sunday of 2026-W52 in UTC
    assert week_of(moment, "UTC") == "2026-W52"
    assert week_of(moment, "Asia/Tokyo") == "2026-W53"
    early_monday = datetime(2027, 1, 4, 3, 0, tzinfo=UTC)
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


# Away weeks ---------------------------------------------------------------------------------------

away_histories = st.tuples(
    st.sampled_from(BASES),
    st.sets(st.integers(0, 40), max_size=30),
    st.sets(st.integers(0, 40), max_size=12),
    st.sets(st.integers(0, 40), max_size=15),
    st.integers(0, 45),
)
AwayHistory = tuple[date, set[int], set[int], set[int], int]


def streak_of(base: date, done: set[int], paused: set[int], away: set[int], current: int) -> Streak:
    return compute_streak({as_week(base, w) for w in done}, {as_week(base, w) for w in paused}, as_week(base, current),
                          away_weeks={as_week(base, w) for w in away})


@settings(max_examples=400, deadline=None)
@given(away_histories)
def test_away_matches_reference(history: AwayHistory) -> None:
    base, done, paused, away, current = history
    streak = streak_of(base, done, paused, away, current)
    assert (streak.current, streak.longest, streak.bridged_away) == reference(done, paused, current, away)
    assert 0 <= streak.current <= streak.longest
    assert streak.bridged_away == 0 or streak.current > 0


@settings(max_examples=300, deadline=None)
@given(away_histories)
def test_away_weeks_are_as_if_removed_from_the_calendar(history: AwayHistory) -> None:
    base, done, paused, away, current = history
    removed = {w for w in away if w < current and w not in done}

    def renumber(week: int) -> int:
        return week - sum(1 for r in removed if r < week)

    with_away = streak_of(base, done, paused, away, current)
    without = streak_of(base, {renumber(w) for w in done if w not in removed},
                        {renumber(w) for w in paused if w not in removed}, set(), renumber(current))
    assert (with_away.current, with_away.longest) == (without.current, without.longest)
    # ...and so never less than the same history with those weeks simply missed.
    missed = streak_of(base, done, paused, set(), current)
    assert with_away.current >= missed.current
    assert with_away.longest >= missed.longest


@settings(max_examples=300, deadline=None)
@given(away_histories, st.integers(0, 45))
def test_a_checkin_in_an_away_week_counts_as_one(history: AwayHistory, week: int) -> None:
    base, done, paused, away, current = history
    done = done | {week}
    assert (streak_of(base, done, paused, away | {week}, current)
            == streak_of(base, done, paused, away - {week}, current))
    # Checking in this week adds exactly one, whether or not the week is away.
    paused, done = paused - {current}, done - {current}
    for marked in (away | {current}, away - {current}):
        before = streak_of(base, done, paused, marked, current)
        after = streak_of(base, done | {current}, paused, marked, current)
        assert after.current == before.current + 1


@settings(max_examples=200, deadline=None)
@given(away_histories)
def test_a_pause_wins_over_away(history: AwayHistory) -> None:
    base, done, paused, away, current = history
    assert streak_of(base, done, paused, away, current) == streak_of(base, done, paused, away - paused, current)


def test_away_examples_by_hand() -> None:
    # Check-ins every week up to 2026-W51, away over Christmas and the new year (W52, W53: 2026 has
    # a week 53), back in 2027-W01.
    weeks = ["2026-W48", "2026-W49", "2026-W50", "2026-W51"]
    away = {"2026-W52", "2026-W53"}
    assert compute_streak(weeks, set(), "2027-W01") == Streak(0, 4)
    assert compute_streak(weeks, set(), "2027-W01", away_weeks=away) == Streak(4, 4, bridged_away=2)
    assert compute_streak(weeks + ["2027-W01"], set(), "2027-W01", away_weeks=away) == Streak(5, 5, bridged_away=2)
    # Still away in the current week: nothing is bridged by it yet, nothing is broken either.
    assert compute_streak(weeks, set(), "2026-W52", away_weeks=away) == Streak(4, 4, bridged_away=0)
    # A check-in during the holidays counts like any other.
    assert compute_streak(weeks + ["2026-W53"], set(), "2027-W01", away_weeks=away) == Streak(5, 5, bridged_away=1)
    # A missed week after the holidays breaks the streak; the bridge goes with it.
    assert compute_streak(weeks, set(), "2027-W02", away_weeks=away) == Streak(0, 4)
    # Away weeks before the first check-in of a run bridge nothing.
    assert compute_streak(["2026-W50", "2027-W01"], set(), "2027-W01", away_weeks=away) == Streak(1, 1)
    assert compute_streak(["2026-W51", "2027-W01"], set(), "2027-W01", away_weeks=away) == Streak(2, 2, 2)
    # Across 2020-W53 into 2021 as well.
    assert compute_streak(["2020-W51", "2020-W52", "2021-W01"], set(), "2021-W01",
                          away_weeks={"2020-W53"}) == Streak(3, 3, 1)


def test_a_holiday_week_inside_a_pause() -> None:
    # Paused from Monday 21 Dec 2026 to Sunday 3 Jan 2027 (W52, W53); away 24 Dec to 1 Jan.
    pause = paused_weeks([(date(2026, 12, 21), date(2027, 1, 3))])
    away = away_weeks(date(2026, 12, 24) + timedelta(days=n) for n in range(9))
    assert pause == {"2026-W52", "2026-W53"}
    assert away == {"2026-W53"}  # W52 has only Thursday and Friday away
    weeks = ["2026-W50", "2026-W51", "2027-W01"]
    # The pause carries the streak; the away week inside it is a paused week, not a bridge.
    assert compute_streak(weeks, pause, "2027-W01", away_weeks=away) == Streak(3, 3, bridged_away=0)
    assert compute_streak(weeks, pause, "2027-W01") == Streak(3, 3)
    # The pause ends with W52: the away week W53 bridges on its own.
    short = paused_weeks([(date(2026, 12, 21), date(2026, 12, 27))])
    assert compute_streak(weeks, short, "2027-W01", away_weeks=away) == Streak(3, 3, bridged_away=1)
    assert compute_streak(weeks, short, "2027-W01") == Streak(1, 2)


def reference_away_weeks(days: set[date]) -> set[str]:
    """Away weeks by brute force: count the weekdays of each ISO (year, week) one by one."""
    counts: dict[tuple[int, int], int] = {}
    for day in days:
        year, week, weekday = day.isocalendar()
        if weekday < 6:
            counts[(year, week)] = counts.get((year, week), 0) + 1
    return {f"{year}-W{week:02d}" for (year, week), count in counts.items() if count >= 3}


# Around the year boundaries of years with a week 53 (2015, 2020, 2026) and without (2024, 2025).
boundary_days = st.sets(st.one_of(*(st.dates(date(year, 12, 14), date(year + 1, 1, 14))
                                    for year in (2015, 2020, 2024, 2025, 2026))), max_size=25)


@settings(max_examples=300, deadline=None)
@given(boundary_days)
def test_away_weeks_match_reference(days: set[date]) -> None:
    assert away_weeks(days) == reference_away_weeks(days)
    assert away_weeks(list(days) * 2) == away_weeks(days)  # a day recorded twice is one day


@settings(max_examples=200, deadline=None)
@given(boundary_days, st.sets(st.dates(date(2015, 1, 1), date(2030, 12, 31)).filter(lambda d: d.isoweekday() > 5),
                              max_size=20))
def test_weekend_days_never_make_a_week_away(days: set[date], weekend: set[date]) -> None:
    assert away_weeks(days | weekend) == away_weeks(days)
    assert away_weeks(weekend) == set()


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2015, 1, 1), date(2030, 12, 31)), st.lists(st.integers(0, 4), min_size=3, max_size=3, unique=True))
def test_two_away_weekdays_are_not_enough_three_are(day: date, weekdays: list[int]) -> None:
    monday = day - timedelta(days=day.weekday())
    chosen = [monday + timedelta(days=n) for n in weekdays]
    weekend = [monday + timedelta(days=5), monday + timedelta(days=6)]
    assert away_weeks(chosen[:2] + weekend) == set()
    assert away_weeks(chosen) == {iso_week(monday)}


def test_away_weeks_across_new_year() -> None:
    # 2026-W53 runs from Monday 28 Dec 2026 to Sunday 3 Jan 2027.
    assert away_weeks([date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)]) == {"2026-W53"}
    assert away_weeks([date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)]) == set()
    # Monday 30 Dec 2024 belongs to 2025-W01.
    assert away_weeks([date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 1)]) == {"2025-W01"}
    # 2020-W53: Thursday 31 Dec 2020 and Friday 1 Jan 2021 with Monday 28 Dec.
    assert away_weeks([date(2020, 12, 28), date(2020, 12, 31), date(2021, 1, 1)]) == {"2020-W53"}
    # Two days in 2024-W52 and one in 2025-W01 make no away week.
    assert away_weeks([date(2024, 12, 26), date(2024, 12, 27), date(2024, 12, 30)]) == set()


# "your streak waited for you" ---------------------------------------------------------------------

def waited_reference(done: set[int], paused: set[int], away: set[int], current: int) -> int:
    """Away weeks between the last check-in before ``current`` and ``current``, if nothing else broke the run."""
    earlier = [w for w in done if w < current and w not in paused]  # a paused week's check-in counts for nothing
    if not earlier:
        return 0
    between = range(max(earlier) + 1, current)
    if any(w not in paused and w not in away for w in between):
        return 0
    return sum(1 for w in between if w not in paused)


@settings(max_examples=400, deadline=None)
@given(away_histories)
def test_waited_while_away_matches_reference_and_is_only_said_of_a_live_streak(history: AwayHistory) -> None:
    base, done, paused, away, current = history
    waited = waited_while_away({as_week(base, w) for w in done}, {as_week(base, w) for w in paused},
                               as_week(base, current), away_weeks={as_week(base, w) for w in away})
    assert waited == waited_reference(done, paused, away, current)
    streak = streak_of(base, done, paused, away, current)
    if waited:
        # True only when the streak is alive and those weeks were bridged by being away.
        assert streak.current > 0 and streak.bridged_away >= waited
    # Without away weeks, nothing ever "waited".
    assert waited_while_away({as_week(base, w) for w in done}, {as_week(base, w) for w in paused},
                             as_week(base, current), away_weeks=set()) == 0


def test_waited_while_away_across_the_new_year_and_inside_a_pause() -> None:
    # Checked in 2026-W51; away W52 and W53 (2026 has a week 53); back in 2027-W01.
    weeks = ["2026-W50", "2026-W51"]
    assert waited_while_away(weeks, set(), "2027-W01", away_weeks={"2026-W52", "2026-W53"}) == 2
    # A holiday week inside a pause is the pause's: only the away week outside it counts.
    assert waited_while_away(weeks, {"2026-W52"}, "2027-W01", away_weeks={"2026-W52", "2026-W53"}) == 1
    # One ordinary missed week in between broke the streak: nothing waited.
    assert waited_while_away(weeks, set(), "2027-W02", away_weeks={"2026-W52", "2026-W53"}) == 0
    # Checked in last week: nothing in between.
    assert waited_while_away([*weeks, "2026-W52"], set(), "2026-W53", away_weeks={"2026-W52"}) == 0
