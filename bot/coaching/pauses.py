"""When a pause starts and ends: the rules behind ``/lead pause``, ``/lead resume`` and check-ins.

A pause is an inclusive date range in the person's local calendar. The streak rule skips every
week a pause touches, so the dates are chosen to never swallow a week the person checked in:
- ``/lead pause N`` starts today, or next Monday when this week already has a check-in, and lasts
  N whole weeks from its start.
- ``/lead resume`` ends the pause today (this week stays bridged), or drops it if not yet begun.
- A check-in during a pause ends it last Sunday, so the week of the check-in counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.coaching.weeks import iso_week, week_monday

MAX_PAUSE_WEEKS = 12


@dataclass(frozen=True)
class PauseRange:
    start: date
    end: date


def new_pause(today: date, weeks: int, checked_in_this_week: bool) -> PauseRange:
    """The pause ``/lead pause weeks`` asks for, said on ``today``."""
    if not 1 <= weeks <= MAX_PAUSE_WEEKS:
        raise ValueError(f"a pause lasts 1 to {MAX_PAUSE_WEEKS} weeks")
    start = _next_monday(today) if checked_in_this_week else today
    return PauseRange(start, start + timedelta(days=7 * weeks - 1))


def resumed(pause: PauseRange, today: date) -> PauseRange | None:
    """The pause after ``/lead resume`` on ``today``; None when nothing of it remains."""
    if pause.start > today:
        return None
    return PauseRange(pause.start, min(pause.end, today))


def ended_by_checkin(pause: PauseRange, today: date) -> PauseRange | None:
    """The pause after a check-in on ``today``: it stops before this week so the week counts."""
    this_monday = week_monday(iso_week(today))
    if pause.end < this_monday or pause.start > today:
        return pause
    if pause.start >= this_monday:
        return None
    return PauseRange(pause.start, this_monday - timedelta(days=1))


def _next_monday(today: date) -> date:
    return week_monday(iso_week(today)) + timedelta(weeks=1)
