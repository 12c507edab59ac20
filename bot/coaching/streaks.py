"""The streak rule (docs/coaching.md, docs/interface.md), as a pure function over ISO weeks.

A streak is the number of consecutive ISO weeks with a check-in, counted back from the current
week. The current week counts when it has a check-in and does not break the streak when it has
none yet. Weeks inside a pause neither count nor break it: they are skipped as if they did not
exist. An away week (three or more away days Monday to Friday) without a check-in is skipped the
same way; with a check-in it counts like any other week. A week both paused and away is a paused
week. The longest streak applies the same rule to every run in the person's history.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from bot.coaching.weeks import iso_week, shift_week, week_monday

MILESTONES: tuple[int, ...] = (4, 8, 12, 26, 52)


# A week is away when at least this many of its Monday-to-Friday days are away days.
AWAY_DAYS_PER_WEEK: Final = 3


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    # Away weeks without a check-in that the current streak stepped over: weeks before the current
    # one, after the run's first check-in, not paused. Above zero, "your streak waited for you
    # while you were away" is true.
    bridged_away: int = 0


def compute_streak(
    checkin_weeks: Iterable[str],
    paused_weeks: Collection[str],
    current_week: str,
    *,
    away_weeks: Collection[str] = frozenset(),
) -> Streak:
    """Current and longest streak for check-ins in ``checkin_weeks`` as of ``current_week``.

    Paused weeks, and away weeks without a check-in, neither count nor break a streak; a check-in
    in an away week counts as one week. Check-ins dated after ``current_week`` are ignored (they
    cannot happen; a clock set back in a test must not count them).
    """
    done = {week for week in checkin_weeks if week <= current_week}
    if not done:
        return Streak(0, 0)
    paused = set(paused_weeks)
    away = set(away_weeks)
    run = longest = bridged = 0
    week = min(done)
    while week <= current_week:
        if week in paused:
            pass
        elif week in done:
            run += 1
            longest = max(longest, run)
        elif week in away:
            # Only a week that would otherwise have broken a live run was bridged by being away.
            if run and week != current_week:
                bridged += 1
        elif week != current_week:
            run = bridged = 0
        week = shift_week(week, 1)
    # ``run`` is now the run that reaches the current week, i.e. the current streak.
    return Streak(current=run, longest=longest, bridged_away=bridged)


def weeks_touched(start: date, end: date) -> set[str]:
    """Every ISO week that has at least one day in the inclusive range ``start``..``end``."""
    if end < start:
        return set()
    weeks = set()
    monday = week_monday(iso_week(start))
    while monday <= end:
        weeks.add(iso_week(monday))
        monday += timedelta(weeks=1)
    return weeks


def paused_weeks(pauses: Iterable[tuple[date, date]]) -> set[str]:
    """The weeks covered by any of the inclusive ``(start, end)`` pauses."""
    weeks: set[str] = set()
    for start, end in pauses:
        weeks |= weeks_touched(start, end)
    return weeks


def away_weeks(away_days: Iterable[date]) -> set[str]:
    """The ISO weeks with at least three distinct away days from Monday to Friday.

    Weekend days never count: nobody is expected to check in then, so being away on a Saturday
    takes nothing from a week.
    """
    workdays: dict[str, set[date]] = {}
    for day in away_days:
        if day.isoweekday() <= 5:
            workdays.setdefault(iso_week(day), set()).add(day)
    return {week for week, days in workdays.items() if len(days) >= AWAY_DAYS_PER_WEEK}


def milestone_reached(previous: int, current: int) -> int | None:
    """The milestone crossed when the current streak went from ``previous`` to ``current``."""
    crossed = [m for m in MILESTONES if previous < m <= current]
    return max(crossed) if crossed else None


def waited_while_away(
    checkin_weeks: Iterable[str],
    paused_weeks: Collection[str],
    current_week: str,
    *,
    away_weeks: Collection[str],
) -> int:
    """The away weeks the streak stepped over since the last check-in before ``current_week``.

    Above zero, "your streak waited for you while you were away" is true now: the person has a
    live streak, and between their previous counted check-in and this week lie away weeks without a
    check-in that would have broken it. Paused weeks between are not counted (the pause, not
    being away, kept the streak). Zero without an earlier check-in or when the streak is gone.
    """
    paused, away = set(paused_weeks), set(away_weeks)
    # A check-in inside a pause counts for nothing in the streak rule, so it cannot start the wait.
    earlier = [week for week in checkin_weeks if week < current_week and week not in paused]
    if not earlier:
        return 0
    waited = 0
    week = shift_week(max(earlier), 1)
    while week < current_week:
        if week in paused:
            pass
        elif week in away:
            waited += 1
        else:
            return 0  # a week neither paused nor away broke the streak: nothing waited
        week = shift_week(week, 1)
    return waited
