"""The weekly focus: which foundation a person works on, and which one this week's prompt aims at.

Pure functions, no I/O: the caller loads the ratings and passes them in.

Focus modes (``FOCUS_MODES``)
    ``auto`` -- "let lead-bot choose: my weakest foundation", the default. The focus is the
    foundation with the lowest average rating over the person's last four check-ins
    (``AUTO_WINDOW``); each foundation is averaged over the check-ins that rated it, so a skipped
    rating is not a zero. A tie goes to the foundation listed first in ``FOUNDATIONS``
    (personality, upskilling, delegation, progress): the focus then stays put week after week
    while the tie lasts, instead of flickering between equals, and moves the week one of them
    drops below the others. Before any rating the focus is the onboarding suggestion (the
    foundation the self-assessment rated lowest) when the caller has one, else ``None``: "no data
    yet". For choosing prompts ``None`` means ``NEWCOMER_FOCUS`` (``delegation``: handing work over
    is the core hybrid skill).

    ``chosen`` -- the person's own pick, kept until they change it. A chosen mode whose stored
    foundation is missing or unknown (say, a key renamed since it was stored) is treated as
    ``auto`` rather than trusted, so the rest of the bot only ever sees valid foundation keys.

The prompt mix (``week_target``)
    With a chosen focus, one week in three per kind aims at the *mix* foundation instead: the
    weakest foundation other than the focus, over the same four check-ins (ties: ``FOUNDATIONS``
    order). Before any rating, the mix weeks take the other three foundations in turn, so a fixed
    focus starves nothing. Which weeks are mix weeks is a deterministic function of the person's
    key and the ISO week: week ``w`` (counted from a fixed Monday, so the count runs on across
    years, week 53 included) is a mix week for ``kind`` when ``(w + p + k) % 3 == 0``, where ``p``
    comes from a SHA-256 hash of the person key (people in a team do not all switch the same week)
    and ``k`` is 0 for upskilling and 1 for reflection (both prompts never leave the focus in the
    same week). Every three consecutive weeks hold exactly one mix week, so any twelve consecutive
    weeks hold exactly four per kind.

    With ``auto`` there is no mix: the focus already is the weakest foundation and follows the
    ratings by itself within a week.

Switch offers (``switch_offer``)
    The check-in confirmation that names the week's toughest area offers it as the new focus, one
    click away, when the person has a chosen focus and the toughest area is another foundation.
    In ``auto`` no offer is needed: the focus follows the ratings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from bot.coaching.foundations import FOCUS_MODES, FOUNDATIONS
from bot.coaching.weeks import weeks_between

AUTO, CHOSEN = FOCUS_MODES
AUTO_WINDOW: Final = 4
"""How many of the latest check-ins the auto focus and the mix foundation look at."""
NEWCOMER_FOCUS: Final = "delegation"
MIX_PERIOD: Final = 3
"""One week in ``MIX_PERIOD`` (per kind) aims at the mix foundation under a chosen focus."""
_KIND_OFFSET: Final[dict[str, int]] = {"upskilling": 0, "reflection": 1}
_EPOCH_WEEK: Final = "2000-W01"

FOCUS: Final = "focus"
MIX: Final = "mix"


def averages(ratings: Sequence[Mapping[str, int]]) -> dict[str, Fraction]:
    """Each foundation's average over the check-ins that rated it; unrated foundations are absent.

    Exact fractions keep ties exact.
    """
    result: dict[str, Fraction] = {}
    for foundation in FOUNDATIONS:
        values = [check_in[foundation] for check_in in ratings if foundation in check_in]
        if values:
            result[foundation] = Fraction(sum(values), len(values))
    return result


def weakness_order(ratings: Sequence[Mapping[str, int]]) -> tuple[str, ...]:
    """All four foundations, weakest first; ties and unrated foundations follow ``FOUNDATIONS`` order.

    Unrated foundations come after the rated ones: nothing is known about them, so they are not
    treated as weak.
    """
    means = averages(ratings)
    rated = sorted(means, key=lambda foundation: (means[foundation], FOUNDATIONS.index(foundation)))
    return (*rated, *(foundation for foundation in FOUNDATIONS if foundation not in means))


def weakest_foundation(ratings: Sequence[Mapping[str, int]], *, exclude: Collection[str] = ()) -> str | None:
    """The rated foundation with the lowest average (ties: ``FOUNDATIONS`` order), or None with no ratings."""
    means = averages(ratings)
    return next((foundation for foundation in weakness_order(ratings) if foundation in means
                 and foundation not in exclude), None)


@dataclass(frozen=True)
class Focus:
    """The focus in effect for a person, and the ratings it was derived from.

    ``mode`` is the mode actually applied (``chosen`` only with a valid chosen foundation);
    ``foundation`` is the effective focus, None before any data (auto, no rating, no suggestion).
    """

    mode: str
    foundation: str | None
    ratings: tuple[Mapping[str, int], ...]

    @property
    def for_prompts(self) -> str:
        """The foundation prompts aim at: the focus, or ``NEWCOMER_FOCUS`` before any data."""
        return self.foundation or NEWCOMER_FOCUS

    @property
    def mix(self) -> str | None:
        """The weakest other foundation by the ratings, None before any rating (or in auto)."""
        if self.mode != CHOSEN:
            return None
        return weakest_foundation(self.ratings, exclude={self.for_prompts})

    def order(self) -> tuple[str, ...]:
        """Foundations to widen to: the focus first, then the rest weakest first."""
        rest = tuple(foundation for foundation in weakness_order(self.ratings) if foundation != self.for_prompts)
        return (self.for_prompts, *rest)


def effective_focus(
    mode: str | None,
    chosen: str | None,
    recent_ratings: Sequence[Mapping[str, int]],
    suggestion: str | None = None,
) -> Focus:
    """The focus in effect, following the rule in this module's docstring.

    ``recent_ratings`` are the ratings of the person's last ``AUTO_WINDOW`` check-ins (any order;
    the caller selects them). ``suggestion`` is the onboarding self-assessment's suggested focus,
    used by ``auto`` until the first rating.
    """
    ratings = tuple(recent_ratings)
    if mode == CHOSEN and chosen in FOUNDATIONS:
        return Focus(mode=CHOSEN, foundation=chosen, ratings=ratings)
    weakest = weakest_foundation(ratings)
    if weakest is None and suggestion in FOUNDATIONS:
        weakest = suggestion
    return Focus(mode=AUTO, foundation=weakest, ratings=ratings)


def week_index(week: str) -> int:
    """Weeks since a fixed Monday: a count that runs on across year ends (week 53 included)."""
    return weeks_between(_EPOCH_WEEK, week)


def _person_offset(person_key: str) -> int:
    # SHA-256, not hash(): the built-in is salted per process and the scheduler runs in several.
    return hashlib.sha256(person_key.encode()).digest()[0] % MIX_PERIOD


def is_mix_week(kind: str, person_key: str, week: str) -> bool:
    """Whether ``kind``'s prompt leaves a chosen focus in ``week`` (one week in three, see above)."""
    if kind not in _KIND_OFFSET:
        raise ValueError(f"unknown prompt kind {kind!r}; expected one of {tuple(_KIND_OFFSET)}")
    return (week_index(week) + _person_offset(person_key) + _KIND_OFFSET[kind]) % MIX_PERIOD == 0


@dataclass(frozen=True)
class Target:
    """The foundation this week's prompt of one kind aims at, and why: ``focus`` or ``mix``."""

    foundation: str
    reason: str


def week_target(focus: Focus, *, kind: str, person_key: str, week: str) -> Target:
    """Where this week's ``kind`` prompt aims: the focus, or on a mix week the mix foundation."""
    if focus.mode != CHOSEN or not is_mix_week(kind, person_key, week):
        return Target(focus.for_prompts, FOCUS)
    mix = focus.mix
    if mix is None:
        # No rating yet: the mix weeks take the other foundations in turn.
        others = [foundation for foundation in FOUNDATIONS if foundation != focus.for_prompts]
        mix = others[(week_index(week) // MIX_PERIOD) % len(others)]
    return Target(mix, MIX)


def switch_offer(focus: Focus, toughest: str | None) -> str | None:
    """The foundation to offer as the new focus after a check-in, or None when no offer fits."""
    if focus.mode != CHOSEN or toughest not in FOUNDATIONS or toughest == focus.foundation:
        return None
    return toughest
