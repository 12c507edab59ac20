"""Scale-out, in one process: chunked ledger claims, the sweep's statement count, leadership,
pruning and the per-workspace send bucket, on SQLite and PostgreSQL.

The multi-process cases (several workers, a killed leader) are in test_scheduler_processes.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import event, select, text

from bot.clock import FixedClock
from bot.scheduler import runner
from bot.scheduler.clients import ClientResolver
from bot.scheduler.jobs import Runtime, drain, queue_due
from bot.scheduler.pacing import WorkspacePacer
from bot.scheduler.sender import ChannelLimiter, Poster, PostStatus, delivery_metadata
from bot.services.context import BotContext
from bot.store import events as events_store
from bot.store import ledger
from bot.store import people as people_store
from bot.store.db import Store
from bot.store.models import Delivery, ProcessedEvent, SendPacing
from tests.conftest import TEAM_ID, bot_settings
from tests.slack_emulator import SlackEmulator

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
STALE = timedelta(minutes=10)
KEYS = [(TEAM_ID, f"U{n:03d}", "2026-W48") for n in range(7)]


@contextmanager
def counted(store: Store) -> Iterator[list[str]]:
    """Every statement the store's engine sends to the database while the block runs."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def rows(store: Store) -> dict[str, Delivery]:
    with store.session() as session:
        return {d.recipient: d for d in session.scalars(select(Delivery))}


# the ledger by the chunk ---------------------------------------------------------------------------
def test_a_chunk_is_queued_once_and_each_row_is_taken_by_one_sender(store: Store) -> None:
    with store.session() as session:
        first = ledger.queue(session, "checkin-nudge", KEYS, now=T0, stale_after=STALE)
    with store.session() as session:
        again = ledger.queue(session, "checkin-nudge", KEYS, now=T0, stale_after=STALE)
    assert (first.new, first.held, again.new, again.held) == (7, 0, 0, 7)
    with store.session() as session:
        a = ledger.take_queued(session, token="a", now=T0, limit=4)
    with store.session() as session:
        b = ledger.take_queued(session, token="b", now=T0, limit=4)
    with store.session() as session:
        assert ledger.take_queued(session, token="c", now=T0, limit=4) == []
    assert len(a) == 4 and len(b) == 3 and not {r.id for r in a} & {r.id for r in b}
    assert all(r.previous_claimed_at is None for r in a + b)  # first claims: nothing to look for
    outcomes = [ledger.Outcome(a[0].id, "sent", "1.1"), ledger.Outcome(a[1].id, "skipped", detail="nothing"),
                ledger.Outcome(a[2].id, ledger.UNSURE), ledger.Outcome(a[3].id, None),
                ledger.Outcome(b[0].id, "sent", "1.2")]  # b's row: not a's to record
    with store.session() as session:
        ours = ledger.record(session, token="a", now=T0, outcomes=outcomes)
    assert ours == {a[0].id, a[1].id, a[2].id}
    by_id = {d.id: d for d in rows(store).values()}
    assert (by_id[a[0].id].status, by_id[a[0].id].message_ts, by_id[a[0].id].sent_at) == ("sent", "1.1", T0)
    assert (by_id[a[1].id].status, by_id[a[1].id].detail) == ("skipped", "nothing")
    assert by_id[a[2].id].status == ledger.UNSURE and a[3].id not in by_id  # released: queued again next sweep
    assert by_id[b[0].id].status == "claimed"


def test_a_dead_or_unsure_claim_is_queued_again_and_its_sender_looks_first(store: Store) -> None:
    with store.session() as session:
        session.add(Delivery(team_id=TEAM_ID, recipient="U000", item="checkin-nudge", week="2026-W48",
                             status="claimed", claim_token="dead", claimed_at=T0 - STALE - timedelta(seconds=1)))
        session.add(Delivery(team_id=TEAM_ID, recipient="U001", item="checkin-nudge", week="2026-W48",
                             status=ledger.UNSURE, claim_token="doubt", claimed_at=T0 - timedelta(hours=3)))
        session.add(Delivery(team_id=TEAM_ID, recipient="U002", item="checkin-nudge", week="2026-W48",
                             status="claimed", claim_token="alive", claimed_at=T0 - timedelta(minutes=1)))
        session.add(Delivery(team_id=TEAM_ID, recipient="U003", item="checkin-nudge", week="2026-W48",
                             status="sent", claim_token="done", claimed_at=T0 - timedelta(hours=1)))
    with store.session() as session:
        queued = ledger.queue(session, "checkin-nudge", KEYS[:4], now=T0, stale_after=STALE)
    assert (queued.new, queued.taken_over, queued.held) == (0, 2, 2)
    with store.session() as session:
        taken = {r.recipient: r for r in ledger.take_queued(session, token="heir", now=T0, limit=10)}
    assert set(taken) == {"U000", "U001"}
    assert taken["U000"].previous_claimed_at == T0 - STALE - timedelta(seconds=1)
    assert taken["U001"].previous_claimed_at == T0 - timedelta(hours=3)
    # The dead owner comes back too late: its outcome is not recorded over the heir's claim.
    with store.session() as session:
        assert ledger.record(session, token="dead", now=T0, outcomes=[
            ledger.Outcome(taken["U000"].id, "sent")]) == set()
    assert rows(store)["U000"].attempts == 2 and rows(store)["U000"].claim_token == "heir"


def test_senders_take_different_chunks_at_the_same_time(db_url: str) -> None:
    """Two processes (two engines) taking at once never get the same row; on PostgreSQL neither waits."""
    first, second = Store.from_url(db_url), Store.from_url(db_url)
    try:
        with first.session() as session:
            ledger.queue(session, "checkin-nudge", KEYS, now=T0)
        taken: dict[str, list[int]] = {}
        if first.engine.dialect.name == "postgresql":
            with first.session() as one:  # holds its rows locked while the other takes
                taken["a"] = [r.id for r in ledger.take_queued(one, token="a", now=T0, limit=4)]
                with second.session() as other:
                    taken["b"] = [r.id for r in ledger.take_queued(other, token="b", now=T0, limit=4)]
        else:  # SQLite has one writer at a time: the second waits its turn
            done = threading.Event()

            def take(store: Store, token: str) -> None:
                with store.session() as session:
                    taken[token] = [r.id for r in ledger.take_queued(session, token=token, now=T0, limit=4)]
                done.set()

            threads = [threading.Thread(target=take, args=(s, t)) for s, t in ((first, "a"), (second, "b"))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
        assert sorted(len(ids) for ids in taken.values()) == [3, 4]
        assert not set(taken["a"]) & set(taken["b"])
    finally:
        first.dispose()
        second.dispose()


# what a sweep costs -----------------------------------------------------------------------------------
def _people(store: Store, count: int, tz: str) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with store.session() as session:
        for n in range(count):
            person = people_store.get_or_create_person(session, TEAM_ID, f"U{n:04d}", now)
            people_store.update_person(session, person.id, slack_tz=tz)


def _runtime(ctx: BotContext, chunk_size: int) -> Runtime:
    return Runtime(ctx=ctx, resolver_factory=lambda: ClientResolver(ctx.settings, WebClient(), ctx.store.engine),
                   limiter=ChannelLimiter(0.0), claim_timeout=STALE, chunk_size=chunk_size)


def test_an_idle_sweep_costs_one_query_and_a_due_one_a_few_per_chunk(
        store: Store, db_url: str, clock: FixedClock) -> None:
    _people(store, 120, "Europe/Berlin")
    ctx = BotContext(store=store, clock=clock, settings=bot_settings(db_url, "http://127.0.0.1:9/api/"))
    begins = 1 if store.engine.dialect.name == "sqlite" else 0  # SQLite's BEGIN IMMEDIATE is a statement too
    with counted(store) as statements:
        report = queue_due(_runtime(ctx, 50), "checkin-nudge", datetime(2026, 11, 22, 9, 30, tzinfo=UTC))
    assert report.due == 0 and len(statements) == 1 + begins  # Sunday: nobody due, one grouped query
    with counted(store) as statements:
        report = queue_due(_runtime(ctx, 50), "checkin-nudge", T0)
    assert report.due == 120
    # The grouped query, the id span, then one window of ids (4 chunks wide) read in one statement
    # and queued with one INSERT … RETURNING per chunk of 50 (50, 50, 20).
    assert len(statements) == 1 + 1 + 1 + 3 + begins * 3
    assert sum("INSERT INTO deliveries" in s for s in statements) == 3
    assert len(rows(store)) == 120 and {d.status for d in rows(store).values()} == {ledger.QUEUED}


def test_a_queued_row_of_a_job_this_version_does_not_know_is_left_alone(
        store: Store, db_url: str, clock: FixedClock) -> None:
    """A rolling deploy: a newer process queued a job an older one does not have. The older one's
    drains must neither fail on it nor take it."""
    with store.session() as session:
        ledger.queue(session, "a-job-from-a-newer-version", KEYS[:1], now=T0, stale_after=STALE)
    ctx = BotContext(store=store, clock=FixedClock(T0), settings=bot_settings(db_url, "http://127.0.0.1:9/api/"))
    report = drain(_runtime(ctx, 50))
    assert report.due == 0 and sum(report.outcomes.values()) == 0
    assert {(d.item, d.status) for d in rows(store).values()} == {("a-job-from-a-newer-version", ledger.QUEUED)}


# leadership -------------------------------------------------------------------------------------------
def test_one_process_leads_and_a_standby_takes_over_when_it_goes(db_url: str, emulator: SlackEmulator,
                                                                 clock: FixedClock) -> None:
    contexts = [BotContext(store=Store.from_url(db_url), clock=clock, settings=bot_settings(db_url, emulator.url))
                for _ in range(2)]
    leader, standby = (runner.Leadership(ctx) for ctx in contexts)
    try:
        assert leader.try_lead() is True
        assert standby.try_lead() is False
        assert leader.try_lead() is True and standby.try_lead() is False  # asking again changes nothing
        leader.release()  # the process ended (a SIGKILL releases the lock the same way: the OS or the server)
        assert standby.try_lead() is True
        assert leader.try_lead() is False
    finally:
        leader.release()
        standby.release()
        for ctx in contexts:
            ctx.store.dispose()


@pytest.mark.postgres
def test_a_leader_whose_connection_dies_stops_leading_and_the_standby_leads(
        postgres_database: str, emulator: SlackEmulator, clock: FixedClock) -> None:
    contexts = [BotContext(store=Store.from_url(postgres_database), clock=clock,
                           settings=bot_settings(postgres_database, emulator.url)) for _ in range(2)]
    leader, standby = (runner.Leadership(ctx) for ctx in contexts)
    try:
        assert leader.try_lead() and not standby.try_lead()
        with contexts[1].store.session() as session:  # the server drops the leader's session
            session.execute(text("SELECT pg_terminate_backend(pid) FROM pg_locks "
                                 "WHERE locktype = 'advisory' AND objid = :key"), {"key": runner.LEADER_LOCK_KEY})
        with pytest.raises(Exception):  # noqa: B017 - whichever driver error: the lead is gone
            leader.try_lead()
        assert leader.leading is False
        assert standby.try_lead() is True
    finally:
        leader.release()
        standby.release()
        for ctx in contexts:
            ctx.store.dispose()


# pruning ----------------------------------------------------------------------------------------------
def test_pruning_forgets_old_request_keys_and_old_finished_deliveries_in_chunks(
        store: Store, db_url: str, clock: FixedClock) -> None:
    now = clock.now()
    with store.session() as session:
        for n in range(5):
            events_store.first_time_seen(session, f"old-{n}", now - timedelta(days=8))
        events_store.first_time_seen(session, "recent", now - timedelta(days=6))
        for n, (status, age) in enumerate([("sent", 40), ("skipped", 40), ("sent", 36), ("claimed", 40),
                                           (ledger.UNSURE, 40), ("sent", 30)]):
            session.add(Delivery(team_id=TEAM_ID, recipient=f"U{n}", item="checkin-nudge", week="2026-W40",
                                 status=status, claim_token="t", claimed_at=now - timedelta(days=age)))
    ctx = BotContext(store=store, clock=clock, settings=bot_settings(db_url, "http://127.0.0.1:9/api/"))
    assert runner.prune(ctx, chunk=2) == {"processed_events": 5, "deliveries": 3, "workspaces": 0}
    with store.session() as session:
        assert list(session.scalars(select(ProcessedEvent.event_id))) == ["recent"]
    # Finished rows past retention go; recent ones and claims still in progress stay.
    assert sorted(rows(store)) == ["U3", "U4", "U5"]
    assert runner.prune(ctx, chunk=2) == {"processed_events": 0, "deliveries": 0, "workspaces": 0}


# pacing per workspace -----------------------------------------------------------------------------------
TAKE_SCRIPT = """
import json, sys
from bot.scheduler.pacing import WorkspacePacer
from bot.store import pacing
from bot.store.db import Store
store = Store.from_url(sys.argv[1])
taken = 0
while True:
    with store.session() as session:
        grant = pacing.take(session, "T0001", want=1, now=float(sys.argv[2]), rate=5.0, burst=20.0, lease=0.0)
    if not grant.tokens:
        break
    taken += 1
print(json.dumps({"taken": taken, "wait": grant.wait}))
store.dispose()
"""


def _take_in_a_process(db_url: str, now: float) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", TAKE_SCRIPT, db_url, str(now)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_the_workspace_bucket_is_shared_between_processes(db_url: str) -> None:
    first = _take_in_a_process(db_url, 1000.0)
    second = _take_in_a_process(db_url, 1000.0)  # same instant: the first process emptied the bucket
    assert (first["taken"], second["taken"]) == (20, 0)
    assert second["wait"] == pytest.approx(0.2)  # one token refills in 1/5 s
    assert _take_in_a_process(db_url, 1002.0)["taken"] == 10  # 2 s later: 10 more, for whoever asks


class FakeTime:
    def __init__(self, start: float) -> None:
        self.now = start
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_429_in_one_process_pauses_the_workspace_for_every_process(db_url: str, emulator: SlackEmulator) -> None:
    stores = [Store.from_url(db_url) for _ in range(2)]
    time_a, time_b = FakeTime(5000.0), FakeTime(5000.0)
    a = WorkspacePacer(stores[0], rate=100.0, burst=20.0, clock=time_a.clock, sleep=time_a.sleep)
    b = WorkspacePacer(stores[1], rate=100.0, burst=20.0, clock=time_b.clock, sleep=time_b.sleep)
    try:
        # A real 429 through the poster of process "a": Slack says wait 7 s.
        emulator.rate_limit_first_attempt("chat.postMessage", retry_after=7)
        client = WebClient(token="xoxb-test", base_url=emulator.url, retry_handlers=[])
        poster = Poster(ChannelLimiter(0.0), pacer=a, max_attempts=1)
        result = poster.post(client, client, "U1", {"text": "hi"}, metadata=delivery_metadata("k"), team_id=TEAM_ID)
        assert result.status is PostStatus.RETRY
        with stores[1].session() as session:
            row = session.get(SendPacing, TEAM_ID)
        assert row is not None and row.paused_until == pytest.approx(5007.0)
        # Process "b" had sent nothing yet: its next post still waits the pause out.
        waited = b.acquire(TEAM_ID)
        assert waited == pytest.approx(7.0) and time_b.now >= 5007.0
        assert b.acquire(TEAM_ID) == 0.0  # afterwards the bucket refills at its rate
    finally:
        for store in stores:
            store.dispose()


def test_a_lease_ahead_makes_other_processes_wait_their_turn(store: Store) -> None:
    """Tokens leased ahead put the bucket in debt: whoever asks next is served after it, at the rate."""
    from bot.store import pacing

    with store.session() as session:
        first = pacing.take(session, TEAM_ID, want=30, now=1000.0, rate=5.0, burst=20.0, lease=2.0)
    assert (first.tokens, first.start) == (30, 1000.0)  # 20 saved + 2 s of the rate, spaced from now
    with store.session() as session:
        refused = pacing.take(session, TEAM_ID, want=5, now=1000.0, rate=5.0, burst=20.0, lease=2.0)
    assert refused.tokens == 0 and refused.wait == pytest.approx(0.2)
    with store.session() as session:
        later = pacing.take(session, TEAM_ID, want=5, now=1000.2, rate=5.0, burst=20.0, lease=2.0)
    # One token, usable once the first lease's debt is paid: 30 posts since t=1000 at 5/s.
    assert later.tokens == 1 and later.start == pytest.approx(1002.2)


def test_team_channel_posts_take_the_workspace_bucket_and_a_429_pauses_it(
        store: Store, db_url: str, emulator: SlackEmulator, clock: FixedClock) -> None:
    from bot.services.types.wins import WinPost
    from bot.slack.team_channel import SlackTeamChannel
    from tests.conftest import TEAM_CHANNEL

    settings = bot_settings(db_url, emulator.url, send_rate=5.0, send_burst=3.0)
    ctx = BotContext(store=store, clock=clock, settings=settings)
    team = SlackTeamChannel(WebClient(token="xoxb-test", base_url=emulator.url, retry_handlers=[]), ctx, TEAM_ID)
    assert team.post(TEAM_CHANNEL, WinPost(user_id="U1", text="Shipped the thing")).posted
    with store.session() as session:
        row = session.get(SendPacing, TEAM_ID)
    assert row is not None and row.tokens < 3.0  # the post was paid for from the shared bucket
    emulator.rate_limit_first_attempt("chat.postMessage", retry_after=30)
    team = SlackTeamChannel(WebClient(token="xoxb-test", base_url=emulator.url, retry_handlers=[]), ctx, TEAM_ID)
    assert not team.post("C0SECOND", WinPost(user_id="U1", text="Another")).posted
    with store.session() as session:
        row = session.get(SendPacing, TEAM_ID)
    assert row is not None and row.paused_until >= row.updated_at + 29  # every process now waits it out
