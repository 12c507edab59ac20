"""Settings from the environment (and a ``.env`` file, which the environment overrides).

Every problem is reported as a :class:`ConfigError` naming the variable to fix; the CLI turns it
into one line on stderr and exit status 2.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///lead.db"
DEFAULT_CLAIM_TIMEOUT = timedelta(minutes=10)
# chat.postMessage per workspace, shared by every process: Slack documents about one message per
# second per channel with short bursts and a workspace-wide ceiling it does not number; 300 a
# minute with bursts of 20 stays under it for DMs to many people (docs/architecture.md).
DEFAULT_SEND_RATE = 5.0
DEFAULT_SEND_BURST = 20.0
# People per sweep chunk (LEAD_SWEEP_CHUNK): a few hundred keeps a chunk's statements few per nudge
# and its claim far shorter than the claim timeout.
DEFAULT_SWEEP_CHUNK = 500
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class ConfigError(Exception):
    """A setting is missing or wrong; ``variable`` names the one to fix."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable} {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    """The bot's whole configuration, validated."""

    database_url: str = DEFAULT_DATABASE_URL
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    state_secret: str | None = None
    api_url: str = DEFAULT_API_URL
    port: int = 3000
    team_channel: str | None = None
    admins: frozenset[str] = field(default_factory=frozenset)
    # How long a scheduled send may stay claimed before another process takes it over.
    claim_timeout: timedelta = DEFAULT_CLAIM_TIMEOUT
    log_format: str = "text"  # or "json": one JSON object per line
    # Where ``worker`` and Socket Mode ``run`` serve /healthz and /metrics; None: nowhere.
    health_port: int | None = None
    # The per-workspace bucket for scheduled and team-channel posts (LEAD_SEND_RATE, LEAD_SEND_BURST).
    send_rate: float = DEFAULT_SEND_RATE
    send_burst: float = DEFAULT_SEND_BURST
    sweep_chunk: int = DEFAULT_SWEEP_CHUNK

    @property
    def oauth(self) -> bool:
        """True for a multi-workspace ("Add to Slack") install."""
        return bool(self.client_id and self.client_secret)

    @property
    def default_team_channel(self) -> str | None:
        """LEAD_TEAM_CHANNEL, for a single-workspace install only: with OAuth each workspace sets its own
        in ``/lead config`` (one channel id cannot belong to several workspaces)."""
        return None if self.oauth else self.team_channel

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    def require_slack(self, *, http: bool) -> None:
        """Check what talking to Slack needs; ``http`` adds the request-signing secret."""
        if http and not self.signing_secret:
            raise ConfigError("SLACK_SIGNING_SECRET", "is not set: HTTP mode needs it to verify requests from Slack")
        if self.oauth:
            if not self.state_secret:
                raise ConfigError("SLACK_STATE_SECRET", "is not set: the OAuth install flow needs it")
            return
        if not self.bot_token:
            raise ConfigError("SLACK_BOT_TOKEN",
                              "is not set (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)")

    def require_socket_mode(self) -> None:
        if not self.bot_token and not self.oauth:
            raise ConfigError("SLACK_BOT_TOKEN", "is not set: Socket Mode needs the bot token too")


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv_path: Path | None = None) -> Settings:
    """Read and validate settings; ``environ`` defaults to ``os.environ`` merged over ``./.env``."""
    env = dict(environ) if environ is not None else _environment(dotenv_path)
    return Settings(
        database_url=normalize_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-"),
        signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        app_token=_token(env, "SLACK_APP_TOKEN", "xapp-"),
        client_id=env.get("SLACK_CLIENT_ID") or None,
        client_secret=env.get("SLACK_CLIENT_SECRET") or None,
        state_secret=env.get("SLACK_STATE_SECRET") or None,
        api_url=_api_url(env.get("SLACK_API_URL") or DEFAULT_API_URL),
        port=_port(env.get("PORT") or "3000"),
        team_channel=_channel(env.get("LEAD_TEAM_CHANNEL")),
        admins=_admins(env.get("LEAD_ADMINS")),
        claim_timeout=_claim_timeout(env.get("LEAD_CLAIM_TIMEOUT_SECONDS")),
        log_format=_log_format(env.get("LOG_FORMAT")),
        health_port=_health_port(env.get("LEAD_HEALTH_PORT")),
        send_rate=_positive(env, "LEAD_SEND_RATE", DEFAULT_SEND_RATE, "messages a second per workspace"),
        send_burst=_positive(env, "LEAD_SEND_BURST", DEFAULT_SEND_BURST, "messages"),
        sweep_chunk=int(_positive(env, "LEAD_SWEEP_CHUNK", DEFAULT_SWEEP_CHUNK, "people")),
    )


def _environment(dotenv_path: Path | None) -> dict[str, str]:
    from dotenv import dotenv_values

    path = dotenv_path or Path.cwd() / ".env"
    values = {k: v for k, v in dotenv_values(path).items() if v is not None} if path.is_file() else {}
    values.update(os.environ)
    return values


def normalize_database_url(raw: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` as PostgreSQL through psycopg 3."""
    text = raw.strip()
    for prefix in ("postgres://", "postgresql://"):
        if text.startswith(prefix):
            text = "postgresql+psycopg://" + text[len(prefix):]
    try:
        url: URL = make_url(text)
    except ArgumentError as exc:
        raise ConfigError("DATABASE_URL", f"is not a database URL: {raw!r}") from exc
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError("DATABASE_URL", f"must be sqlite:// or postgresql://, not {url.get_backend_name()}://")
    if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _token(env: Mapping[str, str], name: str, prefix: str) -> str | None:
    value = (env.get(name) or "").strip()
    if not value:
        return None
    if not value.startswith(prefix):
        raise ConfigError(name, f"must start with {prefix}")
    return value


def _api_url(raw: str) -> str:
    parsed = urlparse(raw.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError("SLACK_API_URL", f"is not an http(s) URL: {raw!r}")
    text = raw.strip()
    return text if text.endswith("/") else text + "/"


def _port(raw: str, variable: str = "PORT") -> int:
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(variable, f"is not a number: {raw!r}") from None
    if not 0 <= port <= 65535:
        raise ConfigError(variable, f"must be between 0 and 65535, not {port}")
    return port


def _health_port(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return _port(text, "LEAD_HEALTH_PORT") if text else None


def _log_format(raw: str | None) -> str:
    text = (raw or "").strip().lower() or "text"
    if text not in ("text", "json"):
        raise ConfigError("LOG_FORMAT", f"must be text or json, not {raw!r}")
    return text


def _channel(raw: str | None) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if not _CHANNEL_ID.match(value):
        raise ConfigError("LEAD_TEAM_CHANNEL", f"must be a channel ID like C0123ABCD, not {value!r}")
    return value


def _admins(raw: str | None) -> frozenset[str]:
    ids = [part.strip() for part in (raw or "").replace(" ", ",").split(",") if part.strip()]
    for user_id in ids:
        if not _USER_ID.match(user_id):
            raise ConfigError("LEAD_ADMINS", f"must list user IDs like U0123ABCD, not {user_id!r}")
    return frozenset(ids)


def _claim_timeout(raw: str | None) -> timedelta:
    text = (raw or "").strip()
    if not text:
        return DEFAULT_CLAIM_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        raise ConfigError("LEAD_CLAIM_TIMEOUT_SECONDS", f"is not a number of seconds: {text!r}") from None
    # NaN and infinity parse as floats, but neither is a timeout anyone could mean.
    if not math.isfinite(seconds) or seconds <= 0:
        raise ConfigError("LEAD_CLAIM_TIMEOUT_SECONDS", f"must be a positive number of seconds, not {text!r}")
    return timedelta(seconds=seconds)


def _positive(env: Mapping[str, str], name: str, default: float, unit: str) -> float:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(name, f"is not a number of {unit}: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(name, f"must be a positive number of {unit}, not {text!r}")
    return value
