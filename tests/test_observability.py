"""Issue 12, item 5: one log line per request (text and JSON), /metrics, and the health port.

Requests go through the real HTTP front and Bolt app against the emulator. The log line names
what arrived, never what a person wrote: a secret phrase sent as command text and as a modal
answer appears in no record. ``/metrics`` is scraped before and after, and must move.
"""

from __future__ import annotations

import io
import json
import logging
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk import WebClient

from bot import logs
from bot.slack.requestlog import describe
from tests.conftest import RunningBot
from tests.helpers import bot_environment as environment
from tests.helpers import open_view, wait_until
from tests.private_postgres import free_port
from tests.slack_emulator import SlackEmulator

SECRET = "SECRET-the-reorg-is-on-friday"
REQUEST_LOGGER = "lead-bot.requests"


def scrape(bot: RunningBot) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    reply = bot.driver.get("/metrics")
    assert reply.status == 200
    return parse(reply.body)


def parse(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_move_when_requests_arrive(bot: RunningBot) -> None:
    before = scrape(bot)
    assert bot.driver.command("stats").status == 200
    assert bot.driver.command("help").status == 200
    assert bot.driver.event({"type": "app_home_opened", "user": "U1", "tab": "home"}).status == 200
    assert bot.driver.post(b"{}", "application/json", signature="v0=forged").status == 401
    after = scrape(bot)
    assert value(after, "lead_requests_total", kind="command", outcome="ok") - \
        value(before, "lead_requests_total", kind="command", outcome="ok") == 2
    assert value(after, "lead_requests_total", kind="event", outcome="ok") - \
        value(before, "lead_requests_total", kind="event", outcome="ok") == 1
    assert value(after, "lead_requests_total", kind="unknown", outcome="refused") - \
        value(before, "lead_requests_total", kind="unknown", outcome="refused") == 1
    assert value(after, "lead_ack_seconds_count", kind="command") - \
        value(before, "lead_ack_seconds_count", kind="command") == 2
    assert value(after, "lead_ack_seconds_bucket", kind="command", le="+Inf") >= 2
    assert ("lead_ledger_backlog", ()) in after


def test_scheduled_sends_429s_and_sweeps_are_counted(bot: RunningBot) -> None:
    from datetime import UTC, datetime

    from bot.scheduler import runner

    assert bot.driver.command("stats", user="U1").status == 200  # U1 becomes known
    before = scrape(bot)
    bot.emulator.rate_limit_first_attempt("chat.postMessage", retry_after=0)
    report = runner.run_job(bot.ctx, WebClient(token="xoxb-test", base_url=bot.emulator.url), "checkin-nudge",
                            datetime(2026, 11, 23, 10, 30, tzinfo=UTC))
    assert report["sent"] == 1
    after = scrape(bot)
    assert value(after, "lead_scheduled_sends_total", job="checkin-nudge", outcome="sent") - \
        value(before, "lead_scheduled_sends_total", job="checkin-nudge", outcome="sent") == 1
    assert value(after, "lead_slack_rate_limited_total", method="chat.postMessage") - \
        value(before, "lead_slack_rate_limited_total", method="chat.postMessage") == 1
    assert value(after, "lead_sweep_seconds_count", job="checkin-nudge") - \
        value(before, "lead_sweep_seconds_count", job="checkin-nudge") == 1


def _request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == REQUEST_LOGGER]


def test_one_request_line_per_request_names_what_arrived_and_never_the_text(
        bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert bot.driver.command(f"win {SECRET}").status == 200
    assert bot.driver.command(SECRET).status == 200  # not a subcommand: named "unknown"
    view = open_view(bot, "checkin")
    reply = bot.driver.submit(view, {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2",
                                     "rating_progress": "3", "minutes": "30", "reflection": SECRET})
    assert reply.status == 200
    bot.driver.click("goal_archive", user="U1", value="999")
    wait_until(lambda: len(_request_records(caplog)) >= 5)
    records = _request_records(caplog)
    fields = [r.fields for r in records]  # type: ignore[attr-defined]
    assert [(f["kind"], f["name"]) for f in fields] == [
        ("command", "win"), ("command", "unknown"), ("command", "checkin"), ("view", view["callback_id"]),
        ("action", "goal_archive")]
    for f in fields:
        assert f["status"] == 200 and f["team"] == "T0001" and f["outcome"] == "ok"
        assert isinstance(f["ms"], float) and 0 <= f["ms"] < 3000
    text_line = records[0].getMessage()
    assert re.fullmatch(r"command win 200 \d+\.\dms team T0001", text_line), text_line
    json_line = json.loads(logs.JsonFormatter().format(records[0]))
    assert {"time", "level", "logger", "message"} <= set(json_line)
    assert (json_line["kind"], json_line["name"], json_line["status"], json_line["team"]) == (
        "command", "win", 200, "T0001")
    everything = "\n".join(logs.JsonFormatter().format(r) for r in caplog.records)
    everything += "\n".join(r.getMessage() for r in caplog.records)
    assert SECRET not in everything and "reorg" not in everything


def test_describe_names_each_kind_without_free_text() -> None:
    assert describe({"command": "/lead", "text": "pause 2", "team_id": "T1"}).name == "pause"
    assert describe({"command": "/lead", "text": "", "team_id": "T1"}).name == "help"
    assert describe({"type": "event_callback", "team_id": "T1", "event": {"type": "app_uninstalled"}}) \
        .kind == "event"
    assert describe({"type": "block_suggestion", "action_id": "person", "team": {"id": "T1"}}).kind == "options"
    odd = describe({"type": "block_actions", "actions": [{"action_id": f"free text {SECRET}"}], "team": {"id": "T1"}})
    assert odd.name == "unknown"


def test_json_format_is_one_object_per_line_and_library_noise_is_gone() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        logs.configure("json", stream)
        logs.line(logging.getLogger("lead-bot"), "hello %s", "there", answer=42)
        logging.getLogger("apscheduler.executors.default").info('Running job "checkin-nudge"')
        logging.getLogger("slack_bolt.App").warning("As you gave `client` as well, `token` will be unused.")
        logging.getLogger("apscheduler.executors.default").error("a job failed")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    lines = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert [(line["message"], line["level"]) for line in lines] == [("hello there", "info"), ("a job failed", "error")]
    assert lines[0]["answer"] == 42 and lines[0]["logger"] == "lead-bot"


@pytest.mark.sqlite_only
def test_the_worker_serves_health_and_metrics_on_the_health_port(
        db_url: str, emulator: SlackEmulator, tmp_path: Path) -> None:
    port = free_port()
    env = environment(db_url, emulator.url, LEAD_HEALTH_PORT=str(port), LOG_FORMAT="json")
    worker = subprocess.Popen([sys.executable, "-m", "bot", "worker"], cwd=tmp_path, env=env,
                              stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in worker.stderr or []], daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        while not any('"event": "start"' in line for line in seen):
            seen.append(lines.get(timeout=30))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200 and json.loads(response.read()) == {"status": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            body = response.read().decode()
        assert response.status == 200 and "lead_ledger_backlog 0.0" in body and "lead_requests_total" in body
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        reader.join(timeout=10)
        while not lines.empty():
            seen.append(lines.get())
    parsed = [json.loads(line) for line in seen if line.strip()]  # every line is one JSON object
    start = next(line for line in parsed if line.get("event") == "start")
    assert (start["mode"], start["store"], start["scheduler"]) == ("worker", "sqlite", True)
    assert start["version"] and start["level"] == "info"
    assert not any("will be unused" in line["message"] or "Running job" in line["message"] for line in parsed)


def test_log_format_and_health_port_are_checked() -> None:
    from bot.config import ConfigError, load_settings

    settings = load_settings({"LOG_FORMAT": "JSON", "LEAD_HEALTH_PORT": "9102"})
    assert (settings.log_format, settings.health_port) == ("json", 9102)
    assert (load_settings({}).log_format, load_settings({}).health_port) == ("text", None)
    for variable, bad in (("LOG_FORMAT", "xml"), ("LEAD_HEALTH_PORT", "ninety"), ("LEAD_HEALTH_PORT", "70000")):
        with pytest.raises(ConfigError) as raised:
            load_settings({variable: bad})
        assert raised.value.variable == variable
