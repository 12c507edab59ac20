"""The weekly rhythm: what each scheduled message carries, and the questions its buttons open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.coaching.library import RenderedPrompt


@dataclass(frozen=True)
class CheckinNudge:
    """Monday's invitation to this week's check-in."""

    first_name: str
    week: str
    streak: int
    focus_label: str | None


@dataclass(frozen=True)
class CheckinReminder:
    """Thursday's reminder, for people without this week's check-in."""

    first_name: str
    week: str


@dataclass(frozen=True)
class PromptMessage:
    """A library prompt chosen for the person and rendered for them (already escaped)."""

    kind: str  # "upskilling" or "reflection"
    rendered: RenderedPrompt
    minutes: int | None
    focus_label: str  # the person's focus
    foundation_label: str = ""  # the prompt's own foundation
    reason: str = "focus"  # why this prompt came (bot/coaching/choice.py's REASONS)

    @property
    def prompt_id(self) -> str:
        return self.rendered.prompt_id


@dataclass(frozen=True)
class DigestWin:
    user_id: str
    text: str


@dataclass(frozen=True)
class DigestData:
    """Everything the digest shows: nothing private (no ratings, reflections or private wins)."""

    week: str
    wins: Sequence[DigestWin]
    milestones: Sequence[tuple[str, int]]  # (user id, streak weeks)
    checked_in: int
    people: int


# what the prompt buttons open ----------------------------------------------------------------------
@dataclass(frozen=True)
class MinutesQuestion:
    """The "I did it" modal: the step done, and its suggested minutes."""

    prompt_id: str
    title: str
    minutes: int | None


@dataclass(frozen=True)
class ReflectionQuestion:
    """The "Write my answer" modal: the question, rendered for the person."""

    prompt_id: str
    title: str
    body: str
