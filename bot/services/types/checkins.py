"""The weekly check-in: the form, what saving it returns, and what the person is told afterwards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.coaching.streaks import Streak
from bot.services.types.people import PersonRecord
from bot.services.types.review import FocusOffer
from bot.services.types.wins import PostResult


@dataclass(frozen=True)
class CheckinForm:
    """A validated check-in as the person filled it in."""

    ratings: dict[str, int]
    learning_minutes: int
    practices: list[str]
    reflection: str | None
    win: str | None
    share_win: bool
    energy: str | None = None  # what gave energy this week (foundations.ENERGY); None: skipped


@dataclass(frozen=True)
class CheckinDefaults:
    """What to pre-fill: this week's earlier answers, when there are any."""

    ratings: Mapping[str, int] | None = None
    learning_minutes: int | None = None
    practices: tuple[str, ...] = ()
    reflection: str | None = None
    energy: str | None = None
    logged_minutes: int = 0  # minutes logged this week with "I did it"


@dataclass(frozen=True)
class StreakFacts:
    """A person's streak with what time off did to it (``bot/coaching/streaks.py``)."""

    streak: Streak
    waited: int  # away weeks the streak stepped over since the previous check-in ("it waited for you")
    away_weeks: frozenset[str]  # every week with 3+ away working days, up to the end of the week asked about


@dataclass(frozen=True)
class SavedCheckin:
    """A check-in just stored (with its win), and what the follow-up needs."""

    person: PersonRecord
    form: CheckinForm
    week: str
    created: bool  # False when it replaced this week's earlier check-in
    first_ever: bool
    streak: Streak
    milestone: int | None  # the streak milestone this check-in reached
    win_id: int | None
    pause_ended: bool  # checking in ended the person's pause
    streak_waited: int = 0  # away weeks the streak stepped over since the previous check-in


@dataclass(frozen=True)
class CheckinResult:
    """Everything the confirmation DM says after a check-in."""

    week: str
    streak: int
    longest: int
    updated: bool
    encouragement: str
    has_win: bool = False
    win_post: PostResult | None = None  # the win's celebration; None when the win stays private
    milestone_celebrated: int | None = None  # a milestone now being celebrated on the team channel
    milestone_in_digest: int | None = None  # a milestone the team digest will list (the workspace's choice)
    pause_ended: bool = False
    focus_offer: FocusOffer | None = None  # the week's toughest area offered as the new focus
    streak_waited: int = 0  # away weeks the streak stepped over since the previous check-in
