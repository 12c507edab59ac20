"""Plays Slack's side of the HTTP conversation: signed commands, clicks, submissions and events.

Everything goes over real HTTP to the running bot, signed exactly as Slack signs requests. The
``*_request`` builders return the body without sending it (:class:`RawRequest`), so a test can
send the very same request again (:meth:`SlackDriver.send` with ``retry``), as Slack does.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

_ids = itertools.count(1)


@dataclass
class Reply:
    status: int
    body: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class RawRequest:
    """A request body as Slack would send it, not yet signed or sent."""

    body: bytes
    content_type: str


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackDriver:
    """Sends Slack-shaped requests to ``base_url`` (the bot's server) signed with ``secret``."""

    def __init__(self, base_url: str, secret: str, *, team_id: str = "T0001", emulator: Any = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.team_id = team_id
        self.emulator = emulator
        # Enterprise Grid: the org of the team (None outside Grid), and whether the app is installed
        # org-wide; set, every payload carries them where Slack puts them.
        self.enterprise_id: str | None = None
        self.enterprise_install = False

    # transport -------------------------------------------------------------------------
    def post(self, body: bytes, content_type: str, *, signature: str | None = None,
             headers: dict[str, str] | None = None, timestamp: str | None = None) -> Reply:
        ts = timestamp or str(int(time.time()))
        request = urllib.request.Request(self.base_url + "/slack/events", data=body, method="POST")
        request.add_header("Content-Type", content_type)
        request.add_header("X-Slack-Request-Timestamp", ts)
        request.add_header("X-Slack-Signature", signature or sign(self.secret, ts, body))
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, response.read().decode(), time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), time.perf_counter() - started)

    def get(self, path: str) -> Reply:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=10) as response:
                return Reply(response.status, response.read().decode(), time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), time.perf_counter() - started)

    def send(self, raw: RawRequest, *, retry: int | None = None, **kwargs: Any) -> Reply:
        """Send ``raw``; ``retry`` adds Slack's re-delivery headers (attempt number ``retry``)."""
        if retry is not None:
            kwargs["headers"] = {**(kwargs.get("headers") or {}), "X-Slack-Retry-Num": str(retry),
                                 "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(raw.body, raw.content_type, **kwargs)

    @staticmethod
    def form_request(fields: dict[str, str]) -> RawRequest:
        return RawRequest(urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def _form(self, fields: dict[str, str], **kwargs: Any) -> Reply:
        return self.send(self.form_request(fields), **kwargs)

    def _trigger(self) -> str:
        return self.emulator.new_trigger_id() if self.emulator is not None else f"{next(_ids)}.trigger"

    # Slack payloads ----------------------------------------------------------------------
    def command(self, text: str, *, user: str = "U1", channel: str = "CTEAM", **kwargs: Any) -> Reply:
        return self.send(self.command_request(text, user=user, channel=channel), **kwargs)

    def command_fields(self, text: str, *, user: str = "U1", channel: str = "CTEAM") -> dict[str, str]:
        fields = {
            "token": "legacy", "team_id": self.team_id, "team_domain": "acme", "channel_id": channel,
            "channel_name": "team", "user_id": user, "user_name": user.lower(), "command": "/lead", "text": text,
            "api_app_id": "A0001", "response_url": self._response_url(), "trigger_id": self._trigger(),
        }
        if self.enterprise_id:
            fields.update(enterprise_id=self.enterprise_id, enterprise_name="Emulated Org",
                          is_enterprise_install=str(self.enterprise_install).lower())
        return fields

    def _grid(self, payload: dict[str, Any]) -> dict[str, Any]:
        """An interaction payload as it comes from a workspace in an Enterprise Grid org."""
        if self.enterprise_id:
            payload["enterprise"] = {"id": self.enterprise_id, "name": "Emulated Org"}
            payload["is_enterprise_install"] = self.enterprise_install
            payload["team"] = {**payload["team"], "enterprise_id": self.enterprise_id}
        return payload

    def command_request(self, text: str, *, user: str = "U1", channel: str = "CTEAM") -> RawRequest:
        return self.form_request(self.command_fields(text, user=user, channel=channel))

    def _response_url(self) -> str:
        if self.emulator is None:
            return "http://127.0.0.1:9/response"
        return self.emulator.url.replace("/api/", "/response/") + str(next(_ids))

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        return self.send(self.interaction_request(payload), **kwargs)

    def interaction_request(self, payload: dict[str, Any]) -> RawRequest:
        return self.form_request({"payload": json.dumps(payload)})

    def click(self, action_id: str, *, user: str = "U1", value: str = "", block_id: str = "b",
              view: dict[str, Any] | None = None, container: dict[str, Any] | None = None,
              message: dict[str, Any] | None = None, channel: str | None = None) -> Reply:
        return self.interaction(self.click_payload(action_id, user=user, value=value, block_id=block_id, view=view,
                                                   container=container, message=message, channel=channel))

    def click_payload(self, action_id: str, *, user: str = "U1", value: str = "", block_id: str = "b",
                      view: dict[str, Any] | None = None, container: dict[str, Any] | None = None,
                      message: dict[str, Any] | None = None, channel: str | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "type": "block_actions", "team": {"id": self.team_id, "domain": "acme"},
            "user": {"id": user, "team_id": self.team_id, "username": user.lower()}, "api_app_id": "A0001",
            "trigger_id": self._trigger(), "response_url": self._response_url(),
            "container": container or {"type": "message"},
            "actions": [{"action_id": action_id, "block_id": block_id, "value": value, "type": "button",
                         "action_ts": f"{time.time():.6f}"}],
        }
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id")}
        if message is not None:
            payload["message"] = message
        if channel is not None:
            payload["channel"] = {"id": channel}
        return self._grid(payload)

    def submit(self, view: dict[str, Any], answers: dict[str, Any], *, user: str = "U1") -> Reply:
        """Submit ``view`` (as the bot opened it) with ``answers`` keyed by block id."""
        return self.interaction(self.submit_payload(view, answers, user=user))

    def submit_payload(self, view: dict[str, Any], answers: dict[str, Any], *, user: str = "U1") -> dict[str, Any]:
        submitted = dict(view)
        submitted["state"] = {"values": fill_state(view, answers)}
        return self._grid({
            "type": "view_submission", "team": {"id": self.team_id, "domain": "acme"},
            "user": {"id": user, "team_id": self.team_id, "username": user.lower()}, "api_app_id": "A0001",
            "trigger_id": self._trigger(), "view": submitted,
        })

    def event(self, event: dict[str, Any], *, event_id: str | None = None, headers: dict[str, str] | None = None
              ) -> Reply:
        return self.send(self.event_request(event, event_id=event_id), headers=headers)

    def event_payload(self, event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "token": "legacy", "team_id": self.team_id, "api_app_id": "A0001", "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": self.team_id, "user_id": "UBOT", "is_bot": True}],
        }
        if self.enterprise_id:
            payload["enterprise_id"] = self.enterprise_id
            payload["authorizations"][0].update(enterprise_id=self.enterprise_id,
                                                is_enterprise_install=self.enterprise_install)
        return payload

    def event_request(self, event: dict[str, Any], *, event_id: str | None = None) -> RawRequest:
        return RawRequest(json.dumps(self.event_payload(event, event_id=event_id)).encode(), "application/json")


def fill_state(view: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """Build ``view.state.values`` the way Slack would for the given answers.

    Text inputs take a string, radio buttons and selects take an option value, checkboxes a list
    of option values; blocks not named are left empty, as Slack leaves unanswered inputs.
    """
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        block_id, element = block["block_id"], block["element"]
        kind, action_id = element["type"], element["action_id"]
        answer = answers.get(block_id)
        state: dict[str, Any] = {"type": kind}
        if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
            state["value"] = None if answer is None else str(answer)
        elif kind in ("radio_buttons", "static_select"):
            state["selected_option"] = _option(element, answer) if answer is not None else None
        elif kind in ("checkboxes", "multi_static_select"):
            state["selected_options"] = [_option(element, v) for v in (answer or [])]
        elif kind == "datepicker":
            state["selected_date"] = answer
        elif kind == "timepicker":
            state["selected_time"] = answer
        elif kind == "users_select":
            state["selected_user"] = answer
        elif kind in ("channels_select", "conversations_select"):
            state["selected_channel" if kind == "channels_select" else "selected_conversation"] = answer
        else:
            raise AssertionError(f"fill_state does not know element type {kind}")
        values[block_id] = {action_id: state}
    unknown = set(answers) - set(values)
    if unknown:
        raise AssertionError(f"answers for blocks the view does not have: {sorted(unknown)}")
    return values


def _option(element: dict[str, Any], value: Any) -> dict[str, Any]:
    for opt in element.get("options", []):
        if opt["value"] == str(value):
            return opt
    for group in element.get("option_groups", []):
        for opt in group["options"]:
            if opt["value"] == str(value):
                return opt
    # Slack would never send an option the view did not offer; a forged payload might.
    return {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}
