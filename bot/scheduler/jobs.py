"""Each scheduled job (``bot/scheduler/registry.py``) is a *sweep*: find what is due now, deliver each once.

A sweep has two halves, both by the chunk of a few hundred people:

* :func:`queue_due` (the leading process only, ``bot/scheduler/runner.py``): the due rule is
  evaluated once per distinct (time zone, slot) (:func:`bot.coaching.schedule.due_groups`), the
  database selects exactly the people of the due groups who are not paused and not finished,
  page by page, and each page is claimed in the ledger with one statement (status ``queued``).
  A sweep with nobody due costs one grouped query.
* :func:`drain` (every process): take a chunk of queued rows under one claim token
  (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), read what their messages need for the whole chunk,
  post them on a bounded thread pool, and record every outcome with one statement.

Delivering one taken item (:func:`deliver`) is:

1. :func:`skip_reason`, the one per-recipient decision point: a reason means "skipped";
2. when the row was taken over from a process that died (or a send that ended in doubt), first
   look for the message in the conversation: found means it was sent;
3. build the message (a prompt sweep picks the prompt here); nothing to say means "skipped";
4. post it: "sent", "skipped" for a person Slack says is gone (then marked inactive), "unsure"
   when it may have landed, or released so the next sweep queues it again.

Outcomes are written in one place, :func:`record_outcomes`.
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import partial
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import metrics
from bot.coaching.schedule import Slot, due_groups, due_week, zone
from bot.coaching.timeoff import digest_slot, stored_calendar
from bot.coaching.weeks import week_of
from bot.config import DEFAULT_SWEEP_CHUNK
from bot.errors import LeadError
from bot.scheduler.clients import ClientResolver, TeamClients
from bot.scheduler.pacing import WorkspacePacer
from bot.scheduler.registry import JOB_NAMES, TEAM_DIGEST, Audience, Job, job_named
from bot.scheduler.sender import (
    GONE_ERRORS,
    LOOKUP_MARGIN_SECONDS,
    ChannelLimiter,
    Found,
    Poster,
    PostStatus,
    SearchFailed,
    delivery_key,
    delivery_metadata,
    find_delivery,
)
from bot.services import timeoff as timeoff_service
from bot.services.context import BotContext
from bot.services.types.home import ProgressPicture
from bot.services.types.nudges import PromptMessage
from bot.slack.picture import picture_message
from bot.store import ledger
from bot.store import prompts as prompt_store
from bot.store import schedule as schedule_store
from bot.store.records import PersonRecord
from bot.store.schedule import DuePerson, DueSelection
from bot.views import nudges as nudge_views

log = logging.getLogger(__name__)

DEFAULT_POOL_SIZE = 8
# People per chunk (LEAD_SWEEP_CHUNK): one page, one queueing statement, one outcome statement.
CHUNK_SIZE = DEFAULT_SWEEP_CHUNK
# People ids a selecting statement reads at most, in chunks: bounds each statement's cost.
ID_WINDOW_CHUNKS = 4


@dataclass
class Runtime:
    """What sweeps need besides the job's name: the context, Slack clients, the limiters and the pool."""

    ctx: BotContext
    resolver_factory: Callable[[], ClientResolver]
    limiter: ChannelLimiter
    claim_timeout: timedelta
    stopping: threading.Event = field(default_factory=threading.Event)
    pool_size: int = DEFAULT_POOL_SIZE
    chunk_size: int = CHUNK_SIZE
    pacer: WorkspacePacer | None = None  # the per-workspace bucket shared through the database


@dataclass(frozen=True)
class Outgoing:
    """A message ready to post, and the library prompt it carries (recorded once it is sent)."""

    payload: dict[str, Any]
    prompt_id: str | None = None
    prompt_kind: str | None = None
    # A message that needs a Web API step first (a picture's upload, shared nowhere) is finished
    # here, after the claim; only the post that follows shows anything, so it stays exactly once.
    prepare: Callable[[WebClient], dict[str, Any]] | None = None


class Outcome(Enum):
    SENT = "sent"
    RECOVERED = "recovered"  # taken over, and found already in Slack: recorded, not re-sent
    SKIPPED = "skipped"
    FAILED = "failed"  # released (or never claimed); the next sweep tries again
    HELD = "held"  # another process holds it, or it is already finished
    # The person is away today: the row is released, not finished, so a return later today still gets it.
    AWAY = "away"


@dataclass
class SweepReport:
    job: str
    at: datetime
    due: int = 0
    outcomes: dict[Outcome, int] = field(default_factory=lambda: {o: 0 for o in Outcome})
    latencies: list[float] = field(default_factory=list)  # seconds per delivered item

    def add(self, outcome: Outcome, seconds: float) -> None:
        self.outcomes[outcome] += 1
        if outcome is Outcome.SENT:
            self.latencies.append(seconds)

    def as_dict(self) -> dict[str, Any]:
        """The small report ``lead-bot jobs run`` prints."""
        report: dict[str, Any] = {"job": self.job, "at": self.at.isoformat(), "due": self.due,
                                  "sent": self.outcomes[Outcome.SENT] + self.outcomes[Outcome.RECOVERED],
                                  "skipped": self.outcomes[Outcome.SKIPPED], "failed": self.outcomes[Outcome.FAILED],
                                  "held": self.outcomes[Outcome.HELD], "recovered": self.outcomes[Outcome.RECOVERED],
                                  "away": self.outcomes[Outcome.AWAY]}
        if self.latencies:
            ordered = sorted(self.latencies)
            report["latency_ms"] = {"p50": round(statistics.median(ordered) * 1000, 1),
                                    "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1)}
        return report


@dataclass(frozen=True)
class Item:
    """One taken (team, recipient, item, week) to deliver, and how to build its message."""

    job: str
    team_id: str
    recipient: str  # the person's user id; the team id for the team digest
    week: str
    channel: str | None  # where it goes: the user id (a DM) or the team channel
    build: Callable[[], Outgoing | None]
    person_id: int | None = None
    row_id: int = 0  # its ledger row
    # Set when the row was taken over: an earlier claimant may have sent it since then.
    previous_claimed_at: datetime | None = None
    away: str | None = None  # why the person is away today (bot/coaching/timeoff.py), or None

    @property
    def key(self) -> str:
        return delivery_key(self.team_id, self.recipient, self.job, self.week)

    @property
    def ledger_key(self) -> dict[str, str]:
        return {"team_id": self.team_id, "recipient": self.recipient, "item": self.job, "week": self.week}


# the leader's half: queue what is due -------------------------------------------------------------
def sweep(rt: Runtime, job: str, moment: datetime) -> SweepReport:
    """Queue everything of ``job`` due at ``moment`` and not yet delivered, and send it meanwhile.

    Queueing and sending overlap: the first chunk is posted while the next pages are selected.
    """
    began = time.monotonic()
    report = SweepReport(job=job, at=moment.astimezone(UTC))
    queuing = Queuing()
    sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"sweep-{job}")
    sending = sender.submit(drain, rt, report, items=(job,), queuing=queuing)
    try:
        queue_due(rt, job, moment, report, on_page=queuing.page)
    finally:
        queuing.done()
        sender.shutdown(wait=True)
    sending.result()
    metrics.sweep_finished(job, time.monotonic() - began)
    log.info("sweep %s at %s: %s", job, report.at.isoformat(), report.as_dict())
    return report


def queue_due(rt: Runtime, job: str, moment: datetime, report: SweepReport | None = None,
              on_page: Callable[[], None] | None = None) -> SweepReport:
    """Put every due, unfinished item of ``job`` in the ledger's queue, a chunk at a time."""
    moment = moment.astimezone(UTC)
    entry = job_named(job)
    report = report or SweepReport(job=job, at=moment)

    def queue(session: Session, keys: list[ledger.DeliveryKey]) -> None:
        queued = ledger.queue(session, job, keys, now=rt.ctx.clock.now(), stale_after=rt.claim_timeout)
        report.due += len(keys)
        report.outcomes[Outcome.HELD] += queued.held

    def committed() -> None:  # a page is in the ledger: a sender may take it now
        if on_page is not None:
            on_page()

    if entry.audience is Audience.PERSON:
        _queue_people(rt, entry, moment, queue, committed)
        return report
    for keys in (_due_rounds if entry.audience is Audience.ROUND else _due_teams)(rt, entry, moment):
        with rt.ctx.store.session() as session:
            queue(session, keys)
        committed()
    return report


def _queue_people(rt: Runtime, job: Job, moment: datetime,
                  queue: Callable[[Session, list[ledger.DeliveryKey]], None], committed: Callable[[], None]) -> None:
    """Page through the people due for ``job`` (the due rule once per (zone, slot), the rest in
    SQL) and queue each page, in the page's own transaction when the job wants everyone due."""
    ctx = rt.ctx
    with ctx.store.session() as session:
        groups = schedule_store.slot_groups(session)
    slots = {group: job.slot(*group.slots()) for group in groups}
    due = due_groups(((group.zone, slot) for group, slot in slots.items()), moment)
    selections = [DueSelection(group, found.week, found.today) for group, slot in slots.items()
                  if (found := due.get((group.zone, slot))) is not None and job.runs_in(found.week)]
    if not selections:
        return
    with ctx.store.session() as session:
        low, high = schedule_store.people_id_range(session)
    window = rt.chunk_size * ID_WINDOW_CHUNKS
    for after in range(low - 1, high, window):
        with ctx.store.session() as session:
            window_due: list[DuePerson] = schedule_store.due_people(session, job.name, selections,
                                                                    after_id=after, upto_id=after + window)
            pages = [window_due[i:i + rt.chunk_size] for i in range(0, len(window_due), rt.chunk_size)]
            if job.wanted is None:
                for page in pages:
                    queue(session, [(p.team_id, p.user_id, p.week) for p in page])
        if job.wanted is None:
            if pages:
                committed()
            continue
        for page in pages:  # decided in bulk by the job's service, outside the selecting transaction
            wanted = job.wanted(ctx, [(person.id, person.week) for person in page])
            keys = [(p.team_id, p.user_id, p.week) for p in page if p.id in wanted]
            if keys:
                with ctx.store.session() as session:
                    queue(session, keys)
                committed()


def _due_teams(rt: Runtime, job: Job, moment: datetime) -> Iterator[list[ledger.DeliveryKey]]:
    """Every workspace whose ``job`` slot (in its default time zone) has arrived this week."""
    with rt.ctx.store.session() as session:
        teams = schedule_store.teams(session)
        due = [(team.team_id, team.team_id, week) for team, week in _team_weeks(job, teams, moment)]
        finished = schedule_store.finished_keys(session, job.name, {week for _, _, week in due}) if due else set()
    keys = [key for key in due if key not in finished]
    if keys:
        yield keys


def _due_rounds(rt: Runtime, job: Job, moment: datetime) -> Iterator[list[ledger.DeliveryKey]]:
    """Each person a workspace's round names (``job.recipients``), once the workspace's slot has
    arrived this week; each DM is its own ledger item, so a re-run queues only what is missing."""
    assert job.recipients is not None
    with rt.ctx.store.session() as session:
        due = [(team.team_id, week) for team, week in _team_weeks(job, schedule_store.teams(session), moment)]
        finished = schedule_store.finished_keys(session, job.name, {week for _, week in due}) if due else set()
    for team_id, week in due:
        keys = [(team_id, user_id, week) for _, user_id in job.recipients(rt.ctx, team_id, week)
                if (team_id, user_id, week) not in finished]
        if keys:
            yield keys


def _team_weeks(job: Job, teams: list[Any], moment: datetime) -> Iterator[tuple[Any, str]]:
    """(workspace, week) for each workspace whose ``job`` slot, in its default zone, has arrived."""
    for team in teams:
        slot: Slot | None = job.slot(None, team.slots)
        if job is TEAM_DIGEST:
            # away: digest (a workspace holiday moves it earlier in its week, or skips it)
            slot = digest_slot(job.slot(None, team.slots), week_of(moment, team.default_tz),
                               stored_calendar(team.holidays))
        if slot is None:
            continue
        week = due_week(slot, moment, zone(team.default_tz))
        if week is not None and job.runs_in(week):
            yield team, week


# every process's half: send what is queued ------------------------------------------------------------
def drain(rt: Runtime, report: SweepReport | None = None, *, items: tuple[str, ...] | None = None,
          queuing: Queuing | None = None) -> SweepReport:
    """Take queued chunks (of ``items``, else of any job) until none is left, and deliver them.

    One helper thread reads the next chunk while the pool posts the current one, and records each
    chunk's outcomes after it. ``queuing`` is set while this process is still queueing chunks:
    an empty queue then means "not yet", not "done".
    """
    report = report or SweepReport(job="queued", at=rt.ctx.clock.now())
    resolver = rt.resolver_factory()
    poster = Poster(rt.limiter, stopping=rt.stopping, pacer=rt.pacer)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sweep-io") as helper, \
            ThreadPoolExecutor(max_workers=max(1, rt.pool_size), thread_name_prefix="sweep") as pool:
        def take() -> tuple[bool, Future[Chunk | None]]:
            # Whether queueing was still going on when this take began: then an empty answer
            # only means "not yet", and one more take follows.
            return queuing is not None and queuing.is_set(), helper.submit(_take_chunk, rt, items)

        posting: deque[tuple[Chunk, list[Future[tuple[Delivered, float]]]]] = deque()

        def finish_oldest() -> None:
            chunk, futures = posting.popleft()
            results = list(chunk.results)
            for future in futures:
                delivered, seconds = future.result()
                results.append(delivered)
                report.add(delivered.outcome, seconds)
            helper.submit(_record_safely, rt, chunk.token, results)

        early, ahead = take()
        while True:
            chunk = ahead.result()
            if chunk is None:
                if early and not rt.stopping.is_set():
                    if queuing is not None and queuing.is_set():
                        # Woken by the next page queued (or the end of queueing), not by polling.
                        queuing.arrived.wait(QUEUE_WAIT_SECONDS)
                        queuing.arrived.clear()
                    early, ahead = take()
                    continue
                break
            if rt.stopping.is_set():  # taken, never posted: give it back
                helper.submit(_record_safely, rt, chunk.token, chunk.results + [_released(i) for i in chunk.items])
                break
            # Two chunks on the pool at most: the next one's posts start while the last of this
            # one's finish, and no chunk stays claimed long before it is posted.
            posting.append((chunk, _post_chunk(rt, resolver, poster, pool, chunk.items)))
            early, ahead = take()
            if len(posting) > 1:
                finish_oldest()
        while posting:
            finish_oldest()
    return report


QUEUE_WAIT_SECONDS = 0.5


class Queuing:
    """Set while this process still queues a sweep's pages; ``arrived`` is set at each page queued."""

    def __init__(self) -> None:
        self._on = threading.Event()
        self._on.set()
        self.arrived = threading.Event()

    def is_set(self) -> bool:
        return self._on.is_set()

    def page(self) -> None:
        self.arrived.set()

    def done(self) -> None:
        self._on.clear()
        self.arrived.set()


@dataclass(frozen=True)
class Chunk:
    """Queued rows taken under one claim token, as items ready to post (and any already decided)."""

    token: str
    items: list[Item]
    results: list[Delivered]


def _take_chunk(rt: Runtime, items: tuple[str, ...] | None) -> Chunk | None:
    token = ledger.new_token()
    with rt.ctx.store.session() as session:
        # Only jobs this version knows: in a rolling deploy an older process must leave a newer
        # job's rows alone, not take them and fail on every drain.
        taken = ledger.take_queued(session, token=token, now=rt.ctx.clock.now(), limit=rt.chunk_size,
                                   items=items if items is not None else JOB_NAMES)
        people = schedule_store.people_by_keys(session, {(row.team_id, row.recipient) for row in taken
                                                         if job_named(row.item).audience is not Audience.TEAM})
    if not taken:
        return None
    chunk = Chunk(token, [], [])
    for job_name in sorted({row.item for row in taken}):
        rows = [row for row in taken if row.item == job_name]
        try:
            ready, decided = _items(rt, job_named(job_name), rows, people)
        except (ValueError, LeadError):
            log.exception("reading the chunk of %s failed; its rows are released", job_name)
            ready, decided = [], [_released(_bare(row)) for row in rows]
        chunk.items.extend(ready)
        chunk.results.extend(decided)
    return chunk


def _post_chunk(rt: Runtime, resolver: ClientResolver, poster: Poster, pool: ThreadPoolExecutor,
                items: list[Item]) -> list[Future[tuple[Delivered, float]]]:
    if rt.pacer is not None:
        for team_id in {item.team_id for item in items}:
            rt.pacer.expect(team_id, sum(item.team_id == team_id for item in items))
    return [pool.submit(_timed, rt, resolver, poster, item) for item in items]


def _record_safely(rt: Runtime, token: str, results: list[Delivered]) -> None:
    """:func:`record_outcomes` on the helper thread, where nobody would see an exception."""
    try:
        record_outcomes(rt, token, results)
    except LeadError as exc:
        # The claims stay "claimed": after the claim timeout the next sweep takes them over and
        # looks for each message before posting it again.
        log.warning("recording %d outcomes failed (%s); they are taken over later", len(results),
                    type(exc).__name__)
    except Exception:  # noqa: BLE001 - a bug: log it, the ledger stays safe as above
        log.exception("recording %d outcomes failed", len(results))


@dataclass(frozen=True)
class Delivered:
    """How one item ended, before it is written: see :func:`record_outcomes`."""

    item: Item
    outcome: Outcome
    status: str | None  # the ledger status: sent, skipped, unsure; None releases the row
    ts: str | None = None
    detail: str | None = None
    prompt_id: str | None = None
    prompt_kind: str | None = None
    gone: str | None = None  # Slack says the person is unreachable: mark them inactive


def _items(rt: Runtime, job: Job, rows: list[ledger.Taken],
           people: dict[tuple[str, str], PersonRecord]) -> tuple[list[Item], list[Delivered]]:
    """The chunk's items of one job, built lazily from facts read once for the chunk."""
    ctx = rt.ctx
    if job.audience is Audience.TEAM:
        with ctx.store.session() as session:
            channels = {team.team_id: team.team_channel for team in schedule_store.teams(session)}
        return [Item(job=job.name, team_id=row.team_id, recipient=row.recipient, week=row.week,
                     channel=channels.get(row.team_id) or ctx.settings.default_team_channel, row_id=row.id,
                     previous_claimed_at=row.previous_claimed_at, build=_builder(job, ctx, row.team_id, row.week))
                for row in rows], []
    mine = [people[key] for key in {(row.team_id, row.recipient) for row in rows} if key in people]
    team_data = job.team_data(ctx, {p.team_id for p in mine}) if job.team_data and mine else {}
    chunk_data = job.chunk_data(ctx, mine) if job.chunk_data and mine else {}
    with ctx.store.read() as session:
        away = timeoff_service.away_today_of(session, mine, ctx.clock.now()) if mine else {}
    items, missing = [], []
    for row in rows:
        person = people.get((row.team_id, row.recipient))
        if person is None:  # erased since it was queued
            missing.append(Delivered(_bare(row), Outcome.SKIPPED, "skipped", detail="no longer known"))
            continue
        if job.audience is Audience.ROUND:
            build = _builder(job, ctx, row.team_id, row.week, person.id)
        else:
            extra = (chunk_data.get(person.id),) if job.chunk_data else ()
            build = _builder(job, ctx, person, row.week, team_data.get(person.team_id), *extra)
        items.append(Item(job=job.name, team_id=row.team_id, recipient=row.recipient, week=row.week,
                          channel=person.user_id, person_id=person.id, row_id=row.id,
                          previous_claimed_at=row.previous_claimed_at, build=build,
                          # away: skip (status or holiday, from stored columns only: never users.info here)
                          away=away.get(person.id)))
    return items, missing


def _bare(row: ledger.Taken) -> Item:
    return Item(job=row.item, team_id=row.team_id, recipient=row.recipient, week=row.week, channel=None,
                build=lambda: None, row_id=row.id, previous_claimed_at=row.previous_claimed_at)


def _builder(job: Job, *args: Any) -> Callable[[], Outgoing | None]:
    """Build the job's message only when its item is claimed; render what the builder returns."""
    def build() -> Outgoing | None:
        data = job.build(*args)
        if data is None:
            return None
        if isinstance(data, ProgressPicture):
            return Outgoing({}, prepare=partial(picture_message, picture=data, monthly=True))
        prompt_id = data.prompt_id if isinstance(data, PromptMessage) else None
        return Outgoing(nudge_views.scheduled_message(data), prompt_id=prompt_id,
                        prompt_kind=job.prompt_kind if prompt_id else None)
    return build


def record_outcomes(rt: Runtime, token: str, results: list[Delivered]) -> None:
    """Write a chunk's outcomes: one ledger statement, the prompts sent, the people gone.

    The one place where what happened to each item becomes durable (counters go here too).
    """
    if not results:
        return
    now = rt.ctx.clock.now()
    with rt.ctx.store.session() as session:
        ours = ledger.record(session, token=token, now=now, outcomes=[
            ledger.Outcome(r.item.row_id, r.status, r.ts, r.detail) for r in results])
        sends = [r for r in results if r.item.row_id in ours and r.status == "sent" and r.prompt_id
                 and r.prompt_kind and r.item.person_id is not None]
        prompt_store.record_sends(session, [(r.item.person_id or 0, r.prompt_id or "", r.prompt_kind or "",
                                             r.item.week) for r in sends], now)
        gone = {r.item.person_id: r.gone for r in results if r.gone and r.item.person_id is not None}
        if gone:
            schedule_store.mark_gone_many(session, gone)
    lost = [r.item.key for r in results if r.status is not None and r.item.row_id not in ours]
    if lost:
        log.warning("the claims on %d items (%s, ...) were taken over while this process worked on them",
                    len(lost), lost[0])


# delivering one item -------------------------------------------------------------------------------
def _timed(rt: Runtime, resolver: ClientResolver, poster: Poster, item: Item) -> tuple[Delivered, float]:
    started = time.monotonic()
    try:
        delivered = deliver(rt, resolver, poster, item)
    except Exception:  # noqa: BLE001 - one broken item must not stop the sweep
        log.exception("delivering %s failed", item.key)
        delivered = _released(item)
    metrics.scheduled_send(item.job, delivered.outcome.value)
    return delivered, time.monotonic() - started


def skip_reason(rt: Runtime, item: Item) -> str | None:
    """Why ``item`` must not go to its recipient now, or None: the one per-recipient decision.

    Who is due (slot, pause, finished) was decided in bulk when the item was queued; what only
    one recipient can tell goes here.
    """
    if item.channel is None:
        log.warning("no team channel for %s: the %s digest is skipped (set one with /lead config or "
                    "LEAD_TEAM_CHANNEL)", item.team_id, item.week)
        return "no team channel"
    return None


def deliver(rt: Runtime, resolver: ClientResolver, poster: Poster, item: Item) -> Delivered:
    """(Decide,) (look,) build and post one taken item; see the module docstring."""
    if rt.stopping.is_set():
        return _released(item)
    if item.away is not None:  # away: skip (released, not finished: a return later today still gets it)
        log.debug("%s is away (%s): %s not sent now", item.recipient, item.away, item.key)
        return Delivered(item, Outcome.AWAY, None, detail=item.away)
    clients = resolver.for_team(item.team_id)
    if clients is None:
        return _released(item)
    reason = skip_reason(rt, item)
    if reason is not None:
        return Delivered(item, Outcome.SKIPPED, "skipped", detail=reason)
    if item.previous_claimed_at is not None:
        recovered = _recover(rt, clients, item)
        if recovered is not None:
            return recovered
    try:
        outgoing = item.build()
    except Exception:
        log.exception("building %s failed", item.key)
        return _released(item)
    if outgoing is None:
        return Delivered(item, Outcome.SKIPPED, "skipped", detail="nothing to send")
    payload = outgoing.payload
    if outgoing.prepare is not None:
        try:
            payload = outgoing.prepare(clients.read)  # the retrying client: a repeated upload shows nothing
        except Exception:
            log.exception("preparing %s failed", item.key)
            return _released(item)
    extra = {"prompt_id": outgoing.prompt_id} if outgoing.prompt_id else {}
    assert item.channel is not None
    posted = poster.post(clients.post, clients.read, item.channel, payload,
                         metadata=delivery_metadata(item.key, **extra), team_id=item.team_id)
    if posted.status is PostStatus.SENT:
        return Delivered(item, Outcome.RECOVERED if posted.found else Outcome.SENT, "sent", ts=posted.ts,
                         prompt_id=outgoing.prompt_id, prompt_kind=outgoing.prompt_kind,
                         detail="found after an uncertain attempt" if posted.found else None)
    if posted.status is PostStatus.GONE:
        return _gone(item, posted.error or "gone")
    return _released(item, uncertain=posted.uncertain)


def _recover(rt: Runtime, clients: TeamClients, item: Item) -> Delivered | None:
    """After a takeover: the outcome if the previous claimant got it out; None to send."""
    since = (item.previous_claimed_at or rt.ctx.clock.now() - rt.claim_timeout).timestamp() - LOOKUP_MARGIN_SECONDS
    assert item.channel is not None
    try:
        found: Found | None = find_delivery(clients.read, item.channel, item.key, since)
    except SearchFailed as exc:
        if item.person_id is not None and exc.error in GONE_ERRORS:
            return _gone(item, exc.error)
        if exc.transient:
            log.warning("cannot check whether %s was sent (%s); retrying later", item.key, exc.error)
            return _released(item, uncertain=True)
        # Searching is impossible for good (a missing scope, say): sending may duplicate, waiting
        # forever would lose it. A duplicate is the lesser harm.
        log.warning("cannot search %s for %s (%s); sending without the check", item.channel, item.key, exc.error)
        return None
    if found is None:
        return None
    prompt_id = found.payload.get("prompt_id")
    return Delivered(item, Outcome.RECOVERED, "sent", ts=found.ts, detail="found after a takeover",
                     prompt_id=prompt_id if isinstance(prompt_id, str) else None,
                     prompt_kind=job_named(item.job).prompt_kind)


def _gone(item: Item, error: str) -> Delivered:
    """Slack says the recipient is unreachable: skip, and stop sweeping a person who left."""
    log.info("%s cannot receive %s (%s); skipped", item.recipient, item.job, error)
    return Delivered(item, Outcome.SKIPPED, "skipped", detail=error, gone=error)


def _released(item: Item, *, uncertain: bool = False) -> Delivered:
    """Give the row back for the next sweep; ``unsure`` when Slack may have the message already."""
    return Delivered(item, Outcome.FAILED, ledger.UNSURE if uncertain else None)
