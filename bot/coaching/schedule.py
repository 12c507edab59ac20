"""Weekly slots: when each scheduled item is due, in a person's local time.

A slot is a weekday and a local time of day, written ``"mon 10:00"``. Each job's default slot is
in its entry in ``bot/scheduler/registry.py`` (the defaults in docs/interface.md); a workspace may move its
defaults (``/lead config``) and a person their own (``/lead settings``). Pure rules only: no jobs
are named here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.coaching.weeks import iso_week, shift_week, week_monday

DAYS: Final[tuple[str, ...]] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS: Final[dict[str, str]] = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
    "sat": "Saturday", "sun": "Sunday",
}

_SLOT = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)\s+([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Slot:
    day: str  # one of DAYS
    at: time  # local time of day

    @property
    def weekday(self) -> int:
        """ISO weekday, Monday = 1."""
        return DAYS.index(self.day) + 1

    def __str__(self) -> str:
        return f"{self.day} {self.at:%H:%M}"

    def label(self) -> str:
        return f"{DAY_LABELS[self.day]} {self.at:%H:%M}"


def parse_slot(text: str) -> Slot:
    """``"wed 9:30"`` → Slot; raises ValueError with a readable message otherwise."""
    match = _SLOT.match(text.strip().lower())
    if not match:
        raise ValueError(f"not a slot like 'mon 10:00': {text!r}")
    return Slot(match.group(1), time(int(match.group(2)), int(match.group(3))))


def effective_slot(job: str, person_slots: Mapping[str, str] | None, workspace_slots: Mapping[str, str] | None,
                   default: Slot) -> Slot:
    """The person's own slot for ``job``, else the workspace's, else ``default`` (the job's).

    A stored value that no longer parses is ignored rather than breaking the schedule.
    """
    for overrides in (person_slots or {}, workspace_slots or {}):
        raw = overrides.get(job)
        if isinstance(raw, str):
            try:
                return parse_slot(raw)
            except ValueError:
                continue
    return default


# Due times ------------------------------------------------------------------------------------
# Pure functions: when a person's weekly item is due, in their own time zone, through daylight
# saving changes. The scheduler sweeps often and asks these functions, for each person, whether
# this week's item is due *now*; a person never needs a timer of their own.

_UTC: Final = ZoneInfo("UTC")


def zone(name: str | None) -> ZoneInfo:
    """The time zone called ``name``; UTC for an unknown or empty name.

    A stored zone that no longer exists (a typo in an override, a zone retired from tzdata) must
    not stop the person's nudges, so it falls back rather than raising.
    """
    if not name:
        return _UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _UTC


def resolve_local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant the wall clock in ``tz`` shows ``day`` ``at``.

    DST makes two cases special. A wall time that happens twice (clocks go back) resolves to its
    first occurrence, so an item is never sent at both. A wall time that never happens (clocks
    spring forward over it) resolves to the first valid instant after it, i.e. the moment the
    clocks jump, so the item is late by the gap rather than lost.
    """
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall(first, tz) == naive:
        return first
    # In a gap: fold=0 and fold=1 read it with the offsets before and after the jump; the jump
    # lies between the two readings. Binary search the first second whose wall time is >= naive.
    low, high = sorted(int(naive.replace(tzinfo=tz, fold=f).timestamp()) for f in (0, 1))
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(datetime.fromtimestamp(middle, UTC), tz) >= naive:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    """What a wall clock in ``tz`` shows at ``moment``, as a naive datetime.

    Converting through UTC matters: ``astimezone`` to the zone a datetime already carries is a
    no-op and would echo back a wall time that does not exist.
    """
    return moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None)


def slot_date(slot: Slot, week: str) -> date:
    """The calendar date of ``slot`` in ISO ``week``."""
    return week_monday(week) + timedelta(days=slot.weekday - 1)


def slot_instant(slot: Slot, week: str, tz: ZoneInfo) -> datetime:
    """The UTC instant ``slot`` happens in ``week`` for someone living in ``tz``."""
    return resolve_local(slot_date(slot, week), slot.at, tz)


# A five-minute sweep may not run between a 23:58 slot and midnight; a window is never shorter
# than this, so such a slot is still seen (a few minutes into the next day, at worst).
MIN_DUE_WINDOW: Final = timedelta(minutes=15)


@dataclass(frozen=True)
class DueWindow:
    """When one week's item may be sent: from the slot to the end of that local day."""

    week: str
    start: datetime  # the slot's instant (UTC)
    end: datetime  # exclusive (UTC): the next local midnight, or start + MIN_DUE_WINDOW if later

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def due_window(slot: Slot, week: str, tz: ZoneInfo) -> DueWindow:
    """The window in which ``week``'s item is due: the slot, then catch-up until local midnight.

    Catch-up lasts only the rest of the slot's local day: a bot that was down at 10:00 still
    nudges at 17:00, but a Monday nudge never arrives on Tuesday, when it would read oddly. The
    one exception is a slot in the last minutes of a day, whose window is stretched to
    ``MIN_DUE_WINDOW`` so that a sweep every five minutes cannot miss it.
    """
    start = slot_instant(slot, week, tz)
    next_day = start.astimezone(tz).date() + timedelta(days=1)
    end = max(resolve_local(next_day, time(0, 0), tz), start + MIN_DUE_WINDOW)
    return DueWindow(week=week, start=start, end=end)


def due_week(slot: Slot, now: datetime, tz: ZoneInfo) -> str | None:
    """The ISO week whose item is due at ``now`` (aware), or None when nothing is due.

    Only the person's current local week is considered (plus, for the few minutes a late-Sunday
    slot's window reaches into Monday, the week just ended), so last week's item can never be
    sent hours late, whatever happened to the bot in between.
    """
    week = iso_week(now.astimezone(tz).date())
    for candidate in (week, shift_week(week, -1)):
        if due_window(slot, candidate, tz).contains(now):
            return candidate
    return None


def next_slot_after(slot: Slot, now: datetime, tz: ZoneInfo, weeks_ahead: int = 0) -> tuple[str, datetime]:
    """The first (week, instant) of ``slot`` strictly after ``now``, skipping ``weeks_ahead`` more."""
    week = iso_week(now.astimezone(tz).date())
    instant = slot_instant(slot, week, tz)
    if instant <= now:
        week = shift_week(week, 1)
        instant = slot_instant(slot, week, tz)
    for _ in range(weeks_ahead):
        week = shift_week(week, 1)
        instant = slot_instant(slot, week, tz)
    return week, instant


@dataclass(frozen=True)
class DueGroup:
    """Everyone who lives by ``zone`` with ``slot`` in effect: their item of ``week`` is due, today is ``today``."""

    zone: str
    slot: Slot
    week: str
    today: date


def due_groups(groups: Iterable[tuple[str, Slot]], moment: datetime) -> dict[tuple[str, Slot], DueGroup]:
    """Which (zone name, slot) pairs have an item due at ``moment``, with its week and local date.

    A sweep asks this once per distinct pair instead of once per person: people who share a zone
    and a slot are due together, so the database can then select exactly them. An unknown zone
    name is read as UTC, as :func:`zone` does for one person.
    """
    found: dict[tuple[str, Slot], DueGroup] = {}
    for name, slot in set(groups):
        tz = zone(name)
        week = due_week(slot, moment, tz)
        if week is not None:
            found[(name, slot)] = DueGroup(name, slot, week, moment.astimezone(tz).date())
    return found
