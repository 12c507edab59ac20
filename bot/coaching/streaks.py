"""The streak rule of CONTRACT.md, as a pure function over ISO weeks.

A streak is the number of consecutive ISO weeks with a check-in, counted back from the current
week. The current week counts when it has a check-in and does not break the streak when it has
none yet. Weeks inside a pause neither count nor break it: they are skipped as if they did not
exist. The longest streak applies the same rule to every run in the person's history.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.coaching.weeks import iso_week, shift_week, week_monday

MILESTONES: tuple[int, ...] = (4, 8, 12, 26, 52)


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int


def compute_streak(checkin_weeks: Iterable[str], paused_weeks: Collection[str], current_week: str) -> Streak:
    """Current and longest streak for check-ins in ``checkin_weeks`` as of ``current_week``.

    Check-ins dated after ``current_week`` are ignored (they cannot happen; a clock set back in
    a test must not count them).
    """
    done = {week for week in checkin_weeks if week <= current_week}
    if not done:
        return Streak(0, 0)
    paused = set(paused_weeks)
    run = longest = 0
    week = min(done)
    while week <= current_week:
        if week in paused:
            pass
        elif week in done:
            run += 1
            longest = max(longest, run)
        elif week != current_week:
            run = 0
        week = shift_week(week, 1)
    # ``run`` is now the run that reaches the current week, i.e. the current streak.
    return Streak(current=run, longest=longest)


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


def milestone_reached(previous: int, current: int) -> int | None:
    """The milestone crossed when the current streak went from ``previous`` to ``current``."""
    crossed = [m for m in MILESTONES if previous < m <= current]
    return max(crossed) if crossed else None
