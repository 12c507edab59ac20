"""What a person sees of their own progress: the App Home, ``/lead stats`` and the progress picture.

Weeks are ISO weeks (``YYYY-Www``) here; the views turn them into dates. Learning minutes follow
the one rule of ``bot/coaching/learning.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.services.types.pairing import KudosLine


@dataclass(frozen=True)
class GoalLine:
    id: int
    title: str
    foundation: str
    progress: int
    due: date | None
    target: int | None = None
    current: int = 0


@dataclass(frozen=True)
class Trend:
    """One foundation over the trend window, and since the person started."""

    foundation: str
    ratings: tuple[int | None, ...]  # one per window week, oldest first; None: no check-in that week
    first: int | None  # at the person's first check-in ever
    latest: int | None  # at their latest check-in


@dataclass(frozen=True)
class WinLine:
    text: str
    shared: bool
    week: str


@dataclass(frozen=True)
class ReflectionLine:
    week: str
    text: str


@dataclass(frozen=True)
class HomeData:
    week: str  # the current week
    today: date  # the person's local date: overdue goals, years in dates
    current_streak: int
    longest_streak: int
    checked_in: bool  # this week
    focus: str | None = None
    track: str | None = None
    paused_until: date | None = None
    total_checkins: int = 0
    first_week: str | None = None  # the week of the first check-in ever
    trend_weeks: tuple[str, ...] = ()  # the window, oldest first
    trends: tuple[Trend, ...] = ()  # one per foundation, empty before any check-in
    minutes: tuple[int, ...] = ()  # learning minutes per window week
    this_week_minutes: int = 0  # the current week's, by the same rule (so far)
    practices: tuple[tuple[str, int], ...] = ()  # (practice key, weeks ticked) over the quarter, most first
    wins: tuple[WinLine, ...] = ()  # the newest, newest first
    total_wins: int = 0
    goals: tuple[GoalLine, ...] = field(default_factory=tuple)  # active, due soonest first
    reflections: tuple[ReflectionLine, ...] = ()  # the newest, newest first
    away_weeks: frozenset[str] = frozenset()  # trend-window weeks with 3+ away working days
    streak_waited: int = 0  # away weeks the streak stepped over since the previous check-in
    away_today: str | None = None  # "status" or "holiday" while the person is away now (AwayReason)
    kudos: tuple[KudosLine, ...] = ()  # kudos received, newest first


@dataclass(frozen=True)
class StatsData:
    """``/lead stats``: the last completed weeks, and the current week apart."""

    current: int
    longest: int
    week: str  # the current week
    today: date
    weeks: tuple[str, ...]  # the last completed weeks, oldest first
    ratings: Mapping[str, Mapping[str, int]]  # week -> foundation -> rating (completed weeks and the current one)
    minutes: Mapping[str, int]  # week -> learning minutes by the rule (completed weeks and the current one)
    logged: Mapping[str, int]  # week -> minutes logged with "I did it"
    practices: tuple[tuple[str, int], ...]  # over the completed weeks, most first
    wins: int  # recorded in the completed weeks
    shared_wins: int
    this_week_wins: int
    checked_in: bool  # this week
    total_checkins: int
    first: Mapping[str, int] | None = None  # ratings at the first check-in ever
    away_weeks: frozenset[str] = frozenset()  # completed weeks shown that had 3+ away working days


@dataclass(frozen=True)
class ChartData:
    """What the progress picture draws: the trend window's ratings, learning minutes and the streak."""

    weeks: tuple[str, ...]  # oldest first
    ratings: Mapping[str, tuple[int | None, ...]]  # foundation -> one rating per week (None: no check-in)
    minutes: tuple[int, ...]  # one per week
    streak: int
    longest: int
    today: date


@dataclass(frozen=True)
class ProgressPicture:
    """The progress picture for one person (monthly, or now with ``/lead chart``)."""

    user_id: str
    chart: ChartData
    checkins: int  # check-ins inside the picture's weeks
