"""What every modal submission does the same way: show field errors, DM the confirmation."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
Form = TypeVar("Form")


def accepted(ack: Ack, parsed: tuple[Form | None, dict[str, str]]) -> Form | None:
    """The parsed form; or None once the errors are shown next to their fields (the modal stays open)."""
    form, errors = parsed
    if form is None:
        ack(response_action="errors", errors=errors)
    return form


def send_dm(client: WebClient, user_id: str, message: dict[str, Any], what: str) -> None:
    """DM the confirmation ``message``; the submission is already saved, so a refusal is only logged."""
    try:
        client.chat_postMessage(channel=user_id, **message)
    except SlackApiError as exc:
        log.warning("could not DM the %s: %s", what, exc.response.get("error"))
