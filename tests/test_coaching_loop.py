"""Issue 9 end to end: focus modes, roles, energy, the focus review, the growth review, the export.

Everything runs through the real Bolt app over HTTP with the Slack emulator, and the scheduled jobs
through the same sweep ``lead-bot jobs run`` runs (``runner.run_job``), on SQLite and PostgreSQL.
Time is the injected clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.coaching.focus import effective_focus, week_target
from bot.coaching.foundations import ENERGY, ENERGY_LABELS, FOUNDATIONS
from bot.coaching.library import default_library
from bot.coaching.onboarding import PEOPLE, STATEMENT_IDS, STATEMENTS, TECHNICAL
from bot.coaching.weeks import shift_week
from bot.scheduler import runner
from bot.scheduler.sender import ChannelLimiter
from bot.services.export import export_person
from bot.store import checkins as checkin_store
from bot.store import goals as goal_store
from bot.store import people as people_store
from bot.store import prompts as prompt_store
from bot.store import review as review_store
from bot.store.models import Assessment, Checkin, Person
from tests.conftest import TEAM_ID, RunningBot
from tests.helpers import block, bot_environment, element, open_view, responses_after, wait_until
from tests.slack_emulator import validate_message_blocks

PEOPLE_HEAVY = {sid: (5 if s.axis == PEOPLE else 2) for sid, s in zip(STATEMENT_IDS, STATEMENTS, strict=True)}
TECH_HEAVY = {sid: (5 if s.axis == TECHNICAL else 2) for sid, s in zip(STATEMENT_IDS, STATEMENTS, strict=True)}
# A Berlin person's Monday 10:35, Tuesday 11:00, Wednesday 10:05 and Friday 15:05 in week 2026-W48.
MON, TUE, WED, FRI = (datetime(2026, 11, 23, 9, 35, tzinfo=UTC), datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
                      datetime(2026, 11, 25, 9, 5, tzinfo=UTC), datetime(2026, 11, 27, 14, 5, tzinfo=UTC))


@pytest.fixture(autouse=True)
def no_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated weeks must not wait a real second between two DMs to the same person."""
    monkeypatch.setattr(runner, "_LIMITER", ChannelLimiter(0.0))


# helpers -------------------------------------------------------------------------------------------------
def run(bot: RunningBot, job: str, at: datetime) -> dict[str, Any]:
    """The sweep ``lead-bot jobs run JOB --at AT`` runs, with the bot's clock at ``at`` too."""
    bot.clock.set(at)
    return runner.run_job(bot.ctx, WebClient(token="xoxb-test", base_url=bot.emulator.url), job, at)


def person(bot: RunningBot, user: str = "U1") -> Person:
    with bot.ctx.store.session() as session:
        return session.scalars(select(Person).where(Person.user_id == user)).one()


def add_person(bot: RunningBot, user: str, tz: str | None = None, **changes: Any) -> int:
    tz = tz or {"U1": "Europe/Berlin", "U2": "America/New_York", "U3": "Asia/Tokyo"}.get(user, "Europe/Berlin")
    with bot.ctx.store.session() as session:
        row = people_store.get_or_create_person(session, TEAM_ID, user, datetime(2026, 1, 1, tzinfo=UTC))
        people_store.update_person(session, row.id, slack_tz=tz, display_name=f"{user} Example",
                                   tz_fetched_at=datetime(2030, 1, 1, tzinfo=UTC), **changes)
        return row.id


def stored_checkin(bot: RunningBot, person_id: int, week: str, ratings: Mapping[str, int],
                   energy: str | None = None) -> None:
    with bot.ctx.store.session() as session:
        checkin_store.upsert_checkin(session, person_id, week, ratings=ratings, learning_minutes=0, practices=[],
                                     reflection=None, submitted_at=datetime(2026, 1, 1, tzinfo=UTC), energy=energy)


def ratings(personality: int, upskilling: int, delegation: int, progress: int) -> dict[str, int]:
    return {"personality": personality, "upskilling": upskilling, "delegation": delegation, "progress": progress}


def checkin_answers(values: Mapping[str, int], **extra: Any) -> dict[str, Any]:
    return {**{f"rating_{key}": str(value) for key, value in values.items()}, "minutes": "30", **extra}


def check_in(bot: RunningBot, values: Mapping[str, int], user: str = "U1", **extra: Any) -> dict[str, Any]:
    """A check-in through the modal; returns the confirmation DM as Slack stored it."""
    before = len(bot.emulator.messages.get(user, []))
    view = open_view(bot, "checkin", user)
    publishes = len(bot.emulator.calls_to("views.publish"))
    reply = bot.driver.submit(view, checkin_answers(values, **extra), user=user)
    assert reply.status == 200 and reply.body == "", reply.body
    dm = wait_until(lambda: next((m for m in bot.emulator.messages.get(user, [])[before:]
                                  if m["text"].startswith("Check-in for")), None))
    # The App Home is published after the DM: wait for it, so a later wait for "the next publish"
    # cannot mistake this one for its own.
    bot.emulator.wait_for("views.publish", publishes + 1)
    assert validate_message_blocks(dm["blocks"]) == []
    return dm


def delivered(bot: RunningBot, user: str, job: str, week: str) -> dict[str, Any] | None:
    """The scheduled message of ``job`` for ``week`` in the person's DM, found by its delivery key."""
    key = f"{TEAM_ID}:{user}:{job}:{week}"
    return next((m for m in bot.emulator.messages.get(user, [])
                 if (m.get("metadata") or {}).get("event_payload", {}).get("key") == key), None)


def buttons(message: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["action_id"]: e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]}


def onboard(bot: RunningBot, answers: Mapping[str, int], choices: Mapping[str, Any], user: str = "U1") -> None:
    """``/lead start`` through both steps."""
    view = open_view(bot, "start", user, callback_id="onboarding_assess")
    confirm = bot.driver.submit(view, {f"s_{k}": str(v) for k, v in answers.items()}, user=user).json()["view"]
    publishes = len(bot.emulator.calls_to("views.publish"))
    assert bot.driver.submit(confirm, dict(choices), user=user).json() == {"response_action": "clear"}
    bot.emulator.wait_for("views.publish", publishes + 1)


# energy ----------------------------------------------------------------------------------------------------
def test_the_checkin_asks_about_energy_in_one_optional_tap_and_prefills_it(bot: RunningBot) -> None:
    view = open_view(bot, "checkin")
    energy = block(view, "energy")
    assert energy["optional"] is True and energy["label"]["text"] == "What gave you energy this week?"
    assert [(o["value"], o["text"]["text"]) for o in energy["element"]["options"]] == [
        (value, ENERGY_LABELS[value]) for value in ENERGY]
    assert energy["element"]["type"] == "radio_buttons" and "initial_option" not in energy["element"]

    check_in(bot, ratings(3, 4, 2, 3), energy="both")
    again = open_view(bot, "checkin")
    assert element(again, "energy")["initial_option"]["value"] == "both"
    check_in(bot, ratings(3, 4, 2, 3))  # updated this week without an answer: skipped
    with bot.ctx.store.session() as session:
        assert session.scalars(select(Checkin.energy)).all() == [None]
    bot.clock.advance(timedelta(weeks=1))
    check_in(bot, ratings(3, 4, 2, 3), energy="people")
    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    assert [(c["week"], c["energy"]) for c in exported["checkins"]] == [("2026-W48", None), ("2026-W49", "people")]


def test_an_energy_answer_that_was_never_offered_is_refused(bot: RunningBot) -> None:
    body = bot.driver.submit(open_view(bot, "checkin"), checkin_answers(ratings(3, 3, 3, 3), energy="money")).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"energy"}


# the check-in's focus offer ----------------------------------------------------------------------------------
def test_the_checkin_offers_the_toughest_area_as_focus_only_when_that_is_true(bot: RunningBot) -> None:
    add_person(bot, "U1", focus_mode="chosen", focus="delegation")
    add_person(bot, "U2")  # auto

    # Progress alone is lowest: named as the toughest, and offered, since the chosen focus is another.
    dm = check_in(bot, ratings(3, 4, 3, 1))
    offer = buttons(dm)
    assert offer["focus_switch"]["value"] == "U1:progress" and offer["focus_keep"]["value"] == "U1:delegation"
    assert offer["focus_auto"]["value"] == "U1"
    text = json.dumps(dm["blocks"])
    assert "*Track progress* was your toughest area this week" in text
    assert text.count("toughest") == 1  # the encouragement does not say it a second time

    # Two areas share the lowest rating: neither was "the toughest", so nothing says so or offers it.
    bot.clock.advance(timedelta(weeks=1))
    dm = check_in(bot, ratings(2, 4, 3, 2))
    assert "toughest" not in json.dumps(dm) and not buttons(dm)

    # The toughest area is the focus already: nothing to offer.
    bot.clock.advance(timedelta(weeks=1))
    dm = check_in(bot, ratings(3, 4, 1, 3))
    assert not buttons(dm)

    # lead-bot chooses U2's focus: it follows the ratings by itself, no offer.
    dm = check_in(bot, ratings(3, 4, 3, 1), user="U2")
    assert not buttons(dm)


def test_the_checkin_switch_is_one_click_and_updates_the_message(bot: RunningBot) -> None:
    add_person(bot, "U1", focus_mode="chosen", focus="delegation")
    add_person(bot, "U2")
    dm = check_in(bot, ratings(3, 4, 3, 1))
    switch = buttons(dm)["focus_switch"]

    # Someone else replaying the click changes nothing, for U1 or for themselves.
    bot.driver.click("focus_switch", user="U2", value=switch["value"], block_id="focus_offer", message=dm,
                     channel="DU1")
    refusal = responses_after(bot, 1)
    assert refusal["replace_original"] is False and "someone else" in refusal["text"]
    assert (person(bot, "U1").focus_mode, person(bot, "U1").focus) == ("chosen", "delegation")
    assert (person(bot, "U2").focus_mode, person(bot, "U2").focus) == ("auto", None)

    publishes = len(bot.emulator.calls_to("views.publish"))
    bot.driver.click("focus_switch", user="U1", value=switch["value"], block_id="focus_offer", message=dm,
                     channel="DU1")
    updated = responses_after(bot, 2)
    assert updated["replace_original"] is True and "Done: your focus is now Track progress" in updated["text"]
    assert not [b for b in updated["blocks"] if b["type"] == "actions"]  # spent buttons gone
    assert any("Check-in for" in json.dumps(b) for b in updated["blocks"])  # the rest of the message stays
    assert (person(bot, "U1").focus_mode, person(bot, "U1").focus) == ("chosen", "progress")
    # The check-in's own App Home refresh may still be on its way: wait for the one that follows the switch.
    bot.emulator.wait_for("views.publish", publishes + 1)
    wait_until(lambda: "Focus: *Track progress*" in json.dumps(bot.emulator.home_views.get("U1") or {}))


# the focus review ------------------------------------------------------------------------------------------
def test_the_focus_review_goes_to_people_due_and_its_switch_changes_the_focus_in_place(bot: RunningBot) -> None:
    berlin = "Europe/Berlin"
    due = add_person(bot, "U1", focus_mode="chosen", focus="delegation")
    one_checkin = add_person(bot, "U2", berlin, focus_mode="chosen", focus="delegation")
    reviewed = add_person(bot, "U3", berlin, focus_mode="chosen", focus="delegation", focus_review_week="2026-W46")
    # The four weeks before (from 5 Oct): W43 and W44; the last four (from 2 Nov): W46 and W47.
    for week, values in (("2026-W43", ratings(3, 3, 2, 4)), ("2026-W44", ratings(3, 3, 2, 4)),
                         ("2026-W46", ratings(3, 3, 4, 2)), ("2026-W47", ratings(3, 4, 5, 1))):
        stored_checkin(bot, due, week, values)
        stored_checkin(bot, reviewed, week, values)
    stored_checkin(bot, one_checkin, "2026-W47", ratings(3, 3, 3, 1))

    assert run(bot, "focus-review", MON - timedelta(minutes=10))["due"] == 0  # 10:25 in Berlin: not yet
    report = run(bot, "focus-review", MON)
    assert (report["due"], report["sent"]) == (1, 1)
    assert "U2" not in bot.emulator.messages and "U3" not in bot.emulator.messages
    assert person(bot, "U1").focus_review_week == "2026-W48"

    review = bot.emulator.messages["U1"][0]
    text = json.dumps(review["blocks"], ensure_ascii=False)
    assert validate_message_blocks(review["blocks"]) == []
    assert "Your focus review" in text and "since 2 Nov" in text and "5 Oct to 1 Nov" in text
    assert "2026-W" not in text  # dates, never ISO week codes
    # Progress: 4 and 4 in the four weeks before, 2 and 1 since: 4.0 -> 1.5.
    assert "*Track progress*: 4.0 → 1.5 (-2.5)" in text and "*Manage, don't handle*: 2.0 → 4.5 (+2.5)" in text
    assert "*Personality development*: 3.0 → 3.0 (no change)" in text
    assert "weakest foundation over the last four weeks is *Track progress* (1.5 on average)" in text
    offer = buttons(review)
    assert set(offer) == {"focus_switch", "focus_keep", "focus_auto"}
    assert offer["focus_switch"]["value"] == "U1:progress" and offer["focus_switch"]["text"]["text"] == (
        "Switch to Track progress")

    # The same week again sends nothing more; next week is too soon.
    assert run(bot, "focus-review", MON + timedelta(hours=2))["sent"] == 0
    assert run(bot, "focus-review", MON + timedelta(weeks=1))["due"] == 0

    bot.driver.click("focus_switch", user="U2", value=offer["focus_switch"]["value"], message=review,
                     block_id="focus_offer", channel="DU1")
    assert "someone else" in responses_after(bot, 1)["text"]
    assert person(bot, "U1").focus == "delegation" and person(bot, "U2").focus == "delegation"

    bot.driver.click("focus_switch", user="U1", value=offer["focus_switch"]["value"], message=review,
                     block_id="focus_offer", channel="DU1")
    updated = responses_after(bot, 2)
    assert updated["replace_original"] is True and "Done: your focus is now Track progress" in updated["text"]
    assert "Your focus review" in json.dumps(updated["blocks"]) and not buttons(updated)
    assert (person(bot, "U1").focus_mode, person(bot, "U1").focus) == ("chosen", "progress")

    # "Let lead-bot choose" from the same message (say, replayed from another copy): auto, in place.
    bot.driver.click("focus_auto", user="U1", value=offer["focus_auto"]["value"], message=review,
                     block_id="focus_offer", channel="DU1")
    updated = responses_after(bot, 3)
    assert "lead-bot now chooses your focus" in updated["text"] and "Track progress" in updated["text"]
    assert (person(bot, "U1").focus_mode, person(bot, "U1").focus) == ("auto", None)
    exported = export_person(bot.ctx, "U1")
    assert exported is not None and (exported["focus_mode"], exported["focus"]) == ("auto", "progress")


def test_keep_changes_nothing_and_says_so(bot: RunningBot) -> None:
    add_person(bot, "U1", focus_mode="chosen", focus="delegation")
    dm = check_in(bot, ratings(3, 4, 3, 1))
    bot.driver.click("focus_keep", user="U1", value=buttons(dm)["focus_keep"]["value"], message=dm,
                     block_id="focus_offer")
    updated = responses_after(bot, 1)
    assert "Nothing changed: your focus stays Manage, don't handle" in updated["text"] and not buttons(updated)
    assert (person(bot, "U1").focus_mode, person(bot, "U1").focus) == ("chosen", "delegation")


def test_a_forged_focus_value_changes_nothing(bot: RunningBot) -> None:
    add_person(bot, "U1", focus_mode="chosen", focus="delegation")
    for value in ("U1:leadership", "U1", ":progress", "U2:progress"):
        before = len(bot.emulator.responses)
        bot.driver.click("focus_switch", user="U1", value=value)
        assert "someone else" in responses_after(bot, before + 1)["text"]
    assert (person(bot, "U1").focus_mode, person(bot, "U1").focus) == ("chosen", "delegation")


def test_an_auto_focus_review_explains_and_offers_no_buttons(bot: RunningBot) -> None:
    pid = add_person(bot, "U1")
    stored_checkin(bot, pid, "2026-W46", ratings(3, 3, 2, 4))
    stored_checkin(bot, pid, "2026-W47", ratings(3, 3, 2, 4))
    assert run(bot, "focus-review", MON)["sent"] == 1
    review = bot.emulator.messages["U1"][0]
    assert not buttons(review)
    assert "lead-bot chooses your focus" in json.dumps(review["blocks"]) and "Manage, don't handle" in json.dumps(
        review["blocks"])


# the growth review --------------------------------------------------------------------------------------------
def test_the_growth_review_end_to_end_shows_before_and_after_and_stores_a_new_assessment(bot: RunningBot) -> None:
    reply = bot.driver.command("review")  # nothing to compare with yet
    assert reply.status == 200
    assert "/lead start" in responses_after(bot, 1)["text"] and not bot.emulator.calls_to("views.open")

    onboard(bot, PEOPLE_HEAVY, {"track": "management", "role": "manager", "focus": "auto"})
    energies = ["people", "people", "both", None, "technical", "people"]
    for energy in energies:
        bot.clock.advance(timedelta(weeks=1))
        check_in(bot, ratings(3, 3, 3, 3), **({"energy": energy} if energy else {}))
    bot.clock.advance(timedelta(weeks=6))  # 12 weeks after the first assessment

    view = open_view(bot, "review", callback_id="growth_review_assess", empty_reply=True)
    prefilled = {sid: int(element(view, f"s_{sid}")["initial_option"]["value"]) for sid in STATEMENT_IDS}
    assert prefilled == PEOPLE_HEAVY and "growth review" in json.dumps(view)
    changed = {**TECH_HEAVY, "explain": 5}
    body = bot.driver.submit(view, {f"s_{k}": str(v) for k, v in changed.items()}).json()
    assert body["response_action"] == "push", body
    result = body["view"]
    assert result["callback_id"] == "growth_review_confirm"
    statements = block(result, "statements")["text"]["text"]
    assert "talking about new technology: 2 → 5 (+3)" in statements
    assert "explaining hard ideas: 5 → 5" in statements and "(+0)" not in statements
    sides = block(result, "sides")["text"]["text"]
    assert "Technical side: 2.0 → 5.0 (+3.0)" in sides and "People side: 5.0 → 2.5 (-2.5)" in sides
    energy = block(result, "energy")["text"]["text"]
    # 23 Nov to 15 Feb: 13 weeks, six check-ins, five with an answer.
    assert "Over the 13 weeks since 23 Nov" in energy and "people work 3" in energy and "8 without an answer" in energy
    assert "People work gave you energy more often" in energy
    fit = block(result, "track_fit")["text"]["text"]
    assert "rather than your track, Management" in fit
    assert element(result, "track")["initial_option"]["value"] == "management"
    assert "2026-W" not in json.dumps(result)
    with bot.ctx.store.session() as session:
        assert len(session.scalars(select(Assessment)).all()) == 1  # nothing stored before saving

    publishes = len(bot.emulator.calls_to("views.publish"))
    assert bot.driver.submit(result, {"track": "technical"}).json() == {"response_action": "clear"}
    bot.emulator.wait_for("views.publish", publishes + 1)
    assert person(bot).track == "technical"
    dm = bot.emulator.messages["U1"][-1]
    assert "Growth review saved" in dm["text"] and "number 2" in dm["text"] and "Technical" in dm["text"]
    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    assert [(a["track"], a["scores"]) for a in exported["assessments"]] == [
        ("management", {"technical": 2.0, "people": 5.0}), ("technical", {"technical": 5.0, "people": 2.5})]
    assert exported["assessments"][0]["taken_at"] < exported["assessments"][1]["taken_at"]
    assert exported["assessments"][1]["answers"] == changed


def test_a_growth_review_replayed_by_someone_else_stores_nothing_for_the_original_person(bot: RunningBot) -> None:
    onboard(bot, PEOPLE_HEAVY, {"track": "hybrid", "role": "engineer", "focus": "auto"})
    view = open_view(bot, "review", callback_id="growth_review_assess")
    # U2 has no assessment: the replay is refused next to the field and nothing is stored.
    body = bot.driver.submit(view, {f"s_{k}": str(v) for k, v in TECH_HEAVY.items()}, user="U2").json()
    assert body["response_action"] == "errors" and "/lead start" in json.dumps(body["errors"])
    result = bot.driver.submit(view, {f"s_{k}": str(v) for k, v in TECH_HEAVY.items()}).json()["view"]
    bot.driver.submit(result, {"track": "technical"}, user="U2")
    wait_until(lambda: bot.emulator.messages.get("U2"))
    with bot.ctx.store.session() as session:
        owners = session.execute(select(Person.user_id, Assessment.track).join(Person)).all()
    assert sorted(owners) == [("U1", "hybrid"), ("U2", "technical")]
    assert person(bot, "U1").track == "hybrid"


def test_growth_review_invitations_at_12_weeks_then_at_most_every_four_weeks(bot: RunningBot) -> None:
    early = add_person(bot, "U1", track="hybrid")
    recent = add_person(bot, "U2", track="hybrid")
    add_person(bot, "U3")  # never assessed: nothing to review
    with bot.ctx.store.session() as session:
        review_store.add_assessment(session, early, answers=PEOPLE_HEAVY, track="hybrid",
                                    taken_at=datetime(2026, 11, 24, 9, tzinfo=UTC))  # Tuesday of W48
        review_store.add_assessment(session, recent, answers=PEOPLE_HEAVY, track="hybrid",
                                    taken_at=datetime(2026, 12, 8, 15, tzinfo=UTC))  # W50
    tuesday = TUE - timedelta(hours=0, minutes=55)  # 10:05 in Berlin

    def invitations(user: str) -> int:
        # Only invitations: the review's own reply to a submission may land while a sweep runs.
        return sum("growth_review_open" in json.dumps(m.get("blocks", [])) for m in bot.emulator.messages.get(user, []))

    def invited(weeks: int) -> list[str]:
        at = tuesday + timedelta(weeks=weeks)
        before = {user: invitations(user) for user in ("U1", "U2", "U3")}
        run(bot, "growth-review", at)
        run(bot, "growth-review", at + timedelta(hours=6))  # any number of sweeps that day
        return sorted(u for u in before if invitations(u) > before[u])

    assert invited(11) == []
    assert invited(12) == ["U1"]  # 12 weeks after the first assessment
    invite = bot.emulator.messages["U1"][-1]
    assert "24 Nov, 12 weeks ago" in json.dumps(invite["blocks"]) and "growth_review_open" in buttons(invite)
    assert person(bot, "U1").growth_invite_week == shift_week("2026-W48", 12)
    assert invited(13) == []  # not again the following week
    assert invited(14) == ["U2"]
    assert invited(15) == []
    assert invited(16) == ["U1"]  # four weeks later, still not taken

    # The invitation's button opens the review for whoever clicks, pre-filled with their own answers.
    bot.clock.set(tuesday + timedelta(weeks=16, hours=1))
    bot.driver.click("growth_review_open", user="U1", value="review", message=invite)
    bot.emulator.wait_for("views.open")
    view = bot.emulator.opened_views[-1]
    assert view["callback_id"] == "growth_review_assess"
    result = bot.driver.submit(view, {f"s_{k}": str(v) for k, v in PEOPLE_HEAVY.items()}).json()["view"]
    dms = len(bot.emulator.messages.get("U1", []))
    bot.driver.submit(result, {"track": "hybrid"})
    wait_until(lambda: len(review_store_assessments(bot, "U1")) == 2)
    # The review's summary DM follows the save: it must not be counted as an invitation below.
    wait_until(lambda: len(bot.emulator.messages.get("U1", [])) > dms)
    assert "U1" not in invited(20)  # taken in week 16: the next round is 12 weeks after it
    assert "U1" in invited(28)


def review_store_assessments(bot: RunningBot, user: str) -> list[Any]:
    with bot.ctx.store.session() as session:
        return list(session.scalars(select(Assessment).join(Person).where(Person.user_id == user)))


# the export -----------------------------------------------------------------------------------------------
def test_the_export_has_role_focus_mode_focus_energy_assessments_and_prompts(bot: RunningBot) -> None:
    add_person(bot, "U1")
    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    assert (exported["role"], exported["focus_mode"], exported["focus"]) == (None, "auto", None)  # no data yet
    assert exported["assessments"] == [] and exported["prompts"] == []

    onboard(bot, PEOPLE_HEAVY, {"track": "hybrid", "role": "tech_lead", "focus": "auto"})
    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    # Before any check-in, lead-bot's choice is what the self-assessment rates lowest.
    assert (exported["role"], exported["focus_mode"], exported["focus"]) == ("tech_lead", "auto", "upskilling")
    check_in(bot, ratings(3, 4, 3, 1), energy="neither")

    report = run(bot, "upskilling-prompt", WED)
    assert report["sent"] == 1
    first = delivered(bot, "U1", "upskilling-prompt", "2026-W48")
    assert first is not None
    first_id = buttons(first)["prompt_did_it"]["value"]
    bot.driver.click("prompt_helpful", user="U1", value=first_id)
    wait_until(lambda: bot.emulator.responses)
    opened = len(bot.emulator.calls_to("views.open"))
    bot.driver.click("prompt_did_it", user="U1", value=first_id)
    bot.emulator.wait_for("views.open", opened + 1)
    minutes = bot.emulator.opened_views[-1]
    assert minutes["callback_id"] == "prompt_minutes"
    assert bot.driver.submit(minutes, {"minutes": "25"}).status == 200
    run(bot, "reflection-prompt", FRI)
    reflection = delivered(bot, "U1", "reflection-prompt", "2026-W48")
    assert reflection is not None
    reflection_id = buttons(reflection)["reflection_write"]["value"]

    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    assert (exported["focus_mode"], exported["focus"]) == ("auto", "progress")  # now from the check-in
    assert exported["checkins"][0]["energy"] == "neither"
    library = default_library()
    assert exported["prompts"] == [
        {"id": first_id, "kind": "upskilling", "foundation": library.get(first_id).foundation, "week": "2026-W48",
         "feedback": "helpful", "done_minutes": 25},
        {"id": reflection_id, "kind": "reflection", "foundation": library.get(reflection_id).foundation,
         "week": "2026-W48", "feedback": None, "done_minutes": None},
    ]
    [assessment] = exported["assessments"]
    assert assessment["track"] == "hybrid" and assessment["scores"] == {"technical": 2.0, "people": 5.0}
    assert assessment["taken_at"].startswith("2026-11-23T09:14:00")


# one person through twelve weeks ----------------------------------------------------------------------------
# Delegation is weakest for three weeks; from week 4 progress drops and delegation recovers; from week 7
# (when the person picks progress as their own focus) personality drops to 1.
SCRIPT = {**{w: ratings(4, 4, 2, 4) for w in (1, 2, 3)}, **{w: ratings(4, 4, 4, 2) for w in (4, 5, 6)},
          **{w: ratings(1, 4, 4, 3) for w in range(7, 13)}}


def weakest(history: list[Mapping[str, int]]) -> str:
    """The rule restated: the lowest average over the last four check-ins, ties in FOUNDATIONS order."""
    window = history[-4:]
    means = {f: sum(r[f] for r in window) / len(window) for f in FOUNDATIONS}
    return min(FOUNDATIONS, key=lambda f: (means[f], FOUNDATIONS.index(f)))


def test_twelve_weeks_the_focus_follows_the_ratings(bot: RunningBot) -> None:
    onboard(bot, PEOPLE_HEAVY, {"track": "hybrid", "role": "engineer", "focus": "auto"})
    library = default_library()
    history: list[Mapping[str, int]] = []
    targets: dict[int, str] = {}
    reviews: dict[int, dict[str, Any]] = {}
    offers_in_checkins: dict[int, str | None] = {}
    switched_at: int | None = None
    for n in range(1, 13):
        week = shift_week("2026-W48", n - 1)
        shift = timedelta(weeks=n - 1)
        if n == 7:  # Monday morning: the person picks the foundation that is weakest now as their own focus
            bot.clock.set(MON - timedelta(hours=2) + shift)
            view = open_view(bot, "settings", callback_id="settings")
            keep = {b["block_id"]: (b["element"].get("initial_option") or {}).get("value")
                    or b["element"].get("initial_time") for b in view["blocks"] if b.get("type") == "input"}
            keep = {k: v for k, v in keep.items() if v}
            assert keep["focus"] == "auto"
            assert bot.driver.submit(view, {**keep, "focus": "progress", "prefs": ["nudges", "celebrate"]}).body == ""
            wait_until(lambda: person(bot).focus_mode == "chosen")
        run(bot, "focus-review", MON + shift)
        review = delivered(bot, "U1", "focus-review", week)
        if review is not None:
            reviews[n] = review
            offered = buttons(reviews[n]).get("focus_switch")
            if offered:  # the offer came: take it, one click on the review itself
                bot.driver.click("focus_switch", user="U1", value=offered["value"], message=reviews[n],
                                 block_id="focus_offer", channel="DU1")
                wait_until(lambda: person(bot).focus == "personality")
                switched_at = n

        bot.clock.set(TUE + shift)
        dm = check_in(bot, SCRIPT[n])
        history.append(SCRIPT[n])
        offer = buttons(dm).get("focus_switch")
        offers_in_checkins[n] = offer["value"] if offer else None

        for job, at, kind in (("upskilling-prompt", WED, "upskilling"), ("reflection-prompt", FRI, "reflection")):
            assert run(bot, job, at + shift)["sent"] == 1, (n, job)
            message = delivered(bot, "U1", job, week)
            assert message is not None
            prompt = library.get(message["metadata"]["event_payload"]["prompt_id"])
            assert prompt is not None and prompt.kind == kind
            # Nothing that assumes what an engineer without goals lacks.
            assert "engineer" in prompt.roles and not {"direct_reports", "active_goal"} & prompt.requires
            mode = person(bot).focus_mode
            if mode == "auto":
                assert prompt.foundation == weakest(history), (n, kind, prompt.id)
                targets[n] = prompt.foundation
            else:
                focus = effective_focus("chosen", person(bot).focus, history[-4:])
                expected = week_target(focus, kind=kind, person_key=f"{TEAM_ID}:U1", week=week).foundation
                assert prompt.foundation == expected, (n, kind, prompt.id)

    # auto: delegation for three weeks; the ratings changed in week 4 and the four-week weakest moved to
    # progress in week 6 (week 5 ties delegation and progress at 3.0), and that week's prompts followed.
    assert targets == {1: "delegation", 2: "delegation", 3: "delegation", 4: "delegation", 5: "delegation",
                       6: "progress"}
    # The focus review: week 3 (two check-ins), then every four weeks.
    assert sorted(reviews) == [3, 7, 11]
    assert not buttons(reviews[3])  # auto: nothing to switch
    assert set(buttons(reviews[7])) == {"focus_auto"}  # progress, the chosen focus, is still the weakest
    # chosen: personality dropped in week 7; the review four weeks later offers it, one click away.
    assert buttons(reviews[11])["focus_switch"]["value"] == "U1:personality"
    first_offer = min(n for n, review in reviews.items() if "focus_switch" in buttons(review))
    assert first_offer - 7 <= 4  # within four weeks of the change
    assert "Personality development" in json.dumps(reviews[11]["blocks"])
    assert switched_at == 11 and (person(bot).focus_mode, person(bot).focus) == ("chosen", "personality")
    # The check-in confirmations offered the same switch every week it was true, and only then.
    assert offers_in_checkins == {**{n: None for n in range(1, 7)}, **{n: "U1:personality" for n in range(7, 11)},
                                  11: None, 12: None}
    exported = export_person(bot.ctx, "U1")
    assert exported is not None and len(exported["prompts"]) == 24
    assert {p["week"] for p in exported["prompts"]} == {shift_week("2026-W48", k) for k in range(12)}


# roles and requirements decide what may be sent ------------------------------------------------------------
def test_role_and_goals_decide_which_prompts_can_be_sent(bot: RunningBot) -> None:
    library = default_library()
    for_managers = next(p for p in library.of("upskilling") if p.requires == {"direct_reports"})
    for_goals = next(p for p in library.of("upskilling") if p.requires == {"active_goal"})
    users = {"U1": {"role": "engineer"}, "U2": {"role": "manager"}, "U3": {"role": "tech_lead"},
             "U4": {"role": None}}
    ids = {user: add_person(bot, user, "Europe/Berlin", **changes) for user, changes in users.items()}
    with bot.ctx.store.session() as session:
        for pid in ids.values():
            # Everything else was "not for me": only these two prompts are left to choose from.
            for prompt in library.of("upskilling"):
                if prompt.id not in (for_managers.id, for_goals.id):
                    prompt_store.set_feedback(session, pid, prompt.id, "not_for_me", datetime(2026, 1, 1, tzinfo=UTC))
        goal_store.add_goal(session, ids["U3"], title="Ship the migration", foundation="progress",
                            measure=None, target=None, due=None, created_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert run(bot, "upskilling-prompt", WED)["sent"] == 2

    def sent(user: str) -> str | None:
        message = delivered(bot, user, "upskilling-prompt", "2026-W48")
        return None if message is None else message["metadata"]["event_payload"]["prompt_id"]

    # A manager has reports; nobody else is assumed to. Only a person with an active goal gets a goal prompt.
    assert sent("U1") is None and sent("U4") is None  # an engineer, and someone not asked yet: nothing fits
    assert sent("U2") == for_managers.id and sent("U3") == for_goals.id


def test_jobs_run_sends_the_focus_review_and_the_growth_invitation(bot: RunningBot) -> None:
    """The two new jobs by name through the command line, as an operator runs them."""
    pid = add_person(bot, "U1", focus_mode="chosen", focus="delegation")
    stored_checkin(bot, pid, "2026-W46", ratings(3, 3, 3, 1))
    stored_checkin(bot, pid, "2026-W47", ratings(3, 3, 3, 1))
    with bot.ctx.store.session() as session:
        review_store.add_assessment(session, pid, answers=PEOPLE_HEAVY, track="hybrid",
                                    taken_at=datetime(2026, 8, 25, 9, tzinfo=UTC))  # 13 weeks before W48
    env = bot_environment(bot.ctx.settings.database_url, bot.emulator.url)
    for job, at in (("focus-review", MON), ("growth-review", TUE - timedelta(minutes=55))):
        done = subprocess.run([sys.executable, "-m", "bot", "jobs", "run", job, "--at", at.isoformat()], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["sent"] == 1
        assert delivered(bot, "U1", job, "2026-W48") is not None
