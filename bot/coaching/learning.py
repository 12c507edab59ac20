"""Learning minutes and progress windows: the rules every view of a person's progress shares.

Learning minutes of a week (CONTRACT.md)
    A week with a check-in counts the check-in's number: the person's own total, whose field
    starts pre-filled with what they logged that week with "I did it". A week without a check-in
    counts the sum of its "I did it" minutes. So minutes logged before the check-in are in its
    number (unless the person changed it), and minutes of a week never checked in still count.
    :func:`week_minutes` is the one implementation; the dashboard, ``/lead stats``, the progress
    picture and the export all read minutes through it.

Windows
    The dashboard and the picture show the last :data:`TREND_WEEKS` weeks, ending with the current
    week once it has a check-in, else with the week before (an empty current week would read as a
    drop). ``/lead stats`` shows completed weeks only and the current week apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from bot.coaching.weeks import shift_week

TREND_WEEKS: Final = 12
QUARTER_WEEKS: Final = 13  # "over the quarter": thirteen weeks, the current one included


def week_minutes(checkin_minutes: Mapping[str, int], logged: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Each week's learning minutes: the check-in's number, else the sum of the logged minutes.

    ``checkin_minutes`` maps a week to its check-in's minutes; ``logged`` is (week, minutes) per
    "I did it". Weeks with neither are absent (they count as 0).
    """
    totals: dict[str, int] = {}
    for week, minutes in logged:
        if week not in checkin_minutes:
            totals[week] = totals.get(week, 0) + minutes
    totals.update(checkin_minutes)
    return totals


def last_weeks(end: str, count: int) -> tuple[str, ...]:
    """``count`` weeks ending with ``end``, oldest first."""
    return tuple(shift_week(end, offset) for offset in range(-(count - 1), 1))


def trend_window(current_week: str, current_has_checkin: bool, count: int = TREND_WEEKS) -> tuple[str, ...]:
    """The weeks a trend shows: ``count`` weeks ending now when this week is in, else last week."""
    end = current_week if current_has_checkin else shift_week(current_week, -1)
    return last_weeks(end, count)


def completed_weeks(current_week: str, count: int) -> tuple[str, ...]:
    """The ``count`` weeks before ``current_week``, oldest first (``/lead stats``)."""
    return last_weeks(shift_week(current_week, -1), count)
