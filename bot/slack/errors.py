"""The one place where a failed listener becomes an answer to the person: Bolt's error handler.

Listeners do not catch the project's errors (``bot.errors``); Bolt hands whatever a listener
raised to the handler registered here. Bolt passes ``response`` while the request is not yet
acknowledged, and lets a returned :class:`BoltResponse` replace its 500, so:

* a modal submission not yet acknowledged keeps the modal open with the answer next to the field
  its callback id names in ``error_fields`` (declared beside each modal listener), so the person
  keeps what they typed;
* a command not yet acknowledged gets the answer as its ephemeral reply;
* a click not yet acknowledged gets a plain 200 and the answer as an ephemeral reply;
* after the acknowledgement the answer goes through the response URL when there is one, and is
  only logged when there is nobody left to tell (a submitted modal, an event).

Any other exception keeps the generic treatment: logged with its traceback, and a short apology
through the response URL when there is one.

When a listener fails after acknowledging, Bolt's thread runner sets the acknowledgement back to
None once this handler returns; if the request thread had not picked it up yet (it polls every
10 ms), Slack got a 404 instead of the acknowledgement. Every request therefore gets an
acknowledgement that, once given, stays given (:class:`KeptAck`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.errors import LeadError, NotYours
from bot.views.blocks import notice
from bot.views.errors import SOMETHING_WENT_WRONG, error_text

log = logging.getLogger(__name__)


class KeptAck(Ack):
    """An ``ack`` whose response, once given, is not taken back when the listener fails later."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "response" and value is None and getattr(self, "response", None) is not None:
            return
        super().__setattr__(name, value)


def register(app: App, error_fields: Mapping[str, str]) -> None:
    """Install the handler; ``error_fields`` maps a modal's callback id to its error field's block id."""

    @app.middleware
    def keep_acknowledgements(req: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002
        req.context["ack"] = KeptAck()
        return next()

    @app.error
    def on_error(error: Exception, body: dict[str, Any], response: BoltResponse | None = None,
                 respond: Respond | None = None) -> BoltResponse | None:
        if not isinstance(error, LeadError):
            # Never show a traceback to a person; say that nothing they sent is lost.
            log.exception("listener failed", exc_info=error)
            if respond is not None and body.get("response_url"):
                respond(text=SOMETHING_WENT_WRONG, response_type="ephemeral", replace_original=False)
            return None
        return answer(error, body, response, respond, error_fields)


def answer(error: LeadError, body: Mapping[str, Any], response: BoltResponse | None, respond: Respond | None,
           error_fields: Mapping[str, str]) -> BoltResponse | None:
    """Tell the person about ``error`` the way the request allows; see the module docstring."""
    kind = request_kind(body)
    _log(error, kind)
    # Bolt acknowledges an event before its listener runs, and still passes a response.
    pending = response is not None and kind != "event"
    if pending and kind == "view_submission":
        field = _error_field(body.get("view") or {}, error_fields)
        if field is not None:
            return BoltResponse(status=200, body={"response_action": "errors",
                                                  "errors": {field: error_text(error, in_modal=True)}})
    if pending and kind == "command":
        return BoltResponse(status=200, body={"response_type": "ephemeral",
                                              **notice(error_text(error, in_modal=False))})
    if respond is not None and body.get("response_url"):
        respond(**notice(error_text(error, in_modal=False)), response_type="ephemeral", replace_original=False)
    return BoltResponse(status=200, body="") if pending and kind == "block_actions" else None


def request_kind(body: Mapping[str, Any]) -> str:
    """``command``, ``block_actions``, ``view_submission``, ``event`` or Slack's own payload type."""
    if body.get("command"):
        return "command"
    kind = str(body.get("type") or "")
    return "event" if kind == "event_callback" else kind


def _error_field(view: Mapping[str, Any], error_fields: Mapping[str, str]) -> str | None:
    """The block id to show the answer at: the modal's declared field, else its first input."""
    declared = error_fields.get(str(view.get("callback_id") or ""))
    if declared:
        return declared
    inputs = [b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"]
    return next((str(block_id) for block_id in inputs if block_id), None)


def _log(error: LeadError, kind: str) -> None:
    # Class names only: the driver's message may quote a statement, and people's words with it.
    if isinstance(error, NotYours):
        log.info("refused a %s: that %s belongs to someone else", kind, error.what.value)
        return
    cause = f" ({type(error.__cause__).__name__})" if error.__cause__ is not None else ""
    log.warning("%s during a %s%s", type(error).__name__, kind, cause)
