"""Time off end to end (issue 14): Slack status from ``user_change`` events, holiday calendars, the
digest's holiday rule, streaks that wait, on SQLite and on PostgreSQL.

Sweeps run "as if" the clock read a given moment (``runner.run_job``); events and modals go
through the real Bolt app and the Slack emulator.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import insert, select

from bot.scheduler import runner
from bot.scheduler.sender import ChannelLimiter
from bot.services.export import export_person
from bot.services.timeoff import status_changed
from bot.services.types.timeoff import StatusChange
from bot.store import checkins as checkin_store
from bot.store import people as people_store
from bot.store.models import AwayPeriod, Delivery, Person
from tests.conftest import TEAM_ID, RunningBot
from tests.helpers import open_view, wait_until

RATINGS = {"personality": 3, "upskilling": 3, "delegation": 2, "progress": 4}
CHECKIN = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3",
           "minutes": "30"}


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "_LIMITER", ChannelLimiter(0.0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def client(bot: RunningBot) -> WebClient:
    return WebClient(token="xoxb-test", base_url=bot.emulator.url, timeout=10)


def add_person(bot: RunningBot, user_id: str, tz: str = "UTC", *, created_at: datetime | None = None,
               **changes: Any) -> int:
    with bot.ctx.store.session() as session:
        person = people_store.get_or_create_person(session, TEAM_ID, user_id, created_at or utc(2026, 1, 1))
        people_store.update_person(session, person.id, slack_tz=tz, display_name=f"{user_id} Example",
                                   tz_fetched_at=utc(2030, 1, 1), **changes)
        return person.id


def set_workspace(bot: RunningBot, **changes: Any) -> None:
    with bot.ctx.store.session() as session:
        people_store.update_workspace(session, TEAM_ID, utc(2026, 1, 1), **changes)


def status_event(bot: RunningBot, user: str, text: str = "", emoji: str = "", expiration: int = 0,
                 updated: int = 1) -> None:
    """A ``user_change`` as Slack sends it, through the real app; waits until it is stored."""
    event = {"type": "user_change", "event_ts": "1.1", "cache_ts": updated,
             "user": {"id": user, "team_id": TEAM_ID, "name": user.lower(), "updated": updated, "tz": "UTC",
                      "profile": {"status_text": text, "status_emoji": emoji, "status_expiration": expiration,
                                  "real_name": f"{user} Example"}}}
    assert bot.driver.event(event).status == 200
    wait_until(lambda: stored_updated(bot, user) == updated)


def stored_updated(bot: RunningBot, user: str) -> int | None:
    with bot.ctx.store.session() as session:
        return session.scalar(select(Person.status_updated).where(Person.user_id == user))


def periods(bot: RunningBot, user: str) -> list[tuple[datetime, datetime | None]]:
    with bot.ctx.store.session() as session:
        rows = session.execute(select(AwayPeriod.started_at, AwayPeriod.ended_at).join(Person)
                               .where(Person.user_id == user).order_by(AwayPeriod.started_at))
        return [(start, end) for start, end in rows]


def ledger(bot: RunningBot) -> dict[tuple[str, str, str], str]:
    with bot.ctx.store.session() as session:
        return {(d.recipient, d.item, d.week): d.status for d in session.scalars(select(Delivery))}


def run(bot: RunningBot, job: str, at: datetime) -> dict[str, Any]:
    bot.clock.set(at)
    return runner.run_job(bot.ctx, client(bot), job, at)


def dms(bot: RunningBot, user: str) -> list[dict[str, Any]]:
    return [c.args for c in bot.emulator.calls_to("chat.postMessage") if c.args.get("channel") == user]


# status from user_change ----------------------------------------------------------------------------
def test_user_change_events_set_and_clear_away_and_a_return_is_caught_up_the_same_day(bot: RunningBot) -> None:
    add_person(bot, "U1", "Europe/Berlin")
    bot.clock.set(utc(2026, 11, 23, 8))  # Monday W48, 09:00 in Berlin
    status_event(bot, "U1", "Vacationing", ":palm_tree:", updated=100)
    assert periods(bot, "U1") == [(utc(2026, 11, 23, 8), None)]
    report = run(bot, "checkin-nudge", utc(2026, 11, 23, 9, 1))  # 10:01 in Berlin: due
    assert (report["due"], report["away"], report["sent"]) == (1, 1, 0)
    assert not dms(bot, "U1") and ledger(bot) == {}  # nothing recorded as finished: a return still gets it
    assert not bot.emulator.calls_to("users.info")

    bot.clock.set(utc(2026, 11, 23, 12))
    status_event(bot, "U1", "", "", updated=200)  # cleared early, back at 13:00 Berlin
    assert periods(bot, "U1") == [(utc(2026, 11, 23, 8), utc(2026, 11, 23, 12))]
    report = run(bot, "checkin-nudge", utc(2026, 11, 23, 12, 5))  # the same day's catch-up window
    assert (report["sent"], report["away"]) == (1, 0)
    assert ledger(bot)[("U1", "checkin-nudge", "2026-W48")] == "sent"

    # An older event arriving late changes nothing; someone the bot never met gets no row.
    assert not status_changed(bot.ctx, TEAM_ID, "U1", StatusChange("Vacationing", ":palm_tree:", 0, 150))
    assert not status_changed(bot.ctx, TEAM_ID, "U2", StatusChange("On vacation", None, 0, 5))
    with bot.ctx.store.session() as session:
        assert session.scalar(select(Person.status_text).where(Person.user_id == "U1")) is None
        assert session.scalar(select(Person.id).where(Person.user_id == "U2")) is None
    exported = export_person(bot.ctx, "U1")
    assert exported is not None and exported["away_days"] == ["2026-11-23"]


def test_an_expiring_status_ends_on_its_own(bot: RunningBot) -> None:
    add_person(bot, "U1", "Europe/Berlin")
    bot.clock.set(utc(2026, 11, 23, 7))
    expires = int(utc(2026, 11, 23, 11).timestamp())  # noon in Berlin; Slack may send no event then
    status_event(bot, "U1", "Out of office", "", expiration=expires, updated=100)
    assert periods(bot, "U1") == [(utc(2026, 11, 23, 7), utc(2026, 11, 23, 11))]
    assert run(bot, "checkin-nudge", utc(2026, 11, 23, 9, 1))["away"] == 1
    assert run(bot, "checkin-nudge", utc(2026, 11, 23, 10, 59))["away"] == 1
    assert run(bot, "checkin-nudge", utc(2026, 11, 23, 11, 0))["sent"] == 1  # expired: no event needed
    assert len(dms(bot, "U1")) == 1


def test_detection_off_in_settings_ignores_the_status(bot: RunningBot) -> None:
    add_person(bot, "U1", "UTC")
    bot.clock.set(utc(2026, 11, 23, 8))
    status_event(bot, "U1", "Sick", ":face_with_thermometer:", updated=100)
    assert run(bot, "checkin-nudge", utc(2026, 11, 23, 10, 1))["away"] == 1
    view = open_view(bot, "settings", "U1", callback_id="settings")
    assert {"holidays", "away_status"} <= {block.get("block_id") for block in view["blocks"]}
    bot.clock.set(utc(2026, 11, 23, 10, 30))
    reply = bot.driver.submit(view, _settings_answers(view, away_status="off"), user="U1")
    assert reply.status == 200 and reply.body == "", reply.body
    wait_until(lambda: periods(bot, "U1") == [(utc(2026, 11, 23, 8), utc(2026, 11, 23, 10, 30))])
    assert run(bot, "checkin-nudge", utc(2026, 11, 23, 10, 35))["sent"] == 1


def _settings_answers(view: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """What an untouched settings modal submits (each select at its initial option), plus ``extra``."""
    answers: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        if "initial_option" in element:
            answers[block["block_id"]] = element["initial_option"]["value"]
        elif "initial_time" in element:
            answers[block["block_id"]] = element["initial_time"]
        elif "initial_options" in element:
            answers[block["block_id"]] = [o["value"] for o in element["initial_options"]]
        elif element.get("initial_value"):
            answers[block["block_id"]] = element["initial_value"]
    answers.update(extra)
    return answers


def test_a_sweep_of_a_thousand_people_never_calls_users_info(bot: RunningBot) -> None:
    now = utc(2026, 1, 1)
    with bot.ctx.store.session() as session:
        people_store.get_or_create_workspace(session, TEAM_ID, now)
        session.execute(insert(Person), [
            {"team_id": TEAM_ID, "user_id": f"UBULK{n:05d}", "created_at": now, "slots": {}, "nudges_enabled": True,
             "celebrate_publicly": True, "active": True, "focus_mode": "auto", "progress_picture": True,
             "slack_tz": "UTC", "tz_fetched_at": now,
             # All but ten are away by status, half of those with a status that already expired.
             "status_text": "On holiday" if n >= 10 else None,
             "status_expiration": int(utc(2026, 11, 20).timestamp()) if n >= 10 and n % 2 else None}
            for n in range(1000)])
    for n in range(10):
        bot.emulator.add_user(f"UBULK{n:05d}", tz="UTC", name=f"Bulk {n}")
    for n in range(10, 1000, 2):
        bot.emulator.add_user(f"UBULK{n + 1:05d}", tz="UTC", name=f"Bulk {n + 1}")
    report = run(bot, "checkin-nudge", utc(2026, 11, 23, 10, 1))
    assert report["due"] == 1000
    assert (report["away"], report["sent"]) == (495, 505)
    assert bot.emulator.calls_to("users.info") == []


# holidays --------------------------------------------------------------------------------------------
def test_a_german_holiday_suppresses_that_days_items_and_not_the_next_working_days(bot: RunningBot) -> None:
    # 1 January 2026 is a Thursday and a public holiday in DE; 2 January, a Friday, is a working
    # day (26 December, the day after 25 December, is a DE holiday too, so it proves nothing).
    add_person(bot, "U1", "Europe/Berlin", created_at=utc(2025, 12, 1))
    set_workspace(bot, holidays="DE")
    report = run(bot, "checkin-reminder", utc(2026, 1, 1, 14, 1))  # Thursday 15:01 Berlin
    assert (report["due"], report["away"], report["sent"]) == (1, 1, 0)
    report = run(bot, "reflection-prompt", utc(2026, 1, 2, 14, 1))  # Friday 15:01 Berlin
    assert (report["away"], report["sent"]) == (0, 1)
    # 25 December 2026 is a Friday: its reflection prompt waits; the Thursday before is a working day.
    assert run(bot, "checkin-reminder", utc(2026, 12, 24, 14, 1))["sent"] == 1
    assert run(bot, "reflection-prompt", utc(2026, 12, 25, 14, 1))["away"] == 1
    assert [m["metadata"]["event_payload"]["key"].split(":")[2] for m in dms(bot, "U1")] == [
        "reflection-prompt", "checkin-reminder"]
    bot.clock.set(utc(2027, 1, 5))
    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    assert {"2025-12-25", "2025-12-26", "2026-01-01", "2026-12-25", "2026-12-26"} <= set(exported["away_days"])
    assert "2026-01-02" not in exported["away_days"] and exported["away_days"] == sorted(exported["away_days"])


def test_a_personal_calendar_replaces_the_workspaces(bot: RunningBot) -> None:
    add_person(bot, "U1", "America/New_York")
    add_person(bot, "U2", "America/New_York", holidays="DE")
    set_workspace(bot, holidays="US")
    report = run(bot, "checkin-reminder", utc(2026, 11, 26, 20, 1))  # Thanksgiving, 15:01 in New York
    assert (report["away"], report["sent"]) == (1, 1)
    assert not dms(bot, "U1") and len(dms(bot, "U2")) == 1


def test_the_digest_due_on_a_holiday_friday_goes_out_on_thursday(bot: RunningBot) -> None:
    add_person(bot, "U1")
    set_workspace(bot, holidays="DE")
    assert run(bot, "team-digest", utc(2026, 12, 24, 15, 59))["due"] == 0
    report = run(bot, "team-digest", utc(2026, 12, 24, 16, 1))  # Thursday 16:01, before Christmas Day
    assert (report["due"], report["sent"]) == (1, 1)
    assert ledger(bot)[(TEAM_ID, "team-digest", "2026-W52")] == "sent"
    assert run(bot, "team-digest", utc(2026, 12, 25, 16, 1))["due"] == 0  # not again on the holiday
    assert run(bot, "team-digest", utc(2027, 1, 1, 16, 1))["due"] == 0  # New Year's Day: Thursday's slot passed
    assert run(bot, "team-digest", utc(2027, 1, 8, 16, 1))["sent"] == 1  # an ordinary Friday


# /lead config and /lead settings --------------------------------------------------------------------
CONFIG = {"channel": "CNEW", "nudge_day": "mon", "nudge_time": "10:00", "default_tz": "UTC", "celebrations": "digest"}


def test_config_holidays_and_away_terms_with_errors_next_to_the_fields(bot: RunningBot) -> None:
    bot.emulator.add_channel("CNEW", name="leads", members=["UADMIN"])
    view = open_view(bot, "config", "UADMIN", callback_id="config")
    body = bot.driver.submit(view, {**CONFIG, "holidays": "XX-1", "away_terms": "ok, , :bad"}, user="UADMIN").json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"holidays", "away_terms"}
    assert "XX" in body["errors"]["holidays"] and "comma" in body["errors"]["away_terms"]
    body = bot.driver.submit(view, {**CONFIG, "holidays": "DE-XY"}, user="UADMIN").json()
    assert set(body["errors"]) == {"holidays"} and "BY" in body["errors"]["holidays"]  # the regions are listed
    reply = bot.driver.submit(view, {**CONFIG, "holidays": "de-by", "away_terms": "Elternzeit, :mountain:"},
                              user="UADMIN")
    assert reply.status == 200 and reply.body == "", reply.body
    with bot.ctx.store.session() as session:
        workspace = people_store.get_or_create_workspace(session, TEAM_ID, utc(2026, 1, 1))
    assert (workspace.holidays, workspace.away_terms) == ("DE-BY", "elternzeit, :mountain:")
    again = open_view(bot, "config", "UADMIN", callback_id="config")
    assert "DE-BY" in json.dumps(again) and "elternzeit" in json.dumps(again)
    # The admin's term now makes a status away.
    add_person(bot, "U1")
    bot.clock.set(utc(2026, 11, 23, 8))
    status_event(bot, "U1", "Elternzeit bis März", updated=100)
    assert run(bot, "checkin-nudge", utc(2026, 11, 23, 10, 1))["away"] == 1


def test_a_personal_calendar_is_validated_next_to_the_field(bot: RunningBot) -> None:
    add_person(bot, "U1")
    view = open_view(bot, "settings", "U1", callback_id="settings")
    body = bot.driver.submit(view, _settings_answers(view, holidays="Narnia"), user="U1").json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"holidays"}
    reply = bot.driver.submit(view, _settings_answers(view, holidays="gb-sct"), user="U1")
    assert reply.status == 200 and reply.body == ""
    wait_until(lambda: people(bot, "U1").holidays == "GB-SCT")
    assert "Public holidays" in bot.emulator.wait_for("chat.postMessage")[-1].args["text"]


def people(bot: RunningBot, user: str) -> Person:
    with bot.ctx.store.session() as session:
        return session.scalars(select(Person).where(Person.user_id == user)).one()


# streaks, App Home, stats, team ---------------------------------------------------------------------
def test_a_streak_waits_through_an_away_week_and_says_so(bot: RunningBot) -> None:
    person_id = add_person(bot, "U1", "UTC", created_at=utc(2026, 10, 1))
    with bot.ctx.store.session() as session:
        for week in ("2026-W45", "2026-W46", "2026-W47"):
            checkin_store.upsert_checkin(session, person_id, week, ratings=RATINGS, learning_minutes=30,
                                         practices=[], reflection=None, submitted_at=utc(2026, 11, 1))
    bot.clock.set(utc(2026, 11, 23, 8))  # W48: away Monday to Friday
    status_event(bot, "U1", "On vacation", ":airplane:", updated=100)
    bot.clock.set(utc(2026, 11, 28, 18))
    status_event(bot, "U1", "", "", updated=200)
    bot.clock.set(utc(2026, 11, 30, 9))  # back on Monday of W49
    publishes = len(bot.emulator.calls_to("views.publish"))
    bot.driver.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    home = json.dumps(bot.emulator.wait_for("views.publish", publishes + 1)[-1].args["view"])
    assert "3 weeks" in home and "held on through a week of time off" in home
    assert "Away (3+ days off" in home
    stats = bot.driver.command("stats", user="U1").json()
    assert "away" in json.dumps(stats) and "held on" not in json.dumps(stats)

    before = len(bot.emulator.calls_to("views.open"))
    bot.driver.command("checkin", user="U1")
    bot.emulator.wait_for("views.open", before + 1)
    assert bot.driver.submit(bot.emulator.opened_views[-1], CHECKIN, user="U1").body == ""
    confirmation = wait_until(lambda: [m for m in dms(bot, "U1") if "Check-in for the" in m["text"]])[-1]
    assert "4-week streak" in confirmation["text"]
    assert "held on through a week of time off" in json.dumps(confirmation["blocks"])
    exported = export_person(bot.ctx, "U1")
    assert exported is not None and exported["streak"]["current"] == 4
    assert exported["away_days"] == [f"2026-11-{d}" for d in range(23, 29)]


def test_without_time_off_nothing_claims_the_streak_waited(bot: RunningBot) -> None:
    person_id = add_person(bot, "U1", "UTC", created_at=utc(2026, 10, 1))
    with bot.ctx.store.session() as session:
        checkin_store.upsert_checkin(session, person_id, "2026-W46", ratings=RATINGS, learning_minutes=30,
                                     practices=[], reflection=None, submitted_at=utc(2026, 11, 1))
    bot.clock.set(utc(2026, 11, 30, 9))  # W47 and W48 missed, not away: the streak broke
    publishes = len(bot.emulator.calls_to("views.publish"))
    bot.driver.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    home = json.dumps(bot.emulator.wait_for("views.publish", publishes + 1)[-1].args["view"])
    assert "held on" not in home and "Away (" not in home


def test_team_participation_leaves_away_people_out(bot: RunningBot) -> None:
    for user in ("U1", "U2", "U3", "UADMIN"):
        add_person(bot, user, "UTC", created_at=utc(2026, 10, 1))
    bot.clock.set(utc(2026, 11, 16, 8))  # W47 all week: U3 away
    status_event(bot, "U3", "Out of office", updated=100)
    bot.clock.set(utc(2026, 11, 21, 8))
    status_event(bot, "U3", "", updated=200)
    with bot.ctx.store.session() as session:
        for user in ("U1", "U2"):
            person = people_store.find_person(session, TEAM_ID, user)
            assert person is not None
            checkin_store.upsert_checkin(session, person.id, "2026-W47", ratings=RATINGS, learning_minutes=30,
                                         practices=[], reflection=None, submitted_at=utc(2026, 11, 17))
    bot.clock.set(utc(2026, 11, 23, 9))
    before = len(bot.emulator.responses)
    bot.driver.command("team", user="U1")
    wait_until(lambda: len(bot.emulator.responses) > before)
    dumped = json.dumps(bot.emulator.responses[-1], ensure_ascii=False)
    assert "16 Nov: 2/3" in dumped and "23 Nov: 0/4" in dumped and "1 in these weeks" in dumped
