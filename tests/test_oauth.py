"""Multi-workspace install ("Add to Slack"): the OAuth flow through SLACK_API_URL, then a command."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import replace

from bot.clock import FixedClock
from tests.conftest import bot_settings, running_bot
from tests.slack_emulator import SlackEmulator


def test_install_then_use_the_installed_token(db_url: str, emulator: SlackEmulator, clock: FixedClock) -> None:
    settings = replace(bot_settings(db_url, emulator.url), bot_token=None, client_id="111.222",
                       client_secret="oauth-secret", state_secret="state-secret")
    with running_bot(settings, emulator, clock) as bot:
        with urllib.request.urlopen(bot.url + "/slack/install", timeout=10) as response:
            page = response.read().decode()
            # Bolt's state cookie is Secure; a browser on https would send it back, so do that.
            cookie = response.headers["Set-Cookie"].split(";")[0]
        link = re.search(r'href="([^"]*/oauth/v2/authorize[^"]*)"', page)
        assert link, page
        authorize = link.group(1).replace("&amp;", "&")
        assert authorize.startswith("http://127.0.0.1:") and "/oauth/v2/authorize?" in authorize
        assert "client_id=111.222" in authorize and "commands" in authorize
        state = re.search(r"state=([^&]+)", authorize).group(1)
        callback = urllib.request.Request(f"{bot.url}/slack/oauth_redirect?code=good&state={state}",
                                          headers={"Cookie": cookie})
        with urllib.request.urlopen(callback, timeout=10) as response:
            assert response.status == 200
        exchange = emulator.calls_to("oauth.v2.access")
        assert len(exchange) == 1 and exchange[0].args["code"] == "good"

        reply = bot.driver.command("stats", user="U1")
        assert reply.status == 200 and "streak" in reply.body.lower()
        tokens = {c.token for c in emulator.calls_to("users.info")}
        assert tokens == {"xoxb-installed-good"}


def test_install_with_a_forged_state_is_refused(db_url: str, emulator: SlackEmulator, clock: FixedClock) -> None:
    settings = replace(bot_settings(db_url, emulator.url), bot_token=None, client_id="111.222",
                       client_secret="oauth-secret", state_secret="state-secret")
    with running_bot(settings, emulator, clock) as bot:
        try:
            urllib.request.urlopen(f"{bot.url}/slack/oauth_redirect?code=good&state=forged", timeout=10)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status >= 400
        assert not emulator.calls_to("oauth.v2.access")
        # With no installation stored, Bolt cannot authorize a request from this workspace.
        reply = bot.driver.command("stats")
        assert "streak" not in reply.body.lower()
        assert not emulator.calls_to("users.info")
