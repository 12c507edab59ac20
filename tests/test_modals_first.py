"""Issue 13, item 4: a command's modal opens before anything is written or Slack is asked who someone is.

The modal is built from reads that take no write lock; a first-time user is stored afterwards in
one upsert, with the zone ``users.info`` gave. Writers on SQLite queue on one in-process lock
instead of sleeping in SQLite's busy handler, and readers never wait for a writer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from bot.store.db import Store
from bot.store.models import Person, Workspace
from tests.conftest import MONDAY_W48, RunningBot
from tests.helpers import open_view, wait_until

NEWCOMERS = 20


@contextmanager
def writes_seen(store: Store) -> Iterator[list[tuple[float, str]]]:
    """(monotonic time, statement) of every INSERT, UPDATE or DELETE the bot runs, except the request
    ledger's: that one-row insert is what makes a re-sent request act once, so it comes first."""
    seen: list[tuple[float, str]] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE") and "processed_events" not in statement:
            seen.append((time.monotonic(), statement))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def people(bot: RunningBot) -> list[Person]:
    with bot.ctx.store.read() as session:
        rows = list(session.scalars(select(Person).order_by(Person.user_id)))
        session.expunge_all()
    return rows


def stored_with_zone(bot: RunningBot, user: str) -> Person | None:
    rows = [p for p in people(bot) if p.user_id == user and p.tz_fetched_at is not None]
    return rows[0] if rows else None


@pytest.mark.parametrize("command", ["checkin", "settings", "goal", "start", "win"])
def test_the_modal_opens_before_any_write_or_users_info(bot: RunningBot, command: str) -> None:
    with writes_seen(bot.ctx.store) as writes:
        open_view(bot, command)
        wait_until(lambda: stored_with_zone(bot, "U1"))
    opened = bot.emulator.calls_to("views.open")[0].at
    asked = bot.emulator.calls_to("users.info")
    assert len(asked) == 1 and asked[0].at > opened
    assert writes, "the first-time user was never stored"
    assert all(at > opened for at, _ in writes), [s for at, s in writes if at <= opened]


def test_a_first_time_user_is_stored_once_with_their_zone(bot: RunningBot) -> None:
    with writes_seen(bot.ctx.store) as writes:
        open_view(bot, "checkin", callback_id="checkin")
        person = wait_until(lambda: stored_with_zone(bot, "U1"))
    assert person.slack_tz == "Europe/Berlin" and person.display_name
    assert len(people(bot)) == 1
    # One upsert of the person (and the workspace's own row, new too), nothing else.
    assert [s.split()[2] for _, s in writes] == ["workspaces", "people"]
    assert "ON CONFLICT" in writes[1][1].upper()


def test_a_known_user_opens_the_modal_without_writing(bot: RunningBot) -> None:
    open_view(bot, "checkin")
    wait_until(lambda: stored_with_zone(bot, "U1"))
    with writes_seen(bot.ctx.store) as writes:
        open_view(bot, "checkin")
        time.sleep(0.2)  # whatever the listener does after the modal opened
    assert writes == [] and len(bot.emulator.calls_to("users.info")) == 1


def test_a_newcomer_whose_zone_is_another_week_gets_the_modal_of_that_week(bot: RunningBot) -> None:
    # Monday 09:14 UTC is still Sunday evening in Honolulu: the check-in is filed under last week.
    bot.emulator.add_user("UHNL", tz="Pacific/Honolulu", name="Kai Hale")
    open_view(bot, "checkin", user="UHNL")
    bot.emulator.wait_for("views.update")
    first, now = bot.emulator.opened_views[0], bot.emulator.opened_views[-1]
    assert "Week of 23 Nov" in str(first["blocks"][0])
    assert now["id"] == first["id"] and "Week of 16 Nov" in str(now["blocks"][0])


def send_together(bot: RunningBot, barrier: threading.Barrier, user: str, replies: list[int]) -> None:
    barrier.wait()
    replies.append(bot.driver.command("checkin", user=user).status)


def test_twenty_first_time_users_at_once_all_get_their_modal_and_one_row(bot: RunningBot) -> None:
    users = [f"UNEW{i:02d}" for i in range(NEWCOMERS)]
    for user in users:
        bot.emulator.add_user(user, tz="Asia/Kolkata", name=f"New {user}")
    for round_ in (1, 2):  # the second time they are known; still one row each
        replies: list[int] = []
        barrier = threading.Barrier(NEWCOMERS)
        threads = [threading.Thread(target=send_together, args=(bot, barrier, user, replies)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert replies == [200] * NEWCOMERS
        calls = bot.emulator.wait_for("views.open", NEWCOMERS * round_, timeout=15)
        assert [c.status for c in calls] == [200] * NEWCOMERS * round_
        wait_until(lambda: all(stored_with_zone(bot, u) for u in users), timeout=15)
        rows = people(bot)
        assert sorted(p.user_id for p in rows) == users
        assert {p.slack_tz for p in rows} == {"Asia/Kolkata"}
    assert not bot.emulator.responses  # nobody was told "Something went wrong"


# the store's two ways in -----------------------------------------------------------------------------
@pytest.mark.sqlite_only
def test_a_reader_does_not_wait_for_a_writer_on_sqlite(store: Store) -> None:
    held, done = threading.Event(), threading.Event()

    def writer() -> None:
        with store.session() as session:
            session.execute(text("INSERT INTO workspaces (team_id, created_at, slots, default_tz, celebrations) "
                                 "VALUES ('TW', '2026-11-23', '{}', 'UTC', 'digest')"))
            held.set()
            done.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert held.wait(5)
        started = time.monotonic()
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(Workspace)) == 0  # the writer's is not committed
        assert time.monotonic() - started < 0.2
    finally:
        done.set()
        thread.join()


@pytest.mark.sqlite_only
def test_writers_take_turns_without_the_busy_handlers_sleeps(store: Store) -> None:
    # SQLite's busy handler polls in growing steps (100 ms apart by now): a writer waiting there
    # gets in up to 100 ms after the lock is free. Queued on the in-process lock it gets in at once.
    hold = 0.25
    released: list[float] = []
    began: list[float] = []
    held = threading.Event()

    def first() -> None:
        with store.session() as session:
            session.execute(text("SELECT 1"))
            held.set()
            time.sleep(hold)
            released.append(time.monotonic())

    def second() -> None:
        held.wait(5)
        with store.session() as session:
            session.execute(text("SELECT 1"))  # the transaction begins here, with the write lock
            began.append(time.monotonic())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert began[0] - released[0] < 0.03


def test_a_read_never_keeps_what_it_wrote(store: Store) -> None:
    with store.read() as session:
        session.add(Workspace(team_id="TREAD", slots={}, default_tz="UTC", celebrations="digest",
                              created_at=MONDAY_W48))
        session.flush()
    with store.read() as session:
        assert session.get(Workspace, "TREAD") is None

