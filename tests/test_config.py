"""Configuration: every bad setting names its variable; the CLI exits 2 with one line, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.clock import FixedClock
from bot.config import ConfigError, load_settings, normalize_database_url
from bot.scheduler.runner import build_runtime
from bot.services.context import BotContext
from bot.store.db import Store
from tests.conftest import MONDAY_W48


def test_defaults() -> None:
    settings = load_settings({})
    assert settings.database_url == "sqlite:///lead.db"
    assert settings.api_url == "https://slack.com/api/"
    assert settings.port == 3000
    assert settings.team_channel is None and not settings.oauth and not settings.socket_mode


@pytest.mark.parametrize("raw", ["postgres://u:p@db:5432/lead", "postgresql://u:p@db:5432/lead"])
def test_postgres_urls_use_psycopg(raw: str) -> None:
    assert normalize_database_url(raw) == "postgresql+psycopg://u:p@db:5432/lead"


@pytest.mark.parametrize(("env", "variable"), [
    ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
    ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
    ({"SLACK_API_URL": "ftp://example"}, "SLACK_API_URL"),
    ({"PORT": "http"}, "PORT"),
    ({"PORT": "70000"}, "PORT"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_APP_TOKEN": "xoxb-not-an-app-token"}, "SLACK_APP_TOKEN"),
    ({"LEAD_TEAM_CHANNEL": "#general"}, "LEAD_TEAM_CHANNEL"),
    ({"LEAD_ADMINS": "U123,alice"}, "LEAD_ADMINS"),
    ({"LEAD_CLAIM_TIMEOUT_SECONDS": "ten minutes"}, "LEAD_CLAIM_TIMEOUT_SECONDS"),
    ({"LEAD_CLAIM_TIMEOUT_SECONDS": "0"}, "LEAD_CLAIM_TIMEOUT_SECONDS"),
    ({"LEAD_CLAIM_TIMEOUT_SECONDS": "-30"}, "LEAD_CLAIM_TIMEOUT_SECONDS"),
    ({"LEAD_CLAIM_TIMEOUT_SECONDS": "nan"}, "LEAD_CLAIM_TIMEOUT_SECONDS"),
    ({"LEAD_CLAIM_TIMEOUT_SECONDS": "inf"}, "LEAD_CLAIM_TIMEOUT_SECONDS"),
])
def test_bad_values_name_their_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    assert caught.value.variable == variable
    assert str(caught.value).startswith(variable)


def test_api_url_gets_a_trailing_slash_and_admins_are_parsed() -> None:
    settings = load_settings({"SLACK_API_URL": "http://127.0.0.1:9/api", "LEAD_ADMINS": "U1AAA, U2BBB"})
    assert settings.api_url == "http://127.0.0.1:9/api/"
    assert settings.admins == {"U1AAA", "U2BBB"}


def test_http_mode_needs_secret_and_token() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1"}).require_slack(http=True)
    assert caught.value.variable == "SLACK_SIGNING_SECRET"
    with pytest.raises(ConfigError) as caught:
        load_settings({"SLACK_SIGNING_SECRET": "s"}).require_slack(http=True)
    assert caught.value.variable == "SLACK_BOT_TOKEN"
    load_settings({"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1"}).require_slack(http=True)
    with pytest.raises(ConfigError) as caught:
        load_settings({"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2"}
                      ).require_slack(http=True)
    assert caught.value.variable == "SLACK_STATE_SECRET"


def test_environment_wins_over_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("PORT=4000\nLEAD_TEAM_CHANNEL=C0DOTENV\n")
    monkeypatch.setenv("PORT", "5000")
    monkeypatch.delenv("LEAD_TEAM_CHANNEL", raising=False)
    settings = load_settings(dotenv_path=dotenv)
    assert settings.port == 5000
    assert settings.team_channel == "C0DOTENV"


def test_claim_timeout_is_seconds_from_the_environment_or_dotenv(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings({}).claim_timeout == timedelta(seconds=600)
    assert load_settings({"LEAD_CLAIM_TIMEOUT_SECONDS": " 2.5 "}).claim_timeout == timedelta(seconds=2.5)
    dotenv = tmp_path / ".env"
    dotenv.write_text("LEAD_CLAIM_TIMEOUT_SECONDS=90\n")
    monkeypatch.delenv("LEAD_CLAIM_TIMEOUT_SECONDS", raising=False)
    assert load_settings(dotenv_path=dotenv).claim_timeout == timedelta(seconds=90)
    monkeypatch.setenv("LEAD_CLAIM_TIMEOUT_SECONDS", "30")
    assert load_settings(dotenv_path=dotenv).claim_timeout == timedelta(seconds=30)


def test_the_scheduler_takes_the_claim_timeout_from_the_settings(tmp_path: Path) -> None:
    settings = load_settings({"LEAD_CLAIM_TIMEOUT_SECONDS": "45", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    ctx = BotContext(store=Store.from_url(settings.database_url), clock=FixedClock(MONDAY_W48), settings=settings)
    try:
        assert build_runtime(ctx, WebClient()).claim_timeout == timedelta(seconds=45)
    finally:
        ctx.store.dispose()


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAD_", "DATABASE_URL", "PORT"))}
    return subprocess.run([sys.executable, "-m", "bot", *args], env={**base, **env}, cwd=cwd, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize(("args", "env", "variable"), [
    ([], {}, "SLACK_BOT_TOKEN"),
    (["run"], {"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
    (["serve"], {}, "SLACK_SIGNING_SECRET"),
    (["serve"], {"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    (["migrate"], {"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nowhere"}, "DATABASE_URL"),
    (["migrate"], {"DATABASE_URL": "oracle://x"}, "DATABASE_URL"),
    (["serve"], {"PORT": "many"}, "PORT"),
    (["jobs", "run", "checkin-nudge", "--at", "next tuesday"], {}, "--at"),
    (["worker"], {"SLACK_BOT_TOKEN": "xoxb-1", "LEAD_CLAIM_TIMEOUT_SECONDS": "10m"}, "LEAD_CLAIM_TIMEOUT_SECONDS"),
    (["migrate"], {"LEAD_CLAIM_TIMEOUT_SECONDS": "-1"}, "LEAD_CLAIM_TIMEOUT_SECONDS"),
])
def test_cli_bad_configuration_exits_2_with_one_line(tmp_path: Path, args: list[str], env: dict[str, str],
                                                     variable: str) -> None:
    result = _cli(args, env, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_cli_refuses_a_bad_claim_timeout_from_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1\nLEAD_CLAIM_TIMEOUT_SECONDS=soon\n")
    result = _cli(["worker"], {}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["lead-bot: LEAD_CLAIM_TIMEOUT_SECONDS is not a number of seconds: 'soon'"]


def test_cli_migrate_then_export_unknown_user(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    assert _cli(["migrate"], env, tmp_path).returncode == 0
    result = _cli(["export", "UNOBODY"], env, tmp_path)
    assert result.returncode == 1
    assert "UNOBODY" in result.stderr and result.stdout == ""
