"""``/lead start``: the choices made in step 2, the suggestion they start from, and the outcome."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coaching.onboarding import TrackSuggestion


@dataclass(frozen=True)
class OnboardingChoice:
    """What the person settled on in step 2, with the step 1 answers it came from."""

    answers: dict[str, int]
    track: str
    role: str
    focus_mode: str  # auto or chosen
    focus: str | None  # the chosen foundation; None in auto
    goal_title: str | None
    goal_foundation: str | None  # None: filed under the focus in effect


@dataclass(frozen=True)
class Suggestion:
    track: TrackSuggestion
    focus: str  # the foundation the answers rate lowest


@dataclass(frozen=True)
class ConfirmStep:
    """What step 2 starts from: the suggestion, and what the person has now."""

    suggestion: Suggestion
    current_track: str | None
    current_role: str | None
    auto_focus: str  # what "let lead-bot choose" gives right now
    auto_from_checkins: bool  # True: from the last check-ins; False: from these answers


@dataclass(frozen=True)
class OnboardingOutcome:
    track: str
    role: str
    focus_mode: str
    focus: str  # the focus in effect (for auto: the weakest foundation so far)
    first_step: str
    goal_title: str | None
    goal_foundation: str | None
    updated: bool  # the person had onboarded before
