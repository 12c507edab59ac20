"""What a person is told when a request fails with one of the project's errors (``bot.errors``).

Each text comes in two forms: next to a modal field (the modal stays open, so what they typed is
kept), and as a message (an ephemeral reply to a command or a click).
"""

from __future__ import annotations

from bot.errors import DatabaseUnavailable, LeadError, NotYours, Owned
from bot.views.goals import REFUSALS as GOAL_REFUSALS
from bot.views.nudges import NOT_YOURS as PROMPT_NOT_YOURS
from bot.views.nudges import NOT_YOURS_FIELD as PROMPT_NOT_YOURS_FIELD
from bot.views.privacy import FORGET_NOT_YOURS
from bot.views.review import FOCUS_NOT_YOURS

PAIR_NOT_YOURS = "That question was sent to the people of another pair, so nothing was changed."
KUDOS_NOT_YOURS = "Only the person who gave those kudos can share them, so nothing was changed."
DATABASE_UNAVAILABLE = "lead-bot can't reach its database right now; nothing was saved — try again in a minute."
SAVE_FAILED = "Saving failed on our side and nothing was stored. Please press Save again in a moment."
# Outside a modal there is no Save button to press again.
SAVE_FAILED_MESSAGE = "Saving failed on our side and nothing was stored. Please try again in a moment."
SOMETHING_WENT_WRONG = "Something went wrong on my side and it has been logged. Please try again in a minute."

_NOT_YOURS: dict[Owned, tuple[str, str]] = {  # (as a message, next to a modal field)
    Owned.GOAL: (GOAL_REFUSALS["not_yours"], GOAL_REFUSALS["not_yours"]),
    Owned.PROMPT: (PROMPT_NOT_YOURS, PROMPT_NOT_YOURS_FIELD),
    Owned.DELETION: (FORGET_NOT_YOURS, FORGET_NOT_YOURS),
    Owned.FOCUS: (FOCUS_NOT_YOURS, FOCUS_NOT_YOURS),
    Owned.PAIR: (PAIR_NOT_YOURS, PAIR_NOT_YOURS),
    Owned.KUDOS: (KUDOS_NOT_YOURS, KUDOS_NOT_YOURS),
}


def error_text(error: LeadError, *, in_modal: bool) -> str:
    """The sentence that answers ``error``; ``in_modal`` picks the form shown next to a field."""
    if isinstance(error, NotYours):
        message, field = _NOT_YOURS[error.what]
        return field if in_modal else message
    if isinstance(error, DatabaseUnavailable):
        return DATABASE_UNAVAILABLE
    return SAVE_FAILED if in_modal else SAVE_FAILED_MESSAGE
