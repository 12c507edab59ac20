"""APScheduler wiring: jobs defined in code, in memory, and one leading process at a time.

Every process that runs the scheduler (``lead-bot worker``, ``serve``, ``run``) keeps the same
jobs in memory; nothing about them is stored. What makes several processes safe is the
database:

* **Leadership.** Only the leader queues due deliveries (``bot/scheduler/jobs.py``,
  :func:`~bot.scheduler.jobs.queue_due`). The leader holds a PostgreSQL session advisory lock
  (``pg_try_advisory_lock``) on a connection it keeps open, or on SQLite an OS file lock beside
  the database file (``filelock``). Either is released by the operating system or the server
  when the process dies, and every standby tries to take it every ``ELECTION_INTERVAL``, so a
  standby leads within one sweep interval of the leader's death.
* **Sending.** Every process, leader or not, takes queued chunks from the ledger every
  ``DRAIN_INTERVAL`` (``FOR UPDATE SKIP LOCKED``) and sends them, paced per workspace by the
  bucket in the database.
* **Pruning.** The leader runs the ``prune`` job: processed request keys older than a week and
  finished deliveries older than ``DELIVERY_RETENTION`` are deleted in chunks.

How long a claim may stay unfinished before another process treats its owner as dead and takes
it over is ``ctx.settings.claim_timeout`` (``LEAD_CLAIM_TIMEOUT_SECONDS``).
"""

from __future__ import annotations

import logging
import threading
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from filelock import FileLock, Timeout
from slack_sdk import WebClient
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.coaching.pauses import MAX_PAUSE_WEEKS
from bot.coaching.schedule import Slot, due_week, next_slot_after, zone
from bot.coaching.weeks import iso_week
from bot.errors import DatabaseUnavailable, LeadError
from bot.scheduler.clients import ClientResolver
from bot.scheduler.jobs import Runtime, drain, sweep
from bot.scheduler.pacing import process_pacer
from bot.scheduler.registry import JOB_NAMES, JOBS, MAINTENANCE_JOBS, Audience, Job
from bot.scheduler.sender import ChannelLimiter
from bot.services.context import BotContext
from bot.services.workspaces import prune_uninstalled
from bot.store import events as events_store
from bot.store import ledger
from bot.store import schedule as schedule_store
from bot.store.records import PersonRecord

log = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(minutes=5)
FIRST_SWEEP_DELAY = timedelta(seconds=5)  # catch up soon after a start, once the process is up
ELECTION_INTERVAL = timedelta(seconds=10)  # a standby tries to lead this often: well within a sweep interval
DRAIN_INTERVAL = timedelta(seconds=10)  # every process looks for queued chunks this often
# A sweep that starts late is still useful (the due rule catches up the same day); one that is
# more than an interval late would only overlap the next one.
MISFIRE_GRACE_SECONDS = int(SWEEP_INTERVAL.total_seconds())
# Retention: a request key is only ever re-sent within minutes; a finished delivery only stops a
# repeat within its own week (the digest reads milestone rows of the last week).
EVENT_RETENTION = timedelta(days=7)
DELIVERY_RETENTION = timedelta(days=35)
PRUNE_CHUNK = 1_000
MAX_CHUNK = 2_000  # a chunk's keys and outcomes are bound parameters of one statement
LEADER_LOCK_KEY = zlib.crc32(b"lead-bot scheduler leader")  # the advisory lock's id, stable across versions

# One limiter per process: every sweep in it shares the per-channel pace.
_LIMITER = ChannelLimiter()


def build_runtime(ctx: BotContext, client: WebClient) -> Runtime:
    """What sweeps need: context, Slack clients, limiters, claim timeout."""
    return Runtime(ctx=ctx, resolver_factory=lambda: ClientResolver(ctx.settings, client, ctx.store.engine),
                   limiter=_LIMITER, claim_timeout=ctx.settings.claim_timeout,
                   chunk_size=max(1, min(ctx.settings.sweep_chunk, MAX_CHUNK)),
                   pacer=process_pacer(ctx.store, rate=ctx.settings.send_rate, burst=ctx.settings.send_burst))


class Leadership:
    """Whether this process leads the sweeps: an advisory lock (PostgreSQL) or a file lock (SQLite)."""

    def __init__(self, ctx: BotContext) -> None:
        self.ctx = ctx
        self._lock = threading.Lock()
        self._connection: Connection | None = None
        self._file: FileLock | None = None
        url = make_url(ctx.settings.database_url)
        self._sqlite = url.get_backend_name() == "sqlite"
        if self._sqlite and url.database and url.database != ":memory:":
            self._file = FileLock(f"{url.database}.leader")
        self.leading = False

    def try_lead(self) -> bool:
        """Lead if nobody does; check a held lead is still real. True while this process leads."""
        with self._lock:
            if self._sqlite:
                if self._file is None:  # an in-memory database has one process: it leads
                    self.leading = True
                elif not self.leading:
                    try:
                        self._file.acquire(timeout=0)
                        self.leading = True
                    except Timeout:
                        pass
                return self.leading
            try:
                if self._connection is None:
                    self._connection = self.ctx.store.engine.connect()
                if self.leading:
                    self._connection.execute(text("SELECT 1"))
                else:
                    self.leading = bool(self._connection.execute(
                        text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK_KEY}).scalar())
                    self._connection.commit()
            except SQLAlchemyError:
                # The lock went with the connection: someone else may lead now.
                self._drop_connection()
                raise
            return self.leading

    def _drop_connection(self) -> None:
        self.leading = False
        if self._connection is not None:
            try:
                self._connection.invalidate()
                self._connection.close()
            except SQLAlchemyError:
                pass
            self._connection = None

    def release(self) -> None:
        with self._lock:
            if self._file is not None and self.leading:
                self._file.release()
            self._drop_connection()
            self.leading = False


class LeadScheduler(BackgroundScheduler):
    """A BackgroundScheduler whose shutdown first tells running sweeps to stop taking new items."""

    runtime: Runtime | None = None
    leadership: Leadership | None = None

    def shutdown(self, wait: bool = True) -> None:
        if self.runtime is not None:
            self.runtime.stopping.set()
        super().shutdown(wait=wait)
        if self.leadership is not None:
            self.leadership.release()


class _Process:
    """The jobs of one scheduling process, bound to its runtime and leadership."""

    def __init__(self, runtime: Runtime, leadership: Leadership, on_lost_database: Callable[[], None] | None):
        self.runtime = runtime
        self.leadership = leadership
        self.on_lost_database = on_lost_database
        self.failures = 0
        self.scheduler: BackgroundScheduler | None = None

    def elect(self) -> None:
        """Take or keep the lead, and check the database answers: twice unreachable in a row stops a
        process that was given ``on_lost_database`` (a worker: its supervisor restarts it)."""
        was = self.leadership.leading
        try:
            leading = self.leadership.try_lead()
            reachable = self.runtime.ctx.store.ping()
        except SQLAlchemyError:
            leading, reachable = False, False
        if not reachable:
            self._lost()
            return
        self.failures = 0
        if leading and not was:
            log.info("this process now leads the sweeps")
            self._sweep_soon()

    def _sweep_soon(self) -> None:
        """A new leader sweeps at once: what the dead one left claimed is queued again now."""
        if self.scheduler is None:
            return
        soon = datetime.now(UTC) + timedelta(seconds=1)
        for name in (*JOB_NAMES, *(job.name for job in MAINTENANCE_JOBS)):
            if self.scheduler.get_job(name) is not None:
                self.scheduler.modify_job(name, next_run_time=soon)

    def _lost(self) -> None:
        self.failures += 1
        if self.failures >= 2 and self.on_lost_database is not None:
            log.error("the database cannot be reached (DATABASE_URL): this process stops")
            callback, self.on_lost_database = self.on_lost_database, None
            callback()

    def sweep(self, name: str) -> None:
        if not self.leadership.leading:
            return
        try:
            sweep(self.runtime, name, self.runtime.ctx.clock.now())
        except DatabaseUnavailable:
            log.warning("sweep %s stopped for want of the database; the next sweep tries again", name)
        except Exception:  # noqa: BLE001 - a failed sweep is retried by the next one; keep the scheduler alive
            log.exception("sweep %s failed", name)

    def drain(self) -> None:
        try:
            report = drain(self.runtime)
            if any(report.outcomes.values()):
                log.info("sent queued deliveries: %s", report.as_dict())
        except DatabaseUnavailable:
            log.warning("sending queued deliveries stopped for want of the database")
        except Exception:  # noqa: BLE001 - the next drain tries again
            log.exception("sending queued deliveries failed")

    def prune(self) -> None:
        if not self.leadership.leading:
            return
        try:
            prune(self.runtime.ctx)
        except LeadError:
            log.warning("pruning failed; the next run tries again")


def start_scheduler(ctx: BotContext, client: WebClient,
                    on_lost_database: Callable[[], None] | None = None) -> LeadScheduler:
    """Start the jobs: election, every sweep (leader only), the drain (everyone), pruning (leader)."""
    runtime = build_runtime(ctx, client)
    leadership = Leadership(ctx)
    process = _Process(runtime, leadership, on_lost_database)
    scheduler = LeadScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=len(JOB_NAMES) + 3)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        timezone=UTC,
    )
    scheduler.runtime, scheduler.leadership = runtime, leadership
    process.elect()  # before the first sweep, so a lone process leads at once
    process.scheduler = scheduler
    now = datetime.now(UTC)
    first = now + FIRST_SWEEP_DELAY
    scheduler.add_job(process.elect, trigger=_every(ELECTION_INTERVAL), id="elect", name="elect",
                      next_run_time=now + ELECTION_INTERVAL)
    for name in JOB_NAMES:
        scheduler.add_job(process.sweep, trigger=_every(SWEEP_INTERVAL), args=[name], id=name, name=name,
                          next_run_time=first)
    scheduler.add_job(process.drain, trigger=_every(DRAIN_INTERVAL), id="drain", name="drain",
                      next_run_time=first + DRAIN_INTERVAL)
    for job in MAINTENANCE_JOBS:
        scheduler.add_job(process.prune, trigger=_every(job.every), id=job.name, name=job.name,
                          next_run_time=first)
    scheduler.start()
    log.info("scheduler started: %s every %s (%s)", ", ".join(JOB_NAMES), SWEEP_INTERVAL,
             "leading" if leadership.leading else "standing by, sending queued chunks")
    return scheduler


def _every(interval: timedelta) -> IntervalTrigger:
    return IntervalTrigger(seconds=interval.total_seconds(), timezone=UTC)


def prune(ctx: BotContext, *, chunk: int = PRUNE_CHUNK) -> dict[str, int]:
    """Delete request keys older than a week, finished deliveries past retention (a chunk per transaction),
    and the workspaces whose uninstall grace period is over."""
    now = ctx.clock.now()
    deleted = {"processed_events": 0, "deliveries": 0}
    while True:
        with ctx.store.session() as session:
            count = events_store.forget_before(session, now - EVENT_RETENTION, limit=chunk)
        deleted["processed_events"] += count
        if count < chunk:
            break
    while True:
        with ctx.store.session() as session:
            count = ledger.prune_finished(session, before=now - DELIVERY_RETENTION, limit=chunk)
        deleted["deliveries"] += count
        if count < chunk:
            break
    # Workspaces uninstalled longer ago than the grace period (bot/services/workspaces.py).
    deleted["workspaces"] = len(prune_uninstalled(ctx))
    if any(deleted.values()):
        log.info("pruned %s", deleted)
    return deleted



def run_job(ctx: BotContext, client: WebClient, name: str, at: datetime | None = None) -> dict[str, Any]:
    """One sweep of ``name`` now, or as if the clock read ``at``; the same ledger applies.

    ``at`` decides what is due (which people, which week). The ledger's own times (claim age,
    sent at) stay on the context's clock: a claim's timeout is about real time passing.
    """
    if name in {job.name for job in MAINTENANCE_JOBS}:
        return {"job": name, "at": ctx.clock.now().isoformat(), "deleted": prune(ctx)}
    if name not in JOB_NAMES:
        raise ValueError(f"{name!r} is not a job; choose one of {', '.join(JOB_NAMES)}")
    runtime = build_runtime(ctx, client)
    moment = (at or ctx.clock.now()).astimezone(UTC)
    return sweep(runtime, name, moment).as_dict()


def next_runs(ctx: BotContext) -> list[tuple[str, datetime | None]]:
    """Each job and the next time it will actually send to someone.

    For a personal job: the earliest upcoming slot among people who may receive it (skipping
    their pauses), or now when someone's item is due, still unsent and wanted. With nobody known
    yet, the default slot in the workspace's time zone. For a team job: the earliest slot among
    workspaces.
    """
    now = ctx.clock.now()
    with ctx.store.session() as session:
        people = schedule_store.eligible_people(session)
        pauses = schedule_store.pauses_of(session, [p.id for p in people])
        teams = schedule_store.teams(session) or schedule_store.any_team(session)
        weeks = {p.id: iso_week(now.astimezone(zone(p.timezone)).date()) for p in people}
        finished = {job.name: schedule_store.finished_keys(session, job.name, set(weeks.values()))
                    for job in JOBS if job.audience is Audience.PERSON}
    runs: list[tuple[str, datetime | None]] = []
    for job in JOBS:
        if job.audience is not Audience.PERSON:  # a team's slot: the digest, a pairing round
            instants = [i for t in teams if (i := _next_slot(job, job.slot(None, t.slots), now, zone(t.default_tz)))]
            runs.append((job.name, min(instants) if instants else _next_slot(job, job.default_slot, now, zone("UTC"))))
            continue
        if not people:
            team = teams[0] if teams else None
            slot = job.slot(None, team.slots if team else None)
            runs.append((job.name, _next_slot(job, slot, now, zone(team.default_tz if team else "UTC"))))
            continue
        wanted = job.wanted(ctx, list(weeks.items())) if job.wanted else set(weeks)
        candidates = [_next_for_person(job, person, pauses.get(person.id, []), now, finished[job.name],
                                       person.id in wanted) for person in people]
        known = [c for c in candidates if c is not None]
        runs.append((job.name, min(known) if known else None))
    return runs


def _next_slot(job: Job, slot: Slot, now: datetime, tz: Any, skip: Any = None) -> datetime | None:
    """The first instant of ``slot`` after ``now`` in a week the job runs in (and not on a ``skip`` day)."""
    for ahead in range(MAX_PAUSE_WEEKS + 2):
        week, instant = next_slot_after(slot, now, tz, ahead)
        if job.runs_in(week) and not (skip and skip(instant.astimezone(tz).date())):
            return instant
    return None


def _next_for_person(job: Job, person: PersonRecord, pauses: list[Any], now: datetime,
                     finished: set[tuple[str, str, str]], wanted: bool) -> datetime | None:
    """When ``job`` next reaches ``person``: now if due, unsent and wanted, else their next unpaused slot."""
    tz = zone(person.timezone)
    slot = job.slot(person.slots, person.workspace_slots)

    def paused(day: Any) -> bool:
        return any(start <= day <= end for start, end in pauses)

    week = due_week(slot, now, tz)
    if (week is not None and job.runs_in(week) and (person.team_id, person.user_id, week) not in finished
            and not paused(now.astimezone(tz).date()) and wanted):
        return now
    return _next_slot(job, slot, now, tz, skip=paused)
