"""ISO weeks as ``YYYY-Www`` strings and the arithmetic the streak and schedule rules need."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def iso_week(day: date) -> str:
    """The ISO week ``day`` belongs to, e.g. ``2026-W48`` (week 53 exists in some years)."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def local_date(moment: datetime, tz_name: str) -> date:
    """The calendar date of the aware ``moment`` in time zone ``tz_name``."""
    return moment.astimezone(ZoneInfo(tz_name)).date()


def week_of(moment: datetime, tz_name: str) -> str:
    """The ISO week of ``moment`` as seen by a person living in ``tz_name``."""
    return iso_week(local_date(moment, tz_name))


def week_monday(week: str) -> date:
    """The Monday that starts ``week``; raises ``ValueError`` on a malformed or impossible week."""
    try:
        year_text, week_text = week.split("-W")
        return date.fromisocalendar(int(year_text), int(week_text), 1)
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"not an ISO week: {week!r}") from exc


def shift_week(week: str, weeks: int) -> str:
    """The week ``weeks`` after ``week`` (negative goes back)."""
    return iso_week(week_monday(week) + timedelta(weeks=weeks))


def weeks_between(earlier: str, later: str) -> int:
    """How many weeks ``later`` comes after ``earlier`` (negative when it comes before)."""
    return (week_monday(later) - week_monday(earlier)).days // 7
