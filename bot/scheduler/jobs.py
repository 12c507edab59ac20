"""Each scheduled job (``bot/scheduler/registry.py``) is a *sweep*: find what is due now, deliver each once.

A sweep runs every few minutes (and on demand through ``lead-bot jobs run``). It reads who is
due in bulk, drops what the ledger says is finished, then delivers each remaining item on a
bounded thread pool. Delivering one item (:func:`deliver`) is:

1. claim (team, recipient, item, week) in the ledger; someone else's live claim or a finished
   row means do nothing;
2. when the claim was taken over from a process that died (or a send that ended in doubt),
   first look for the message in the conversation: found means it was sent, record that;
3. build the message (a prompt sweep picks the prompt here); nothing to say means "skipped";
4. post it; then record "sent" (and the prompt sent), "skipped" for a person Slack says is
   gone (and mark them inactive), or release the claim so the next sweep tries again.
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from functools import partial
from typing import Any

from slack_sdk import WebClient

from bot import metrics
from bot.coaching.schedule import Slot, due_week, zone
from bot.coaching.timeoff import AwayCheck, away_today, digest_slot, stored_calendar
from bot.coaching.weeks import week_of
from bot.scheduler.clients import ClientResolver, TeamClients
from bot.scheduler.registry import TEAM_DIGEST, Audience, Job, job_named
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
from bot.services.context import BotContext
from bot.services.types.home import ProgressPicture
from bot.services.types.nudges import PromptMessage
from bot.slack.picture import picture_message
from bot.store import ledger
from bot.store import prompts as prompt_store
from bot.store import schedule as schedule_store
from bot.store import timeoff as timeoff_store
from bot.store.records import PersonRecord
from bot.views import nudges as nudge_views

log = logging.getLogger(__name__)

DEFAULT_POOL_SIZE = 8


@dataclass
class Runtime:
    """What sweeps need that cannot live in the job store (it cannot be pickled)."""

    ctx: BotContext
    resolver_factory: Callable[[], ClientResolver]
    limiter: ChannelLimiter
    claim_timeout: timedelta
    stopping: threading.Event = field(default_factory=threading.Event)
    pool_size: int = DEFAULT_POOL_SIZE


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
    AWAY = "away"  # the person is away today: not sent, not recorded, so a return later today still gets it


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
    """One (team, recipient, item, week) to deliver, and how to build its message."""

    job: str
    team_id: str
    recipient: str  # the person's user id; the team id for the team digest
    week: str
    channel: str | None  # where it goes: the user id (a DM) or the team channel
    build: Callable[[], Outgoing | None]
    person_id: int | None = None
    away: str | None = None  # why the person is away today (bot/coaching/timeoff.py), or None

    @property
    def key(self) -> str:
        return delivery_key(self.team_id, self.recipient, self.job, self.week)

    @property
    def ledger_key(self) -> dict[str, str]:
        return {"team_id": self.team_id, "recipient": self.recipient, "item": self.job, "week": self.week}


# finding what is due -----------------------------------------------------------------------------
def sweep(rt: Runtime, job: str, moment: datetime) -> SweepReport:
    """Deliver everything of ``job`` that is due at ``moment`` and not yet delivered."""
    began = time.monotonic()
    moment = moment.astimezone(UTC)
    entry = job_named(job)
    items = (personal_items(rt.ctx, entry, moment) if entry.audience is Audience.PERSON
             else round_items(rt.ctx, entry, moment) if entry.audience is Audience.ROUND
             else team_items(rt.ctx, entry, moment))
    report = SweepReport(job=job, at=moment, due=len(items))
    if not items:
        metrics.sweep_finished(job, time.monotonic() - began)
        return report
    resolver = rt.resolver_factory()
    poster = Poster(rt.limiter, stopping=rt.stopping)
    with ThreadPoolExecutor(max_workers=max(1, min(rt.pool_size, len(items))),
                            thread_name_prefix=f"sweep-{job}") as pool:
        futures = [pool.submit(_timed, rt, resolver, poster, item) for item in items]
        for future in futures:
            outcome, seconds = future.result()
            report.add(outcome, seconds)
    metrics.sweep_finished(job, time.monotonic() - began)
    log.info("sweep %s at %s: %s", job, moment.isoformat(), report.as_dict())
    return report


def personal_items(ctx: BotContext, job: Job, moment: datetime) -> list[Item]:
    """Every person whose ``job`` slot has arrived this (local) week and who may get it now."""
    with ctx.store.session() as session:
        people = schedule_store.eligible_people(session)
    due: list[tuple[PersonRecord, str, date]] = []
    for person in people:
        tz = zone(person.timezone)
        week = due_week(job.slot(person.slots, person.workspace_slots), moment, tz)
        if week is not None and job.runs_in(week):
            due.append((person, week, moment.astimezone(tz).date()))
    if not due:
        return []
    with ctx.store.session() as session:
        pauses = schedule_store.pauses_of(session, [p.id for p, _, _ in due])
        finished = schedule_store.finished_keys(session, job.name, {week for _, week, _ in due})
        away_rules = timeoff_store.workspace_rules(session, {person.team_id for person, _, _ in due})
    due = [(person, week, today) for person, week, today in due
           if (person.team_id, person.user_id, week) not in finished
           and not any(start <= today <= end for start, end in pauses.get(person.id, []))]
    if job.wanted is not None and due:
        wanted = job.wanted(ctx, [(person.id, week) for person, week, _ in due])
        due = [entry for entry in due if entry[0].id in wanted]
    team_data = job.team_data(ctx, {person.team_id for person, _, _ in due}) if job.team_data and due else {}
    return [Item(job=job.name, team_id=person.team_id, recipient=person.user_id, week=week, channel=person.user_id,
                 person_id=person.id, build=_builder(job, ctx, person, week, team_data.get(person.team_id)),
                 # away: skip (status or holiday, from stored columns only: never users.info here)
                 away=away_today(AwayCheck(person.status_text, person.status_emoji, person.status_expiration,
                                           person.away_detection, person.holidays,
                                           *away_rules.get(person.team_id, (None, None))), moment, today))
            for person, week, today in due]


def team_items(ctx: BotContext, job: Job, moment: datetime) -> list[Item]:
    """Every workspace whose ``job`` slot (in its default time zone) has arrived this week."""
    with ctx.store.session() as session:
        teams = schedule_store.teams(session)
    due = []
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
            due.append((team, week))
    if not due:
        return []
    with ctx.store.session() as session:
        finished = schedule_store.finished_keys(session, job.name, {week for _, week in due})
    return [Item(job=job.name, team_id=team.team_id, recipient=team.team_id, week=week,
                 channel=team.team_channel or ctx.settings.default_team_channel,
                 build=_builder(job, ctx, team.team_id, week))
            for team, week in due if (team.team_id, team.team_id, week) not in finished]


def round_items(ctx: BotContext, job: Job, moment: datetime) -> list[Item]:
    """Each person a workspace's round names (``job.recipients``), once its slot has arrived this week.

    The slot is the workspace's, in its default time zone, like the digest's; each DM is still
    its own ledger item, so a re-run sends only what is missing.
    """
    assert job.recipients is not None
    with ctx.store.session() as session:
        teams = schedule_store.teams(session)
    due = []
    for team in teams:
        week = due_week(job.slot(None, team.slots), moment, zone(team.default_tz))
        if week is not None and job.runs_in(week):
            due.append((team.team_id, week))
    if not due:
        return []
    with ctx.store.session() as session:
        finished = schedule_store.finished_keys(session, job.name, {week for _, week in due})
    wanted = [(team_id, week, person_id, user_id) for team_id, week in due
              for person_id, user_id in job.recipients(ctx, team_id, week) if (team_id, user_id, week) not in finished]
    if not wanted:
        return []
    with ctx.store.session() as session:
        people = {p.id: p for p in schedule_store.eligible_people(session)}
        away_rules = timeoff_store.workspace_rules(session, {team_id for team_id, _, _, _ in wanted})

    def away(person_id: int) -> str | None:
        """Like a personal job's: a person away today gets their part of the round when back this week."""
        person = people.get(person_id)
        if person is None:
            return None
        return away_today(AwayCheck(person.status_text, person.status_emoji, person.status_expiration,
                                    person.away_detection, person.holidays,
                                    *away_rules.get(person.team_id, (None, None))),
                          moment, moment.astimezone(zone(person.timezone)).date())

    return [Item(job=job.name, team_id=team_id, recipient=user_id, week=week, channel=user_id, person_id=person_id,
                 build=_builder(job, ctx, team_id, week, person_id), away=away(person_id))
            for team_id, week, person_id, user_id in wanted]


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


# delivering one item -------------------------------------------------------------------------------
def _timed(rt: Runtime, resolver: ClientResolver, poster: Poster, item: Item) -> tuple[Outcome, float]:
    started = time.monotonic()
    try:
        outcome = deliver(rt, resolver, poster, item)
    except Exception:  # noqa: BLE001 - one broken item must not stop the sweep
        log.exception("delivering %s failed", item.key)
        outcome = Outcome.FAILED
    metrics.scheduled_send(item.job, outcome.value)
    return outcome, time.monotonic() - started


def deliver(rt: Runtime, resolver: ClientResolver, poster: Poster, item: Item) -> Outcome:
    """Claim, (look,) build, post and record one item; see the module docstring."""
    if rt.stopping.is_set():
        return Outcome.FAILED
    if item.away is not None:
        log.debug("%s is away (%s): %s not sent now", item.recipient, item.away, item.key)
        return Outcome.AWAY
    clients = resolver.for_team(item.team_id)
    if clients is None:
        return Outcome.FAILED
    ctx, token = rt.ctx, ledger.new_token()
    with ctx.store.session() as session:
        result = ledger.claim(session, **item.ledger_key, token=token, now=ctx.clock.now(),
                              stale_after=rt.claim_timeout)
    if result.claim is ledger.Claim.HELD:
        return Outcome.HELD
    if item.channel is None:
        log.warning("no team channel for %s: the %s digest is skipped (set one with /lead config or "
                    "LEAD_TEAM_CHANNEL)", item.team_id, item.week)
        return _finish(rt, item, token, "skipped", detail="no team channel")
    if result.claim is ledger.Claim.TAKEN_OVER:
        recovered = _recover(rt, clients, item, token, result.previous_claimed_at)
        if recovered is not None:
            return recovered
    try:
        outgoing = item.build()
    except Exception:
        log.exception("building %s failed", item.key)
        _release(rt, item, token)
        return Outcome.FAILED
    if outgoing is None:
        return _finish(rt, item, token, "skipped", detail="nothing to send")
    payload = outgoing.payload
    if outgoing.prepare is not None:
        try:
            payload = outgoing.prepare(clients.read)  # the retrying client: a repeated upload shows nothing
        except Exception:
            log.exception("preparing %s failed", item.key)
            _release(rt, item, token)
            return Outcome.FAILED
    extra = {"prompt_id": outgoing.prompt_id} if outgoing.prompt_id else {}
    posted = poster.post(clients.post, clients.read, item.channel, payload,
                         metadata=delivery_metadata(item.key, **extra))
    if posted.status is PostStatus.SENT:
        _finish(rt, item, token, "sent", ts=posted.ts, prompt_id=outgoing.prompt_id, kind=outgoing.prompt_kind,
                detail="found after an uncertain attempt" if posted.found else None)
        return Outcome.RECOVERED if posted.found else Outcome.SENT
    if posted.status is PostStatus.GONE:
        return _gone(rt, item, token, posted.error or "gone")
    _release(rt, item, token, uncertain=posted.uncertain)
    return Outcome.FAILED


def _recover(rt: Runtime, clients: TeamClients, item: Item, token: str,
             previous_claimed_at: datetime | None) -> Outcome | None:
    """After a takeover: record the message if the previous claimant got it out; None to send."""
    since = (previous_claimed_at or rt.ctx.clock.now() - rt.claim_timeout).timestamp() - LOOKUP_MARGIN_SECONDS
    assert item.channel is not None
    try:
        found: Found | None = find_delivery(clients.read, item.channel, item.key, since)
    except SearchFailed as exc:
        if item.person_id is not None and exc.error in GONE_ERRORS:
            return _gone(rt, item, token, exc.error)
        if exc.transient:
            log.warning("cannot check whether %s was sent (%s); retrying later", item.key, exc.error)
            _release(rt, item, token, uncertain=True)
            return Outcome.FAILED
        # Searching is impossible for good (a missing scope, say): sending may duplicate, waiting
        # forever would lose it. A duplicate is the lesser harm.
        log.warning("cannot search %s for %s (%s); sending without the check", item.channel, item.key, exc.error)
        return None
    if found is None:
        return None
    prompt_id = found.payload.get("prompt_id")
    _finish(rt, item, token, "sent", ts=found.ts, prompt_id=prompt_id if isinstance(prompt_id, str) else None,
            kind=job_named(item.job).prompt_kind, detail="found after a takeover")
    return Outcome.RECOVERED


def _finish(rt: Runtime, item: Item, token: str, status: str, *, ts: str | None = None,
            prompt_id: str | None = None, kind: str | None = None, detail: str | None = None) -> Outcome:
    """Record the outcome, and the prompt sent with it, in one transaction."""
    now = rt.ctx.clock.now()
    with rt.ctx.store.session() as session:
        ours = ledger.finish(session, **item.ledger_key, token=token, status=status, now=now, message_ts=ts,
                             detail=detail)
        if ours and status == "sent" and prompt_id and kind and item.person_id is not None:
            prompt_store.record_send(session, item.person_id, prompt_id, kind, item.week, now)
    if not ours:
        log.warning("the claim on %s was taken over while this process worked on it", item.key)
    return Outcome.SENT if status == "sent" else Outcome.SKIPPED


def _gone(rt: Runtime, item: Item, token: str, error: str) -> Outcome:
    """Slack says the recipient is unreachable: skip, and stop sweeping a person who left."""
    with rt.ctx.store.session() as session:
        ledger.finish(session, **item.ledger_key, token=token, status="skipped", now=rt.ctx.clock.now(),
                      detail=error)
        if item.person_id is not None:
            schedule_store.mark_gone(session, item.person_id, error)
    log.info("%s cannot receive %s (%s); skipped", item.recipient, item.job, error)
    return Outcome.SKIPPED


def _release(rt: Runtime, item: Item, token: str, *, uncertain: bool = False) -> None:
    with rt.ctx.store.session() as session:
        ledger.release(session, **item.ledger_key, token=token, uncertain=uncertain)
