"""A loopback HTTP server that emulates the Slack Web API for integration tests.

The real Bolt app and the real ``slack_sdk.WebClient(base_url=emulator.url)`` talk to it over
HTTP, so everything between the bot's code and the wire (serialisation, retries, pagination,
file uploads) is exercised for real. Besides answering like Slack, the emulator checks what it
is sent against Slack's documented limits (docs/slack.md) and records every problem
in ``violations``, which tests assert stays empty.

Only the standard library and ``slack_sdk`` are used, so the module can be imported by any test.
"""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import json
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

__all__ = ["Call", "SlackEmulator", "validate_message_blocks", "validate_view"]

BOT_ID = "B0001"
APP_ID = "A0001"

# Form-encoded requests carry these fields as JSON strings; Slack decodes them, so do we.
_JSON_FIELDS = frozenset({"view", "blocks", "attachments", "files", "metadata", "options", "unfurls"})

# Keys Slack adds to a view; a bot echoing them back must not trip slack_sdk's View model.
_VIEW_READ_ONLY = frozenset(
    {"id", "team_id", "state", "hash", "root_view_id", "previous_view_id", "app_id", "bot_id", "app_installed_team_id"}
)

# Block Kit limits from docs/slack.md.
MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MESSAGE_MAX_TEXT = 40_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Call:
    """One Web API request as the emulator received it (args exclude the token)."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float  # time.monotonic() when the request arrived
    status: int  # HTTP status answered


@dataclass
class _User:
    id: str
    team_id: str
    tz: str
    name: str
    is_admin: bool
    is_owner: bool
    deleted: bool
    is_bot: bool = False


@dataclass
class _Channel:
    id: str
    name: str
    members: list[str]
    bot_is_member: bool


@dataclass
class _Trigger:
    created: float
    used: bool = False


@dataclass
class _PendingUpload:
    file_id: str
    filename: str
    length: int
    content: bytes | None = None


def png_size(content: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG (signature, then the IHDR chunk first); None when it is not one."""
    if len(content) < 24 or not content.startswith(PNG_SIGNATURE) or content[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", content[16:24])
    return width, height


class _Fail(Exception):
    """An API error answer; ``violation`` (if set) is also recorded as a bot bug."""

    def __init__(self, error: str, violation: str | None = None, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.violation = violation
        self.extra = extra


# ---------------------------------------------------------------------------------------------
# Block Kit validation
# ---------------------------------------------------------------------------------------------


def _text(obj: Any) -> str | None:
    """The string of a text object (or of a bare string, which slack_sdk also accepts)."""
    if isinstance(obj, dict):
        value = obj.get("text")
        return value if isinstance(value, str) else None
    return obj if isinstance(obj, str) else None


def _too_long(errors: list[str], where: str, what: str, value: Any, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors.append(f"{where}: {what} is {len(value)} characters (max {limit})")


def _too_many(errors: list[str], where: str, what: str, items: Any, limit: int) -> None:
    if isinstance(items, list) and len(items) > limit:
        errors.append(f"{where}: {len(items)} {what} (max {limit})")


def _empty_texts(obj: Any, where: str, errors: list[str]) -> None:
    """Slack refuses text objects whose text is empty ("must be more than 0 characters")."""
    if isinstance(obj, dict):
        if obj.get("type") in ("plain_text", "mrkdwn") and obj.get("text") == "":
            errors.append(f"{where}: empty {obj['type']} text")
        for key, value in obj.items():
            _empty_texts(value, f"{where}.{key}", errors)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            _empty_texts(value, f"{where}[{i}]", errors)


def _check_option(option: Any, where: str, errors: list[str]) -> None:
    if not isinstance(option, dict):
        errors.append(f"{where}: option must be an object")
        return
    _too_long(errors, where, "option text", _text(option.get("text")), 75)
    _too_long(errors, where, "option value", option.get("value"), 150)
    _too_long(errors, where, "option description", _text(option.get("description")), 75)


def _check_element(element: Any, where: str, errors: list[str], action_ids: set[str]) -> None:
    if not isinstance(element, dict):
        errors.append(f"{where}: element must be an object")
        return
    etype = element.get("type")
    action_id = element.get("action_id")
    if isinstance(action_id, str):
        _too_long(errors, where, "action_id", action_id, 255)
        if action_id in action_ids:
            errors.append(f"{where}: duplicate action_id {action_id!r} in one block")
        action_ids.add(action_id)
    _too_long(errors, where, "placeholder", _text(element.get("placeholder")), 150)
    if etype == "button":
        _too_long(errors, where, "button text", _text(element.get("text")), 75)
        _too_long(errors, where, "button value", element.get("value"), 2000)
        _too_long(errors, where, "button url", element.get("url"), 3000)
    option_limit = {"checkboxes": 10, "radio_buttons": 10, "overflow": 5}.get(str(etype), 100)
    options = element.get("options")
    if isinstance(options, list):
        _too_many(errors, where, f"{etype} options", options, option_limit)
        for j, option in enumerate(options):
            _check_option(option, f"{where}.options[{j}]", errors)
    groups = element.get("option_groups")
    if isinstance(groups, list):
        _too_many(errors, where, "option groups", groups, 100)
        for g, group in enumerate(groups):
            group_options = group.get("options") if isinstance(group, dict) else None
            _too_many(errors, f"{where}.option_groups[{g}]", "options", group_options, 100)
            for j, option in enumerate(group_options or []):
                _check_option(option, f"{where}.option_groups[{g}].options[{j}]", errors)
    if isinstance(element.get("initial_option"), dict):
        _check_option(element["initial_option"], f"{where}.initial_option", errors)
    if etype == "plain_text_input":
        for key in ("max_length", "min_length"):
            value = element.get(key)
            if isinstance(value, int) and value > 3000:
                errors.append(f"{where}: plain_text_input {key} is {value} (max 3000)")


def _check_block(block: dict[str, Any], where: str, errors: list[str], block_ids: set[str]) -> None:
    """Limits slack_sdk's models do not (all) enforce, checked on the raw dict."""
    block_id = block.get("block_id")
    if block_id is not None:
        if not isinstance(block_id, str):
            errors.append(f"{where}: block_id must be a string")
        else:
            _too_long(errors, where, "block_id", block_id, 255)
            if block_id in block_ids:
                errors.append(f"{where}: duplicate block_id {block_id!r}")
            block_ids.add(block_id)
    btype = block.get("type")
    action_ids: set[str] = set()
    if btype == "section":
        _too_long(errors, where, "section text", _text(block.get("text")), 3000)
        fields = block.get("fields")
        _too_many(errors, where, "section fields", fields, 10)
        for j, field in enumerate(fields if isinstance(fields, list) else []):
            _too_long(errors, f"{where}.fields[{j}]", "field text", _text(field), 2000)
        if "accessory" in block:
            _check_element(block["accessory"], f"{where}.accessory", errors, action_ids)
    elif btype == "header":
        _too_long(errors, where, "header text", _text(block.get("text")), 150)
    elif btype == "actions":
        elements = block.get("elements")
        _too_many(errors, where, "actions elements", elements, 25)
        for j, element in enumerate(elements if isinstance(elements, list) else []):
            _check_element(element, f"{where}.elements[{j}]", errors, action_ids)
    elif btype == "context":
        _too_many(errors, where, "context elements", block.get("elements"), 10)
    elif btype == "input":
        _too_long(errors, where, "input label", _text(block.get("label")), 2000)
        _too_long(errors, where, "input hint", _text(block.get("hint")), 2000)
        if "element" in block:
            _check_element(block["element"], f"{where}.element", errors, action_ids)
    _empty_texts(block, where, errors)


def _check_blocks(blocks: Any, max_blocks: int) -> list[str]:
    if not isinstance(blocks, list):
        return ["blocks must be a JSON array"]
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"{len(blocks)} blocks (max {max_blocks})")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            errors.append(f"blocks[{i}]: a block must be an object with a string type")
            continue
        where = f"blocks[{i}] ({block['type']}{', ' + repr(block['block_id']) if 'block_id' in block else ''})"
        try:
            parsed = Block.parse(block)
            if parsed is None:
                errors.append(f"{where}: unknown block type")
                continue
            parsed.validate_json()
            parsed.to_dict()  # validates nested elements and text objects too
        except SlackObjectFormationError as exc:
            errors.append(f"{where}: {exc}")
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            errors.append(f"{where}: malformed block ({type(exc).__name__}: {exc})")
        _check_block(block, where, errors, block_ids)
    return errors


def validate_message_blocks(blocks: Any) -> list[str]:
    """Problems Slack would report for a message's ``blocks`` (empty list = valid)."""
    return _check_blocks(blocks, MESSAGE_MAX_BLOCKS)


def validate_view(view: Any, allowed_types: Iterable[str] = ("modal", "home")) -> list[str]:
    """Problems Slack would report for a modal or App Home view (empty list = valid)."""
    if not isinstance(view, dict):
        return ["view must be a JSON object"]
    errors: list[str] = []
    vtype = view.get("type")
    allowed = tuple(allowed_types)
    if vtype not in allowed:
        errors.append(f"view type {vtype!r} not allowed here (expected {' or '.join(allowed)})")
    try:
        # Blocks are validated one by one below (better messages); here only the view's own fields.
        model = View(**{k: v for k, v in view.items() if k not in _VIEW_READ_ONLY and k != "blocks"},
                     blocks=[DividerBlock()])  # one stand-in block: the real ones are checked below
        model.validate_json()
    except SlackObjectFormationError as exc:
        errors.append(f"view: {exc}")
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        errors.append(f"view: malformed ({type(exc).__name__}: {exc})")
    if vtype == "modal" and not _text(view.get("title")):
        errors.append("view: a modal needs a title")
    for key in ("title", "submit", "close"):
        if key in view and view[key] is not None:
            if isinstance(view[key], dict) and view[key].get("type") != "plain_text":
                errors.append(f"view: {key} must be a plain_text object")
            _too_long(errors, "view", key, _text(view[key]), 24)
    private_metadata = view.get("private_metadata")
    if private_metadata is not None and not isinstance(private_metadata, str):
        errors.append("view: private_metadata must be a string")
    _too_long(errors, "view", "private_metadata", private_metadata, 3000)
    _too_long(errors, "view", "callback_id", view.get("callback_id"), 255)
    _too_long(errors, "view", "external_id", view.get("external_id"), 255)
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        errors.append("view: blocks must be a non-empty array")
    else:
        errors.extend(_check_blocks(blocks, VIEW_MAX_BLOCKS))
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        if vtype == "modal" and has_input and not view.get("submit"):
            errors.append("view: a modal with input blocks needs a submit button")
    return errors


# ---------------------------------------------------------------------------------------------
# Request parsing
# ---------------------------------------------------------------------------------------------


def _parse_multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True) or b""
        fields[name] = payload if part.get_filename() else payload.decode("utf-8")
    return fields


def _parse_request(headers: Any, query: str, raw: bytes) -> tuple[dict[str, Any], str | None]:
    """Merge query string and body (JSON, form or multipart) into one args dict; extract the token."""
    args: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if raw:
        content_type = headers.get_content_type()
        if content_type == "application/json":
            body = json.loads(raw.decode("utf-8"))
            if not isinstance(body, dict):
                raise ValueError("JSON body must be an object")
            args.update(body)
        elif content_type == "multipart/form-data":
            args.update(_parse_multipart(headers.get("Content-Type", ""), raw))
        else:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
            args.update({k: v[-1] for k, v in form.items()})
    token: str | None = None
    authorization = headers.get("Authorization") or ""
    if authorization.startswith("Bearer "):
        token = authorization[len("Bearer ") :].strip() or None
    token_field = args.pop("token", None)
    if token is None and isinstance(token_field, str) and token_field:
        token = token_field
    for key in _JSON_FIELDS:
        value = args.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            args[key] = json.loads(value)
    return args, token


def _truthy(value: Any) -> bool:
    return value is True or value == 1 or (isinstance(value, str) and value.lower() in ("1", "true"))


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _decode_cursor(cursor: Any) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(str(cursor).encode()).decode()
        if text.startswith("offset:"):
            return int(text[len("offset:") :])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise _Fail("invalid_cursor", violation=f"cursor {cursor!r} was never handed out")


def _page(items: list[Any], cursor: Any, limit: int) -> tuple[list[Any], str]:
    offset = _decode_cursor(cursor)
    limit = max(1, min(limit, 1000))
    chunk = items[offset : offset + limit]
    next_cursor = _encode_cursor(offset + limit) if offset + limit < len(items) else ""
    return chunk, next_cursor


class _Args:
    """Typed access to one request's arguments (form values arrive as strings)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        return value if isinstance(value, str) else str(value)

    def required(self, key: str) -> str:
        value = self.text(key)
        if not value:
            raise _Fail("invalid_arguments", violation=f"missing required argument {key!r}")
        return value

    def integer(self, key: str, default: int) -> int:
        value = self.data.get(key)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _Fail("invalid_arguments", violation=f"argument {key!r} is not an integer: {value!r}") from None

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value in (None, ""):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _Fail("invalid_arguments", violation=f"argument {key!r} is not a number: {value!r}") from None

    def flag(self, key: str) -> bool:
        return _truthy(self.data.get(key))


# ---------------------------------------------------------------------------------------------
# HTTP plumbing
# ---------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a bot sweeping many users opens many connections at once

    def __init__(self, emulator: SlackEmulator, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.emulator = emulator


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base class signature
        """Silenced: tests should not print a line per request."""

    def do_POST(self) -> None:
        emulator = self.server.emulator
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        if parts.path.startswith("/upload/"):
            status, text = emulator._receive_upload(parts.path[len("/upload/") :], raw)
            self._reply(status, text.encode("utf-8"), "text/plain; charset=utf-8")
            return
        if parts.path.startswith("/response/"):
            # A slash command's or action's response_url: Bolt's respond() posts JSON here.
            emulator._receive_response(parts.path[len("/response/") :], raw)
            self._reply(200, b"ok", "text/plain; charset=utf-8")
            return
        if not parts.path.startswith("/api/"):
            self._reply(404, b'{"ok": false, "error": "not_found"}', "application/json; charset=utf-8")
            return
        method = parts.path[len("/api/") :]
        try:
            args, token = _parse_request(self.headers, parts.query, raw)
        except (ValueError, UnicodeDecodeError) as exc:
            emulator._violate(f"{method}: unparseable request body ({exc})")
            body = {"ok": False, "error": "invalid_form_data"}
            self._reply(200, json.dumps(body).encode(), "application/json; charset=utf-8")
            return
        status, body, extra_headers = emulator._handle_api(method, args, token)
        self._reply(status, json.dumps(body).encode("utf-8"), "application/json; charset=utf-8", extra_headers)

    do_GET = do_POST

    def _reply(self, status: int, payload: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (e.g. a test killed the bot mid-request)


# ---------------------------------------------------------------------------------------------
# The emulator
# ---------------------------------------------------------------------------------------------


class SlackEmulator:
    """Slack Web API on ``http://127.0.0.1:<port>/api/``; see the module docstring."""

    def __init__(self, team_id: str = "T0001", bot_user_id: str = "UBOT", trigger_ttl: float = 3.0) -> None:
        self.team_id = team_id
        # Enterprise Grid: the org the team belongs to, and whether installs are org-wide.
        self.enterprise_id: str | None = None
        self.org_install = False
        # Token rotation (token_rotation_enabled): installs hand out expiring tokens and a refresh
        # token; oauth.v2.access with grant_type=refresh_token trades it for a fresh pair.
        self.token_rotation = False
        self.token_lifetime = 43200
        self._refresh_tokens: set[str] = set()
        self.bot_user_id = bot_user_id
        self.trigger_ttl = trigger_ttl
        self.url: str = ""  # set by start()
        self.port: int = 0
        # One lock guards all state; the condition lets wait_for() sleep until a call arrives.
        self._cond = threading.Condition(threading.RLock())
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0
        self._last_ts_micros = 0
        # directory (survives reset)
        self._users: dict[str, _User] = {}
        self._channels: dict[str, _Channel] = {}
        self._gone: dict[str, str] = {}
        # recorded traffic
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.opened_views: list[dict[str, Any]] = []
        self.ephemerals: list[dict[str, Any]] = []
        self.reactions: list[dict[str, Any]] = []
        self.uploads: list[dict[str, Any]] = []
        self.files: dict[str, dict[str, Any]] = {}  # completed uploads by file id: what image blocks may show
        self.responses: list[dict[str, Any]] = []  # JSON bodies posted to response_url, in order
        self.violations: list[str] = []
        self.socket_mode_url: str | None = None  # ws:// URL apps.connections.open hands out
        # Scopes sent back in the x-oauth-scopes header of every successful call made with a token, as
        # Slack does; None sends no header. Survives reset.
        self.granted_scopes: list[str] | None = None
        # internal state cleared by reset()
        self._views: dict[str, dict[str, Any]] = {}
        self._view_user: dict[str, str] = {}  # home view id -> user id
        self._external_ids: dict[str, str] = {}
        self._last_root_view_id: str | None = None
        self._triggers: dict[str, _Trigger] = {}
        self._pending_uploads: dict[str, _PendingUpload] = {}
        self._post_times: dict[str, list[float]] = {}
        self._reacted: set[tuple[str, str, str]] = set()
        # faults
        self._fail_next: dict[str, tuple[int, int]] = {}  # method -> (status, remaining)
        self._rate_limited: dict[str, int] = {}  # method -> Retry-After seconds
        self._rate_limit_seen: dict[str, set[str]] = {}
        self._delays: dict[str, float] = {}
        self._refused_tokens: dict[str, str] = {}  # token -> the error every call with it gets
        self._handlers: dict[str, Callable[[_Args], dict[str, Any]]] = {
            "api.test": self._api_test,
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "reactions.add": self._reactions_add,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "apps.connections.open": self._apps_connections_open,
            "oauth.v2.access": self._oauth_v2_access,
        }

    # ----- lifecycle ------------------------------------------------------------------------

    def start(self, port: int = 0) -> SlackEmulator:
        """Serve on ``port`` (0: a free one), e.g. where a bot that started without Slack expects it."""
        if self._server is not None:
            raise RuntimeError("SlackEmulator already started")
        self._server = _Server(self, port)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/api/"
        # A short poll interval keeps stop() fast (shutdown waits for the current poll).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackEmulator:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget traffic, views, triggers, uploads, faults and violations; keep users and channels."""
        with self._cond:
            for collection in (
                self.calls,
                self.messages,
                self.home_views,
                self.opened_views,
                self.ephemerals,
                self.reactions,
                self.uploads,
                self.files,
                self.responses,
                self.violations,
                self._views,
                self._view_user,
                self._external_ids,
                self._triggers,
                self._pending_uploads,
                self._post_times,
                self._reacted,
                self._fail_next,
                self._rate_limited,
                self._rate_limit_seen,
                self._delays,
            ):
                collection.clear()
            self._last_root_view_id = None

    # ----- directory ------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        team_id: str | None = None,
        tz: str = "UTC",
        name: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        deleted: bool = False,
        is_bot: bool = False,
    ) -> None:
        ZoneInfo(tz)  # fail now, in the test, on a misspelt zone
        with self._cond:
            self._users[user_id] = _User(
                id=user_id,
                team_id=team_id or self.team_id,
                tz=tz,
                name=name or user_id.lower(),
                is_admin=is_admin,
                is_owner=is_owner,
                deleted=deleted,
                is_bot=is_bot,
            )

    def set_user_gone(self, user_id: str, error: str) -> None:
        """DMs to this user (chat.postMessage, conversations.open) will answer ``error``."""
        with self._cond:
            self._gone[user_id] = error

    def add_channel(
        self, channel_id: str, *, name: str = "team", members: Iterable[str] = (), bot_is_member: bool = True
    ) -> None:
        with self._cond:
            self._channels[channel_id] = _Channel(channel_id, name, list(members), bot_is_member)

    # ----- triggers -------------------------------------------------------------------------

    def new_trigger_id(self) -> str:
        with self._cond:
            n = self._next()
            trigger_id = f"{n}.{self.team_id}.trigger{n:06d}"
            self._triggers[trigger_id] = _Trigger(created=time.monotonic())
            return trigger_id

    # ----- inspection -----------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = ", ".join(f"{c.method}->{c.status}" for c in self.calls[-40:]) or "nothing"
                    raise AssertionError(
                        f"expected >= {count} call(s) to {method} within {timeout}s, got {len(found)}; "
                        f"calls seen ({len(self.calls)}, last 40): {seen}"
                    )
                self._cond.wait(remaining)

    def post_times(self, channel: str) -> list[float]:
        """Monotonic times of successful chat.postMessage calls to ``channel`` (DM ids normalised)."""
        with self._cond:
            return list(self._post_times.get(self._store_key(channel), []))

    # ----- faults ---------------------------------------------------------------------------

    def rate_limit_first_attempt(self, method: str, retry_after: int = 1) -> None:
        with self._cond:
            self._rate_limited[method] = retry_after
            self._rate_limit_seen.setdefault(method, set())

    def fail_next(self, method: str, *, status: int = 500, count: int = 1) -> None:
        with self._cond:
            self._fail_next[method] = (status, count)

    def refuse_token(self, token: str, error: str = "invalid_auth") -> None:
        """Every call made with ``token`` fails with ``error``, as Slack answers a wrong or revoked token."""
        with self._cond:
            self._refused_tokens[token] = error

    def set_delay(self, method: str, seconds: float) -> None:
        """Answer ``method`` only after ``seconds``; the call is recorded and processed first."""
        with self._cond:
            self._delays[method] = seconds

    # ----- request handling (called from server threads) ------------------------------------

    def _violate(self, text: str) -> None:
        with self._cond:
            self.violations.append(text)

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _next_ts(self) -> str:
        """Unique, increasing, wall-clock-based ts so ``oldest``/``latest`` filters behave."""
        micros = max(int(time.time() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _handle_api(self, method: str, args: dict[str, Any], token: str | None
                    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Process one call under the lock, record it, then (outside the lock) apply any delay."""
        arrived = time.monotonic()
        with self._cond:
            status, body, headers = self._process(method, args, token, arrived)
            self.calls.append(Call(method=method, args=args, token=token, at=arrived, status=status))
            self._cond.notify_all()
            delay = self._delays.get(method, 0.0)
        if delay > 0:
            time.sleep(delay)
        return status, body, headers

    def _process(
        self, method: str, args: dict[str, Any], token: str | None, arrived: float
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        handler = self._handlers.get(method)
        if handler is None:
            self.violations.append(f"{method}: unknown_method (the emulator does not implement it)")
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if method in self._fail_next:
            status, remaining = self._fail_next[method]
            if remaining <= 1:
                del self._fail_next[method]
            else:
                self._fail_next[method] = (status, remaining - 1)
            return status, {"ok": False, "error": "internal_error"}, {}
        if method in self._rate_limited:
            key = json.dumps(args, sort_keys=True, default=str)
            seen = self._rate_limit_seen.setdefault(method, set())
            if key not in seen:
                seen.add(key)
                retry_after = self._rate_limited[method]
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        # oauth.v2.access authenticates with the app's client id and secret, not a token.
        if not token and method != "oauth.v2.access":
            return 200, {"ok": False, "error": "not_authed"}, {}
        if token in self._refused_tokens:
            return 200, {"ok": False, "error": self._refused_tokens[token]}, {}
        try:
            result = handler(_Args(args))
        except _Fail as fail:
            if fail.violation:
                self.violations.append(f"{method}: {fail.error}: {fail.violation}")
            return 200, {"ok": False, "error": fail.error, **fail.extra}, {}
        if method == "chat.postMessage":
            self._post_times.setdefault(self._store_key(str(args.get("channel"))), []).append(arrived)
        headers = {} if self.granted_scopes is None or not token else {"x-oauth-scopes": ",".join(self.granted_scopes)}
        return 200, {"ok": True, **result}, headers

    def _receive_response(self, response_id: str, raw: bytes) -> None:
        """Record a response_url post, validating its blocks like any message."""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
            self._violate(f"response_url {response_id}: body is not JSON")
        blocks = body.get("blocks")
        if isinstance(blocks, list):
            for problem in validate_message_blocks(blocks):
                self._violate(f"response_url: {problem}")
            if not body.get("text"):
                self._violate("response_url: blocks without a text fallback")
        with self._cond:
            self.responses.append({"id": response_id, **body})
            self._cond.notify_all()

    def _receive_upload(self, file_id: str, raw: bytes) -> tuple[int, str]:
        with self._cond:
            pending = self._pending_uploads.get(file_id)
            if pending is None:
                self.violations.append(f"upload: POST to unknown upload URL for file {file_id!r}")
                return 404, "Not Found"
            if len(raw) != pending.length:
                self.violations.append(
                    f"upload: {pending.filename!r} sent {len(raw)} bytes, "
                    f"files.getUploadURLExternal said {pending.length}"
                )
            pending.content = raw
            return 200, f"OK - {len(raw)}"

    # ----- channels and messages ------------------------------------------------------------

    @staticmethod
    def _dm_user(channel: str) -> str | None:
        """The user a DM-ish channel id stands for: "U.."/"W.." or "D"+"U.."."""
        if channel[:1] in ("U", "W"):
            return channel
        if channel[:1] == "D" and channel[1:2] in ("U", "W"):
            return channel[1:]
        return None

    def _store_key(self, channel: str) -> str:
        return self._dm_user(channel) or channel

    def _message_list(self, key: str) -> list[dict[str, Any]]:
        """DMs live under the user id and "D"+user id at once (the same list object)."""
        if key not in self.messages:
            messages: list[dict[str, Any]] = []
            self.messages[key] = messages
            if key[:1] in ("U", "W"):
                self.messages["D" + key] = messages
        return self.messages[key]

    def _resolve(self, channel: str | None, *, need_member: bool = True) -> tuple[str, str]:
        """(storage key, channel id to answer with) or a channel error."""
        if not channel:
            raise _Fail("channel_not_found", violation="no channel given")
        user = self._dm_user(channel)
        if user is not None:
            if user in self._gone:
                raise _Fail(self._gone[user])
            known = self._users.get(user)
            if known is not None and known.deleted:
                raise _Fail("account_inactive")
            return user, "D" + user
        if channel[:1] == "D":
            return channel, channel
        found = self._channels.get(channel)
        if found is None:
            raise _Fail("channel_not_found")
        if need_member and not found.bot_is_member:
            raise _Fail("not_in_channel")
        return channel, channel

    def _find_message(self, key: str, ts: str | None) -> dict[str, Any]:
        for message in self.messages.get(key, []):
            if message["ts"] == ts:
                return message
        raise _Fail("message_not_found")

    def _check_message_content(self, args: _Args, *, require_content: bool = True) -> None:
        blocks = args.data.get("blocks")
        text = args.text("text") or args.text("markdown_text")
        if blocks is not None:
            errors = validate_message_blocks(blocks) + self._check_slack_files(blocks)
            if errors:
                raise _Fail(
                    "invalid_blocks",
                    violation="; ".join(errors),
                    errors=errors,
                    response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
                )
        if require_content and not text and not blocks and not args.data.get("attachments"):
            raise _Fail("no_text", violation="message has neither text nor blocks")
        if text and len(text) > MESSAGE_MAX_TEXT:
            raise _Fail("msg_too_long", violation=f"text is {len(text)} characters (max {MESSAGE_MAX_TEXT})")
        metadata = args.data.get("metadata")
        if metadata is not None and not (
            isinstance(metadata, dict)
            and isinstance(metadata.get("event_type"), str)
            and isinstance(metadata.get("event_payload"), dict)
        ):
            raise _Fail("invalid_metadata_format",
                        violation=f"metadata needs event_type and event_payload: {metadata!r}")

    def _check_slack_files(self, blocks: Any) -> list[str]:
        """Image blocks that show an uploaded file must name a completed upload that is an image."""
        errors: list[str] = []
        for i, block in enumerate(blocks if isinstance(blocks, list) else []):
            if not isinstance(block, dict) or block.get("type") != "image" or "slack_file" not in block:
                continue
            ref = block["slack_file"]
            file_id = ref.get("id") if isinstance(ref, dict) else None
            found = self.files.get(str(file_id)) if file_id else None
            if found is None:
                errors.append(f"blocks[{i}] (image): slack_file {ref!r} names no completed upload")
            elif found.get("image") is None:
                errors.append(f"blocks[{i}] (image): file {file_id} is not an image")
        return errors

    def _missing_text(self, method: str, args: _Args) -> bool:
        """Blocks without top-level text: Slack accepts it (with a warning) but it is a bot bug."""
        has_text = bool((args.text("text") or args.text("markdown_text") or "").strip())
        if args.data.get("blocks") and not has_text:
            self.violations.append(f"{method}: blocks without text (text is the notification fallback)")
            return True
        return False

    @staticmethod
    def _public(message: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in message.items() if v is not None}

    # ----- method handlers (run under the lock) ---------------------------------------------

    def _api_test(self, args: _Args) -> dict[str, Any]:
        return {"args": {k: v for k, v in args.data.items() if isinstance(v, str)}}

    def _oauth_v2_access(self, args: _Args) -> dict[str, Any]:
        """Exchange an OAuth code for a bot token: any code but "bad" installs into this team (or,
        with ``org_install``, into its whole org). With ``token_rotation`` the token expires, and
        ``grant_type=refresh_token`` trades a refresh token handed out before for a new pair."""
        if args.text("grant_type") == "refresh_token":
            refresh = args.required("refresh_token")
            if refresh not in self._refresh_tokens:
                raise _Fail("invalid_refresh_token")
            return {"token_type": "bot", "scope": "commands,chat:write", **self._rotating_pair(),
                    "bot_user_id": self.bot_user_id, "app_id": APP_ID,
                    "team": None if self.org_install else {"id": self.team_id, "name": "Emulated Team"},
                    "enterprise": {"id": self.enterprise_id} if self.enterprise_id else None}
        code = args.required("code")
        if code == "bad":
            raise _Fail("invalid_code")
        token = {"access_token": f"xoxb-installed-{code}"} if not self.token_rotation else self._rotating_pair()
        return {
            "app_id": APP_ID, "authed_user": {"id": "UADMIN"}, "scope": "commands,chat:write",
            "token_type": "bot", **token, "bot_user_id": self.bot_user_id,
            "team": None if self.org_install else {"id": self.team_id, "name": "Emulated Team"},
            "enterprise": {"id": self.enterprise_id, "name": "Emulated Org"} if self.enterprise_id else None,
            "is_enterprise_install": self.org_install,
        }

    def _rotating_pair(self) -> dict[str, Any]:
        n = self._next()
        refresh = f"xoxe-1-refresh{n:04d}"
        self._refresh_tokens.add(refresh)
        return {"access_token": f"xoxe.xoxb-1-rotated{n:04d}", "refresh_token": refresh,
                "expires_in": self.token_lifetime}

    def _apps_connections_open(self, args: _Args) -> dict[str, Any]:
        if self.socket_mode_url is None:
            raise _Fail("invalid_auth")
        return {"url": self.socket_mode_url}

    def _auth_test(self, args: _Args) -> dict[str, Any]:
        return {
            "url": "https://emulated.slack.com/",
            "team": "Emulated Team",
            "user": "lead-bot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": BOT_ID,
            "enterprise_id": self.enterprise_id,
            "is_enterprise_install": self.org_install,
        }

    def _user_object(self, user: _User) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(user.tz))
        offset = now.utcoffset()
        return {
            "id": user.id,
            "team_id": user.team_id,
            "name": user.name,
            "real_name": user.name,
            "deleted": user.deleted,
            "is_bot": user.is_bot,
            "is_admin": user.is_admin,
            "is_owner": user.is_owner,
            "tz": user.tz,
            "tz_label": now.tzname() or user.tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": {"real_name": user.name, "display_name": user.name},
        }

    def _users_info(self, args: _Args) -> dict[str, Any]:
        user = self._users.get(args.required("user"))
        if user is None:
            raise _Fail("user_not_found")
        return {"user": self._user_object(user)}

    def _users_list(self, args: _Args) -> dict[str, Any]:
        users = [self._user_object(u) for u in self._users.values()]
        members, next_cursor = _page(users, args.text("cursor"), args.integer("limit", 200))
        return {"members": members, "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_open(self, args: _Args) -> dict[str, Any]:
        channel = args.text("channel")
        if channel:
            return {"channel": {"id": channel}}
        users = [u for u in args.required("users").split(",") if u]
        for user in users:
            if user in self._gone:
                raise _Fail(self._gone[user])
        if len(users) == 1:
            return {"channel": {"id": "D" + users[0]}}
        mpim = "G" + "".join(sorted(users))
        self._channels.setdefault(mpim, _Channel(mpim, "mpdm-" + "--".join(sorted(users)), users, True))
        return {"channel": {"id": mpim}}

    def _conversations_info(self, args: _Args) -> dict[str, Any]:
        channel = args.required("channel")
        user = self._dm_user(channel)
        if user is not None:
            return {"channel": {"id": "D" + user, "is_im": True, "user": user, "is_member": True}}
        found = self._channels.get(channel)
        if found is None:
            raise _Fail("channel_not_found")
        return {
            "channel": {
                "id": found.id,
                "name": found.name,
                "is_member": found.bot_is_member,
                "is_private": False,
                "is_channel": True,
            }
        }

    def _conversations_members(self, args: _Args) -> dict[str, Any]:
        channel = args.required("channel")
        user = self._dm_user(channel)
        if user is not None:
            everyone = [user, self.bot_user_id]
        elif channel in self._channels:
            everyone = list(self._channels[channel].members)
        else:
            raise _Fail("channel_not_found")
        members, next_cursor = _page(everyone, args.text("cursor"), args.integer("limit", 100))
        return {"members": members, "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_history(self, args: _Args) -> dict[str, Any]:
        key, _ = self._resolve(args.required("channel"))
        oldest, latest, inclusive = args.number("oldest"), args.number("latest"), args.flag("inclusive")

        def in_window(ts: float) -> bool:
            if oldest is not None and (ts < oldest or (ts == oldest and not inclusive)):
                return False
            return latest is None or ts < latest or (ts == latest and inclusive)

        top_level = [
            self._public(m)
            for m in reversed(self.messages.get(key, []))
            if m.get("thread_ts") in (None, m["ts"]) and in_window(float(m["ts"]))
        ]
        page, next_cursor = _page(top_level, args.text("cursor"), args.integer("limit", 100))
        return {"messages": page, "has_more": bool(next_cursor), "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_replies(self, args: _Args) -> dict[str, Any]:
        key, _ = self._resolve(args.required("channel"))
        ts = args.required("ts")
        parent = self._find_message(key, ts)
        thread = [parent] + [m for m in self.messages.get(key, []) if m.get("thread_ts") == ts and m is not parent]
        page, next_cursor = _page([self._public(m) for m in thread], args.text("cursor"), args.integer("limit", 100))
        return {"messages": page, "has_more": bool(next_cursor), "response_metadata": {"next_cursor": next_cursor}}

    def _chat_post_message(self, args: _Args) -> dict[str, Any]:
        channel = args.text("channel")
        key, answer_channel = self._resolve(channel)
        self._check_message_content(args)
        missing_text = self._missing_text("chat.postMessage", args)
        message = {
            "type": "message",
            "ts": self._next_ts(),
            "text": args.text("text") or args.text("markdown_text") or "",
            "blocks": args.data.get("blocks") or [],
            "user": self.bot_user_id,
            "bot_id": BOT_ID,
            "metadata": args.data.get("metadata"),
            "thread_ts": args.text("thread_ts"),
        }
        self._message_list(key).append(message)
        result: dict[str, Any] = {"channel": answer_channel, "ts": message["ts"], "message": self._public(message)}
        if missing_text:
            result["warning"] = "missing_text"
        return result

    def _chat_post_ephemeral(self, args: _Args) -> dict[str, Any]:
        channel = args.text("channel")
        user = args.required("user")
        self._resolve(channel)
        self._check_message_content(args)
        self._missing_text("chat.postEphemeral", args)
        self.ephemerals.append(
            {
                "channel": channel,
                "user": user,
                "text": args.text("text") or "",
                "blocks": args.data.get("blocks") or [],
                "thread_ts": args.text("thread_ts"),
            }
        )
        return {"message_ts": self._next_ts()}

    def _chat_update(self, args: _Args) -> dict[str, Any]:
        key, answer_channel = self._resolve(args.text("channel"))
        message = self._find_message(key, args.text("ts"))
        self._check_message_content(args)
        self._missing_text("chat.update", args)
        if "text" in args.data:
            message["text"] = args.text("text") or ""
        if "blocks" in args.data:
            message["blocks"] = args.data.get("blocks") or []
        if args.data.get("metadata") is not None:
            message["metadata"] = args.data["metadata"]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {"channel": answer_channel, "ts": message["ts"], "text": message["text"],
                "message": self._public(message)}

    def _chat_delete(self, args: _Args) -> dict[str, Any]:
        key, answer_channel = self._resolve(args.text("channel"))
        message = self._find_message(key, args.text("ts"))
        self.messages[key].remove(message)
        return {"channel": answer_channel, "ts": message["ts"]}

    def _reactions_add(self, args: _Args) -> dict[str, Any]:
        channel = args.text("channel")
        key, _ = self._resolve(channel)
        timestamp = args.required("timestamp")
        name = args.required("name")
        message = self._find_message(key, timestamp)
        if (key, timestamp, name) in self._reacted:
            raise _Fail("already_reacted")
        self._reacted.add((key, timestamp, name))
        message.setdefault("reactions", []).append({"name": name, "users": [self.bot_user_id], "count": 1})
        self.reactions.append({"channel": channel, "timestamp": timestamp, "name": name})
        return {}

    # ----- views ----------------------------------------------------------------------------

    def _check_trigger(self, args: _Args) -> _Trigger:
        trigger_id = args.text("trigger_id")
        trigger = self._triggers.get(trigger_id or "")
        if trigger is None:
            raise _Fail("invalid_trigger_id", violation=f"trigger_id {trigger_id!r} was never issued")
        if trigger.used:
            raise _Fail("exchanged_trigger_id", violation=f"trigger_id {trigger_id!r} was already used")
        age = time.monotonic() - trigger.created
        if age > self.trigger_ttl:
            raise _Fail(
                "expired_trigger_id",
                violation=f"trigger_id {trigger_id!r} used {age:.2f}s after it was issued (valid {self.trigger_ttl}s)",
            )
        return trigger

    def _check_view(self, view: Any, allowed_types: tuple[str, ...]) -> dict[str, Any]:
        errors = validate_view(view, allowed_types)
        if errors:
            raise _Fail(
                "invalid_arguments",
                violation="; ".join(errors),
                errors=errors,
                response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
            )
        assert isinstance(view, dict)
        return view

    def _store_view(
        self, view: dict[str, Any], *, view_id: str | None = None, root_view_id: str | None = None,
        previous_view_id: str | None = None,
    ) -> dict[str, Any]:
        n = self._next()
        view_id = view_id or f"V{n}"
        stored: dict[str, Any] = {
            "callback_id": "",
            "external_id": "",
            "private_metadata": "",
            "clear_on_close": False,
            "notify_on_close": False,
            **{k: v for k, v in view.items() if k not in _VIEW_READ_ONLY},
            "id": view_id,
            "team_id": self.team_id,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "hash": str(n),
            "root_view_id": root_view_id or view_id,
            "previous_view_id": previous_view_id,
            "state": {"values": {}},
        }
        external_id = stored.get("external_id")
        if external_id:
            owner = self._external_ids.get(external_id)
            if owner is not None and owner != view_id:
                raise _Fail("duplicate_external_id", violation=f"external_id {external_id!r} already used by {owner}")
            self._external_ids[external_id] = view_id
        self._views[view_id] = stored
        return stored

    def _views_open(self, args: _Args) -> dict[str, Any]:
        trigger = self._check_trigger(args)
        view = self._check_view(args.data.get("view"), ("modal",))
        stored = self._store_view(view)
        trigger.used = True
        self._last_root_view_id = stored["id"]
        self.opened_views.append(stored)
        return {"view": stored}

    def _views_push(self, args: _Args) -> dict[str, Any]:
        trigger = self._check_trigger(args)
        view = self._check_view(args.data.get("view"), ("modal",))
        root = self._last_root_view_id
        stored = self._store_view(view, root_view_id=root, previous_view_id=root)
        trigger.used = True
        self.opened_views.append(stored)
        return {"view": stored}

    def _views_update(self, args: _Args) -> dict[str, Any]:
        view_id = args.text("view_id")
        external_id = args.text("external_id")
        if not view_id and external_id:
            view_id = self._external_ids.get(external_id)
        if not view_id and not external_id:
            raise _Fail("invalid_arguments", violation="views.update needs view_id or external_id")
        current = self._views.get(view_id or "")
        if current is None:
            raise _Fail("not_found")
        view = self._check_view(args.data.get("view"), ("modal", "home"))
        expected_hash = args.text("hash")
        if expected_hash and expected_hash != current["hash"]:
            raise _Fail("hash_conflict")
        stored = self._store_view(
            view, view_id=current["id"], root_view_id=current["root_view_id"],
            previous_view_id=current["previous_view_id"],
        )
        self.opened_views.append(stored)
        home_user = self._view_user.get(stored["id"])
        if home_user is not None:
            self.home_views[home_user] = stored
        return {"view": stored}

    def _views_publish(self, args: _Args) -> dict[str, Any]:
        user_id = args.required("user_id")
        view = self._check_view(args.data.get("view"), ("home",))
        previous = self.home_views.get(user_id)
        expected_hash = args.text("hash")
        if expected_hash and previous is not None and expected_hash != previous["hash"]:
            raise _Fail("hash_conflict")
        stored = self._store_view(view, view_id=previous["id"] if previous else None)
        self._view_user[stored["id"]] = user_id
        self.home_views[user_id] = stored
        return {"view": stored}

    # ----- files ----------------------------------------------------------------------------

    def _files_get_upload_url(self, args: _Args) -> dict[str, Any]:
        filename = args.required("filename")
        length = args.integer("length", -1)
        if length < 0:
            raise _Fail("invalid_arguments", violation="files.getUploadURLExternal needs length")
        file_id = f"F{self._next():06d}"
        self._pending_uploads[file_id] = _PendingUpload(file_id, filename, length)
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: _Args) -> dict[str, Any]:
        files = args.data.get("files")
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) and f.get("id") for f in files):
            raise _Fail("invalid_arguments", violation=f"files must be a JSON list of {{id, title}}: {files!r}")
        channel_id = args.text("channel_id")
        channels = [c for c in (args.text("channels") or "").split(",") if c]
        for channel in ([channel_id] if channel_id else []) + channels:
            self._resolve(channel)
        pending_list: list[_PendingUpload] = []
        for item in files:
            pending = self._pending_uploads.get(str(item["id"]))
            if pending is None or pending.content is None:
                raise _Fail("file_not_found", violation=f"file {item['id']!r} was not uploaded before completion")
            pending_list.append(pending)
        answered = []
        for item, pending in zip(files, pending_list, strict=True):
            del self._pending_uploads[pending.file_id]
            title = item.get("title") or pending.filename
            content = pending.content or b""
            image = png_size(content)
            if pending.filename.lower().endswith(".png") and image is None:
                self.violations.append(f"files.completeUploadExternal: {pending.filename!r} is not a valid PNG")
            upload = {
                "file_id": pending.file_id,
                "channel_id": channel_id or (channels[0] if channels else None),
                "filename": pending.filename,
                "title": title,
                "content": pending.content,
                "initial_comment": args.text("initial_comment"),
                "thread_ts": args.text("thread_ts"),
                "image": image,  # (width, height) of a PNG, else None
            }
            self.uploads.append(upload)
            self.files[pending.file_id] = upload
            answered.append({"id": pending.file_id, "name": pending.filename, "title": title})
        return {"files": answered}
