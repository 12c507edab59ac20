"""``lead-bot doctor``: is this installation ready? One finding per check, each failure with its fix.

Only looks: it never migrates, never creates a workspace row, never posts. Slack is asked with
the same client settings as the start-up check (one attempt, a short timeout), so a dead network
costs seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings
from bot.errors import LeadError
from bot.services.team import channel_problem
from bot.services.types.settings import ChannelProblem
from bot.slack.authorization import REFUSALS, check_client
from bot.store import people as people_store
from bot.store.db import Store
from bot.store.migrate import current_revision, head_revision

BOT_SCOPES: Final[tuple[str, ...]] = (
    "commands", "chat:write", "users:read", "im:write", "im:history", "files:write", "reactions:write",
    "channels:read", "groups:read", "channels:history", "groups:history",
)
"""The bot scopes manifest.yml asks for, carried in the package so a wheel install can check them
(tests/test_manifest.py keeps the two equal)."""

SCOPES_HEADER: Final = "x-oauth-scopes"

_CHANNEL_FIXES: Final = {
    ChannelProblem.CANNOT_SEE: "Slack says it does not exist or the bot cannot see it: check the channel id, and for "
                               "a private channel invite the bot (/invite @lead-bot)",
    ChannelProblem.CHECK_FAILED: "Slack did not answer conversations.info: try again, then check the token's scopes",
    ChannelProblem.DIRECT_MESSAGE: "it is a direct message, not a channel: pick a channel with /lead config",
    ChannelProblem.ARCHIVED: "it is archived: pick another with /lead config or LEAD_TEAM_CHANNEL",
    ChannelProblem.NOT_A_MEMBER: "the bot is not a member: run /invite @lead-bot in that channel",
}


@dataclass(frozen=True)
class Finding:
    """One check: its name, whether it passed, and what it found (with the fix when it did not pass)."""

    check: str
    ok: bool
    detail: str


def diagnose(settings: Settings) -> Iterator[Finding]:
    """Every check in order; later Slack checks are skipped (and say so) when the token was refused."""
    yield _configuration(settings)
    yield _database(settings)
    if settings.oauth and not settings.bot_token:
        yield Finding("slack token", True, "OAuth install: each workspace's token comes from its installation "
                                           "(Add to Slack); nothing to check here")
        yield from _app_token(settings)
        return
    if not settings.bot_token:
        yield Finding("slack token", False, "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token from the "
                                            "app's OAuth & Permissions page")
        yield from _app_token(settings)
        return
    client = check_client(settings.api_url, settings.bot_token)
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error")
        fix = ("copy the Bot User OAuth Token from the app's OAuth & Permissions page into SLACK_BOT_TOKEN"
               if error in REFUSALS else "try again; if it persists, check SLACK_API_URL")
        yield Finding("slack token", False, f"auth.test refused it ({error}): {fix}")
        yield from _app_token(settings)
        return
    except (SlackClientError, OSError) as exc:
        yield Finding("slack token", False, f"Slack cannot be reached at {settings.api_url} ({type(exc).__name__}): "
                                            "check SLACK_API_URL and this machine's network")
        yield from _app_token(settings)
        return
    team_id = str(answer.get("team_id") or "")
    yield Finding("slack token", True, f"auth.test: bot {answer.get('user_id')} in workspace {team_id}")
    # A plain dict of the headers as sent: Slack's casing of the name is not guaranteed.
    granted = next((value for name, value in (answer.headers or {}).items() if name.lower() == SCOPES_HEADER), None)
    yield _scopes(granted)
    yield from _app_token(settings)
    yield _team_channel(settings, team_id, client)


def _configuration(settings: Settings) -> Finding:
    try:
        settings.require_slack(http=not settings.socket_mode)
    except ConfigError as exc:
        return Finding("configuration", False, str(exc))
    mode = "Socket Mode" if settings.socket_mode else "HTTP"
    install = "OAuth (several workspaces)" if settings.oauth else "one workspace"
    return Finding("configuration", True, f"{mode}, {install}, Slack at {settings.api_url}")


def _database(settings: Settings) -> Finding:
    try:
        current = current_revision(settings.database_url)
        head = head_revision()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:160]
        return Finding("database", False, f"cannot be reached ({reason}): check DATABASE_URL")
    if current != head:
        return Finding("database", False, f"at revision {current or 'none (empty)'}, the latest is {head}: "
                                          "run lead-bot migrate")
    return Finding("database", True, f"reachable, at the latest revision ({head})")


def _scopes(header: str | None) -> Finding:
    if header is None:
        return Finding("scopes", False, f"Slack's answer carried no {SCOPES_HEADER} header, so the granted scopes are "
                                        "unknown: check SLACK_API_URL points at the Slack Web API")
    granted = {scope.strip() for scope in header.split(",") if scope.strip()}
    missing = [scope for scope in BOT_SCOPES if scope not in granted]
    if missing:
        return Finding("scopes", False, f"missing {', '.join(missing)}: add them under OAuth & Permissions (or "
                                        "recreate the app from manifest.yml), then reinstall the app and copy the "
                                        "new bot token")
    return Finding("scopes", True, f"all {len(BOT_SCOPES)} of the manifest's bot scopes are granted")


def _app_token(settings: Settings) -> Iterator[Finding]:
    if not settings.app_token:
        yield Finding("app token", True, "not set: HTTP mode (set SLACK_APP_TOKEN for Socket Mode)")
        return
    client = check_client(settings.api_url)
    try:
        client.apps_connections_open(app_token=settings.app_token)
    except SlackApiError as exc:
        yield Finding("app token", False, f"apps.connections.open refused it ({exc.response.get('error')}): create an "
                                          "app-level token with the connections:write scope (Basic Information) and "
                                          "put it in SLACK_APP_TOKEN; Socket Mode must be on")
        return
    except (SlackClientError, OSError) as exc:
        yield Finding("app token", False, f"Slack cannot be reached at {settings.api_url} ({type(exc).__name__}): "
                                          "check SLACK_API_URL and this machine's network")
        return
    yield Finding("app token", True, "Socket Mode: apps.connections.open accepted it")


def _team_channel(settings: Settings, team_id: str, client: WebClient) -> Finding:
    channel = settings.team_channel
    try:
        store = Store.from_url(settings.database_url)
        try:
            with store.session() as session:
                workspace = people_store.find_workspace(session, team_id)
        finally:
            store.dispose()
        if workspace is not None and workspace.team_channel:
            channel = workspace.team_channel
    except LeadError:
        pass  # the database finding already says so; LEAD_TEAM_CHANNEL is still worth checking
    if channel is None:
        return Finding("team channel", True, "none set yet: wins and the digest are not posted until /lead config "
                                             "or LEAD_TEAM_CHANNEL names one")
    problem = channel_problem(client, channel)
    if problem is not None:
        return Finding("team channel", False, f"{channel}: {_CHANNEL_FIXES[problem]}")
    return Finding("team channel", True, f"{channel} exists and the bot is a member")
