"""Which foundation a person works on this week, and which prompt they get for it.

Pure functions, no I/O: the caller loads history and feedback and passes them in.

Weekly focus
    The person's chosen focus when they set one; otherwise their weakest foundation, by average
    rating over the check-ins passed in (the caller passes the last four); otherwise, for a
    newcomer with no ratings, ``delegation`` -- handing work over is the core hybrid skill.
    Ties go to the foundation listed first in ``FOUNDATIONS``.

Prompt choice (``choose_prompt``)
    1. Candidates are the prompts of the requested kind that suit the person's track (any track
       when they have none), minus every prompt they marked "not for me", minus every prompt sent
       to them in the last 8 weeks: a prompt sent in week W is eligible again from week W+8
       (``weeks_between(sent_week, week) >= 8``).
    2. Prefer candidates of the focus foundation. When none is left, fall back to the other
       foundations in ``FOUNDATIONS`` order, taking the first one that still has a candidate: a
       neighbouring foundation is still coaching, a repeat is not.
    3. Among the candidates of that foundation the highest score wins, where
       score = (helpful + 1) / (helpful + not_for_me + 2): the Laplace-smoothed share of "helpful"
       votes across the team, so an unrated prompt starts at 1/2 and a few votes cannot push a
       prompt to 0 or 1.
    4. Equal scores are broken by a SHA-256 hash of (person, week, prompt id), so people in one
       team get different prompts in the same week, and the same inputs give the same prompt in
       every process (the built-in ``hash()`` is salted per process).
    5. None when no prompt of the kind is eligible at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from bot.coaching.foundations import FOUNDATIONS
from bot.coaching.library import Prompt
from bot.coaching.weeks import weeks_between

NO_REPEAT_WEEKS: Final = 8
NEWCOMER_FOCUS: Final = "delegation"


def weakest_foundation(recent_ratings: Sequence[Mapping[str, int]]) -> str | None:
    """The foundation with the lowest average rating, or None with no ratings at all.

    Each foundation is averaged over the check-ins that rated it, so one skipped rating does not
    count as a zero. Exact fractions keep ties exact; ties go to ``FOUNDATIONS`` order.
    """
    averages: dict[str, Fraction] = {}
    for foundation in FOUNDATIONS:
        values = [ratings[foundation] for ratings in recent_ratings if foundation in ratings]
        if values:
            averages[foundation] = Fraction(sum(values), len(values))
    if not averages:
        return None
    return min(averages, key=lambda foundation: (averages[foundation], FOUNDATIONS.index(foundation)))


def weekly_focus(chosen_focus: str | None, recent_ratings: Sequence[Mapping[str, int]]) -> str:
    """This week's focus: chosen, else weakest over the recent check-ins, else ``delegation``.

    An unknown chosen value (say, a foundation renamed since it was stored) is ignored rather than
    trusted, so the rest of the bot only ever sees valid foundation keys.
    """
    if chosen_focus in FOUNDATIONS:
        return chosen_focus
    return weakest_foundation(recent_ratings) or NEWCOMER_FOCUS


@dataclass(frozen=True)
class Feedback:
    """Team-wide votes on one prompt."""

    helpful: int = 0
    not_for_me: int = 0

    @property
    def score(self) -> Fraction:
        """Laplace-smoothed share of helpful votes: 1/2 with no votes, never exactly 0 or 1."""
        helpful = max(0, self.helpful)
        return Fraction(helpful + 1, helpful + max(0, self.not_for_me) + 2)


def is_eligible(
    prompt: Prompt, *, kind: str, track: str | None, week: str, sent: Mapping[str, str], rejected: Collection[str]
) -> bool:
    """Whether ``prompt`` may be sent to this person this week (rule step 1)."""
    if prompt.kind != kind or not prompt.suits(track) or prompt.id in rejected:
        return False
    last_sent = sent.get(prompt.id)
    return last_sent is None or weeks_between(last_sent, week) >= NO_REPEAT_WEEKS


def tie_break(person_key: str, week: str, prompt_id: str) -> bytes:
    """A stable per-person, per-week ordering of prompts (rule step 4)."""
    return hashlib.sha256(f"{person_key}\x1f{week}\x1f{prompt_id}".encode()).digest()


def choose_prompt(
    prompts: Sequence[Prompt],
    *,
    kind: str,
    track: str | None,
    focus: str,
    week: str,
    sent: Mapping[str, str],
    rejected: Collection[str],
    feedback: Mapping[str, Feedback],
    person_key: str,
) -> Prompt | None:
    """The prompt to send this week, following the rule in this module's docstring."""
    candidates = [
        prompt
        for prompt in prompts
        if is_eligible(prompt, kind=kind, track=track, week=week, sent=sent, rejected=rejected)
    ]
    for foundation in _foundation_order(focus):
        pool = [prompt for prompt in candidates if prompt.foundation == foundation]
        if pool:
            return min(pool, key=lambda prompt: _rank(prompt, feedback, person_key, week))
    return None


def _foundation_order(focus: str) -> list[str]:
    """The focus first, then the other foundations in their canonical order."""
    return [focus, *(foundation for foundation in FOUNDATIONS if foundation != focus)]


def _rank(prompt: Prompt, feedback: Mapping[str, Feedback], person_key: str, week: str) -> tuple[Fraction, bytes]:
    """Sort key: best score first, then the per-person tie-break."""
    score = feedback.get(prompt.id, Feedback()).score
    return (-score, tie_break(person_key, week, prompt.id))
