"""Helpers the end-to-end test modules share: waiting, opening modals, reading what the bot sent."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.store.models import Person, Workspace
from tests.conftest import SIGNING_SECRET, TEAM_CHANNEL, TEAM_ID, RunningBot
from tests.slack_emulator import SlackEmulator


def wait_until(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll ``check`` until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)
    return result


def open_view(bot: RunningBot, text: str, user: str = "U1", *, callback_id: str | None = None,
              empty_reply: bool = False) -> dict:
    """Run ``/lead {text}`` and return the modal it opened.

    ``callback_id`` also checks which modal it is; ``empty_reply`` that the command answered with
    an empty body (nothing but the modal).
    """
    before = len(bot.emulator.calls_to("views.open"))
    reply = bot.driver.command(text, user=user)
    assert reply.status == 200
    if empty_reply:
        assert reply.body == ""
    call = bot.emulator.wait_for("views.open", before + 1)[-1]
    assert call.status == 200
    # Modals first: what the command stores (the person, or for config the workspace) is written
    # just after the modal opened; a test looks at the database once it is there.
    wait_until(lambda: _stored_after_opening(bot, text, user))
    view = bot.emulator.opened_views[-1]
    if callback_id is not None:
        assert view["callback_id"] == callback_id
    return view


def _stored_after_opening(bot: RunningBot, text: str, user: str) -> bool:
    with bot.ctx.store.read() as session:
        if text.split()[0] == "config":
            return session.get(Workspace, TEAM_ID) is not None
        return session.scalar(select(Person.id).where(Person.user_id == user)) is not None


def block(view: dict, block_id: str) -> dict:
    """The block of ``view`` with that block id."""
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def element(view: dict, block_id: str) -> dict:
    """The element of the input block with that block id."""
    return block(view, block_id)["element"]


def team_posts(bot: RunningBot) -> list[dict]:
    return list(bot.emulator.messages.get(TEAM_CHANNEL, []))


def responses_after(bot: RunningBot, count: int) -> dict:
    """The response_url post number ``count`` (1-based), once it has arrived."""
    wait_until(lambda: len(bot.emulator.responses) >= count)
    return bot.emulator.responses[count - 1]


def cli_export(bot: RunningBot, user: str) -> subprocess.CompletedProcess:
    """``python -m bot export USER`` against the bot's database."""
    env = {**os.environ, "DATABASE_URL": bot.ctx.settings.database_url}
    return subprocess.run([sys.executable, "-m", "bot", "export", user], env=env, capture_output=True, text=True,
                          timeout=60)


def keys_sent(emulator: SlackEmulator) -> Counter[str]:
    """How many messages in Slack carry each delivery key (DMs counted once, not as U… and DU…)."""
    counts: Counter[str] = Counter()
    for channel, messages in emulator.messages.items():
        if channel.startswith("DU"):
            continue
        for message in messages:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == "lead_delivery":
                counts[metadata["event_payload"]["key"]] += 1
    return counts


ROOT = Path(__file__).resolve().parents[1]
LISTENING = re.compile(r"serving Slack requests on http://127\.0\.0\.1:(\d+)/slack/events")


def bot_environment(db_url: str, api_url: str, **extra: str) -> dict[str, str]:
    """A ``lead-bot`` process's environment: this checkout's code, test tokens, nothing inherited that configures it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAD_", "DATABASE_URL", "PORT"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": api_url,
                "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT), **extra})
    return env


class BotProcess:
    """A ``python -m bot ...`` process whose stderr is read line by line as it comes (a full pipe would stall it)."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=cwd, env=env,
                                        stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        stream = self.process.stderr
        assert stream is not None
        self._reader = threading.Thread(target=lambda: [self._queue.put(line) for line in stream], daemon=True)
        self._reader.start()

    def wait_for_line(self, pattern: re.Pattern[str], timeout: float = 30) -> re.Match[str]:
        """The first match of ``pattern`` in the lines still to come; every line read is kept in ``lines``."""
        deadline = time.monotonic() + timeout
        while True:
            self.lines.append(self._queue.get(timeout=max(0.0, deadline - time.monotonic())))
            if match := pattern.search(self.lines[-1]):
                return match

    def listening_port(self) -> int:
        return int(self.wait_for_line(LISTENING).group(1))

    def stop(self, timeout: float = 20) -> int:
        """SIGTERM, then the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=10)  # stderr is closed once the process is gone: every line gets read
        while not self._queue.empty():
            self.lines.append(self._queue.get())

    @property
    def stderr(self) -> str:
        return "".join(self.lines)


@contextmanager
def bot_process(args: list[str], env: dict[str, str], cwd: Path) -> Iterator[BotProcess]:
    """Run ``lead-bot ARGS``; on the way out it is killed if still running and all of its stderr is in ``lines``."""
    process = BotProcess(args, env, cwd)
    try:
        yield process
    finally:
        process.close()
