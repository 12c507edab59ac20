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
class DigestGoal:
    user_id: str
    title: str


@dataclass(frozen=True)
class DigestKudos:
    giver: str
    recipient: str
    text: str


@dataclass(frozen=True)
class DigestData:
    """Everything the digest shows: nothing private (no ratings, reflections or private wins)."""

    week: str
    wins: Sequence[DigestWin]
    milestones: Sequence[tuple[str, int]]  # (user id, streak weeks)
    checked_in: int
    people: int  # active people not on a pause (or who checked in anyway)
    goals: Sequence[DigestGoal] = ()  # goals finished by people who celebrate publicly
    paused: int = 0  # people left out of the participation figure: paused, no check-in
    kudos: Sequence[DigestKudos] = ()  # kudos their givers chose to show the team


# what the prompt buttons open ----------------------------------------------------------------------
@dataclass(frozen=True)
class MinutesQuestion:
    """The "I did it" modal: the step done, its suggested minutes, and the week they count in."""

    prompt_id: str
    title: str
    minutes: int | None
    week: str  # the week the prompt was sent for
    checkin_minutes: int | None = None  # that week's check-in's number, when it has a check-in
    is_current: bool = True  # the week is the person's current one (its check-in can still change)


@dataclass(frozen=True)
class StepLogged:
    """A step's "I did it": its minutes, and what the week adds up to now."""

    prompt_id: str
    minutes: int
    week: str
    created: bool  # False: it was already logged, nothing changed
    checkin_minutes: int | None  # the week's check-in's number, when it has a check-in
    week_total: int  # the week's learning minutes by the rule
    is_current: bool


@dataclass(frozen=True)
class ReflectionQuestion:
    """The "Write my answer" modal: the question, rendered for the person."""

    prompt_id: str
    title: str
    body: str
    week: str  # the week the question was sent for, where the answer is kept
