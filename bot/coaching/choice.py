"""Which prompt a person gets this week, and why.

Pure functions, no I/O: the caller loads history, feedback and the person's facts and passes them
in. The focus and the week's target foundation come from ``bot/coaching/focus.py``.

Person facts (``PersonFacts``)
    ``role`` is ``engineer``, ``tech_lead`` or ``manager``, None until the person was asked. None
    is treated as ``engineer``, the role that assumes least: an unasked person only gets prompts
    an engineer without reports could act on. ``track`` None (not chosen yet) accepts prompts of
    any track. Direct reports: the bot asks the role, not the org chart, so it counts a
    ``manager`` as having reports and nobody else; a prompt that needs reports never reaches a
    tech lead or engineer who may have none. ``has_active_goal``: at least one goal with status
    ``active``. ``has_team_channel``: the person's workspace has a team channel lead-bot posts to.

Eligibility
    A prompt of the requested kind may go to a person when its ``roles`` include their role, its
    ``requires`` are all met, it suits their track, they did not mark it "not for me", and it was
    not sent to them in the last 8 weeks: a prompt sent in week W is eligible again from week W+8
    (``weeks_between(sent_week, week) >= 8``).

Prompt choice (``choose_prompt``), first step with a candidate wins
    1. ``focus`` / ``mix``: eligible prompts of the week's target foundation (``week_target``: the
       focus, or on one week in three under a chosen focus the weakest other foundation).
    2. ``widened_foundation``: eligible prompts of the other foundations, one foundation at a
       time in this order: the focus first (when the target was the mix), then the rest weakest
       first by the last four check-ins (unrated foundations after rated ones; ties in
       ``FOUNDATIONS`` order). A neighbouring foundation is still coaching; a repeat is not.
    3. ``widened_track``: prompts written for the person's other tracks, still fitting their role
       and requirements and neither rejected nor sent in the last 8 weeks, in the same foundation
       order (people with no track already see every track at step 1).
    4. ``repeat``: only now a prompt comes back inside the 8 weeks: among the prompts that fit the
       role and requirements and were not rejected, the one sent longest ago (the person's own
       track first, then the foundation order). Never a rejected prompt, never one whose role or
       requirements do not fit.
    5. None when the library holds nothing that fits at all.

    Within one foundation (or among equally old repeats), a prompt never sent to the person comes
    before one they saw 8 or more weeks ago, so every fitting prompt of a foundation is sent once
    before any comes back (twelve fitting prompts last twelve weeks on one focus). Then the
    highest score wins, where score = (helpful + 1) / (helpful + not_for_me + 2): the
    Laplace-smoothed share of "helpful" votes across the team, so an unrated prompt starts at 1/2
    and a few votes cannot push a prompt to 0 or 1. Equal scores are broken by a SHA-256 hash of
    (person, week, prompt id), so people in one team get different prompts in the same week, and
    the same inputs give the same prompt in every process (the built-in ``hash()`` is salted per
    process).

    The result names the step that chose the prompt (``Choice.reason``), so a message can say
    truthfully why this prompt came: the focus, the mix, a widened choice, or a repeat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from bot.coaching.focus import FOCUS, MIX, Focus, week_target
from bot.coaching.foundations import ROLES
from bot.coaching.library import Prompt
from bot.coaching.weeks import weeks_between

NO_REPEAT_WEEKS: Final = 8
DEFAULT_ROLE: Final = "engineer"

WIDENED_FOUNDATION: Final = "widened_foundation"
WIDENED_TRACK: Final = "widened_track"
REPEAT: Final = "repeat"
REASONS: Final[tuple[str, ...]] = (FOCUS, MIX, WIDENED_FOUNDATION, WIDENED_TRACK, REPEAT)


@dataclass(frozen=True)
class PersonFacts:
    """What the choice rule knows about a person (see the module docstring)."""

    role: str | None = None
    track: str | None = None
    has_active_goal: bool = False
    has_team_channel: bool = False

    @property
    def prompt_role(self) -> str:
        """The role prompts are matched against: the person's, or ``engineer`` when unknown."""
        return self.role if self.role in ROLES else DEFAULT_ROLE

    @property
    def has_direct_reports(self) -> bool:
        return self.prompt_role == "manager"

    @property
    def met(self) -> frozenset[str]:
        """The requirements (``REQUIREMENTS``) this person meets."""
        facts = {
            "direct_reports": self.has_direct_reports,
            "active_goal": self.has_active_goal,
            "team_channel": self.has_team_channel,
        }
        return frozenset(requirement for requirement, held in facts.items() if held)

    def fits(self, prompt: Prompt) -> bool:
        """Whether ``prompt`` suits this person's role and assumes nothing they lack (track aside)."""
        return prompt.fits(self.prompt_role, self.met)


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


def _sent_recently(prompt: Prompt, week: str, sent: Mapping[str, str]) -> bool:
    last_sent = sent.get(prompt.id)
    return last_sent is not None and weeks_between(last_sent, week) < NO_REPEAT_WEEKS


def tie_break(person_key: str, week: str, prompt_id: str) -> bytes:
    """A stable per-person, per-week ordering of prompts."""
    return hashlib.sha256(f"{person_key}\x1f{week}\x1f{prompt_id}".encode()).digest()


@dataclass(frozen=True)
class Choice:
    """The prompt chosen, and why.

    ``reason`` is one of ``REASONS`` (the rule's step); ``target`` the foundation the week aimed
    at; ``focus`` the focus prompts follow; ``last_sent`` the week the prompt was last sent to
    this person, None when never (always set for a ``repeat``).
    """

    prompt: Prompt
    reason: str
    target: str
    focus: str
    last_sent: str | None


def choose_prompt(
    prompts: Sequence[Prompt],
    *,
    kind: str,
    person: PersonFacts,
    focus: Focus,
    week: str,
    sent: Mapping[str, str],
    rejected: Collection[str],
    feedback: Mapping[str, Feedback],
    person_key: str,
) -> Choice | None:
    """This week's ``kind`` prompt for the person, following the rule in this module's docstring."""
    target = week_target(focus, kind=kind, person_key=person_key, week=week)
    order = [target.foundation, *(f for f in focus.order() if f != target.foundation)]
    fitting = [p for p in prompts if p.kind == kind and person.fits(p) and p.id not in rejected]
    fresh = [p for p in fitting if not _sent_recently(p, week, sent)]
    own_track = [p for p in fresh if p.suits(person.track)]

    def choice(prompt: Prompt, reason: str) -> Choice:
        return Choice(prompt, reason, target.foundation, focus.for_prompts, sent.get(prompt.id))

    def best(pool: Sequence[Prompt]) -> Prompt:
        return min(pool, key=lambda prompt: _rank(prompt, sent, feedback, person_key, week))

    target_pool = [p for p in own_track if p.foundation == target.foundation]
    if target_pool:
        return choice(best(target_pool), target.reason)
    for step, pool in ((WIDENED_FOUNDATION, own_track), (WIDENED_TRACK, fresh)):
        for foundation in order:
            candidates = [p for p in pool if p.foundation == foundation]
            if candidates:
                return choice(best(candidates), step)
    if not fitting:
        return None
    oldest = min(
        fitting,
        key=lambda p: (
            -weeks_between(sent[p.id], week),
            not p.suits(person.track),
            order.index(p.foundation),
            _rank(p, sent, feedback, person_key, week),
        ),
    )
    return choice(oldest, REPEAT)


def _rank(
    prompt: Prompt, sent: Mapping[str, str], feedback: Mapping[str, Feedback], person_key: str, week: str
) -> tuple[bool, Fraction, bytes]:
    """Sort key: never sent first, then best score, then the per-person tie-break."""
    score = feedback.get(prompt.id, Feedback()).score
    return (prompt.id in sent, -score, tie_break(person_key, week, prompt.id))
