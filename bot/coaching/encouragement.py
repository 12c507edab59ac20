"""One line of encouragement after a check-in, chosen from what the week actually looked like.

A line that names the week's toughest (or strongest) area only does so when one foundation was
rated strictly lower (higher) than the three others: with a tie, no single area was the toughest,
and the bot says nothing it cannot stand behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from bot.coaching.foundations import FOUNDATION_LABELS

_FIRST = (
    "First check-in done. Leadership is a habit of looking back honestly, and you just started it.",
    "You have a baseline now. Next week you will see which way things move.",
)
_RETURNING = (
    "Welcome back. A streak restarts the moment you show up again, and you just did.",
    "Good to see you again. One honest look at the week is all it takes to get moving.",
)
_STEADY = (
    "Consistency beats intensity: another week on the record.",
    "Every week you look back is a week you steer instead of drift.",
    "Small weekly steps are how engineers grow into leads. Keep stacking them.",
    "Showing up every week is itself a leadership skill. Nice work.",
)
_LONG = (
    "That streak is real evidence of follow-through, which is exactly what people trust leads for.",
    "A habit this steady is rare. Consider telling a junior how you keep it going.",
)
_STRONG = "Your strongest area this week: {label}. Look for a chance to teach it to someone."
_LOW = "{label} was your toughest area this week. One small step there next week is plenty."


def toughest(ratings: Mapping[str, int]) -> str | None:
    """The one foundation rated lower than every other this week; None when the lowest is shared."""
    return _alone(ratings, lowest=True)


def strongest(ratings: Mapping[str, int]) -> str | None:
    """The one foundation rated higher than every other this week; None when the highest is shared."""
    return _alone(ratings, lowest=False)


def _alone(ratings: Mapping[str, int], *, lowest: bool) -> str | None:
    if not ratings:
        return None
    edge = min(ratings.values()) if lowest else max(ratings.values())
    at_edge = [key for key, value in ratings.items() if value == edge]
    return at_edge[0] if len(at_edge) == 1 else None


def encouragement(*, streak: int, longest: int, first_ever: bool, ratings: Mapping[str, int], week: str,
                  name_toughest: bool = True) -> str:
    """Pick one line for this check-in; deterministic for the same inputs.

    ``name_toughest`` False keeps the toughest area out of the line, for a message that names it
    elsewhere (the check-in confirmation's focus offer).
    """
    if first_ever:
        return _pick(_FIRST, week)
    if streak == 1 and longest > 1:
        return _pick(_RETURNING, week)
    if streak >= 8:
        return _pick(_LONG, week)
    low, high = toughest(ratings), strongest(ratings)
    if high is not None and ratings[high] >= 4 and _pick(("strong", "steady"), week + "s") == "strong":
        return _STRONG.format(label=FOUNDATION_LABELS[high])
    if name_toughest and low is not None and ratings[low] <= 2:
        return _LOW.format(label=FOUNDATION_LABELS[low])
    return _pick(_STEADY, week)


def _pick(lines: tuple[str, ...], seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return lines[digest[0] % len(lines)]
