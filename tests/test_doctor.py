"""`lead-bot doctor` against the Slack emulator: every check passes on a good install, and each
problem (a missing scope, a channel the bot is not in, a refused token, an unmigrated database, a
bad setting) is one FAIL line that says how to fix it, with exit status 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.services.doctor import BOT_SCOPES
from bot.store import people as people_store
from bot.store.db import Store
from bot.store.migrate import current_revision
from tests.conftest import MONDAY_W48, SIGNING_SECRET, TEAM_CHANNEL, TEAM_ID
from tests.slack_emulator import SlackEmulator

CHECKS = ["configuration", "database", "slack token", "scopes", "app token", "team channel"]


def _doctor(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
            **env: str) -> tuple[int, list[str]]:
    for name in os.environ:
        if name.startswith(("SLACK_", "LEAD_", "DATABASE_URL", "PORT")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no stray .env
    status = main(["doctor"])
    return status, capsys.readouterr().out.splitlines()


def _env(db_url: str, emulator: SlackEmulator, **more: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": emulator.url,
            "DATABASE_URL": db_url, "LEAD_TEAM_CHANNEL": TEAM_CHANNEL, **more}


def test_doctor_passes_on_a_good_install(db_url: str, emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    emulator.granted_scopes = [*BOT_SCOPES, "users:read.email"]  # more than asked for is fine
    status, lines = _doctor(monkeypatch, tmp_path, capsys, **_env(db_url, emulator))
    assert status == 0, lines
    assert [line.split(":")[0] for line in lines] == [f"ok   {check}" for check in CHECKS]
    assert f"{TEAM_CHANNEL} exists and the bot is a member" in lines[-1]
    assert {call.method for call in emulator.calls} == {"auth.test", "conversations.info"}  # only looks


def test_doctor_names_the_missing_scope_and_the_channel_the_bot_is_not_in(
        db_url: str, emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    emulator.granted_scopes = [scope for scope in BOT_SCOPES if scope != "im:write"]
    emulator.add_channel("CLONELY", name="lonely", members=["U1"], bot_is_member=False)
    status, lines = _doctor(monkeypatch, tmp_path, capsys, **_env(db_url, emulator, LEAD_TEAM_CHANNEL="CLONELY"))
    assert status == 2
    failed = [line for line in lines if line.startswith("FAIL")]
    assert len(failed) == 2, lines
    assert failed[0].startswith("FAIL scopes: missing im:write: add them under OAuth & Permissions")
    assert "reinstall" in failed[0]
    assert failed[1] == "FAIL team channel: CLONELY: the bot is not a member: run /invite @lead-bot in that channel"


def test_the_channel_set_in_slack_is_the_one_checked(db_url: str, emulator: SlackEmulator,
                                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    emulator.granted_scopes = list(BOT_SCOPES)
    store = Store.from_url(db_url)
    with store.session() as session:
        people_store.update_workspace(session, TEAM_ID, MONDAY_W48, team_channel="CGONE")
    store.dispose()
    status, lines = _doctor(monkeypatch, tmp_path, capsys, **_env(db_url, emulator))
    assert status == 2
    assert lines[-1].startswith("FAIL team channel: CGONE: Slack says it does not exist or the bot cannot see it")


@pytest.mark.sqlite_only
def test_doctor_reports_a_refused_token_an_unmigrated_database_and_a_refused_app_token(
        db_url: str, emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    emulator.refuse_token("xoxb-test")
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    status, lines = _doctor(monkeypatch, tmp_path, capsys,
                            **_env(empty, emulator, SLACK_APP_TOKEN="xapp-test"))
    assert status == 2
    assert lines[0].startswith("ok   configuration: Socket Mode, one workspace")
    assert lines[1].startswith("FAIL database: at revision none (empty), the latest is ")
    assert lines[1].endswith(": run lead-bot migrate")
    assert lines[2] == ("FAIL slack token: auth.test refused it (invalid_auth): copy the Bot User OAuth Token from "
                        "the app's OAuth & Permissions page into SLACK_BOT_TOKEN")
    assert lines[3].startswith("FAIL app token: apps.connections.open refused it (invalid_auth)")
    assert len(lines) == 4  # nothing asked of Slack with a token it refused
    assert current_revision(empty) is None  # doctor never migrates


def test_a_bad_setting_is_a_failed_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = _doctor(monkeypatch, tmp_path, capsys, PORT="eighty")
    assert status == 2
    assert len(lines) == 1 and lines[0].startswith("FAIL configuration: PORT ")


def test_scopes_without_the_header_fail(db_url: str, emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = _doctor(monkeypatch, tmp_path, capsys, **_env(db_url, emulator))
    assert status == 2
    assert [line for line in lines if line.startswith("FAIL")] == [
        "FAIL scopes: Slack's answer carried no x-oauth-scopes header, so the granted scopes are unknown: check "
        "SLACK_API_URL points at the Slack Web API"]


@pytest.mark.sqlite_only
def test_doctor_checks_the_app_token_in_socket_mode(db_url: str, emulator: SlackEmulator,
                                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    emulator.granted_scopes = list(BOT_SCOPES)
    emulator.socket_mode_url = "ws://127.0.0.1:9/never-dialled"  # doctor asks for a URL, never connects
    status, lines = _doctor(monkeypatch, tmp_path, capsys, **_env(db_url, emulator, SLACK_APP_TOKEN="xapp-test"))
    assert status == 0, lines
    assert lines[0].startswith("ok   configuration: Socket Mode, one workspace")
    assert lines[4] == "ok   app token: Socket Mode: apps.connections.open accepted it"
    [opened] = emulator.calls_to("apps.connections.open")
    assert opened.token == "xapp-test"
