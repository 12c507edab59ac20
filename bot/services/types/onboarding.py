"""``/lead start``: the choices made in step 2, the suggestion they start from, and the outcome."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coaching.onboarding import TrackSuggestion


@dataclass(frozen=True)
class OnboardingChoice:
    """What the person settled on in step 2, with the step 1 answers it came from."""

    answers: dict[str, int]
    track: str
    focus: str
    goal_title: str | None
    goal_foundation: str | None


@dataclass(frozen=True)
class Suggestion:
    track: TrackSuggestion
    focus: str


@dataclass(frozen=True)
class OnboardingOutcome:
    track: str
    focus: str
    first_step: str
    goal_title: str | None
    goal_foundation: str | None
    updated: bool  # the person had onboarded before
