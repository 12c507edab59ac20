"""APScheduler wiring: one interval job per scheduled item, its job store in the bot's database.

Each job is a sweep (``bot/scheduler/jobs.py``) run every five minutes; who is due is decided
per person at sweep time, so one job serves every time zone. The job store lives in the bot's
own database (table ``apscheduler_jobs``, created by APScheduler, outside Alembic). Jobs are
pickled there, so they name their function by module path and carry only the job name; the
context and Slack client they need live in this module's runtime, set by
:func:`start_scheduler`.

Several processes may run the scheduler on one database (web processes and workers): they may
run the same sweep at the same moment, and the delivery ledger makes that harmless.

How long a claim may stay unfinished before another process treats its owner as dead and takes
it over is ``ctx.settings.claim_timeout`` (``LEAD_CLAIM_TIMEOUT_SECONDS``).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.coaching.pauses import MAX_PAUSE_WEEKS
from bot.coaching.schedule import Slot, due_week, next_slot_after, zone
from bot.coaching.weeks import iso_week
from bot.scheduler.clients import ClientResolver
from bot.scheduler.jobs import Runtime, sweep
from bot.scheduler.registry import JOB_NAMES, JOBS, Audience, Job
from bot.scheduler.sender import ChannelLimiter
from bot.services.context import BotContext
from bot.services.workspaces import prune_uninstalled
from bot.store import schedule as schedule_store
from bot.store.records import PersonRecord

log = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(minutes=5)
FIRST_SWEEP_DELAY = timedelta(seconds=5)  # catch up soon after a start, once the process is up
# A sweep that starts late is still useful (the due rule catches up the same day); one that is
# more than an interval late would only overlap the next one.
MISFIRE_GRACE_SECONDS = int(SWEEP_INTERVAL.total_seconds())
JOB_FUNCTION = "bot.scheduler.runner:scheduled_sweep"
# Not a send, so not in the registry (nor in ``jobs list``): housekeeping every process may run.
MAINTENANCE_JOB = "maintenance"
MAINTENANCE_FUNCTION = "bot.scheduler.runner:maintenance"
MAINTENANCE_INTERVAL = timedelta(hours=1)

# One limiter per process: every sweep in it shares the per-channel pace.
_LIMITER = ChannelLimiter()
_runtime: Runtime | None = None


def build_runtime(ctx: BotContext, client: WebClient) -> Runtime:
    """The unpicklable half of the scheduler: context, Slack clients, limiter, claim timeout."""
    return Runtime(ctx=ctx, resolver_factory=lambda: ClientResolver(ctx.settings, client, ctx.store.engine),
                   limiter=_LIMITER, claim_timeout=ctx.settings.claim_timeout)


class LeadScheduler(BackgroundScheduler):
    """A BackgroundScheduler whose shutdown first tells running sweeps to stop taking new items."""

    runtime: Runtime | None = None

    def shutdown(self, wait: bool = True) -> None:
        if self.runtime is not None:
            self.runtime.stopping.set()
        super().shutdown(wait=wait)


def start_scheduler(ctx: BotContext, client: WebClient) -> LeadScheduler:
    """Start the five sweeps (every five minutes, the first a few seconds from now)."""
    global _runtime
    _runtime = build_runtime(ctx, client)
    store = SQLAlchemyJobStore(engine=ctx.store.engine)
    _ensure_job_table(store)
    scheduler = LeadScheduler(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(max_workers=len(JOB_NAMES))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        timezone=UTC,
    )
    scheduler.runtime = _runtime
    first = datetime.now(UTC) + FIRST_SWEEP_DELAY
    for name in JOB_NAMES:
        scheduler.add_job(JOB_FUNCTION, trigger=IntervalTrigger(seconds=SWEEP_INTERVAL.total_seconds(),
                                                                timezone=UTC),
                          args=[name], id=name, name=name, replace_existing=True, next_run_time=first)
    scheduler.add_job(MAINTENANCE_FUNCTION, trigger=IntervalTrigger(seconds=MAINTENANCE_INTERVAL.total_seconds(),
                                                                    timezone=UTC),
                      id=MAINTENANCE_JOB, name=MAINTENANCE_JOB, replace_existing=True, next_run_time=first)
    scheduler.start()
    log.info("scheduler started: %s every %s", ", ".join(JOB_NAMES), SWEEP_INTERVAL)
    return scheduler


def _ensure_job_table(store: SQLAlchemyJobStore) -> None:
    """Create APScheduler's table up front, tolerating another process creating it at once."""
    for attempt in range(5):
        try:
            store.jobs_t.create(store.engine, checkfirst=True)
            return
        except SQLAlchemyError:
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def scheduled_sweep(name: str) -> None:
    """What APScheduler runs (by module path): one sweep of ``name`` at the context's now."""
    runtime = _runtime
    if runtime is None:
        log.warning("sweep %s skipped: the scheduler runtime is not set in this process", name)
        return
    try:
        sweep(runtime, name, runtime.ctx.clock.now())
    except Exception:  # noqa: BLE001 - a failed sweep is retried by the next one; keep the scheduler alive
        log.exception("sweep %s failed", name)


def maintenance() -> None:
    """What APScheduler runs hourly (by module path): delete workspaces past their uninstall grace period."""
    runtime = _runtime
    if runtime is None:
        return
    try:
        prune_uninstalled(runtime.ctx)
    except Exception:  # noqa: BLE001 - the next run tries again; keep the scheduler alive
        log.exception("maintenance failed")


def run_job(ctx: BotContext, client: WebClient, name: str, at: datetime | None = None) -> dict[str, Any]:
    """One sweep of ``name`` now, or as if the clock read ``at``; the same ledger applies.

    ``at`` decides what is due (which people, which week). The ledger's own times (claim age,
    sent at) stay on the context's clock: a claim's timeout is about real time passing.
    """
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
