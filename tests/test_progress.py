"""Growth you can see (issue 10): the dashboard, ``/lead stats``, learning minutes, the progress picture.

Builders run on real histories stored in the database (0, 1, 12 and 104 weeks) and are checked
against Slack's limits by the emulator's validators; the buttons, the picture and the jobs run
through the real app and the emulator.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk import WebClient
from sqlalchemy import select

from bot import limits
from bot.clock import FixedClock
from bot.coaching.learning import last_weeks, trend_window, week_minutes
from bot.coaching.library import default_library
from bot.scheduler import runner
from bot.scheduler.registry import first_monday_of_month
from bot.scheduler.sender import ChannelLimiter
from bot.services import progress
from bot.services.context import BotContext
from bot.services.export import export_person
from bot.services.types.home import ChartData
from bot.store import checkins as checkin_store
from bot.store import goals as goal_store
from bot.store import people as people_store
from bot.store import progress as progress_store
from bot.store import wins as win_store
from bot.store.db import Store
from bot.store.models import Delivery, LearningLog, Person, PromptSend, Reflection
from bot.views.chart import HEIGHT_PX, WIDTH_PX, render_chart
from bot.views.dates import day_label, week_label, week_span, weeks_label
from bot.views.home import build_home, minutes_sparkline, rating_sparkline
from bot.views.messages import stats_message
from tests.conftest import MONDAY_W48, TEAM_ID, RunningBot, bot_settings
from tests.helpers import block, keys_sent, open_view, wait_until
from tests.slack_emulator import SlackEmulator, png_size, validate_message_blocks, validate_view

HOSTILE = "Shipped <!channel> & <https://evil.example|docs> *bold*"
ISO_WEEK = re.compile(r"\d{4}-W\d{2}")
CHECKIN = {"rating_personality": "3", "rating_upskilling": "4", "rating_delegation": "2", "rating_progress": "3"}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated weeks must not wait a real second between two DMs to one person."""
    monkeypatch.setattr(runner, "_LIMITER", ChannelLimiter(0.0))


@pytest.fixture
def ctx(db_url: str, emulator: SlackEmulator, clock: FixedClock) -> Iterator[BotContext]:
    context = BotContext(store=Store.from_url(db_url), clock=clock, settings=bot_settings(db_url, emulator.url))
    yield context
    context.store.dispose()


def client_for(emulator: SlackEmulator) -> WebClient:
    return WebClient(token="xoxb-test", base_url=emulator.url)


def add_person(ctx: BotContext, user_id: str, tz: str = "Europe/Berlin", **changes: Any) -> int:
    with ctx.store.session() as session:
        person = people_store.get_or_create_person(session, TEAM_ID, user_id, utc(2026, 1, 1))
        people_store.update_person(session, person.id, slack_tz=tz, display_name=f"{user_id} Example",
                                   tz_fetched_at=MONDAY_W48, **changes)
        return person.id


def ratings_for(n: int) -> dict[str, int]:
    return {"personality": 1 + n % 5, "upskilling": 1 + (n // 2) % 5, "delegation": min(5, 1 + n // 8),
            "progress": 5 - n % 5}


def seed_history(ctx: BotContext, person_id: int, weeks: int, end: str = "2026-W48") -> None:
    """``weeks`` weeks of everything a person gives: check-ins, logs, wins, answers; and many goals."""
    with ctx.store.session() as session:
        for n, week in enumerate(last_weeks(end, weeks) if weeks else ()):
            at = utc(2026, 1, 1) + timedelta(minutes=n)
            checkin_store.upsert_checkin(session, person_id, week, ratings=ratings_for(n), learning_minutes=30 + n,
                                         practices=["code_review", "mentoring"][: 1 + n % 2],
                                         reflection=f"{HOSTILE} reflection {n} " + "x" * 900, submitted_at=at)
            progress_store.log_step(session, person_id, f"u-{n}", week, 25, at)
            win_store.add_win(session, person_id, f"{HOSTILE} win {n} " + "y" * 900, shared=n % 2 == 0, week=week,
                              created_at=at)
            session.add(Reflection(person_id=person_id, week=week, prompt_id=f"r-{n}", text=f"answer {n} {HOSTILE}",
                                   created_at=at))
        for n in range(min(weeks, 30)):
            goal_store.add_goal(session, person_id, title=(f"Goal {n} {HOSTILE} " + "z" * 200)[:limits.GOAL_TITLE],
                                foundation="delegation",
                                measure=None, target=None if n % 2 else 5,
                                due=date(2026, 11, 1) if n % 3 == 0 else None, created_at=utc(2026, 1, 1))


def person_record(ctx: BotContext, user_id: str = "U1") -> Any:
    with ctx.store.session() as session:
        found = people_store.find_person(session, TEAM_ID, user_id)
    assert found is not None
    return found


def texts(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# pure rules -------------------------------------------------------------------------------------
weeks_st = st.sampled_from(last_weeks("2026-W48", 6))


@given(checkins=st.dictionaries(weeks_st, st.integers(0, 6000)),
       logs=st.lists(st.tuples(weeks_st, st.integers(1, 600))))
def test_a_weeks_minutes_are_the_checkins_number_else_the_sum_of_its_logs(
        checkins: dict[str, int], logs: list[tuple[str, int]]) -> None:
    totals = week_minutes(checkins, logs)
    assert set(totals) == set(checkins) | {week for week, _ in logs}
    for week, total in totals.items():
        expected = checkins[week] if week in checkins else sum(m for w, m in logs if w == week)
        assert total == expected


def test_windows_end_with_this_week_only_once_it_has_a_checkin() -> None:
    assert trend_window("2026-W48", True) == last_weeks("2026-W48", 12)
    assert trend_window("2026-W48", False)[-1] == "2026-W47" and len(trend_window("2026-W48", False)) == 12
    assert last_weeks("2027-W02", 3) == ("2026-W53", "2027-W01", "2027-W02")  # 2026 has 53 ISO weeks


def test_the_checkin_modal_title_fits_for_every_week() -> None:
    from bot.views.checkin import build_checkin_modal

    for week in last_weeks("2027-W52", 120):
        modal = build_checkin_modal(week)
        assert validate_view(modal, ("modal",)) == [] and modal["title"]["text"].startswith("Check-in: week of ")
        assert not modal["title"]["text"].endswith("…"), week


def test_dates_name_a_week_by_its_monday() -> None:
    assert week_label("2026-W49") == "week of 30 Nov"
    assert week_label("2025-W49", date(2026, 11, 23)) == "week of 1 Dec 2025"
    assert week_span("2026-W48") == "Mon 23 Nov – Sun 29 Nov"
    assert weeks_label(("2026-W52", "2026-W53", "2027-W01"), date(2027, 1, 4)) == "weeks of 21 Dec 2026 – 4 Jan"
    assert day_label(date(2027, 1, 4), date(2027, 1, 4)) == "4 Jan"


def test_sparklines_are_one_character_a_week() -> None:
    assert rating_sparkline([1, 2, None, 5]) == "▁▃·█"
    assert minutes_sparkline([0, 10, 100]) == "▁▂█" and minutes_sparkline([0, 0]) == "▁▁"
    assert minutes_sparkline([]) == ""


def test_the_picture_runs_in_the_week_of_each_months_first_monday() -> None:
    weeks = last_weeks("2027-W52", 60)
    mondays = [date.fromisocalendar(int(w[:4]), int(w[-2:]), 1) for w in weeks]
    runs = [monday for week, monday in zip(weeks, mondays, strict=True) if first_monday_of_month(week)]
    assert all(monday.day <= 7 for monday in runs)  # only weeks that hold a first Monday...
    assert len({(m.year, m.month) for m in runs}) == len(runs)  # ...once a month...
    assert {(m.year, m.month) for m in runs} == {(m.year, m.month) for m in mondays if m.day <= 7}  # ...none missed
    assert first_monday_of_month("2026-W50") and not first_monday_of_month("2026-W49")  # 7 Dec, not 30 Nov


# the builders on 0, 1, 12 and 104 weeks of history ---------------------------------------------------
@pytest.mark.parametrize("weeks", [0, 1, 12, 104])
def test_home_and_stats_fit_slacks_limits_for_any_history(ctx: BotContext, weeks: int) -> None:
    add_person(ctx, "U1", track="hybrid", focus="delegation")
    seed_history(ctx, person_record(ctx).id, weeks)
    person = person_record(ctx)
    home = build_home(progress.home_for(ctx, person))
    assert validate_view(home, ("home",)) == []
    assert len(home["blocks"]) <= 20  # a fixed layout: two years render like two weeks
    stats = stats_message(progress.stats_for(ctx, person))
    assert validate_message_blocks(stats["blocks"]) == [] and stats["text"]
    for payload in (home, stats):
        dumped = texts(payload)
        assert "<!channel>" not in dumped and "<https://evil" not in dumped  # people's words stay data
        assert not ISO_WEEK.search(dumped)
    if weeks:
        assert "&lt;!channel&gt;" in texts(home)
    if weeks >= 12:
        trend = texts(block(home, "trend"))
        assert "weeks of 7 Sep – 23 Nov" in trend and "since your first check-in" in trend
        assert ":warning: *overdue*" in texts(block(home, "goals"))


def test_the_dashboard_gives_back_what_was_given(ctx: BotContext) -> None:
    person_id = add_person(ctx, "U1", focus="delegation")
    with ctx.store.session() as session:
        for n, (week, delegation) in enumerate(zip(last_weeks("2026-W47", 3), (2, 3, 4), strict=True)):
            checkin_store.upsert_checkin(session, person_id, week,
                                         ratings={**ratings_for(0), "delegation": delegation},
                                         learning_minutes=40, practices=["informational_interview"],
                                         reflection=None, submitted_at=utc(2026, 11, 2) + timedelta(weeks=n))
        progress_store.log_step(session, person_id, "u-x", "2026-W46", 25, MONDAY_W48)  # the check-in's 40 wins
        progress_store.log_step(session, person_id, "u-y", "2026-W48", 15, MONDAY_W48)  # no check-in yet: counts
        win_store.add_win(session, person_id, "A private <b>win</b>", shared=False, week="2026-W47",
                          created_at=utc(2026, 11, 20))
        session.add(Reflection(person_id=person_id, week="2026-W47", prompt_id="r", text="I kept the hard ticket",
                               created_at=utc(2026, 11, 20)))
        goal_store.add_goal(session, person_id, title="Hand over releases", foundation="delegation", measure=None,
                            target=3, due=date(2026, 11, 20), created_at=utc(2026, 10, 1))
    data = progress.home_for(ctx, person_record(ctx))
    assert not data.checked_in and data.trend_weeks[-1] == "2026-W47"  # this week apart until it has a check-in
    delegation = next(t for t in data.trends if t.foundation == "delegation")
    assert delegation.ratings[-3:] == (2, 3, 4) and (delegation.first, delegation.latest) == (2, 4)
    assert data.minutes[-3:] == (40, 40, 40) and data.this_week_minutes == 15
    assert data.practices == (("informational_interview", 3),)
    home = texts(build_home(data))
    assert "Manage, don't handle: *4* · 2 → 4 (+2)" in home
    assert "this week so far: 15" in home
    assert "Talked with a manager about their job ×3" in home
    assert ":lock: A private &lt;b&gt;win&lt;/b&gt;" in home
    assert ":warning: *overdue* since 20 Nov" in home
    assert "I kept the hard ticket" in home
    assert "Check in now" in home


def test_logged_minutes_show_before_the_first_checkin(ctx: BotContext) -> None:
    person_id = add_person(ctx, "U1")
    home = texts(build_home(progress.home_for(ctx, person_record(ctx))))
    assert "None yet. “I did it” on a learning step logs its minutes" in home
    with ctx.store.session() as session:
        progress_store.log_step(session, person_id, "u-1", "2026-W47", 30, MONDAY_W48)
        progress_store.log_step(session, person_id, "u-2", "2026-W48", 20, MONDAY_W48)
    home = texts(build_home(progress.home_for(ctx, person_record(ctx))))
    assert "30 in 12 weeks" in home and "this week so far: 20" in home and "after your first check-in" in home


def test_a_paused_person_gets_no_check_in_now_button_and_is_told_when_the_pause_ends(ctx: BotContext) -> None:
    person_id = add_person(ctx, "U1")
    with ctx.store.session() as session:
        people_store.set_pause(session, person_id, None, date(2026, 11, 23), date(2026, 12, 6))
    home = build_home(progress.home_for(ctx, person_record(ctx)))
    assert validate_view(home, ("home",)) == []
    primary = [e for b in home["blocks"] for e in b.get("elements", []) + [b.get("accessory") or {}]
               if isinstance(e, dict) and e.get("style") == "primary"]
    assert primary == []
    assert "paused until *Sun 6 Dec*" in texts(block(home, "this_week"))


def test_stats_end_at_the_last_completed_week_and_show_this_week_apart(ctx: BotContext) -> None:
    person_id = add_person(ctx, "U1")
    with ctx.store.session() as session:
        for n, week in enumerate(last_weeks("2026-W48", 3)):
            checkin_store.upsert_checkin(session, person_id, week, ratings=ratings_for(n), learning_minutes=10 * n,
                                         practices=["code_review"], reflection=None, submitted_at=MONDAY_W48)
        progress_store.log_step(session, person_id, "u-1", "2026-W45", 35, MONDAY_W48)  # a week with only a log
        win_store.add_win(session, person_id, "won", shared=True, week="2026-W47", created_at=MONDAY_W48)
    data = progress.stats_for(ctx, person_record(ctx))
    assert data.weeks == ("2026-W44", "2026-W45", "2026-W46", "2026-W47") and data.checked_in
    message = stats_message(data)
    dumped = texts(message)
    assert "weeks of 26 Oct – 16 Nov" in dumped
    assert "0 · 35 · 0 · 10 = *35*" not in dumped and "0 · 35 · 0 · 10 = *45*" in dumped
    assert "*This week* (week of 23 Nov): :white_check_mark: checked in" in dumped and "20 learning minutes" in dumped
    assert "Led a code review ×2" in dumped and "1 win (1 shared)" in dumped
    assert "```" not in dumped  # no monospace grid


# "I did it" and the learning minutes ----------------------------------------------------------------
def _send(bot: RunningBot, job: str, at: datetime, user: str = "U1") -> dict[str, Any]:
    before = len(bot.emulator.messages.get(user, []))
    assert runner.run_job(bot.ctx, client_for(bot.emulator), job, at)["sent"] == 1
    return copy.deepcopy(bot.emulator.messages[user][before])


def _button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == action_id)


def _click(bot: RunningBot, message: dict[str, Any], action_id: str, user: str = "U1") -> None:
    assert bot.driver.click(action_id, user=user, value=_button(message, action_id)["value"], message=message,
                            container={"type": "message", "channel_id": "DU1",
                                       "message_ts": message["ts"]}).status == 200


def _logs(bot: RunningBot) -> list[tuple[str, str | None, int]]:
    with bot.ctx.store.session() as session:
        return [tuple(row) for row in session.execute(
            select(LearningLog.week, LearningLog.prompt_id, LearningLog.minutes).order_by(LearningLog.id))]


def test_i_did_it_twice_logs_once_and_the_message_says_what_happened(bot: RunningBot) -> None:
    add_person(bot.ctx, "U1")
    message = _send(bot, "upskilling-prompt", utc(2026, 11, 25, 9, 5))
    prompt_id = _button(message, "prompt_did_it")["value"]
    _click(bot, message, "prompt_did_it")
    bot.emulator.wait_for("views.open")
    view = bot.emulator.opened_views[-1]
    assert "learning time for the week of 23 Nov" in texts(view)
    assert bot.driver.submit(view, {"minutes": "25"}).status == 200
    bot.emulator.wait_for("chat.update")
    updated = bot.emulator.messages["U1"][0]
    assert "25 min logged for the week of 23 Nov" in texts(updated) and "prompt_did_it" not in texts(updated)
    assert "prompt_helpful" in texts(updated)  # the buttons not yet used stay
    # The same modal submitted again, and the old copy of the message clicked again: nothing changes.
    assert bot.driver.submit(view, {"minutes": "90"}).status == 200
    opened = len(bot.emulator.calls_to("views.open"))
    _click(bot, message, "prompt_did_it")
    bot.emulator.wait_for("chat.update", 3)
    assert len(bot.emulator.calls_to("views.open")) == opened  # no second modal
    assert "Already logged: 25 min for the week of 23 Nov. Nothing changed." in texts(bot.emulator.messages["U1"][0])
    assert _logs(bot) == [("2026-W48", prompt_id, 25)]


def test_racing_logs_of_one_step_store_one(ctx: BotContext) -> None:
    person_id = add_person(ctx, "U1")
    results: list[bool] = []

    def log(minutes: int) -> None:
        with ctx.store.session() as session:
            results.append(progress_store.log_step(session, person_id, "u-1", "2026-W48", minutes, MONDAY_W48)[1])

    threads = [threading.Thread(target=log, args=(m,)) for m in (20, 30, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, True]
    with ctx.store.session() as session:
        assert progress_store.logged_minutes(session, person_id, "2026-W48") in (20, 30, 40)
        assert len(session.scalars(select(LearningLog)).all()) == 1


def test_the_checkin_starts_with_the_weeks_logged_minutes_and_its_number_is_the_total(bot: RunningBot) -> None:
    person_id = add_person(bot.ctx, "U1")
    with bot.ctx.store.session() as session:
        progress_store.log_step(session, person_id, "u-1", "2026-W48", 25, MONDAY_W48)
        progress_store.log_step(session, person_id, "u-2", "2026-W48", 20, MONDAY_W48)
        progress_store.log_step(session, person_id, "u-3", "2026-W47", 30, MONDAY_W48)  # a week with no check-in
    view = open_view(bot, "checkin", callback_id="checkin")
    minutes = block(view, "minutes")
    assert minutes["element"]["initial_value"] == "45"
    assert "You logged 45 min with “I did it” this week" in minutes["hint"]["text"]
    assert bot.driver.submit(view, {**CHECKIN, "minutes": "60"}).status == 200
    bot.emulator.wait_for("chat.postMessage")
    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    assert exported["learning"] == [{"week": "2026-W47", "minutes": 30}, {"week": "2026-W48", "minutes": 60}]
    assert exported["settings"]["progress_picture"] is True
    again = open_view(bot, "checkin", callback_id="checkin")
    assert block(again, "minutes")["element"]["initial_value"] == "60"  # an update starts with its own number


def test_a_step_logged_after_the_weeks_checkin_says_the_checkin_is_the_total(bot: RunningBot) -> None:
    add_person(bot.ctx, "U1")
    message = _send(bot, "upskilling-prompt", utc(2026, 11, 25, 9, 5))
    bot.clock.set(utc(2026, 11, 25, 12))
    assert bot.driver.submit(open_view(bot, "checkin"), {**CHECKIN, "minutes": "30"}).status == 200
    _click(bot, message, "prompt_did_it")
    bot.emulator.wait_for("views.open", 2)
    view = bot.emulator.opened_views[-1]
    assert "already says 30 min" in texts(view)
    bot.driver.submit(view, {"minutes": "25"})
    bot.emulator.wait_for("chat.update")
    note = texts(bot.emulator.messages["U1"][0])
    assert "25 min logged for the week of 23 Nov" in note and "says 30 min" in note and "/lead checkin" in note
    exported = export_person(bot.ctx, "U1")
    assert exported is not None and exported["learning"] == [{"week": "2026-W48", "minutes": 30}]


def test_write_my_answer_saves_under_the_prompts_week_and_the_message_says_so(bot: RunningBot) -> None:
    add_person(bot.ctx, "U1")
    message = _send(bot, "reflection-prompt", utc(2026, 11, 27, 14, 5))
    _click(bot, message, "reflection_write")
    bot.emulator.wait_for("views.open")
    view = bot.emulator.opened_views[-1]
    assert "kept with the week of 23 Nov" in texts(view) and "check-in" not in texts(block(view, "answer"))
    bot.clock.set(utc(2026, 11, 30, 8))  # answered on Monday: it still belongs to the week it was asked in
    assert bot.driver.submit(view, {"answer": "Pair next time."}).status == 200
    bot.emulator.wait_for("chat.update")
    updated = texts(bot.emulator.messages["U1"][0])
    assert "Answer saved for the week of 23 Nov" in updated and "reflection_write" not in updated
    with bot.ctx.store.session() as session:
        assert [(r.week, r.text) for r in session.scalars(select(Reflection))] == [("2026-W48", "Pair next time.")]


# the progress picture ------------------------------------------------------------------------------
def chart_data(weeks: int) -> ChartData:
    window = last_weeks("2026-W48", weeks)
    return ChartData(weeks=window, ratings={k: tuple((n + i) % 5 + 1 if n % 4 else None for n in range(weeks))
                                            for i, k in enumerate(("personality", "upskilling", "delegation",
                                                                   "progress"))},
                     minutes=tuple(15 * (n % 5) for n in range(weeks)), streak=weeks, longest=weeks,
                     today=date(2026, 11, 23))


@pytest.mark.parametrize("weeks", [2, 12])
def test_the_chart_is_a_png_of_the_expected_size(weeks: int) -> None:
    png = render_chart(chart_data(weeks))
    assert png_size(png) == (WIDTH_PX, HEIGHT_PX) == (1200, 800)


def test_importing_the_app_does_not_import_matplotlib() -> None:
    code = ("import sys, bot.app, bot.cli, bot.scheduler.jobs, bot.slack.commands; "
            "sys.exit(1 if any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def _uploaded_picture(emulator: SlackEmulator, user: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The picture's upload and the DM that shows it."""
    [message] = [m for m in emulator.messages.get(user, []) if any(b["type"] == "image" for b in m["blocks"])]
    image = next(b for b in message["blocks"] if b["type"] == "image")
    upload = emulator.files[image["slack_file"]["id"]]
    return upload, message


@pytest.mark.parametrize("weeks", [2, 12])
def test_lead_chart_uploads_the_picture_and_shows_it_in_dm(bot: RunningBot, weeks: int) -> None:
    add_person(bot.ctx, "U1")
    seed_history(bot.ctx, person_record(bot.ctx).id, weeks)
    reply = bot.driver.command("chart").json()
    assert "Drawing your last 12 weeks" in texts(reply)
    wait_until(lambda: any(any(b["type"] == "image" for b in m["blocks"]) for m in bot.emulator.messages.get("U1", [])),
               timeout=30)
    upload, message = _uploaded_picture(bot.emulator, "U1")
    assert upload["image"] == (1200, 800) and upload["channel_id"] is None  # shared nowhere by the upload itself
    assert upload["filename"].endswith(".png")
    assert f"{weeks} check-in" in message["text"] + texts(message["blocks"])
    assert not ISO_WEEK.search(texts(message) + upload["title"])


def test_lead_chart_with_nothing_to_draw_says_so(bot: RunningBot) -> None:
    reply = bot.driver.command("chart").json()
    assert "Nothing to draw yet" in texts(reply)
    assert bot.emulator.uploads == []


FIRST_MONDAY = utc(2026, 12, 7, 9, 5)  # Monday 7 December, 10:05 in Berlin: the week of December's first Monday


def test_the_monthly_picture_goes_once_to_who_wants_it(ctx: BotContext, emulator: SlackEmulator) -> None:
    wanted = add_person(ctx, "U1")
    seed_history(ctx, wanted, 12, end="2026-W49")
    one = add_person(ctx, "U2", "Europe/Berlin")
    seed_history(ctx, one, 1, end="2026-W49")  # one check-in: nothing to compare yet
    off = add_person(ctx, "U3", "Europe/Berlin", progress_picture=False)
    seed_history(ctx, off, 12, end="2026-W49")
    client = client_for(emulator)
    assert runner.run_job(ctx, client, "progress-picture", utc(2026, 11, 30, 9, 5))["due"] == 0  # not W49
    report = runner.run_job(ctx, client, "progress-picture", FIRST_MONDAY)
    assert report["sent"] == 1
    upload, message = _uploaded_picture(emulator, "U1")
    assert upload["image"] == (1200, 800)
    assert message["metadata"]["event_payload"]["key"] == "T0001:U1:progress-picture:2026-W50"
    assert "once a month" in texts(message)
    # A re-run, later the same day, sends nothing and uploads nothing.
    again = runner.run_job(ctx, client, "progress-picture", FIRST_MONDAY + timedelta(hours=3))
    assert again["sent"] == 0 and len(emulator.uploads) == 1
    assert keys_sent(emulator) == Counter({"T0001:U1:progress-picture:2026-W50": 1})


def test_a_picture_posted_by_a_process_that_died_is_not_posted_again(db_url: str, emulator: SlackEmulator) -> None:
    from bot.clock import SystemClock

    ctx = BotContext(store=Store.from_url(db_url), clock=SystemClock(), settings=bot_settings(db_url, emulator.url))
    try:
        person_id = add_person(ctx, "U1")
        seed_history(ctx, person_id, 4, end="2026-W49")
        client = client_for(emulator)
        key = "T0001:U1:progress-picture:2026-W50"
        with ctx.store.session() as session:
            session.add(Delivery(team_id=TEAM_ID, recipient="U1", item="progress-picture", week="2026-W50",
                                 status="claimed", claim_token="dead", attempts=1,
                                 claimed_at=datetime.now(UTC) - timedelta(hours=1)))
        client.chat_postMessage(channel="U1", text="picture", metadata={"event_type": "lead_delivery",
                                                                         "event_payload": {"key": key}})
        report = runner.run_job(ctx, client, "progress-picture", FIRST_MONDAY)
        assert report["recovered"] == 1 and emulator.uploads == []
        assert keys_sent(emulator) == Counter({key: 1})
        # And a picture whose upload failed is retried by the next sweep, still once.
        person_two = add_person(ctx, "U2")
        seed_history(ctx, person_two, 4, end="2026-W49")
        emulator.fail_next("files.getUploadURLExternal", status=200)
        runner.run_job(ctx, client, "progress-picture", FIRST_MONDAY)
        assert "T0001:U2:progress-picture:2026-W50" not in keys_sent(emulator)
        runner.run_job(ctx, client, "progress-picture", FIRST_MONDAY + timedelta(minutes=5))
        assert keys_sent(emulator)["T0001:U2:progress-picture:2026-W50"] == 1
    finally:
        ctx.store.dispose()


# every scheduled message speaks in dates --------------------------------------------------------------
def _first_due(job_name: str, tz: str = "Europe/Berlin") -> datetime:
    """A moment in December 2026's first-Monday week when ``job_name`` is due at its default slot."""
    from zoneinfo import ZoneInfo

    from bot.coaching.schedule import slot_instant
    from bot.scheduler.registry import job_named

    job = job_named(job_name)
    for week in last_weeks("2026-W53", 6):
        if job.runs_in(week):
            return slot_instant(job.default_slot, week, ZoneInfo(tz)) + timedelta(minutes=5)
    raise AssertionError(f"{job_name} runs in none of the weeks tried")


def test_no_scheduled_message_carries_an_iso_week_code(ctx: BotContext, emulator: SlackEmulator) -> None:
    from bot.scheduler.registry import JOB_NAMES

    for user in ("U1", "U2", "U3"):
        person_id = add_person(ctx, user, celebrate_publicly=True)
        seed_history(ctx, person_id, 12, end="2026-W49")
    with ctx.store.session() as session:
        people_store.update_workspace(session, TEAM_ID, MONDAY_W48, default_tz="Europe/Berlin")
    client = client_for(emulator)
    for name in JOB_NAMES:
        report = runner.run_job(ctx, client, name, _first_due(name))
        assert report["failed"] == 0, (name, report)
    sent = [m for channel, messages in emulator.messages.items() if not channel.startswith("DU") for m in messages]
    kinds = {m["metadata"]["event_payload"]["key"].split(":")[2] for m in sent}
    assert {"checkin-nudge", "upskilling-prompt", "reflection-prompt", "team-digest", "progress-picture"} <= kinds
    for message in sent:
        assert not ISO_WEEK.search(texts({"text": message["text"], "blocks": message["blocks"]})), message["text"]
    assert all(not ISO_WEEK.search(upload["title"]) for upload in emulator.uploads)


def test_the_monday_nudge_and_the_modal_it_opens_name_the_same_week(bot: RunningBot) -> None:
    add_person(bot.ctx, "U1")
    nudge = _send(bot, "checkin-nudge", utc(2026, 11, 23, 9, 5))
    assert "*week of 23 Nov* has begun" in texts(nudge)
    bot.clock.set(utc(2026, 11, 23, 9, 30))
    bot.driver.click("open_checkin", value="nudge")
    bot.emulator.wait_for("views.open")
    modal = bot.emulator.opened_views[-1]
    assert modal["title"]["text"] == "Check-in: week of 23 Nov"
    assert "*Week of 23 Nov* (Mon 23 Nov – Sun 29 Nov)" in texts(modal)


# a quieter team channel ------------------------------------------------------------------------------
def _milestone_history(ctx: BotContext, person_id: int) -> None:
    with ctx.store.session() as session:
        for week in ("2026-W45", "2026-W46", "2026-W47"):
            checkin_store.upsert_checkin(session, person_id, week, ratings=ratings_for(1), learning_minutes=0,
                                         practices=[], reflection=None, submitted_at=utc(2026, 11, 1))


def _goal(ctx: BotContext, person_id: int, title: str) -> int:
    with ctx.store.session() as session:
        return goal_store.add_goal(session, person_id, title=title, foundation="progress", measure=None,
                                   target=None, due=None, created_at=utc(2026, 11, 1)).id


@pytest.mark.parametrize("mode", ["digest", "live"])
def test_milestones_and_finished_goals_reach_the_digest_in_both_modes(bot: RunningBot, mode: str) -> None:
    from tests.helpers import team_posts

    for user in ("U1", "U2", "U3"):
        add_person(bot.ctx, user)
    with bot.ctx.store.session() as session:
        people_store.update_workspace(session, TEAM_ID, MONDAY_W48, celebrations=mode, default_tz="Europe/Berlin")
        u3 = session.scalars(select(Person).where(Person.user_id == "U3")).one()
        people_store.set_pause(session, u3.id, None, date(2026, 11, 23), date(2026, 11, 29))
    _milestone_history(bot.ctx, person_record(bot.ctx, "U1").id)
    goal_id = _goal(bot.ctx, person_record(bot.ctx, "U2").id, "Run the retro <!here>")
    # U1's fourth check-in reaches a milestone; U2 finishes a goal (both on Tuesday 24 Nov).
    bot.clock.set(utc(2026, 11, 24, 9))
    assert bot.driver.submit(open_view(bot, "checkin"), {**CHECKIN, "minutes": "10"}).status == 200
    wait_until(lambda: any("streak" in m["text"] for m in bot.emulator.messages.get("U1", [])))
    assert bot.driver.click("goal_mark_done", user="U2", value=str(goal_id)).status == 200
    wait_until(lambda: bot.emulator.responses)
    confirmation = texts(bot.emulator.messages["U1"][-1]) + texts(bot.emulator.responses)
    posted = [m["text"] for m in team_posts(bot)]
    if mode == "digest":
        assert posted == []
        assert "will be in the next team digest" in confirmation
    else:
        assert len(posted) == 2 and any("4-week" in t for t in posted) and any("reached a goal" in t for t in posted)
    report = runner.run_job(bot.ctx, client_for(bot.emulator), "team-digest", utc(2026, 11, 27, 15, 5))
    assert report["sent"] == 1
    digest = team_posts(bot)[-1]
    dumped = texts(digest)
    assert "<@U1> reached a *4-week* check-in streak" in dumped
    assert "<@U2> reached a goal: Run the retro &lt;!here&gt;" in dumped and "<!here>" not in dumped
    assert "*1 of 2* people checked in this week. (1 on a pause, not counted.)" in dumped
    assert "Team digest · week of 23 Nov" in dumped
    # The next week's digest lists none of them again.
    runner.run_job(bot.ctx, client_for(bot.emulator), "team-digest", utc(2026, 12, 4, 15, 5))
    nxt = texts(team_posts(bot)[-1])
    assert "week of 30 Nov" in nxt and "4-week" not in nxt and "Run the retro" not in nxt


def test_a_milestone_after_fridays_digest_is_in_the_next_one(ctx: BotContext, emulator: SlackEmulator) -> None:
    from bot.services.celebrations import celebrate_milestone
    from bot.slack.team_channel import SlackTeamChannel

    add_person(ctx, "U1")
    with ctx.store.session() as session:
        people_store.update_workspace(session, TEAM_ID, MONDAY_W48, default_tz="Europe/Berlin")
    client = client_for(emulator)
    ctx.clock.set(utc(2026, 11, 28, 10))  # Saturday, after Friday's digest
    assert celebrate_milestone(ctx, SlackTeamChannel(client, ctx, TEAM_ID), TEAM_ID, "U1", 8, "2026-W48") is not None
    runner.run_job(ctx, client, "team-digest", utc(2026, 11, 27, 15, 5))
    runner.run_job(ctx, client, "team-digest", utc(2026, 12, 4, 15, 5))
    first, second = (texts(m) for m in emulator.messages["CTEAM"])
    assert "8-week" not in first and "8-week" in second


def test_config_chooses_how_milestones_and_goals_are_shared(bot: RunningBot) -> None:
    view = open_view(bot, "config", "UADMIN", callback_id="config")
    choice = block(view, "celebrations")["element"]
    assert choice["initial_option"]["value"] == "digest"
    answers = {"channel": "CTEAM", "nudge_day": "mon", "nudge_time": "10:00", "default_tz": "UTC",
               "celebrations": "live"}
    assert bot.driver.submit(view, answers, user="UADMIN").body == ""
    dm = bot.emulator.wait_for("chat.postMessage")[-1].args
    assert ("Milestones and finished goals: Gather them into the Friday team digest (quieter) → Post each one"
            in dm["text"])
    with bot.ctx.store.session() as session:
        assert people_store.get_or_create_workspace(session, TEAM_ID, MONDAY_W48).celebrations == "live"
    again = open_view(bot, "config", "UADMIN", callback_id="config")
    assert block(again, "celebrations")["element"]["initial_option"]["value"] == "live"


def test_prompt_sends_are_the_week_of_a_step(ctx: BotContext) -> None:
    """The week a step is logged in is the one its prompt was sent for (the latest send)."""
    person_id = add_person(ctx, "U1")
    prompt = default_library().prompts[0].id
    with ctx.store.session() as session:
        for week in ("2026-W30", "2026-W40"):
            session.add(PromptSend(person_id=person_id, prompt_id=prompt, kind="upskilling", week=week,
                                   sent_at=MONDAY_W48))
        session.flush()
        assert progress_store.send_week(session, person_id, prompt) == "2026-W40"
        assert progress_store.send_week(session, person_id, "nope") is None


# migration 0003 ----------------------------------------------------------------------------------
def test_migration_0003_keeps_the_first_of_duplicate_logs_and_matches_the_models(empty_database: str) -> None:
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine, text

    from bot.store.migrate import alembic_config
    from bot.store.models import Base

    command.upgrade(alembic_config(empty_database), "0001")
    engine = create_engine(empty_database)
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO workspaces (team_id, default_tz, slots, created_at) "
                                    "VALUES ('T1', 'UTC', '{}', '2026-11-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO people (id, team_id, user_id, nudges_enabled, celebrate_publicly, active, slots, "
                "assessment, created_at) VALUES (1, 'T1', 'U1', true, true, true, '{}', '{}', '2026-11-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO checkins (person_id, week, submitted_at, personality, upskilling, delegation, progress, "
                "learning_minutes, practices) VALUES (1, '2026-W48', '2026-11-01 00:00:00', 3, 3, 3, 3, 30, '[]')"))
            for n, (prompt, minutes) in enumerate((("u-1", 25), ("u-1", 90), ("u-2", 10), (None, 5), (None, 5))):
                connection.execute(text(
                    "INSERT INTO learning_logs (id, person_id, week, prompt_id, minutes, created_at) "
                    "VALUES (:id, 1, '2026-W48', :prompt, :minutes, '2026-11-01 00:00:00')"),
                    {"id": n + 1, "prompt": prompt, "minutes": minutes})
        command.upgrade(alembic_config(empty_database), "head")
        with engine.connect() as connection:
            logs = connection.execute(text("SELECT prompt_id, minutes FROM learning_logs ORDER BY id")).all()
            assert [tuple(row) for row in logs] == [("u-1", 25), ("u-2", 10), (None, 5), (None, 5)]
            assert connection.execute(text("SELECT count(*) FROM checkins")).scalar() == 1  # nothing cascaded away
            assert connection.execute(text("SELECT progress_picture FROM people")).scalar() in (True, 1)
            assert connection.execute(text("SELECT celebrations FROM workspaces")).scalar() == "digest"
            context = MigrationContext.configure(connection, opts={
                "include_name": lambda name, kind, _: not (kind == "table" and name.startswith(("apscheduler",
                                                                                                 "slack_")))})
            assert compare_metadata(context, Base.metadata) == []
        with pytest.raises(Exception), engine.begin() as connection:  # noqa: B017 - the driver's IntegrityError
            connection.execute(text("INSERT INTO learning_logs (person_id, week, prompt_id, minutes, created_at) "
                                    "VALUES (1, '2026-W48', 'u-2', 30, '2026-11-01 00:00:00')"))
    finally:
        engine.dispose()


def test_a_batch_migration_that_rebuilds_people_on_sqlite_keeps_their_rows(tmp_path: Any) -> None:
    """Any branch's migration may rebuild ``people`` in batch mode; the check-ins must survive it."""
    import shutil

    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, text

    from bot.store.migrate import MIGRATIONS_DIR, alembic_config, upgrade

    url = f"sqlite:///{tmp_path / 'lead.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO workspaces (team_id, default_tz, slots, created_at, celebrations) "
                                "VALUES ('T1', 'UTC', '{}', '2026-11-01 00:00:00', 'digest')"))
        connection.execute(text(
            "INSERT INTO people (id, team_id, user_id, nudges_enabled, celebrate_publicly, active, slots, "
            "created_at, progress_picture, focus_mode) "
            "VALUES (1, 'T1', 'U1', 1, 1, 1, '{}', '2026-11-01 00:00:00', 1, 'auto')"))
        connection.execute(text(
            "INSERT INTO checkins (person_id, week, submitted_at, personality, upskilling, delegation, progress, "
            "learning_minutes, practices) VALUES (1, '2026-W48', '2026-11-01 00:00:00', 3, 3, 3, 3, 30, '[]')"))
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts)
    config = alembic_config(url)
    head = ScriptDirectory.from_config(config).get_current_head()
    (scripts / "versions" / "9999_rebuild_people.py").write_text(
        '"""rebuild people"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '9999'\ndown_revision = {head!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        "    with op.batch_alter_table('people') as batch_op:  # an expression default forces a rebuild\n"
        "        batch_op.add_column(sa.Column('extra', sa.Boolean(), nullable=False, server_default=sa.true()))\n")
    config.set_main_option("script_location", str(scripts))
    command.upgrade(config, "head")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM checkins")).scalar() == 1
            assert connection.execute(text("SELECT extra FROM people")).scalar() == 1
    finally:
        engine.dispose()
