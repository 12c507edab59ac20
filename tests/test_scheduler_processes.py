"""The scheduler as operators run it: ``lead-bot jobs …`` and ``lead-bot worker`` as real processes.

Each test starts ``python -m bot`` from the repository with its configuration in the
environment, against the Slack emulator, and looks at what reached Slack and the ledger.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from bot.coaching.schedule import DAYS
from bot.config import normalize_database_url
from bot.scheduler.registry import JOB_NAMES, every_week, job_named
from bot.store import people as people_store
from bot.store.db import Store
from bot.store.models import Delivery
from tests.conftest import POSTGRES_ADMIN_URL, TEAM_CHANNEL, TEAM_ID, _truncate_postgres
from tests.helpers import keys_sent, wait_until
from tests.slack_emulator import SlackEmulator

ROOT = Path(__file__).resolve().parents[1]
UTC = UTC
MONDAY_0930 = "2026-11-23T09:30:00Z"  # 10:30 in Berlin: everybody's check-in nudge is due


# helpers -------------------------------------------------------------------------------------------
def bot_env(db_url: str, emulator: SlackEmulator, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAD_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": db_url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": emulator.url,
                "LEAD_TEAM_CHANNEL": TEAM_CHANNEL, "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


class LeadBot:
    """One ``python -m bot …`` process with its output in files (a pipe nobody reads can fill up)."""

    def __init__(self, args: list[str], env: dict[str, str], logs: Path) -> None:
        logs.mkdir(parents=True, exist_ok=True)
        name = "-".join(args[:2]) + f"-{time.monotonic_ns()}"
        self.out_path, self.err_path = logs / f"{name}.out", logs / f"{name}.err"
        self._out: IO[str] = self.out_path.open("w")
        self._err: IO[str] = self.err_path.open("w")
        self.process = subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env,
                                        stdout=self._out, stderr=self._err, text=True)

    def wait(self, timeout: float = 60) -> int:
        code = self.process.wait(timeout=timeout)
        self._out.close()
        self._err.close()
        return code

    @property
    def stdout(self) -> str:
        return self.out_path.read_text()

    @property
    def stderr(self) -> str:
        return self.err_path.read_text()

    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout.strip().splitlines()[-1])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.wait()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[list[LeadBot]]:
    started: list[LeadBot] = []
    yield started
    for process in started:
        process.stop()


def start(processes: list[LeadBot], tmp_path: Path, env: dict[str, str], *args: str) -> LeadBot:
    process = LeadBot(list(args), env, tmp_path / "logs")
    processes.append(process)
    return process


def add_people(store: Store, count: int, tz: str = "Europe/Berlin", slots: dict[str, str] | None = None) -> list[str]:
    users = [f"U{n:04d}" for n in range(count)]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with store.session() as session:
        for user in users:
            person = people_store.get_or_create_person(session, TEAM_ID, user, now)
            people_store.update_person(session, person.id, slack_tz=tz, display_name=f"{user} Example",
                                       slots=dict(slots or {}))
    return users


def statuses(store: Store) -> Counter[str]:
    with store.session() as session:
        return Counter(session.scalars(select(Delivery.status)))


def due_now() -> tuple[str, dict[str, str]]:
    """A zone and a check-in slot that are due at the real current time, hours from local midnight.

    Workers run on the system clock; this lets a worker test have people due without waiting.
    """
    now = datetime.now(UTC)
    for tz in ("UTC", "Asia/Tokyo", "America/New_York", "Asia/Kolkata", "America/Los_Angeles", "Pacific/Auckland"):
        local = now.astimezone(ZoneInfo(tz))
        if 1 <= local.hour <= 21:
            return tz, {"checkin-nudge": f"{DAYS[local.weekday()]} 00:00"}
    raise AssertionError("no zone is between 01:00 and 22:00 right now")  # pragma: no cover


@pytest.fixture
def pg_url(postgres_database: str) -> str:
    _truncate_postgres(postgres_database)
    return postgres_database


# exactly once across crashes and processes ---------------------------------------------------------------
def test_a_sweep_killed_mid_flight_and_rerun_after_the_claim_timeout_delivers_each_nudge_once(
        store: Store, db_url: str, emulator: SlackEmulator, tmp_path: Path, processes: list[LeadBot]) -> None:
    users = add_people(store, 16)
    env = bot_env(db_url, emulator, LEAD_CLAIM_TIMEOUT_SECONDS="2")
    # Slack stores each post at once and answers 2 s later: the first batch lands, the kill comes
    # long before the second batch could, even on a loaded machine.
    emulator.set_delay("chat.postMessage", 2.0)
    first = start(processes, tmp_path, env, "jobs", "run", "checkin-nudge", "--at", MONDAY_0930)
    emulator.wait_for("chat.postMessage", 4, timeout=60)
    first.process.send_signal(signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL
    killed_at = time.monotonic()
    # A post the process wrote to its socket just before dying can still reach the emulator a
    # moment later; let those land before taking the snapshot the assertions compare against.
    time.sleep(1.0)
    landed = keys_sent(emulator)
    before = statuses(store)
    with store.session() as session:
        in_doubt = {f"{d.team_id}:{d.recipient}:{d.item}:{d.week}"
                    for d in session.scalars(select(Delivery).where(Delivery.status == "claimed"))}
    # Killed mid-sweep: some people have their message, and some of those are still only
    # "claimed" in the ledger (Slack took the post, the process died before recording it).
    assert 4 <= len(landed) < len(users) and in_doubt & set(landed)
    emulator.set_delay("chat.postMessage", 0)

    time.sleep(max(0.0, killed_at + 2.2 - time.monotonic()))
    second = start(processes, tmp_path, env, "jobs", "run", "checkin-nudge", "--at", MONDAY_0930)
    assert second.wait() == 0, second.stderr
    report = second.report()
    # Every claim in doubt whose post had landed was taken over, found in the DM and recorded
    # without a second post; the rest were sent now.
    assert report["recovered"] == len(in_doubt & set(landed))
    assert report["sent"] == len(users) - before["sent"]
    assert keys_sent(emulator) == Counter({f"{TEAM_ID}:{u}:checkin-nudge:2026-W48": 1 for u in users})
    assert statuses(store) == Counter({"sent": len(users)})
    # Nobody got the nudge twice, so every post that reached Slack is one of the 16.
    assert len(emulator.calls_to("chat.postMessage")) == len(users)


def test_two_processes_started_together_on_postgresql_deliver_each_nudge_once(
        pg_url: str, emulator: SlackEmulator, tmp_path: Path, processes: list[LeadBot]) -> None:
    store = Store.from_url(pg_url)
    try:
        users = add_people(store, 40)
        emulator.set_delay("chat.postMessage", 0.3)  # long enough for the two sweeps to overlap
        env = bot_env(pg_url, emulator)
        runs = [start(processes, tmp_path, env, "jobs", "run", "checkin-nudge", "--at", MONDAY_0930)
                for _ in range(2)]
        assert [run.wait() for run in runs] == [0, 0], [run.stderr for run in runs]
        reports = [run.report() for run in runs]
        assert min(r["due"] for r in reports) > 0  # both saw work to do at the same time
        assert sum(r["sent"] for r in reports) == len(users)
        assert keys_sent(emulator) == Counter({f"{TEAM_ID}:{u}:checkin-nudge:2026-W48": 1 for u in users})
        assert len(emulator.calls_to("chat.postMessage")) == len(users)
        assert statuses(store) == Counter({"sent": len(users)})
    finally:
        store.dispose()


def test_two_workers_on_postgresql_deliver_each_nudge_once_and_stop_on_sigterm(
        pg_url: str, emulator: SlackEmulator, tmp_path: Path, processes: list[LeadBot]) -> None:
    store = Store.from_url(pg_url)
    try:
        tz, slots = due_now()
        users = add_people(store, 40, tz, slots)
        emulator.set_delay("chat.postMessage", 0.1)
        env = bot_env(pg_url, emulator)
        workers = [start(processes, tmp_path, env, "worker") for _ in range(2)]
        emulator.wait_for("chat.postMessage", len(users), timeout=60)
        deadline = time.monotonic() + 30
        while statuses(store)["sent"] < len(users) and time.monotonic() < deadline:
            time.sleep(0.1)
        for worker in workers:
            worker.process.send_signal(signal.SIGTERM)
        assert [worker.wait(timeout=20) for worker in workers] == [0, 0]
        assert keys_sent(emulator) == Counter({f"{TEAM_ID}:{u}:checkin-nudge:{_week(tz)}": 1 for u in users})
        assert len(emulator.calls_to("chat.postMessage")) == len(users)
        assert statuses(store) == Counter({"sent": len(users)})
        assert all("Traceback" not in worker.stderr for worker in workers)
    finally:
        store.dispose()


def _week(tz: str) -> str:
    year, week, _ = datetime.now(UTC).astimezone(ZoneInfo(tz)).date().isocalendar()
    return f"{year:04d}-W{week:02d}"


# scale-out: one leader, any number of senders ----------------------------------------------------------
LEADS = "this process now leads the sweeps"
FAST = {"LEAD_SEND_RATE": "1000", "LEAD_SEND_BURST": "1000", "LEAD_SWEEP_CHUNK": "8"}


def _wait_all_sent(store: Store, count: int, timeout: float = 90) -> None:
    wait_until(lambda: statuses(store)["sent"] >= count, timeout=timeout)


@pytest.mark.parametrize("workers_count", [2, 3])
def test_several_workers_deliver_each_nudge_once_with_one_leader(
        store: Store, db_url: str, emulator: SlackEmulator, tmp_path: Path, processes: list[LeadBot],
        workers_count: int) -> None:
    tz, slots = due_now()
    users = add_people(store, 40, tz, slots)
    emulator.set_delay("chat.postMessage", 0.05)
    env = bot_env(db_url, emulator, **FAST)
    workers = [start(processes, tmp_path, env, "worker") for _ in range(workers_count)]
    _wait_all_sent(store, len(users))
    for worker in workers:
        worker.process.send_signal(signal.SIGTERM)
    assert [worker.wait(timeout=30) for worker in workers] == [0] * workers_count, [w.stderr for w in workers]
    assert keys_sent(emulator) == Counter({f"{TEAM_ID}:{u}:checkin-nudge:{_week(tz)}": 1 for u in users})
    assert len(emulator.calls_to("chat.postMessage")) == len(users)
    assert statuses(store) == Counter({"sent": len(users)})
    assert sum(LEADS in worker.stderr for worker in workers) == 1  # the others stood by
    assert all("Traceback" not in worker.stderr for worker in workers)


def test_a_sigkilled_leader_is_replaced_by_a_standby_and_each_nudge_still_lands_once(
        store: Store, db_url: str, emulator: SlackEmulator, tmp_path: Path, processes: list[LeadBot]) -> None:
    tz, slots = due_now()
    users = add_people(store, 30, tz, slots)
    # Slack stores each post at once and answers 1 s later: the leader dies with posts landed
    # but not recorded, and with chunks still queued.
    emulator.set_delay("chat.postMessage", 1.0)
    env = bot_env(db_url, emulator, LEAD_CLAIM_TIMEOUT_SECONDS="2", **FAST)
    leader = start(processes, tmp_path, env, "worker")
    wait_until(lambda: LEADS in leader.stderr, timeout=60)
    standby = start(processes, tmp_path, env, "worker")
    wait_until(lambda: "scheduler started" in standby.stderr, timeout=60)
    emulator.wait_for("chat.postMessage", 3, timeout=60)
    leader.process.send_signal(signal.SIGKILL)
    assert leader.wait() == -signal.SIGKILL
    emulator.set_delay("chat.postMessage", 0)
    _wait_all_sent(store, len(users))
    standby.process.send_signal(signal.SIGTERM)
    assert standby.wait(timeout=30) == 0, standby.stderr
    assert LEADS in standby.stderr and "Traceback" not in standby.stderr
    assert keys_sent(emulator) == Counter({f"{TEAM_ID}:{u}:checkin-nudge:{_week(tz)}": 1 for u in users})
    assert len(emulator.calls_to("chat.postMessage")) == len(users)
    assert statuses(store) == Counter({"sent": len(users)})


@pytest.mark.postgres
def test_a_worker_that_loses_its_database_exits_non_zero_with_one_line(
        emulator: SlackEmulator, tmp_path: Path, processes: list[LeadBot]) -> None:
    admin_url = normalize_database_url(POSTGRES_ADMIN_URL)
    name = f"leadbot_lost_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        worker = start(processes, tmp_path, bot_env(url, emulator), "worker")
        wait_until(lambda: LEADS in worker.stderr, timeout=60)
        with admin.connect() as connection:  # the database goes away under the running worker
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        assert worker.wait(timeout=90) == 1
        lines = [line for line in worker.stderr.splitlines() if "database cannot be reached" in line]
        assert len(lines) == 1 and "DATABASE_URL" in lines[0], worker.stderr
        assert "Traceback" not in worker.stderr
    finally:
        admin.dispose()


# operating it -------------------------------------------------------------------------------------
def test_jobs_list_prints_each_job_and_its_next_send(store: Store, db_url: str, emulator: SlackEmulator,
                                                     tmp_path: Path, processes: list[LeadBot]) -> None:
    add_people(store, 1, "Asia/Tokyo")
    listing = start(processes, tmp_path, bot_env(db_url, emulator), "jobs", "list")
    assert listing.wait() == 0, listing.stderr
    lines = [line.split("\t") for line in listing.stdout.strip().splitlines()]
    assert [name for name, _ in lines] == list(JOB_NAMES)
    now = datetime.now(UTC)
    for name, when in lines:
        moment = datetime.fromisoformat(when)
        # A weekly job sends within a week; one that skips weeks (the monthly picture) within six.
        horizon = timedelta(days=7) if job_named(name).runs_in is every_week else timedelta(weeks=6)
        assert moment.tzinfo is not None and now - timedelta(minutes=5) <= moment <= now + horizon, name
    tokyo = dict(lines)
    local = datetime.fromisoformat(tokyo["upskilling-prompt"]).astimezone(ZoneInfo("Asia/Tokyo"))
    assert (local.weekday(), local.hour, local.minute) == (2, 10, 0) or \
        datetime.fromisoformat(tokyo["upskilling-prompt"]) <= now + timedelta(minutes=5)


def test_jobs_run_prints_its_report_and_honours_the_ledger(
        store: Store, db_url: str, emulator: SlackEmulator, tmp_path: Path, processes: list[LeadBot]) -> None:
    users = add_people(store, 3)
    env = bot_env(db_url, emulator)
    first = start(processes, tmp_path, env, "jobs", "run", "checkin-nudge", "--at", MONDAY_0930)
    assert first.wait() == 0, first.stderr
    assert (first.report()["due"], first.report()["sent"]) == (3, 3)
    again = start(processes, tmp_path, env, "jobs", "run", "checkin-nudge", "--at", "2026-11-23T20:00:00+00:00")
    assert again.wait() == 0
    assert (again.report()["due"], again.report()["sent"]) == (0, 0)
    assert sum(keys_sent(emulator).values()) == len(users)
    unknown = start(processes, tmp_path, env, "jobs", "run", "weekly-party")
    assert unknown.wait() == 2 and "weekly-party" in unknown.stderr and "Traceback" not in unknown.stderr


def test_a_worker_stops_gracefully_on_sigterm_finishing_posts_in_flight(
        store: Store, db_url: str, emulator: SlackEmulator, tmp_path: Path, processes: list[LeadBot]) -> None:
    tz, slots = due_now()
    users = add_people(store, 20, tz, slots)
    emulator.set_delay("chat.postMessage", 1.5)
    worker = start(processes, tmp_path, bot_env(db_url, emulator), "worker")
    emulator.wait_for("chat.postMessage", 1, timeout=60)  # the first sweep is posting
    with store.session() as session:  # the jobs live in memory: nothing about them is stored
        assert "apscheduler_jobs" not in inspect(session.connection()).get_table_names()
    stopped_at = time.monotonic()
    worker.process.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=15) == 0, worker.stderr
    assert time.monotonic() - stopped_at < 6
    assert "Traceback" not in worker.stderr and "stopping" in worker.stderr
    # Posts in flight were finished and recorded; no new ones started; nothing left claimed.
    posted = len(emulator.calls_to("chat.postMessage"))
    assert 1 <= posted < len(users)
    assert statuses(store) == Counter({"sent": posted})


def _tgkill(pid: int, tid: int, signum: int) -> None:
    """Send ``signum`` to one thread of another process, as the kernel may route a process's signal."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.tgkill(pid, tid, signum) != 0:
        raise OSError(ctypes.get_errno(), f"tgkill({pid}, {tid}) failed")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="threads are addressed through /proc and tgkill")
def test_a_worker_stops_whichever_of_its_threads_gets_the_sigterm_and_however_often(
        store: Store, db_url: str, emulator: SlackEmulator, tmp_path: Path, processes: list[LeadBot]) -> None:
    tz, slots = due_now()
    users = add_people(store, 20, tz, slots)
    emulator.set_delay("chat.postMessage", 1.5)
    worker = start(processes, tmp_path, bot_env(db_url, emulator), "worker")
    emulator.wait_for("chat.postMessage", 1, timeout=60)  # the scheduler's threads are busy posting
    pid = worker.process.pid
    others = sorted(int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid)
    assert others, "the worker runs its sweeps on threads of their own"
    # Linux hands a process's SIGTERM to any thread that does not block it; here, the newest one.
    _tgkill(pid, others[-1], signal.SIGTERM)
    # An impatient operator: more SIGTERMs while the stop finishes the posts in flight.
    wait_until(lambda: "lead-bot: stopping" in worker.stderr or worker.process.poll() is not None, timeout=15)
    for _ in range(25):
        if worker.process.poll() is not None:
            break
        worker.process.send_signal(signal.SIGTERM)
        time.sleep(0.02)
    assert worker.wait(timeout=15) == 0, worker.stderr
    assert "Traceback" not in worker.stderr and worker.stderr.count("lead-bot: stopping") == 1
    posted = len(emulator.calls_to("chat.postMessage"))
    assert 1 <= posted < len(users)
    assert statuses(store) == Counter({"sent": posted})
