"""``/lead team``: team-level figures only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class TeamReport:
    """Only team-level figures; a ``None`` figure was withheld under the anonymity rule."""

    channel: str
    week: str
    weeks: tuple[str, ...]  # the four-week window, oldest first, ending with ``week``
    channel_size: int  # human members of the channel (the bot excluded)
    known: int  # members the bot knows: the base for participation and wins
    checked_in: dict[str, int] | None  # week -> people who checked in
    rating_people: int  # people behind the averages
    ratings: dict[str, float] | None  # foundation -> average over the window
    wins: dict[str, int] | None  # week -> wins recorded
    min_group: int  # the smallest group a figure may be computed over
    # week -> people left out of that week's participation: away (time off) and no check-in
    away: dict[str, int] | None = None
    # The 12-week view (None: withheld). A week's figure is None when fewer than ``min_group``
    # people stand behind it.
    trend_weeks: tuple[str, ...] = ()
    foundation_trends: dict[str, tuple[float | None, ...]] | None = None
    participation_trend: tuple[int, ...] | None = None  # people who checked in, per week
    practices: tuple[tuple[str, int], ...] | None = None  # (practice, times done) over the counted weeks
    pairings_met: int | None = None  # practice pairs that met, in the counted weeks
    practice_weeks: int = 0  # weeks with enough people to count practices
    kudos: tuple[int, ...] | None = None  # kudos given, per week


class TeamProblem(Enum):
    """Why ``/lead team`` shows no numbers."""

    NO_CHANNEL = "no_channel"  # no team channel is set, so there is no team
    UNREADABLE = "unreadable"  # Slack would not list the channel's members
    NOT_A_MEMBER = "not_a_member"  # the numbers are for the channel's members only


@dataclass(frozen=True)
class TeamAnswer:
    """What ``/lead team`` answers: the report, or the problem that kept it back."""

    channel: str | None
    report: TeamReport | None = None
    problem: TeamProblem | None = None
