"""The weekly rhythm end to end through the Slack emulator, on SQLite and on PostgreSQL.

Time is injected: sweeps run "as if" the clock read a given moment. Every message the bot
posts carries its delivery key in Slack metadata, which the tests use to count deliveries.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from bot.clock import FixedClock, SystemClock
from bot.coaching.focus import effective_focus, week_target
from bot.coaching.library import default_library
from bot.coaching.schedule import effective_slot, slot_instant, zone
from bot.scheduler import runner
from bot.scheduler.clients import ClientResolver
from bot.scheduler.jobs import Runtime, sweep
from bot.scheduler.registry import DEFAULT_SLOTS, JOB_NAMES
from bot.scheduler.sender import ChannelLimiter
from bot.services.celebrations import celebrate_milestone
from bot.services.context import BotContext
from bot.services.export import export_person
from bot.slack.team_channel import SlackTeamChannel
from bot.store import checkins as checkin_store
from bot.store import people as people_store
from bot.store import wins as win_store
from bot.store.db import Store
from bot.store.models import Delivery, LearningLog, Person, PromptFeedback, PromptSend, Reflection
from tests.conftest import TEAM_CHANNEL, TEAM_ID, RunningBot, bot_settings
from tests.helpers import block, keys_sent, wait_until
from tests.slack_emulator import SlackEmulator

UTC = UTC
RATINGS = {"personality": 3, "upskilling": 3, "delegation": 2, "progress": 4}


# helpers -------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no channel waiting on another test's posts."""
    monkeypatch.setattr(runner, "_LIMITER", ChannelLimiter())


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def ctx(db_url: str, emulator: SlackEmulator, clock: FixedClock) -> Iterator[BotContext]:
    context = BotContext(store=Store.from_url(db_url), clock=clock, settings=bot_settings(db_url, emulator.url))
    yield context
    context.store.dispose()


def client_for(emulator: SlackEmulator, timeout: int = 10) -> WebClient:
    return WebClient(token="xoxb-test", base_url=emulator.url, timeout=timeout)


def add_person(ctx: BotContext, user_id: str, tz: str, *, slots: dict[str, str] | None = None,
               nudges: bool = True, name: str | None = None, track: str | None = None,
               celebrate: bool = True, workspace_tz: str | None = None) -> int:
    with ctx.store.session() as session:
        person = people_store.get_or_create_person(session, TEAM_ID, user_id, utc(2026, 1, 1))
        people_store.update_person(session, person.id, slack_tz=tz, display_name=name or f"{user_id} Example",
                                   nudges_enabled=nudges, slots=dict(slots or {}), track=track,
                                   celebrate_publicly=celebrate)
        if workspace_tz:
            people_store.update_workspace(session, TEAM_ID, utc(2026, 1, 1), default_tz=workspace_tz)
        return person.id


def check_in(ctx: BotContext, person_id: int, week: str, reflection: str | None = None) -> None:
    with ctx.store.session() as session:
        checkin_store.upsert_checkin(session, person_id, week, ratings=RATINGS, learning_minutes=30, practices=[],
                                     reflection=reflection, submitted_at=utc(2026, 1, 1))


def ledger(ctx: BotContext) -> dict[tuple[str, str, str], Delivery]:
    with ctx.store.session() as session:
        return {(d.recipient, d.item, d.week): d for d in session.scalars(select(Delivery))}


def fast_runtime(ctx: BotContext, client: WebClient) -> Runtime:
    """A runtime whose limiter does not make simulated days wait for real seconds."""
    return Runtime(ctx=ctx, resolver_factory=lambda: ClientResolver(ctx.settings, client, ctx.store.engine),
                   limiter=ChannelLimiter(0.0), claim_timeout=timedelta(minutes=10))


def dm_texts(emulator: SlackEmulator, user: str) -> str:
    return json.dumps(emulator.messages.get(user, []))


# a whole week, several zones, DST -----------------------------------------------------------------
WEEK_PEOPLE = {
    "UBER": "Europe/Berlin", "UNYC": "America/New_York", "USYD": "Australia/Sydney", "UTYO": "Asia/Tokyo",
    "UKOL": "Asia/Kolkata", "UUTC": "UTC",
}
EDGE = "UEDGE"  # Berlin, check-in nudge moved to Sunday 02:30: a repeated hour on 25 October


def _sweep_times(start: datetime, end: datetime, instants: list[datetime]) -> list[datetime]:
    """Every hour, plus every five minutes from 10 minutes before to 30 after each slot."""
    times = set()
    t = start
    while t <= end:
        times.add(t)
        t += timedelta(hours=1)
    for instant in instants:
        base = instant.replace(minute=instant.minute - instant.minute % 5)
        for step in range(-2, 7):
            moment = base + timedelta(minutes=5 * step)
            if start <= moment <= end:
                times.add(moment)
    return sorted(times)


def test_a_week_across_time_zones_and_dst_changes_delivers_each_item_once_at_its_local_slot(
        ctx: BotContext, emulator: SlackEmulator, clock: FixedClock) -> None:
    ids = {user: add_person(ctx, user, tz, workspace_tz="Europe/Berlin") for user, tz in WEEK_PEOPLE.items()}
    ids[EDGE] = add_person(ctx, EDGE, "Europe/Berlin", slots={"checkin-nudge": "sun 02:30"})
    # Saturday 24 Oct (before Berlin's change on Sunday 25) to Monday 2 Nov (after New York's on 1 Nov).
    start, end = utc(2026, 10, 24, 12), utc(2026, 11, 2, 18)
    people = {**WEEK_PEOPLE, EDGE: "Europe/Berlin"}
    expected: dict[str, datetime] = {}
    for user, tz_name in people.items():
        slots = {"checkin-nudge": "sun 02:30"} if user == EDGE else {}
        for job in ("checkin-nudge", "upskilling-prompt", "checkin-reminder", "reflection-prompt"):
            for week in ("2026-W43", "2026-W44", "2026-W45"):
                instant = slot_instant(effective_slot(job, slots, {}, DEFAULT_SLOTS[job]), week, zone(tz_name))
                if start <= instant <= end and not (job == "checkin-reminder" and user in ("UBER", "UTYO")):
                    expected[f"{TEAM_ID}:{user}:{job}:{week}"] = instant
    expected[f"{TEAM_ID}:{TEAM_ID}:team-digest:2026-W44"] = utc(2026, 10, 30, 15)  # Friday 16:00 CET
    # Hand-checked anchors, so the expectations above cannot silently follow a bug in slot_instant.
    assert expected[f"{TEAM_ID}:UNYC:checkin-nudge:2026-W44"] == utc(2026, 10, 26, 14)  # EDT
    assert expected[f"{TEAM_ID}:UNYC:checkin-nudge:2026-W45"] == utc(2026, 11, 2, 15)  # EST
    assert expected[f"{TEAM_ID}:UBER:checkin-nudge:2026-W44"] == utc(2026, 10, 26, 9)  # CET
    assert expected[f"{TEAM_ID}:USYD:checkin-nudge:2026-W45"] == utc(2026, 11, 1, 23)  # AEDT
    assert expected[f"{TEAM_ID}:{EDGE}:checkin-nudge:2026-W43"] == utc(2026, 10, 25, 0, 30)  # first 02:30
    assert len(expected) == 6 * 2 + 2 + 7 + 5 + 7 + 1

    runtime = fast_runtime(ctx, client_for(emulator))
    checked_in = False
    for moment in _sweep_times(start, end, list(expected.values())):
        clock.set(moment)
        if not checked_in and moment >= utc(2026, 10, 27, 12):  # Tuesday: two people check in
            check_in(ctx, ids["UBER"], "2026-W44")
            check_in(ctx, ids["UTYO"], "2026-W44")
            checked_in = True
        for job in JOB_NAMES:
            sweep(runtime, job, moment)

    counts = keys_sent(emulator)
    assert set(counts) == set(expected), (set(counts) ^ set(expected))
    assert all(count == 1 for count in counts.values()), [k for k, c in counts.items() if c > 1]
    rows = ledger(ctx)
    for key, instant in expected.items():
        _, recipient, job, week = key.split(":")
        row = rows[(recipient, job, week)]
        assert row.status == "sent" and row.message_ts
        # Sent at the first sweep at or after the local slot (sweeps are 5 minutes apart there).
        assert timedelta(0) <= row.sent_at - instant < timedelta(minutes=5), (key, row.sent_at, instant)
    # The repeated 02:30 on 25 October produced one nudge, at its first occurrence (00:30 UTC).
    assert rows[(EDGE, "checkin-nudge", "2026-W43")].sent_at == utc(2026, 10, 25, 0, 30)
    with ctx.store.session() as session:
        kinds = Counter(session.scalars(select(PromptSend.kind)))
    assert kinds == {"upskilling": 7, "reflection": 7}


# who gets what --------------------------------------------------------------------------------------
def test_paused_people_and_people_with_nudges_off_are_skipped(ctx: BotContext, emulator: SlackEmulator) -> None:
    paused = add_person(ctx, "U1", "Europe/Berlin")
    add_person(ctx, "U2", "Europe/Berlin", nudges=False)
    add_person(ctx, "U3", "Europe/Berlin")
    ended = add_person(ctx, "U4", "Asia/Tokyo")
    later = add_person(ctx, "U5", "Europe/Berlin")
    with ctx.store.session() as session:
        people_store.set_pause(session, paused, None, date(2026, 11, 23), date(2026, 11, 23))  # today only
        people_store.set_pause(session, ended, None, date(2026, 11, 9), date(2026, 11, 22))  # ended yesterday
        people_store.set_pause(session, later, None, date(2026, 11, 24), date(2026, 12, 6))  # starts tomorrow
    report = runner.run_job(ctx, client_for(emulator), "checkin-nudge", utc(2026, 11, 23, 12))
    assert (report["due"], report["sent"]) == (3, 3)
    assert {k.split(":")[1] for k in keys_sent(emulator)} == {"U3", "U4", "U5"}
    # The pause is over the next day, but Monday's nudge is not sent on Tuesday.
    report = runner.run_job(ctx, client_for(emulator), "checkin-nudge", utc(2026, 11, 24, 12))
    assert report["due"] == 0 and "U1" not in emulator.messages
    assert "U2" not in emulator.messages


def test_reminders_go_only_to_people_missing_this_weeks_checkin_and_once(
        ctx: BotContext, emulator: SlackEmulator) -> None:
    done = add_person(ctx, "U1", "Europe/Berlin")
    last_week = add_person(ctx, "U2", "America/New_York")
    add_person(ctx, "U3", "Asia/Tokyo")
    check_in(ctx, done, "2026-W48")
    check_in(ctx, last_week, "2026-W47")
    client = client_for(emulator)
    runner.run_job(ctx, client, "checkin-reminder", utc(2026, 11, 26, 21))  # Thu: 22:00 Berlin, 16:00 NYC
    assert sorted(k.split(":")[1] for k in keys_sent(emulator)) == ["U2"]  # Tokyo's Thursday is over
    assert "U1" not in emulator.messages
    again = runner.run_job(ctx, client, "checkin-reminder", utc(2026, 11, 26, 22))
    assert again["sent"] == 0 and keys_sent(emulator)["T0001:U2:checkin-reminder:2026-W48"] == 1
    # Next week: U1 has not checked in for W49 yet, so now U1 is reminded too (once).
    report = runner.run_job(ctx, client, "checkin-reminder", utc(2026, 12, 3, 14, 30))
    assert report["sent"] == 2  # Berlin 15:30 and Tokyo 23:30; New York's 15:00 is still to come
    assert {k for k in keys_sent(emulator) if k.endswith("W49")} == {
        "T0001:U1:checkin-reminder:2026-W49", "T0001:U3:checkin-reminder:2026-W49"}
    assert "Check in now" in dm_texts(emulator, "U1") and "open_checkin" in dm_texts(emulator, "U1")


def test_the_checkin_nudge_has_the_checkin_button_and_the_streak(ctx: BotContext, emulator: SlackEmulator) -> None:
    person = add_person(ctx, "U1", "Europe/Berlin", name="Ada <!channel> Lovelace")
    for week in ("2026-W45", "2026-W46", "2026-W47"):
        check_in(ctx, person, week)
    runner.run_job(ctx, client_for(emulator), "checkin-nudge", utc(2026, 11, 23, 9, 5))
    message = emulator.messages["U1"][0]
    buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == ["open_checkin"]
    assert "3-week" in json.dumps(message["blocks"]) and "week of 23 Nov" in message["text"]
    assert message["metadata"] == {"event_type": "lead_delivery",
                                   "event_payload": {"key": "T0001:U1:checkin-nudge:2026-W48"}}


def test_the_digest_shows_shared_wins_milestones_and_counts_and_nothing_private(
        ctx: BotContext, emulator: SlackEmulator) -> None:
    streaker = add_person(ctx, "U1", "Europe/Berlin", workspace_tz="Europe/Berlin")
    quiet = add_person(ctx, "U2", "America/New_York", celebrate=False)
    add_person(ctx, "U3", "Asia/Tokyo")
    for week in ("2026-W45", "2026-W46", "2026-W47", "2026-W48"):
        check_in(ctx, streaker, week, reflection="SECRET reflection about my manager")
        check_in(ctx, quiet, week)
    # Milestones are recorded as they are reached (here on Monday of W48, by the check-in's follow-up).
    team = SlackTeamChannel(client_for(emulator), ctx, TEAM_ID)
    for user in ("U1", "U2"):
        celebrate_milestone(ctx, team, TEAM_ID, user, 4, "2026-W48")
    with ctx.store.session() as session:
        win_store.add_win(session, streaker, "Shipped <!channel> & fixed <https://x.test|this>", shared=True,
                          week="2026-W48", created_at=utc(2026, 11, 24))
        win_store.add_win(session, quiet, "PRIVATE win nobody should see", shared=False, week="2026-W48",
                          created_at=utc(2026, 11, 24))
        win_store.add_win(session, quiet, "Last week's shared win", shared=True, week="2026-W47",
                          created_at=utc(2026, 11, 17))
    client = client_for(emulator)
    assert runner.run_job(ctx, client, "team-digest", utc(2026, 11, 27, 14, 59))["due"] == 0  # 15:59 Berlin
    report = runner.run_job(ctx, client, "team-digest", utc(2026, 11, 27, 15, 2))
    assert report["sent"] == 1
    posts = emulator.messages[TEAM_CHANNEL]
    assert len(posts) == 1
    dumped = json.dumps(posts[0])
    assert "2 of 3" in dumped  # U1 and U2 checked in for W48; U3 did not
    assert "<@U1>: Shipped &lt;!channel&gt; &amp; fixed &lt;https://x.test|this&gt;" in dumped
    assert "<!channel>" not in dumped and "<https://x.test" not in dumped
    assert "<@U1> reached a *4-week* check-in streak" in dumped
    assert "<@U2> reached" not in dumped  # U2 keeps celebrations private
    for private in ("SECRET", "PRIVATE", "Last week"):
        assert private not in dumped, private
    assert posts[0]["metadata"]["event_payload"]["key"] == "T0001:T0001:team-digest:2026-W48"
    assert runner.run_job(ctx, client, "team-digest", utc(2026, 11, 27, 20))["due"] == 0


def test_the_digest_without_a_team_channel_is_skipped_and_logged(
        db_url: str, emulator: SlackEmulator, clock: FixedClock, caplog: pytest.LogCaptureFixture) -> None:
    ctx = BotContext(store=Store.from_url(db_url), clock=clock,
                     settings=replace(bot_settings(db_url, emulator.url), team_channel=None))
    try:
        add_person(ctx, "U1", "UTC")
        report = runner.run_job(ctx, client_for(emulator), "team-digest", utc(2026, 11, 27, 16, 30))
        assert report["skipped"] == 1 and not emulator.calls_to("chat.postMessage")
        assert ledger(ctx)[(TEAM_ID, "team-digest", "2026-W48")].detail == "no team channel"
        assert "no team channel" in caplog.text
    finally:
        ctx.store.dispose()


# prompts ------------------------------------------------------------------------------------------
def test_prompts_follow_the_choice_rule_and_are_recorded(ctx: BotContext, emulator: SlackEmulator) -> None:
    person = add_person(ctx, "U1", "Europe/Berlin", track="management")
    with ctx.store.session() as session:
        row = session.get(Person, person)
        row.focus_mode, row.focus = "chosen", "progress"
    client = client_for(emulator)
    runner.run_job(ctx, client, "upskilling-prompt", utc(2026, 11, 25, 9, 1))
    runner.run_job(ctx, client, "reflection-prompt", utc(2026, 11, 27, 14, 1))
    with ctx.store.session() as session:
        sends = {s.kind: s for s in session.scalars(select(PromptSend))}
    library = default_library()
    for kind, message in zip(("upskilling", "reflection"), emulator.messages["U1"], strict=True):
        prompt = library.get(sends[kind].prompt_id)
        assert prompt is not None and prompt.kind == kind and sends[kind].week == "2026-W48"
        # A chosen focus sends one prompt in three from another foundation (issue 9's mix rule).
        target = week_target(effective_focus("chosen", "progress", []), kind=kind, person_key=f"{TEAM_ID}:U1",
                             week="2026-W48")
        assert prompt.foundation == target.foundation and "management" in prompt.tracks
        assert message["metadata"]["event_payload"]["prompt_id"] == prompt.id
        assert prompt.title in message["text"]
    upskilling = json.dumps(emulator.messages["U1"][0]["blocks"])
    assert "*This week:* " in upskilling
    for action_id in ("prompt_did_it", "prompt_helpful", "prompt_not_for_me"):
        assert action_id in upskilling
    assert "reflection_write" in json.dumps(emulator.messages["U1"][1]["blocks"])


def test_nothing_left_in_the_library_means_skipped_not_a_crash(ctx: BotContext, emulator: SlackEmulator) -> None:
    person = add_person(ctx, "U1", "UTC")
    with ctx.store.session() as session:
        for prompt in default_library().of("upskilling"):
            session.add(PromptFeedback(person_id=person, prompt_id=prompt.id, verdict="not_for_me",
                                       at=utc(2026, 1, 1)))
    report = runner.run_job(ctx, client_for(emulator), "upskilling-prompt", utc(2026, 11, 25, 10, 30))
    assert (report["sent"], report["skipped"], report["failed"]) == (0, 1, 0)
    assert ledger(ctx)[("U1", "upskilling-prompt", "2026-W48")].status == "skipped"
    assert not emulator.calls_to("chat.postMessage")


# Slack's limits and failures -------------------------------------------------------------------------
def test_a_429_on_every_first_attempt_still_delivers_each_message_once(
        ctx: BotContext, emulator: SlackEmulator) -> None:
    users = [f"U{n:03d}" for n in range(12)]
    for user in users:
        add_person(ctx, user, "Europe/Berlin")
    emulator.rate_limit_first_attempt("chat.postMessage", retry_after=1)
    report = runner.run_job(ctx, client_for(emulator), "checkin-nudge", utc(2026, 11, 23, 9, 30))
    assert (report["sent"], report["failed"]) == (12, 0)
    assert keys_sent(emulator) == Counter({f"T0001:{u}:checkin-nudge:2026-W48": 1 for u in users})
    calls = emulator.calls_to("chat.postMessage")
    assert sorted(c.status for c in calls) == [200] * 12 + [429] * 12
    for user in users:  # the retry waited for Retry-After
        first, retry = [c for c in calls if c.args["channel"] == user]
        assert (first.status, retry.status) == (429, 200) and retry.at - first.at >= 1.0


def test_gone_users_are_marked_inactive_skipped_and_left_alone(ctx: BotContext, emulator: SlackEmulator) -> None:
    for user in ("U1", "U2", "U3"):
        add_person(ctx, user, "Europe/Berlin")
    emulator.set_user_gone("U2", "account_inactive")
    emulator.set_user_gone("U3", "cannot_dm_bot")
    client = client_for(emulator)
    report = runner.run_job(ctx, client, "checkin-nudge", utc(2026, 11, 23, 9, 30))
    assert (report["sent"], report["skipped"]) == (1, 2)
    with ctx.store.session() as session:
        people = {p.user_id: (p.active, p.inactive_reason) for p in session.scalars(select(Person))}
    assert people == {"U1": (True, None), "U2": (False, "account_inactive"), "U3": (False, "cannot_dm_bot")}
    assert ledger(ctx)[("U2", "checkin-nudge", "2026-W48")].status == "skipped"
    before = len(emulator.calls_to("chat.postMessage"))
    runner.run_job(ctx, client, "upskilling-prompt", utc(2026, 11, 25, 9, 30))
    channels = [c.args["channel"] for c in emulator.calls_to("chat.postMessage")[before:]]
    assert channels == ["U1"]


def test_no_channel_gets_more_than_one_post_per_second(ctx: BotContext, emulator: SlackEmulator) -> None:
    everything_at_once = {job: "mon 10:00" for job in ("checkin-nudge", "upskilling-prompt", "checkin-reminder",
                                                       "reflection-prompt")}
    add_person(ctx, "U1", "Europe/Berlin", slots=everything_at_once)
    add_person(ctx, "U2", "Europe/Berlin", slots=everything_at_once)
    client = client_for(emulator)
    jobs = [threading.Thread(target=runner.run_job, args=(ctx, client, job, utc(2026, 11, 23, 9, 30)))
            for job in everything_at_once]
    for thread in jobs:
        thread.start()
    for thread in jobs:
        thread.join(timeout=30)
    for user in ("U1", "U2"):
        times = emulator.post_times(user)
        assert len(times) == 4
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert min(gaps) >= 0.95, gaps
    # Different channels are not held back by each other: U2's posts overlap U1's.
    assert abs(emulator.post_times("U1")[0] - emulator.post_times("U2")[0]) < 0.5


def test_a_server_error_is_retried_after_checking_it_did_not_land(ctx: BotContext, emulator: SlackEmulator) -> None:
    add_person(ctx, "U1", "Europe/Berlin")
    emulator.fail_next("chat.postMessage", status=500)
    report = runner.run_job(ctx, client_for(emulator), "checkin-nudge", utc(2026, 11, 23, 9, 30))
    assert report["sent"] == 1
    assert [c.status for c in emulator.calls_to("chat.postMessage")] == [500, 200]
    assert emulator.calls_to("conversations.history")  # looked before re-posting
    assert keys_sent(emulator) == Counter({"T0001:U1:checkin-nudge:2026-W48": 1})


def test_a_timeout_after_slack_stored_the_message_does_not_post_it_twice(
        ctx: BotContext, emulator: SlackEmulator) -> None:
    add_person(ctx, "U1", "Europe/Berlin")
    emulator.set_delay("chat.postMessage", 2.5)  # stored at once, answered after the client gave up
    report = runner.run_job(ctx, client_for(emulator, timeout=1), "checkin-nudge", utc(2026, 11, 23, 9, 30))
    emulator.set_delay("chat.postMessage", 0)
    assert (report["sent"], report["recovered"]) == (1, 1)
    assert len(emulator.calls_to("chat.postMessage")) == 1
    assert keys_sent(emulator) == Counter({"T0001:U1:checkin-nudge:2026-W48": 1})
    assert ledger(ctx)[("U1", "checkin-nudge", "2026-W48")].status == "sent"


# the ledger across processes ---------------------------------------------------------------------------
def test_a_dead_processs_claim_is_taken_over_and_checked_before_sending(
        db_url: str, emulator: SlackEmulator) -> None:
    """Claims age in real time, so this test runs on the system clock and passes ``at``."""
    ctx = BotContext(store=Store.from_url(db_url), clock=SystemClock(), settings=bot_settings(db_url, emulator.url))
    try:
        for user in ("U1", "U2", "U3"):
            add_person(ctx, user, "Europe/Berlin")
        client = client_for(emulator)
        now = datetime.now(UTC)
        with ctx.store.session() as session:
            for user, age in (("U1", timedelta(minutes=11)), ("U2", timedelta(minutes=11)),
                              ("U3", timedelta(minutes=1))):
                session.add(Delivery(team_id=TEAM_ID, recipient=user, item="checkin-nudge", week="2026-W48",
                                     status="claimed", claim_token=f"dead-{user}", claimed_at=now - age))
        # U1's dead process got its message out before dying; U2's did not; U3's claim is fresh.
        client.chat_postMessage(channel="U1", text="nudge", metadata={
            "event_type": "lead_delivery", "event_payload": {"key": "T0001:U1:checkin-nudge:2026-W48"}})
        report = runner.run_job(ctx, client, "checkin-nudge", utc(2026, 11, 23, 9, 30))
        assert (report["recovered"], report["sent"], report["held"]) == (1, 2, 1)
        assert keys_sent(emulator) == Counter({"T0001:U1:checkin-nudge:2026-W48": 1,
                                               "T0001:U2:checkin-nudge:2026-W48": 1})
        rows = ledger(ctx)
        assert rows[("U1", "checkin-nudge", "2026-W48")].detail == "found after a takeover"
        assert (rows[("U1", "checkin-nudge", "2026-W48")].attempts, rows[("U2", "checkin-nudge", "2026-W48")].status) \
            == (2, "sent")
        assert rows[("U3", "checkin-nudge", "2026-W48")].status == "claimed"
        assert sorted(c.args["users"] for c in emulator.calls_to("conversations.open")) == ["U1", "U2"]
    finally:
        ctx.store.dispose()


def test_the_normal_path_costs_one_web_api_call_per_nudge(ctx: BotContext, emulator: SlackEmulator) -> None:
    for n in range(5):
        add_person(ctx, f"U{n}", "Europe/Berlin")
    runner.run_job(ctx, client_for(emulator), "checkin-nudge", utc(2026, 11, 23, 9, 30))
    assert [c.method for c in emulator.calls] == ["chat.postMessage"] * 5


def test_oauth_installs_post_with_each_workspaces_own_token(
        db_url: str, emulator: SlackEmulator, clock: FixedClock) -> None:
    settings = replace(bot_settings(db_url, emulator.url), bot_token=None, client_id="111.222",
                       client_secret="oauth-secret", state_secret="state-secret")
    ctx = BotContext(store=Store.from_url(db_url), clock=clock, settings=settings)
    try:
        add_person(ctx, "U1", "UTC")
        report = runner.run_job(ctx, WebClient(base_url=emulator.url), "checkin-nudge", utc(2026, 11, 23, 10, 30))
        assert report["failed"] == 1 and not emulator.calls_to("chat.postMessage")  # not installed yet
        SQLAlchemyInstallationStore(client_id="111.222", engine=ctx.store.engine).save(Installation(
            app_id="A0001", enterprise_id=None, team_id=TEAM_ID, user_id="UADMIN", bot_token="xoxb-installed",
            bot_id="B0001", bot_user_id="UBOT", installed_at=time.time()))
        report = runner.run_job(ctx, WebClient(base_url=emulator.url), "checkin-nudge", utc(2026, 11, 23, 10, 30))
        assert report["sent"] == 1
        assert [c.token for c in emulator.calls_to("chat.postMessage")] == ["xoxb-installed"]
    finally:
        ctx.store.dispose()


# the scheduler and the operator's view -------------------------------------------------------------
def test_next_runs_is_the_earliest_real_send(ctx: BotContext, clock: FixedClock) -> None:
    clock.set(utc(2026, 11, 23, 12))  # Monday noon UTC
    runs = dict(runner.next_runs(ctx))  # nobody known yet: the defaults in UTC
    assert runs == {"checkin-nudge": utc(2026, 11, 30, 10), "upskilling-prompt": utc(2026, 11, 25, 10),
                    "checkin-reminder": utc(2026, 11, 26, 15), "reflection-prompt": utc(2026, 11, 27, 15),
                    "team-digest": utc(2026, 11, 27, 16), "focus-review": utc(2026, 11, 30, 10, 30),
                    "growth-review": utc(2026, 11, 24, 10),
                    "progress-picture": utc(2026, 12, 7, 10),  # the first Monday of December
                    "pairing": utc(2026, 11, 24, 11), "pairing-followup": utc(2026, 12, 1, 11)}
    tokyo = add_person(ctx, "U3", "Asia/Tokyo", workspace_tz="America/New_York")
    add_person(ctx, "U2", "America/New_York")
    with ctx.store.session() as session:  # Tokyo is away next Wednesday, so Wednesday is New York's
        people_store.set_pause(session, tokyo, None, date(2026, 11, 25), date(2026, 11, 25))
    runs = dict(runner.next_runs(ctx))
    assert runs["checkin-nudge"] == utc(2026, 11, 23, 12)  # Tokyo's Monday 10:00 is due and unsent: now
    assert runs["upskilling-prompt"] == utc(2026, 11, 25, 15)  # 10:00 New York
    assert runs["checkin-reminder"] == utc(2026, 11, 26, 6)  # 15:00 Tokyo
    assert runs["team-digest"] == utc(2026, 11, 27, 21)  # 16:00 in the workspace's zone, New York
    runner.run_job(ctx, WebClient(token="xoxb-test", base_url=ctx.settings.api_url), "checkin-nudge", None)
    assert dict(runner.next_runs(ctx))["checkin-nudge"] == utc(2026, 11, 23, 15)  # then New York's 10:00


def test_the_scheduler_keeps_its_jobs_in_memory_leads_alone_and_sweeps(
        ctx: BotContext, emulator: SlackEmulator, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "FIRST_SWEEP_DELAY", timedelta(seconds=0.2))
    add_person(ctx, "U1", "Europe/Berlin")
    clock.set(utc(2026, 11, 23, 9, 30))
    scheduler = runner.start_scheduler(ctx, client_for(emulator))
    try:
        emulator.wait_for("chat.postMessage", 1, timeout=10)
        assert scheduler.leadership is not None and scheduler.leadership.leading
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {*JOB_NAMES, "elect", "drain", "prune"}
        for name in JOB_NAMES:
            job = jobs[name]
            assert (job.coalesce, job.max_instances, job.trigger.interval) == (True, 1, timedelta(minutes=5))
        assert jobs["elect"].trigger.interval <= timedelta(minutes=5)  # a standby leads within a sweep interval
    finally:
        scheduler.shutdown(wait=True)
    with ctx.store.session() as session:  # nothing about the jobs is stored
        tables = set(sa_inspect(session.connection()).get_table_names())
    assert "apscheduler_jobs" not in tables
    assert keys_sent(emulator) == Counter({"T0001:U1:checkin-nudge:2026-W48": 1})


# the buttons, through the running bot --------------------------------------------------------------
def _send_prompt(bot: RunningBot, job: str, at: datetime, user: str = "U1") -> dict[str, Any]:
    before = len(bot.emulator.messages.get(user, []))
    report = runner.run_job(bot.ctx, client_for(bot.emulator), job, at)
    assert report["sent"] == 1
    return bot.emulator.messages[user][before]


def _button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == action_id)


def _feedback(bot: RunningBot, person_user: str) -> dict[str, str]:
    with bot.ctx.store.session() as session:
        rows = session.execute(select(PromptFeedback.prompt_id, PromptFeedback.verdict).join(
            Person, Person.id == PromptFeedback.person_id).where(Person.user_id == person_user)).all()
    return dict(rows)


def test_i_did_it_logs_minutes_through_a_prefilled_modal(bot: RunningBot) -> None:
    add_person(bot.ctx, "U1", "Europe/Berlin")
    add_person(bot.ctx, "U2", "Europe/Berlin", nudges=False)
    message = _send_prompt(bot, "upskilling-prompt", utc(2026, 11, 25, 9, 5))
    prompt_id = _button(message, "prompt_did_it")["value"]
    prompt = default_library().get(prompt_id)
    assert prompt is not None and prompt.minutes

    # A replay of U1's button by U2 opens nothing and stores nothing.
    reply = bot.driver.click("prompt_did_it", user="U2", value=prompt_id)
    assert reply.status == 200
    wait_until(lambda: any("someone else" in json.dumps(r) for r in bot.emulator.responses))
    assert not bot.emulator.calls_to("views.open")

    bot.driver.click("prompt_did_it", user="U1", value=prompt_id)
    bot.emulator.wait_for("views.open")
    view = bot.emulator.opened_views[-1]
    minutes_block = block(view, "minutes")
    assert minutes_block["element"]["initial_value"] == str(prompt.minutes)
    assert bot.driver.submit(view, {"minutes": "soon"}).json()["response_action"] == "errors"
    # The modal submitted by someone else (a replayed payload) stores nothing for anyone.
    refused = bot.driver.submit(view, {"minutes": "40"}, user="U2").json()
    assert refused["response_action"] == "errors"
    assert bot.driver.submit(view, {"minutes": "1h15"}).status == 200
    with bot.ctx.store.session() as session:
        logs = session.execute(select(Person.user_id, LearningLog.week, LearningLog.prompt_id, LearningLog.minutes)
                               .join(Person, Person.id == LearningLog.person_id)).all()
    assert logs == [("U1", "2026-W48", prompt_id, 75)]
    exported = export_person(bot.ctx, "U1")
    assert exported is not None and [(e["week"], e["prompt_id"], e["minutes"]) for e in exported["learning_logs"]] == [
        ("2026-W48", prompt_id, 75)]


def _click_in(bot: RunningBot, message: dict[str, Any], action_id: str, user: str = "U1") -> None:
    """Click a button of ``message`` (a DM to ``user``'s) the way Slack sends it: with the message."""
    assert bot.driver.click(action_id, user=user, value=_button(message, action_id)["value"], message=message,
                            container={"type": "message", "channel_id": "D" + "U1",
                                       "message_ts": message["ts"]}).status == 200


def test_helpful_and_not_for_me_keep_the_latest_verdict_and_ignore_replays(bot: RunningBot) -> None:
    add_person(bot.ctx, "U1", "Europe/Berlin")
    add_person(bot.ctx, "U2", "Europe/Berlin", nudges=False)
    message = copy.deepcopy(_send_prompt(bot, "upskilling-prompt", utc(2026, 11, 25, 9, 5)))  # as first sent
    prompt_id = _button(message, "prompt_helpful")["value"]
    _click_in(bot, message, "prompt_helpful")
    wait_until(lambda: _feedback(bot, "U1") == {prompt_id: "helpful"})
    # The message itself says what happened, and the spent buttons are gone; "I did it" stays.
    bot.emulator.wait_for("chat.update")
    updated = bot.emulator.messages["U1"][0]
    dumped = json.dumps(updated)
    assert "Marked helpful" in dumped and "prompt_helpful" not in dumped and "prompt_not_for_me" not in dumped
    assert "prompt_did_it" in dumped
    _click_in(bot, message, "prompt_not_for_me", user="U2")  # a replay by someone else
    wait_until(lambda: any("someone else" in json.dumps(r) for r in bot.emulator.responses))
    assert _feedback(bot, "U1") == {prompt_id: "helpful"} and _feedback(bot, "U2") == {}
    _click_in(bot, message, "prompt_not_for_me")  # an old copy of the message: the latest verdict counts
    wait_until(lambda: _feedback(bot, "U1") == {prompt_id: "not_for_me"})
    bot.emulator.wait_for("chat.update", 2)
    assert "won't get this prompt again" in json.dumps(bot.emulator.messages["U1"][0])
    assert len(bot.emulator.calls_to("chat.update")) == 2  # the replay changed nothing
    assert all(r.get("response_type") == "ephemeral" for r in bot.emulator.responses)
    assert all(r.get("replace_original") is False for r in bot.emulator.responses)
    with bot.ctx.store.session() as session:
        assert len(session.scalars(select(PromptFeedback)).all()) == 1


def test_a_reflection_answer_is_stored_privately_for_the_week(bot: RunningBot) -> None:
    add_person(bot.ctx, "U1", "Europe/Berlin")
    add_person(bot.ctx, "U2", "Europe/Berlin", nudges=False)
    message = _send_prompt(bot, "reflection-prompt", utc(2026, 11, 27, 14, 5))
    prompt_id = _button(message, "reflection_write")["value"]
    bot.driver.click("reflection_write", user="U2", value=prompt_id)
    wait_until(lambda: any("someone else" in json.dumps(r) for r in bot.emulator.responses))
    assert not bot.emulator.calls_to("views.open")
    bot.driver.click("reflection_write", user="U1", value=prompt_id)
    bot.emulator.wait_for("views.open")
    view = bot.emulator.opened_views[-1]
    assert view["callback_id"] == "prompt_reflection"
    assert bot.driver.submit(view, {"answer": "  "}).json()["errors"].keys() == {"answer"}
    assert bot.driver.submit(view, {"answer": "Someone replayed this"}, user="U2").json()["response_action"] == "errors"
    assert bot.driver.submit(view, {"answer": "I kept the hard ticket; next time I pair."}).status == 200
    with bot.ctx.store.session() as session:
        rows = session.execute(select(Person.user_id, Reflection.week, Reflection.prompt_id, Reflection.text)
                               .join(Person, Person.id == Reflection.person_id)).all()
    assert rows == [("U1", "2026-W48", prompt_id, "I kept the hard ticket; next time I pair.")]
    assert "next time I pair" not in json.dumps(bot.emulator.messages)  # never posted anywhere
    # It is the author's data: their export carries it.
    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    assert [(r["week"], r["text"]) for r in exported["reflections"]] == [
        ("2026-W48", "I kept the hard ticket; next time I pair.")]


@pytest.mark.sqlite_only
def test_run_job_refuses_unknown_jobs(ctx: BotContext) -> None:
    with pytest.raises(ValueError):
        runner.run_job(ctx, WebClient(), "weekly-party", None)
