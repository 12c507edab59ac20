"""Reading what a submitted modal sends back: ``view.state.values`` and ``private_metadata``.

Every modal built in ``bot.views`` has one element per input block, and that element's action id
is always ``value`` (:data:`ACTION_ID`), so a block id is all a reader needs. A missing block or an
unanswered input reads as empty (``""``, ``None`` or ``[]``): deciding what is required, and what
is valid, stays with each view's parser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

ACTION_ID = "value"

StateValues = Mapping[str, Mapping[str, Any]]
"""``view["state"]["values"]``: block id → action id → the element's state."""


class ViewState:
    """The answers of one submission, read by block id."""

    def __init__(self, values: StateValues) -> None:
        self._values = values

    def _element(self, block_id: str) -> Mapping[str, Any]:
        return (self._values.get(block_id) or {}).get(ACTION_ID) or {}

    def text(self, block_id: str) -> str:
        """A text input's value as typed (not stripped); ``""`` when it is empty."""
        return str(self._element(block_id).get("value") or "")

    def selected(self, block_id: str) -> str | None:
        """The chosen option's value (radio buttons, static select); None when nothing is chosen."""
        option = self._element(block_id).get("selected_option")
        value = option.get("value") if isinstance(option, Mapping) else None
        return value if isinstance(value, str) else None

    def selections(self, block_id: str) -> list[str]:
        """The ticked options' values (checkboxes), in the order Slack sends them."""
        options = self._element(block_id).get("selected_options") or []
        return [str(option.get("value")) for option in options if isinstance(option, Mapping)]

    def date(self, block_id: str) -> str:
        """A date picker's ``YYYY-MM-DD`` (not checked here); ``""`` when no date is picked."""
        return str(self._element(block_id).get("selected_date") or "")

    def time(self, block_id: str) -> str:
        """A time picker's ``HH:MM`` (not checked here); ``""`` when no time is picked."""
        return str(self._element(block_id).get("selected_time") or "")

    def conversation(self, block_id: str) -> str | None:
        """The id picked in a conversations (or channels) select; None when nothing is picked."""
        element = self._element(block_id)
        chosen = element.get("selected_conversation") or element.get("selected_channel")
        return chosen if isinstance(chosen, str) else None


def read_metadata(private_metadata: str) -> dict[str, Any]:
    """The object a builder stored in ``private_metadata``; ``{}`` when it is missing or unreadable."""
    try:
        data = json.loads(private_metadata or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
