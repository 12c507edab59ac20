"""Time off: what a ``user_change`` event says about a person's status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatusChange:
    """A person's Slack status as a ``user_change`` event carries it."""

    text: str | None
    emoji: str | None
    expiration: int | None  # epoch seconds; 0 or None: never expires
    updated: int | None  # Slack's ``updated`` epoch of the user object: orders events
