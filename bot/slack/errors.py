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
  only logged when there is nobody left to tell (a submitted modal, an event);
* an event is always acknowledged: Slack would only send it again to a database still down, and
  the person can open the App Home again.

A request without a valid team and user (:class:`~bot.slack.identity.NoIdentity`) gets a 400, and
one no listener handles (an unknown action or callback id) a quiet 200; each is one log line.
Slack itself failing (refusing a call, or unreachable) is one log line too. Any other exception
is a bug: logged with where it happened (the frames and exception classes, never the exception
messages, which may quote what a person typed), and a short apology through the response URL.

When a listener fails after acknowledging, Bolt's thread runner sets the acknowledgement back to
None once this handler returns; if the request thread had not picked it up yet (it polls every
10 ms), Slack got a 404 instead of the acknowledgement. Every request therefore gets an
acknowledgement that, once given, stays given (:class:`KeptAck`).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.errors import LeadError, NotYours
from bot.slack.identity import NoIdentity
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
        kind = request_kind(body)
        if isinstance(error, BoltUnhandledRequestError):
            log.info("no listener handles this %s; answered 200", kind)
            return BoltResponse(status=200, body="")
        if isinstance(error, NoIdentity):
            log.info("refused a %s that names no valid team and user", kind)
            return BoltResponse(status=400, body="") if response is not None else None
        if isinstance(error, LeadError):
            return answer(error, body, response, respond, error_fields)
        if isinstance(error, SlackApiError | SlackClientError | OSError):
            log.warning("Slack failed during a %s: %s", kind, _slack_trouble(error))
        else:
            log.error("listener failed during a %s: %s", kind, where(error))
        # Never show a traceback to a person; say that nothing they sent is lost.
        _tell(respond, body, text=SOMETHING_WENT_WRONG)
        return None


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
    _tell(respond, body, **notice(error_text(error, in_modal=False)))
    if response is not None and kind == "event":
        return BoltResponse(status=200, body="")
    return BoltResponse(status=200, body="") if pending and kind == "block_actions" else None


def _tell(respond: Respond | None, body: Mapping[str, Any], **message: Any) -> None:
    """An ephemeral answer through the response URL, when there is one and Slack takes it."""
    if respond is None or not body.get("response_url"):
        return
    try:
        respond(**message, response_type="ephemeral", replace_original=False)
    except (SlackClientError, OSError) as exc:
        log.warning("the answer through the response URL was lost: %s", _slack_trouble(exc))


def _slack_trouble(error: BaseException) -> str:
    """One line about a failed Slack call: Slack's error code, or the class of the connection failure."""
    if isinstance(error, SlackApiError):
        return f"Slack answered {error.response.get('error') or error.response.status_code}"
    return f"Slack cannot be reached ({type(error).__name__})"


def where(error: BaseException) -> str:
    """Where ``error`` happened: each exception's class and frames, and no exception's message.

    A message may quote a value (``int("…")``, a KeyError, a driver's error with its failing row),
    and values here are people's words; the frames and classes are what a fix needs.
    """
    parts = []
    for exc in _chain(error):
        frames = traceback.extract_tb(exc.__traceback__)
        trail = " < ".join(f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
                           for frame in reversed(frames))
        parts.append(f"{type(exc).__module__}.{type(exc).__qualname__} at {trail or 'an unknown place'}")
    return "; caused by ".join(parts)


def _chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


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
