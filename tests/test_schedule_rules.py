"""The due-time rules, pure: local slots across zones, DST in both directions, same-day catch-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.schedule import (
    MIN_DUE_WINDOW,
    DueWindow,
    Slot,
    due_week,
    due_window,
    effective_slot,
    next_slot_after,
    parse_slot,
    resolve_local,
    slot_instant,
    zone,
)
from bot.coaching.weeks import iso_week
from bot.scheduler.registry import DEFAULT_SLOTS

UTC = UTC
BERLIN, NEW_YORK, SYDNEY = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney")
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Asia/Tokyo",
         "Pacific/Chatham", "America/St_Johns", "Australia/Lord_Howe", "America/Santiago", "Pacific/Kiritimati"]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# resolving a local wall time ---------------------------------------------------------------------
@pytest.mark.parametrize(("tz", "day", "at", "expected"), [
    # Ordinary times.
    (BERLIN, date(2026, 11, 23), time(10), utc(2026, 11, 23, 9)),
    (SYDNEY, date(2026, 11, 23), time(10), utc(2026, 11, 22, 23)),
    # Spring forward: 02:30 does not exist; the first valid instant after it is when clocks jump.
    (BERLIN, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1)),  # 03:00 CEST
    (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7)),  # 03:00 EDT
    (SYDNEY, date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16)),  # 03:00 AEDT
    (ZoneInfo("America/Santiago"), date(2026, 9, 6), time(0, 0), utc(2026, 9, 6, 4)),  # midnight skipped
    # Fall back: 02:30 happens twice; the first occurrence wins.
    (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),  # 02:30 CEST, not CET
    (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # 01:30 EDT, not EST
    (SYDNEY, date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),  # 02:30 AEDT, not AEST
])
def test_resolve_local_handles_gaps_and_repeats(tz: ZoneInfo, day: date, at: time, expected: datetime) -> None:
    assert resolve_local(day, at, tz) == expected


@settings(max_examples=300, deadline=None)
@given(tz_name=st.sampled_from(ZONES), day=st.dates(date(2025, 1, 1), date(2028, 12, 31)),
       at=st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_resolve_local_is_the_first_instant_showing_that_time_or_later(tz_name: str, day: date, at: time) -> None:
    tz = ZoneInfo(tz_name)
    naive = datetime.combine(day, at)
    instant = resolve_local(day, at, tz)
    wall = instant.astimezone(tz).replace(tzinfo=None)
    assert wall >= naive
    # A second earlier the wall clock showed something before the wanted time: nothing earlier
    # would do, so an ambiguous time gets its first occurrence and a gap the jump itself.
    before = (instant - timedelta(seconds=1)).astimezone(tz).replace(tzinfo=None)
    assert before < naive
    if wall != naive:  # only a time inside a DST gap may move, and not by more than the gap
        assert (instant + timedelta(seconds=1)).astimezone(tz).utcoffset() != \
            (instant - timedelta(seconds=1)).astimezone(tz).utcoffset()
        assert wall - naive <= timedelta(hours=1)


# due windows ---------------------------------------------------------------------------------------
MONDAY_10 = DEFAULT_SLOTS["checkin-nudge"]


@pytest.mark.parametrize(("tz", "week", "expected"), [
    # Berlin: CET +1 before 29 March 2026, CEST +2 after; back to CET after 25 October.
    (BERLIN, "2026-W13", utc(2026, 3, 23, 9)), (BERLIN, "2026-W14", utc(2026, 3, 30, 8)),
    (BERLIN, "2026-W43", utc(2026, 10, 19, 8)), (BERLIN, "2026-W44", utc(2026, 10, 26, 9)),
    # New York: EST -5 until 8 March, EDT -4 until 1 November.
    (NEW_YORK, "2026-W10", utc(2026, 3, 2, 15)), (NEW_YORK, "2026-W11", utc(2026, 3, 9, 14)),
    (NEW_YORK, "2026-W44", utc(2026, 10, 26, 14)), (NEW_YORK, "2026-W45", utc(2026, 11, 2, 15)),
    # Sydney (southern hemisphere): AEDT +11 until 5 April, AEST +10 until 4 October.
    (SYDNEY, "2026-W14", utc(2026, 3, 29, 23)), (SYDNEY, "2026-W15", utc(2026, 4, 6, 0)),
    (SYDNEY, "2026-W40", utc(2026, 9, 28, 0)), (SYDNEY, "2026-W41", utc(2026, 10, 4, 23)),
])
def test_monday_ten_oclock_follows_each_zones_dst(tz: ZoneInfo, week: str, expected: datetime) -> None:
    assert slot_instant(MONDAY_10, week, tz) == expected


def test_due_from_the_slot_until_local_midnight_only() -> None:
    slot = parse_slot("mon 10:00")
    assert due_week(slot, utc(2026, 11, 23, 8, 59), BERLIN) is None  # 09:59 local: not yet
    assert due_week(slot, utc(2026, 11, 23, 9, 0), BERLIN) == "2026-W48"  # 10:00 local
    assert due_week(slot, utc(2026, 11, 23, 22, 59), BERLIN) == "2026-W48"  # 23:59 local: catch-up
    assert due_week(slot, utc(2026, 11, 23, 23, 0), BERLIN) is None  # Tuesday 00:00 local: too late
    assert due_week(slot, utc(2026, 11, 29, 22, 0), BERLIN) is None  # Sunday: never last week's item
    assert due_week(slot, utc(2026, 11, 30, 8, 0), BERLIN) is None  # next Monday 09:00: not yet


def test_due_is_judged_in_the_persons_zone_not_in_utc() -> None:
    slot = parse_slot("mon 10:00")
    moment = utc(2026, 11, 22, 23, 30)  # Sunday in UTC, Monday 10:30 in Sydney
    assert due_week(slot, moment, SYDNEY) == "2026-W48"
    assert due_week(slot, moment, ZoneInfo("UTC")) is None
    assert due_week(slot, moment, NEW_YORK) is None


def test_a_slot_in_the_spring_gap_is_due_once_at_the_jump() -> None:
    slot = parse_slot("sun 02:30")
    window = due_window(slot, "2026-W13", BERLIN)
    assert window == DueWindow("2026-W13", utc(2026, 3, 29, 1), utc(2026, 3, 29, 22))
    assert due_week(slot, utc(2026, 3, 29, 0, 59), BERLIN) is None
    assert due_week(slot, utc(2026, 3, 29, 1, 0), BERLIN) == "2026-W13"


def test_a_slot_in_the_repeated_hour_is_due_from_its_first_occurrence() -> None:
    slot = parse_slot("sun 02:30")
    window = due_window(slot, "2026-W43", BERLIN)
    assert window.start == utc(2026, 10, 25, 0, 30)
    assert window.end == utc(2026, 10, 25, 23)  # Monday 00:00 CET
    assert due_week(slot, utc(2026, 10, 25, 0, 29), BERLIN) is None
    # Still the same one window (and week) at the second 02:30: no second item can be due.
    assert due_week(slot, utc(2026, 10, 25, 1, 30), BERLIN) == "2026-W43"


@settings(max_examples=40, deadline=None)
@given(tz_name=st.sampled_from(ZONES), day=st.sampled_from(["mon", "wed", "thu", "fri", "sun"]),
       hour=st.integers(0, 23), minute=st.sampled_from([0, 15, 30, 59]),
       start=st.datetimes(datetime(2025, 1, 1), datetime(2028, 12, 1)))
def test_a_five_minute_sweep_finds_each_week_due_in_one_unbroken_same_day_run(
        tz_name: str, day: str, hour: int, minute: int, start: datetime) -> None:
    tz, slot = ZoneInfo(tz_name), Slot(day, time(hour, minute))
    moment = start.replace(tzinfo=UTC, second=0, microsecond=0)
    runs: dict[str, list[datetime]] = {}
    for step in range(0, 15 * 24 * 12):  # fifteen days every five minutes
        at = moment + timedelta(minutes=5 * step)
        week = due_week(slot, at, tz)
        if week is not None:
            runs.setdefault(week, []).append(at)
            # Only ever the current local week (or, minutes after a late-Sunday slot, its own).
            assert week == iso_week(at.astimezone(tz).date()) or \
                at < due_window(slot, week, tz).start + MIN_DUE_WINDOW
    assert len(runs) >= 2  # fifteen days hold every weekday twice
    for week, times in runs.items():
        window = due_window(slot, week, tz)
        assert all(window.start <= t < window.end for t in times)
        assert times == [times[0] + timedelta(minutes=5 * i) for i in range(len(times))]  # unbroken
        slot_day = window.start.astimezone(tz).date()
        # The slot's local day only; a slot minutes before midnight may spill a few minutes over.
        assert all(t.astimezone(tz).date() == slot_day or t < window.start + MIN_DUE_WINDOW for t in times)
        if moment <= window.start - timedelta(minutes=5):  # the sweep saw the slot arrive
            assert times[0] - window.start < timedelta(minutes=5)


def test_a_slot_just_before_midnight_is_not_missed_by_a_five_minute_sweep() -> None:
    slot = parse_slot("sun 23:58")
    window = due_window(slot, "2026-W48", ZoneInfo("UTC"))
    assert window == DueWindow("2026-W48", utc(2026, 11, 29, 23, 58), utc(2026, 11, 30, 0, 13))
    assert due_week(slot, utc(2026, 11, 30, 0, 5), ZoneInfo("UTC")) == "2026-W48"
    assert due_week(slot, utc(2026, 11, 30, 0, 13), ZoneInfo("UTC")) is None


def test_next_slot_after_skips_to_next_week_once_passed() -> None:
    slot = parse_slot("wed 10:00")
    assert next_slot_after(slot, utc(2026, 11, 23, 12), BERLIN) == ("2026-W48", utc(2026, 11, 25, 9))
    assert next_slot_after(slot, utc(2026, 11, 25, 9), BERLIN) == ("2026-W49", utc(2026, 12, 2, 9))
    assert next_slot_after(slot, utc(2026, 11, 23, 12), BERLIN, weeks_ahead=2) == ("2026-W50", utc(2026, 12, 9, 9))


def test_effective_slot_and_unknown_zones() -> None:
    assert effective_slot("checkin-nudge", {"checkin-nudge": "tue 08:15"}, {"checkin-nudge": "mon 09:00"},
                          MONDAY_10) == Slot("tue", time(8, 15))
    assert effective_slot("checkin-nudge", {"checkin-nudge": "garbage"}, {"checkin-nudge": "mon 09:00"},
                          MONDAY_10) == Slot("mon", time(9, 0))
    assert zone("Mars/Olympus_Mons") == ZoneInfo("UTC") and zone(None) == ZoneInfo("UTC")
    assert zone("Asia/Tokyo") == ZoneInfo("Asia/Tokyo")
