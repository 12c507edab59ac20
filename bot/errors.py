"""The project's own errors: what went wrong, in terms a person can be told.

Services and the store raise these; nothing above ``bot/store`` ever sees a driver's exception
(``Store.session`` translates them). One place, ``bot/slack/errors.py``, turns each into the
answer the person sees: a message next to a modal field, an ephemeral reply, or a log line when
there is nobody left to tell.
"""

from __future__ import annotations

from enum import Enum


class LeadError(Exception):
    """Base of every error that has a person-facing meaning."""


class DatabaseUnavailable(LeadError):
    """The database cannot be reached (down, unreachable, out of connections, locked too long)."""


class SaveFailed(LeadError):
    """The database refused a write (a constraint, a value it cannot store); nothing was stored."""


class Owned(Enum):
    """What a person can try to act on that may belong to someone else."""

    GOAL = "goal"
    PROMPT = "prompt"  # a scheduled prompt sent to someone else
    DELETION = "deletion"  # the question ``/lead forget`` asked someone else
    FOCUS = "focus offer"  # a focus review or check-in confirmation sent to someone else
    KUDOS = "thank-you"  # kudos someone else gave
    PAIR = "practice pair"  # a "did you meet?" question sent to the people of another pair


class NotYours(LeadError):
    """Acting on something that belongs to someone else; nothing was changed."""

    def __init__(self, what: Owned) -> None:
        super().__init__(f"that {what.value} belongs to someone else")
        self.what = what
