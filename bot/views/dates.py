"""Dates as people read them: "week of 30 Nov", never the ISO code ``2026-W49``.

Weeks are stored and computed as ISO weeks (CONTRACT.md), but a person thinks in calendar dates:
every person-facing text names a week by its Monday. One formatter, used by every view, so a
nudge, the check-in modal, the confirmation, the dashboard and the digest describe a week the
same way. The year is added only when it is not the year of ``today`` (when a caller knows it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.coaching.weeks import week_monday


def day_label(day: date, today: date | None = None) -> str:
    """``30 Nov``, or ``30 Nov 2025`` when ``today`` is in another year."""
    text = f"{day.day} {day:%b}"
    return text if today is None or today.year == day.year else f"{text} {day.year}"


def weekday_label(day: date, today: date | None = None) -> str:
    """``Mon 30 Nov`` (with the year when it is not this year)."""
    return f"{day:%a} {day_label(day, today)}"


def week_label(week: str, today: date | None = None) -> str:
    """``week of 30 Nov``: the ISO ``week`` named by its Monday."""
    return f"week of {day_label(week_monday(week), today)}"


def week_title(week: str, today: date | None = None) -> str:
    """``Week of 30 Nov``, for the start of a sentence or a heading."""
    label = week_label(week, today)
    return label[0].upper() + label[1:]


def week_span(week: str, today: date | None = None) -> str:
    """``Mon 30 Nov – Sun 6 Dec``: the seven days ``week`` covers."""
    monday = week_monday(week)
    return f"{weekday_label(monday, today)} – {weekday_label(monday + timedelta(days=6), today)}"


def weeks_label(weeks: Sequence[str], today: date | None = None) -> str:
    """``weeks of 7 Sep – 23 Nov`` for a run of weeks (oldest first); ``week of …`` for one."""
    if not weeks:
        return ""
    if len(weeks) == 1:
        return week_label(weeks[0], today)
    return f"weeks of {day_label(week_monday(weeks[0]), today)} – {day_label(week_monday(weeks[-1]), today)}"
