"""Goals: the new-goal form, a progress update, and what a change to a goal did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from bot.services.types.wins import PostResult


@dataclass(frozen=True)
class GoalForm:
    """A validated new goal."""

    title: str
    foundation: str
    measure: str | None
    target: int | None
    due: date | None


@dataclass(frozen=True)
class GoalSummary:
    """What the views show about one goal."""

    id: int
    title: str
    foundation: str
    progress: int
    status: str = "active"
    measure: str | None = None
    target: int | None = None
    current: int = 0
    due: date | None = None


@dataclass(frozen=True)
class ProgressInput:
    """A validated progress update: the percentage, and the count when the goal has a target."""

    progress: int
    current: int


class Outcome(Enum):
    CHANGED = "changed"
    MISSING = "missing"  # no such goal (deleted, or a made-up id)
    NOT_ACTIVE = "not_active"  # already done or archived


@dataclass(frozen=True)
class GoalChange:
    outcome: Outcome
    goal: GoalSummary | None = None
    celebration: PostResult | None = None  # set when finishing a goal tried to celebrate it
    private: bool = False  # finished, but the person keeps celebrations private
