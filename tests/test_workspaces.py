"""Issue 12, item 6: every workspace, Enterprise Grid included; uninstalls; token rotation.

The real Bolt app behind the real HTTP server, installed through the OAuth flow against the
emulator, which can play an Enterprise Grid org (per-workspace or org-wide installs) and hand out
rotating tokens. Sweeps run as ``lead-bot jobs run`` would; time is the FixedClock's.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.config import Settings
from bot.scheduler import runner
from bot.scheduler.sender import ChannelLimiter
from bot.services import workspaces
from bot.store.models import Checkin, Delivery, Person, Workspace
from tests.conftest import TEAM_ID, RunningBot, bot_settings, running_bot
from tests.helpers import bot_environment, open_view, wait_until
from tests.slack_emulator import SlackEmulator

ORG = "E0001"
CLIENT_ID = "111.222"
MONDAY_NUDGE = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # after every default Monday 10:00 slot


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "_LIMITER", ChannelLimiter(0.0))


def oauth_settings(db_url: str, emulator: SlackEmulator) -> Settings:
    return replace(bot_settings(db_url, emulator.url), bot_token=None, client_id=CLIENT_ID,
                   client_secret="oauth-secret", state_secret="state-secret")


@pytest.fixture
def oauth_bot(db_url: str, emulator: SlackEmulator, clock: FixedClock) -> Iterator[RunningBot]:
    with running_bot(oauth_settings(db_url, emulator), emulator, clock) as bot:
        yield bot


def install(bot: RunningBot) -> None:
    """Click "Add to Slack" and come back with a code, as a browser would."""
    with urllib.request.urlopen(bot.url + "/slack/install", timeout=10) as response:
        page = response.read().decode()
        cookie = response.headers["Set-Cookie"].split(";")[0]
    state = re.search(r"state=([^&\"]+)", page)
    assert state, page
    callback = urllib.request.Request(f"{bot.url}/slack/oauth_redirect?code=good&state={state.group(1)}",
                                      headers={"Cookie": cookie})
    with urllib.request.urlopen(callback, timeout=10) as response:
        assert response.status == 200


def nudge(bot: RunningBot) -> dict[str, int]:
    return runner.run_job(bot.ctx, WebClient(base_url=bot.emulator.url), "checkin-nudge", MONDAY_NUDGE)


def uninstalled(bot: RunningBot) -> datetime:
    """When the workspace was marked uninstalled (event listeners run after their ack: wait for it)."""
    return wait_until(lambda: (row := workspace_row(bot)) is not None and row.uninstalled_at)


def installed(bot: RunningBot) -> bool:
    row = workspace_row(bot)
    return row is not None and row.uninstalled_at is None


def workspace_row(bot: RunningBot) -> Workspace | None:
    with bot.ctx.store.session() as session:
        row = session.get(Workspace, TEAM_ID)
        if row is not None:
            session.expunge(row)
        return row


# Enterprise Grid ------------------------------------------------------------------------------------
@pytest.mark.parametrize("org_wide", [False, True], ids=["workspace-install", "org-wide-install"])
def test_a_grid_workspace_gets_its_nudges(oauth_bot: RunningBot, org_wide: bool) -> None:
    bot, emulator = oauth_bot, oauth_bot.emulator
    emulator.enterprise_id, emulator.org_install = ORG, org_wide
    bot.driver.enterprise_id, bot.driver.enterprise_install = ORG, org_wide
    install(bot)
    reply = bot.driver.command("stats", user="U1")  # U1 becomes known, through the org's token
    assert reply.status == 200 and "streak" in reply.body.lower()
    row = workspace_row(bot)
    assert row is not None and (row.enterprise_id, row.enterprise_install) == (ORG, org_wide)

    report = nudge(bot)
    assert (report["sent"], report["failed"]) == (1, 0)
    assert [c.token for c in emulator.calls_to("chat.postMessage")] == ["xoxb-installed-good"]
    assert emulator.messages["U1"][0]["metadata"]["event_payload"]["key"].startswith(f"{TEAM_ID}:U1:checkin-nudge")


def test_a_grid_workspace_learned_from_its_installation_alone(oauth_bot: RunningBot) -> None:
    """The install records the org; a person known before (say, from an older install) is nudged."""
    bot, emulator = oauth_bot, oauth_bot.emulator
    emulator.enterprise_id = ORG
    install(bot)
    from bot.store import people as people_store

    with bot.ctx.store.session() as session:
        people_store.get_or_create_person(session, TEAM_ID, "U2", bot.clock.now())
    assert nudge(bot)["sent"] == 1
    assert [c.args["channel"] for c in emulator.calls_to("chat.postMessage")] == ["U2"]


def test_lead_team_channel_is_for_single_workspace_installs_only(db_url: str, emulator: SlackEmulator) -> None:
    single = bot_settings(db_url, emulator.url, team_channel="CTEAM")
    assert single.default_team_channel == "CTEAM"
    assert oauth_settings(db_url, emulator).default_team_channel is None


# uninstalls -----------------------------------------------------------------------------------------
def test_an_uninstalled_workspace_gets_nothing_at_once(bot: RunningBot) -> None:
    assert bot.driver.command("stats", user="U1").status == 200
    assert bot.driver.command(f"win Shipped it {time.time()}", user="U1").status == 200
    # A revoked user token alone changes nothing: the bot sends with its bot token.
    assert bot.driver.event({"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}}).status == 200
    time.sleep(0.3)  # its listener runs after the ack; it must have changed nothing
    assert installed(bot)

    assert bot.driver.event({"type": "app_uninstalled"}).status == 200
    assert uninstalled(bot) == bot.clock.now()
    posted = len(bot.emulator.calls_to("chat.postMessage"))
    for job, at in (("checkin-nudge", MONDAY_NUDGE), ("team-digest", datetime(2026, 11, 27, 16, 30, tzinfo=UTC))):
        report = runner.run_job(bot.ctx, WebClient(token="xoxb-test", base_url=bot.emulator.url), job, at)
        assert report["due"] == 0, job
    assert len(bot.emulator.calls_to("chat.postMessage")) == posted
    assert runner.next_runs(bot.ctx)  # the operator's view still works, with nobody due


def test_revoking_the_bot_token_in_an_oauth_install_stops_it_and_forgets_the_token(oauth_bot: RunningBot) -> None:
    bot = oauth_bot
    install(bot)
    assert bot.driver.command("stats", user="U1").status == 200
    assert bot.driver.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}).status == 200
    store = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=bot.ctx.store.engine)
    wait_until(lambda: store.find_bot(enterprise_id=None, team_id=TEAM_ID) is None)
    assert uninstalled(bot) == bot.clock.now()
    assert nudge(bot)["due"] == 0 and not bot.emulator.calls_to("chat.postMessage")

    install(bot)  # installed again: things go out again
    assert installed(bot)
    assert nudge(bot)["sent"] == 1


def _counts(bot: RunningBot) -> dict[str, int]:
    with bot.ctx.store.session() as session:
        return {name: int(session.scalar(select(func.count()).select_from(model).where(model.team_id == TEAM_ID)
                                         if hasattr(model, "team_id") else select(func.count()).select_from(model))
                          or 0)
                for name, model in (("workspaces", Workspace), ("people", Person), ("deliveries", Delivery),
                                    ("checkins", Checkin))}


def _with_data(bot: RunningBot) -> None:
    view = open_view(bot, "checkin")
    bot.driver.submit(view, {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2",
                             "rating_progress": "3", "minutes": "30", "reflection": "fine"})
    runner.run_job(bot.ctx, WebClient(token="xoxb-test", base_url=bot.emulator.url), "checkin-nudge", MONDAY_NUDGE)
    counts = _counts(bot)
    assert all(counts.values()), counts


def test_an_uninstalled_workspaces_data_goes_after_the_grace_period(bot: RunningBot) -> None:
    _with_data(bot)
    assert bot.driver.event({"type": "app_uninstalled"}).status == 200
    uninstalled(bot)
    bot.clock.set(bot.clock.now() + workspaces.GRACE_PERIOD - timedelta(hours=1))
    assert runner.prune(bot.ctx)["workspaces"] == 0  # the hourly prune job, as the scheduler runs it
    assert _counts(bot)["people"] == 1
    bot.clock.set(bot.clock.now() + timedelta(hours=2))
    assert runner.prune(bot.ctx)["workspaces"] == 1
    assert _counts(bot) == {"workspaces": 0, "people": 0, "deliveries": 0, "checkins": 0}


def _cli(bot: RunningBot, *args: str) -> subprocess.CompletedProcess[str]:
    env = bot_environment(bot.ctx.settings.database_url, bot.emulator.url)
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=60)


def test_forget_workspace_deletes_its_rows_at_once(bot: RunningBot) -> None:
    _with_data(bot)
    result = _cli(bot, "forget-workspace", TEAM_ID)
    assert result.returncode == 0, result.stderr
    assert _counts(bot) == {"workspaces": 0, "people": 0, "deliveries": 0, "checkins": 0}
    for bad in ("not-a-team", TEAM_ID):  # a malformed id, then one no longer known
        result = _cli(bot, "forget-workspace", bad)
        assert result.returncode == 2 and result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("lead-bot: TEAM_ID "), result.stderr


# token rotation -------------------------------------------------------------------------------------
def test_a_rotated_token_is_refreshed_for_sweeps_and_requests(oauth_bot: RunningBot) -> None:
    bot, emulator = oauth_bot, oauth_bot.emulator
    emulator.token_rotation = True
    emulator.token_lifetime = 60  # expires within the refresh margin: the next use refreshes it
    install(bot)
    first = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=bot.ctx.store.engine).find_bot(
        enterprise_id=None, team_id=TEAM_ID)
    assert first is not None and first.bot_token.startswith("xoxe.xoxb-") and first.bot_refresh_token

    assert bot.driver.command("stats", user="U1").status == 200  # Bolt refreshes it through SLACK_API_URL
    refreshes = [c for c in emulator.calls_to("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 1 and refreshes[0].args["refresh_token"] == first.bot_refresh_token
    assert first.bot_token not in {c.token for c in emulator.calls_to("users.info")}

    report = nudge(bot)  # the scheduler's client refreshes the token it reads, too
    assert report["sent"] == 1
    refreshes = [c for c in emulator.calls_to("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 2
    latest = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=bot.ctx.store.engine).find_bot(
        enterprise_id=None, team_id=TEAM_ID)
    assert latest is not None and latest.bot_token not in (first.bot_token,)
    assert [c.token for c in emulator.calls_to("chat.postMessage")] == [latest.bot_token]


def test_a_token_far_from_expiry_is_used_as_it_is(oauth_bot: RunningBot) -> None:
    bot, emulator = oauth_bot, oauth_bot.emulator
    emulator.token_rotation = True  # 12 hours: well outside the refresh margin
    install(bot)
    assert nudge(bot)["due"] == 0  # nobody known yet
    assert bot.driver.command("stats", user="U1").status == 200
    assert nudge(bot)["sent"] == 1
    assert not [c for c in emulator.calls_to("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]
