"""Reading what a submitted modal sends back: ``view.state.values`` and ``private_metadata``.

Every modal built in ``bot.views`` has one element per input block, and that element's action id
is always ``value`` (:data:`ACTION_ID`), so a block id is all a reader needs. A missing block or an
unanswered input reads as empty (``""``, ``None`` or ``[]``): deciding what is required, and what
is valid, stays with each view's parser.

The payload is signed by Slack but its shape is still only what arrived: a value of the wrong type
reads as empty too, and every string read passes :func:`bot.storable.storable`, so a parser only
ever sees text every database can store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.storable import storable

ACTION_ID = "value"

StateValues = Mapping[str, Mapping[str, Any]]
"""``view["state"]["values"]``: block id → action id → the element's state."""


class ViewState:
    """The answers of one submission, read by block id."""

    def __init__(self, values: StateValues) -> None:
        self._values = values

    def _element(self, block_id: str) -> Mapping[str, Any]:
        block = self._values.get(block_id) if isinstance(self._values, Mapping) else None
        element = block.get(ACTION_ID) if isinstance(block, Mapping) else None
        return element if isinstance(element, Mapping) else {}

    def _string(self, block_id: str, key: str) -> str:
        value = self._element(block_id).get(key)
        return storable(value) if isinstance(value, str) else ""

    def text(self, block_id: str) -> str:
        """A text input's value as typed (not stripped); ``""`` when it is empty."""
        return self._string(block_id, "value")

    def selected(self, block_id: str) -> str | None:
        """The chosen option's value (radio buttons, static select); None when nothing is chosen."""
        option = self._element(block_id).get("selected_option")
        value = option.get("value") if isinstance(option, Mapping) else None
        return storable(value) if isinstance(value, str) else None

    def selections(self, block_id: str) -> list[str]:
        """The ticked options' values (checkboxes), in the order Slack sends them."""
        options = self._element(block_id).get("selected_options")
        if not isinstance(options, list):
            return []
        return [storable(option["value"]) for option in options
                if isinstance(option, Mapping) and isinstance(option.get("value"), str)]

    def date(self, block_id: str) -> str:
        """A date picker's ``YYYY-MM-DD`` (not checked here); ``""`` when no date is picked."""
        return self._string(block_id, "selected_date")

    def time(self, block_id: str) -> str:
        """A time picker's ``HH:MM`` (not checked here); ``""`` when no time is picked."""
        return self._string(block_id, "selected_time")

    def user(self, block_id: str) -> str | None:
        """The user id picked in a users select; None when nobody is picked."""
        return self._string(block_id, "selected_user") or None

    def conversation(self, block_id: str) -> str | None:
        """The id picked in a conversations (or channels) select; None when nothing is picked."""
        return (self._string(block_id, "selected_conversation") or self._string(block_id, "selected_channel")
                or None)


def read_metadata(private_metadata: object) -> dict[str, Any]:
    """The object a builder stored in ``private_metadata``; ``{}`` when it is missing or unreadable."""
    if not isinstance(private_metadata, str):
        return {}
    try:
        data = json.loads(private_metadata or "{}")
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def parse_id(value: object) -> int | None:
    """The row id a button carried (a goal, a kudos, a practice pair); None when it is not a plain
    positive number: button values come back from Slack and may be replayed or forged."""
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
