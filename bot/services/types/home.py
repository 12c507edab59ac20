"""What the App Home and ``/lead stats`` show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class GoalLine:
    id: int
    title: str
    foundation: str
    progress: int
    due: date | None


@dataclass(frozen=True)
class HomeData:
    week: str
    current_streak: int
    longest_streak: int
    checked_in: bool
    latest_week: str | None = None
    latest_ratings: Mapping[str, int] | None = None
    focus: str | None = None
    track: str | None = None
    paused_until: date | None = None
    goals: tuple[GoalLine, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class StatsData:
    current: int
    longest: int
    weeks: Sequence[str]
    ratings: Mapping[str, Mapping[str, int]]  # week -> foundation -> rating
    minutes: Mapping[str, int]  # week -> learning minutes
    total_checkins: int
