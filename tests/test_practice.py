"""Practice together end to end (issue 11): opt-in, rounds, "did you meet?", kudos; both stores.

Everything goes through the real Bolt app over HTTP and the Slack emulator; sweeps run "as if"
the clock read a given moment (``lead-bot jobs run --at``). 2026-W48 is an even ISO week, so its
Tuesday 11:00 UTC is a round; W49 is the follow-up week; W50 the next round.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.scheduler import runner
from bot.scheduler.sender import ChannelLimiter
from bot.services.export import export_person
from bot.store import people as people_store
from bot.store.models import Kudos, Person, PracticePair
from tests.conftest import TEAM_CHANNEL, TEAM_ID, RunningBot
from tests.helpers import element, keys_sent, open_view, wait_until
from tests.test_team import answer, check_in

ROUND_1 = datetime(2026, 11, 24, 11, 5, tzinfo=UTC)  # Tuesday of W48
FOLLOW_UP = datetime(2026, 12, 1, 11, 5, tzinfo=UTC)  # Tuesday of W49
ROUND_2 = datetime(2026, 12, 8, 11, 5, tzinfo=UTC)  # Tuesday of W50

OFFERERS = ("UO1", "UO2")
SEEKERS = ("UA", "UB", "UC")
LONELY = "UD"  # seeks shadowing, which nobody offers


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "_LIMITER", ChannelLimiter(interval=0.0))


def client_for(bot: RunningBot) -> WebClient:
    return WebClient(token="xoxb-test", base_url=bot.emulator.url, timeout=10)


def run(bot: RunningBot, job: str, at: datetime) -> dict[str, Any]:
    return runner.run_job(bot.ctx, client_for(bot), job, at)


def dms(bot: RunningBot, user: str) -> list[dict[str, Any]]:
    return [m for m in bot.emulator.messages.get(user, []) if (m.get("metadata") or {}).get("event_type")]


def dm_text(message: dict[str, Any]) -> str:
    return json.dumps(message["blocks"])


def opt_in(bot: RunningBot, user: str, *, seeks: tuple[str, ...] = (), offers: tuple[str, ...] = (),
           note: str | None = None) -> None:
    view = open_view(bot, "pair", user=user, callback_id="pair_prefs")
    answers: dict[str, Any] = {"seeks": list(seeks), "offers": list(offers), "enabled": "on"}
    if note is not None:
        answers["note"] = note
    reply = bot.driver.submit(view, answers, user=user)
    assert reply.status == 200 and reply.body in ("", "null"), reply.body


def six_people(bot: RunningBot) -> None:
    for user, tz in zip(OFFERERS + SEEKERS + (LONELY,), ("Europe/Berlin", "Europe/London", "Europe/Paris",
                                                         "Europe/Berlin", "Europe/Madrid", "Europe/Rome"),
                        strict=True):
        bot.emulator.add_user(user, tz=tz, name=f"{user} Example")
    for user in OFFERERS:
        opt_in(bot, user, offers=("informational_interview",))
    for user in SEEKERS:
        opt_in(bot, user, seeks=("informational_interview",), note=f"{user}: how do you run <!here> planning & 1:1s?")
    opt_in(bot, LONELY, seeks=("shadowing",))


def pairs_in(bot: RunningBot, round_week: str) -> set[frozenset[str]]:
    with bot.ctx.store.session() as session:
        rows = session.query(PracticePair).filter(PracticePair.round == round_week).all()
        ids = {p.id: p.user_id for p in session.query(Person).all()}
        return {frozenset((ids[r.seeker_id], ids[r.offerer_id])) for r in rows}


# opt-in ----------------------------------------------------------------------------------------------------
def test_the_pair_modal_suggests_by_role_and_refuses_an_empty_choice(bot: RunningBot) -> None:
    with bot.ctx.store.session() as session:
        manager = people_store.get_or_create_person(session, TEAM_ID, "U1", bot.clock.now())
        people_store.update_person(session, manager.id, role="manager")
        engineer = people_store.get_or_create_person(session, TEAM_ID, "U2", bot.clock.now())
        people_store.update_person(session, engineer.id, role="engineer")
    view = open_view(bot, "pair", user="U1", callback_id="pair_prefs")
    assert [o["value"] for o in element(view, "offers")["initial_options"]] == ["informational_interview"]
    assert "initial_options" not in element(view, "seeks")
    view = open_view(bot, "pair", user="U2", callback_id="pair_prefs")
    assert [o["value"] for o in element(view, "seeks")["initial_options"]] == ["informational_interview"]
    reply = bot.driver.submit(view, {"seeks": [], "offers": [], "enabled": "on"}, user="U2")
    assert reply.json()["response_action"] == "errors" and "seeks" in reply.json()["errors"]
    opt_in(bot, "U2", seeks=("mentoring", "shadowing"), note="Show me code review")
    view = open_view(bot, "pair", user="U2", callback_id="pair_prefs")
    assert [o["value"] for o in element(view, "seeks")["initial_options"]] == ["shadowing", "mentoring"]
    exported = export_person(bot.ctx, "U2")
    assert exported is not None
    assert exported["pairing"]["seeks"] == ["shadowing", "mentoring"] and exported["pairing"]["pairs"] == []


# rounds ------------------------------------------------------------------------------------------------------
def test_a_round_of_six_pairs_dms_once_avoids_repeats_and_asks_whether_they_met(bot: RunningBot) -> None:
    six_people(bot)
    report = run(bot, "pairing", ROUND_1)
    first = pairs_in(bot, "2026-W48")
    assert len(first) == 2  # two offerers of capacity one, three seekers of that kind
    paired = {user for pair in first for user in pair}
    assert set(OFFERERS) <= paired
    left_out = next(user for user in SEEKERS if user not in paired)
    assert report["sent"] == 6 and report["failed"] == 0  # four in pairs, two left out

    for pair in first:
        seeker = next(u for u in pair if u in SEEKERS)
        offerer = next(u for u in pair if u in OFFERERS)
        (to_seeker,), (to_offerer,) = dms(bot, seeker), dms(bot, offerer)
        assert f"<@{offerer}>" in dm_text(to_seeker) and f"<@{seeker}>" in dm_text(to_offerer)
        text = dm_text(to_offerer)
        # the seeker's note, escaped: no channel ping, the ampersand as an entity
        assert "&lt;!here&gt; planning &amp; 1:1s" in text and "<!here>" not in text
        questions = next(b for b in to_offerer["blocks"] if b.get("block_id") == "questions")
        assert questions["text"]["text"].count("\n") == 3  # a heading and three questions
    for user in (left_out, LONELY):
        (message,) = dms(bot, user)
        assert "You go first in the next round" in dm_text(message)

    again = run(bot, "pairing", ROUND_1.replace(minute=40))
    assert again["sent"] == 0 and again["due"] == 0
    assert all(count == 1 for count in keys_sent(bot.emulator).values())
    assert pairs_in(bot, "2026-W48") == first

    # a week later, both people of each pair are asked; "yes" records met and counts as the practice
    run(bot, "pairing-followup", FOLLOW_UP)
    seeker = next(u for u in paired if u in SEEKERS)
    question = dms(bot, seeker)[-1]
    buttons = next(b for b in question["blocks"] if b.get("block_id") == "answer")["elements"]
    yes = next(b for b in buttons if b["action_id"] == "pair_met_yes")
    partner = next(u for pair in first if seeker in pair for u in pair if u != seeker)
    assert bot.driver.click("pair_met_yes", user=partner, value=yes["value"]).status == 200  # partner's own answer
    stranger = bot.driver.click("pair_met_yes", user=left_out, value=yes["value"])
    assert stranger.status == 200
    bot.clock.set(FOLLOW_UP)
    assert bot.driver.click("pair_met_yes", user=seeker, value=yes["value"]).status == 200
    wait_until(lambda: any("counts as" in json.dumps(r) for r in bot.emulator.responses))
    exported = export_person(bot.ctx, seeker)
    assert exported is not None
    (row,) = exported["pairing"]["pairs"]
    assert row == {**row, "round": "2026-W48", "with": partner, "kind": "informational_interview", "as": "seeker",
                   "met": True}
    outsider = export_person(bot.ctx, left_out)
    assert outsider is not None and outsider["pairing"]["pairs"] == []
    checkin = open_view(bot, "checkin", user=seeker)
    assert [o["value"] for o in element(checkin, "practices")["initial_options"]] == ["informational_interview"]
    bot.driver.event({"type": "app_home_opened", "user": seeker, "tab": "home"})
    home = wait_until(lambda: bot.emulator.home_views.get(seeker))
    assert "Talked with a manager about their job ×1" in json.dumps(home, ensure_ascii=False)
    assert run(bot, "pairing-followup", FOLLOW_UP.replace(minute=50))["sent"] == 0

    run(bot, "pairing", ROUND_2)
    second = pairs_in(bot, "2026-W50")
    assert len(second) == 2 and not second & first  # no pair again while another is possible
    assert any(left_out in pair for pair in second)  # who waited goes first


def test_pausing_lead_bot_leaves_a_person_out_of_the_round(bot: RunningBot) -> None:
    six_people(bot)
    assert bot.driver.command("pause 2", user="UO1").status == 200
    run(bot, "pairing", ROUND_1)
    assert not any("UO1" in pair for pair in pairs_in(bot, "2026-W48"))
    assert dms(bot, "UO1") == []


def test_someone_away_on_the_round_day_is_left_out_and_their_partner_gets_another(bot: RunningBot) -> None:
    six_people(bot)
    bot.driver.event({"type": "user_change", "event_ts": "1.1", "cache_ts": 5,
                      "user": {"id": "UO1", "team_id": TEAM_ID, "name": "uo1", "updated": 5, "tz": "Europe/Berlin",
                               "profile": {"status_text": "Vacationing", "status_emoji": ":palm_tree:",
                                           "status_expiration": 0, "real_name": "UO1 Example"}}})
    wait_until(lambda: status_of(bot, "UO1") == "Vacationing")
    run(bot, "pairing", ROUND_1)
    pairs = pairs_in(bot, "2026-W48")
    assert len(pairs) == 1 and not any("UO1" in pair for pair in pairs)
    assert dms(bot, "UO1") == []


def status_of(bot: RunningBot, user: str) -> str | None:
    with bot.ctx.store.session() as session:
        return session.query(Person.status_text).filter(Person.user_id == user).scalar()


# kudos -----------------------------------------------------------------------------------------------------
HOSTILE = "thanks &lt;b&gt; {{ user.token }} {% if x %} <!channel> <!here> &amp; <@U3|margaret> too"


def test_kudos_with_escaped_text_reach_the_recipient_and_the_digest_without_pinging(bot: RunningBot) -> None:
    reply = bot.driver.command(f"kudos <@U2|grace> {HOSTILE}", user="U1")
    assert reply.status == 200 and "Sent" in reply.body
    (dm,) = wait_until(lambda: bot.emulator.messages.get("U2"))
    text = dm_text(dm)
    assert "<@U1>" in text and "<!channel>" not in text and "<!here>" not in text
    assert "&lt;b&gt;" in text and "{{ user.token }}" in text and "{% if x %}" in text and "&amp;" in text
    assert "@channel @here" in text and "@margaret too" in text
    kudos_id = json.loads(reply.body)["blocks"][1]["elements"][0]["value"]
    assert not bot.emulator.messages.get(TEAM_CHANNEL)  # nothing in the channel until the giver asks
    assert bot.driver.click("kudos_share", user="U3", value=kudos_id).status == 200  # not the giver
    assert not bot.emulator.messages.get(TEAM_CHANNEL)
    assert bot.driver.click("kudos_share", user="U1", value=kudos_id).status == 200
    (post,) = wait_until(lambda: bot.emulator.messages.get(TEAM_CHANNEL))
    posted = dm_text(post)
    assert "<@U1>" in posted and "<@U2>" in posted and "<!channel>" not in posted and "<!here>" not in posted

    view = open_view(bot, "kudos", user="U3", callback_id="kudos_new")
    assert bot.driver.submit(view, {"recipient": "U1", "text": "For the <!everyone> demo", "share": ["yes"]},
                             user="U3").status == 200
    wait_until(lambda: len(bot.emulator.messages.get(TEAM_CHANNEL, [])) == 2)

    run_digest = runner.run_job(bot.ctx, client_for(bot), "team-digest", datetime(2026, 11, 27, 16, 5, tzinfo=UTC))
    assert run_digest["sent"] == 1
    digest = dm_text(bot.emulator.messages[TEAM_CHANNEL][-1])
    kudos_block = next(b for b in bot.emulator.messages[TEAM_CHANNEL][-1]["blocks"] if b.get("block_id") == "kudos")
    assert "<@U1> thanks <@U2>" in kudos_block["text"]["text"] and "<@U3> thanks <@U1>" in kudos_block["text"]["text"]
    assert "<!everyone>" not in digest and "<!channel>" not in digest

    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    (given,) = exported["kudos"]["given"]
    assert given["to"] == "U2" and given["shared"] is True and given["text"].startswith("thanks <b> {{ user.token }}")
    assert [k["from"] for k in exported["kudos"]["received"]] == ["U3"]

    bot.driver.event({"type": "app_home_opened", "user": "U2", "tab": "home"})
    home = wait_until(lambda: bot.emulator.home_views.get("U2"))
    assert "Kudos received" in json.dumps(home) and "<@U1>" in json.dumps(home)


@pytest.mark.parametrize(("target", "why"), [("U1", "someone else"), ("UGONE", "deactivated"),
                                             ("UROBOT", "bots can't"), ("UNOBODY", "confirm who")])
def test_kudos_refused_store_nothing(bot: RunningBot, target: str, why: str) -> None:
    bot.emulator.add_user("UGONE", name="Gone Person", deleted=True)
    bot.emulator.add_user("UROBOT", name="Robot", is_bot=True)
    reply = bot.driver.command(f"kudos <@{target}> thanks!", user="U1")
    assert reply.status == 200 and why in reply.body and "Nothing was sent" in reply.body
    view = open_view(bot, "kudos", user="U1", callback_id="kudos_new")
    refused = bot.driver.submit(view, {"recipient": target, "text": "thanks!"}, user="U1").json()
    assert refused["response_action"] == "errors" and "recipient" in refused["errors"]
    with bot.ctx.store.session() as session:
        assert session.query(Kudos).count() == 0
    assert not bot.emulator.messages.get(target)


def test_kudos_without_a_mention_say_how(bot: RunningBot) -> None:
    reply = bot.driver.command("kudos grace for the review", user="U1")
    assert "Start with the person you thank" in reply.body


def test_escaped_text_reaches_every_subcommand_as_typed(bot: RunningBot) -> None:
    reply = bot.driver.command("win Shipped a &lt; b fix &amp; <!channel> cheered", user="U1")
    assert reply.status == 200
    exported = export_person(bot.ctx, "U1")
    assert exported is not None and exported["wins"][-1]["text"] == "Shipped a < b fix & @channel cheered"
    assert "&amp;lt;" not in json.dumps(bot.emulator.messages.get(TEAM_CHANNEL, []))


# /lead team ------------------------------------------------------------------------------------------------
def test_team_trends_count_met_pairs_and_kudos_without_naming_anyone(bot: RunningBot) -> None:
    opt_in(bot, "U1", offers=("informational_interview",))
    opt_in(bot, "U2", seeks=("informational_interview",), note="Private-ish note")
    run(bot, "pairing", ROUND_1)
    assert pairs_in(bot, "2026-W48") == {frozenset(("U1", "U2"))}  # Berlin and New York share two hours
    run(bot, "pairing-followup", FOLLOW_UP)
    bot.clock.set(FOLLOW_UP)
    for user in ("U1", "U2"):
        question = dms(bot, user)[-1]
        value = next(b for b in question["blocks"] if b.get("block_id") == "answer")["elements"][0]["value"]
        assert bot.driver.click("pair_met_yes", user=user, value=value).status == 200
    # "Yes" offers a private note to self; only the pair's own people can write one.
    value = next(b for b in dms(bot, "U1")[-1]["blocks"] if b.get("block_id") == "answer")["elements"][0]["value"]
    opened = len(bot.emulator.opened_views)
    assert bot.driver.click("pair_note_open", user="U1", value=value).status == 200
    note_view = wait_until(lambda: bot.emulator.opened_views[opened:] and bot.emulator.opened_views[-1])
    assert note_view["callback_id"] == "pair_self_note"
    refused = bot.driver.submit(note_view, {"note": "Not my pair"}, user="U3").json()
    assert refused["response_action"] == "errors" and "note" in refused["errors"]
    assert bot.driver.submit(note_view, {"note": "Ask <b> about hiring & budgets"}, user="U1").status == 200
    exported = export_person(bot.ctx, "U1")
    assert exported is not None
    assert exported["pairing"]["pairs"][0]["note_to_self"] == "Ask <b> about hiring & budgets"
    for user in ("U1", "U2", "U3"):
        check_in(bot, user, (3, 4, 2, 5))
    assert "Sent" in bot.driver.command("kudos <@U1|ada> thanks for the pairing", user="U3").body
    dumped = json.dumps(answer(bot, "team", "U2"), ensure_ascii=False)
    assert "Last 12 weeks" in dumped and "latest 3.0" in dumped
    assert "Talked with a manager about their job ×2" in dumped
    assert "People who met their practice partner: 2" in dumped and "Kudos given: 1 in 12 weeks" in dumped
    for private in ("U1", "U3", "Ada", "thanks for the pairing", "Private-ish"):
        assert private not in dumped, private


# reading Slack's escaped text ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("sent", "typed"), [
    ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
    ("&amp;lt; stays literal", "&lt; stays literal"),
    ("<!channel> <!here> <!everyone>", "@channel @here @everyone"),
    ("<@U123|ada> and <@W9>", "@ada and @W9"),
    ("<#C1|team> <!subteam^S1|@leads>", "#team @leads"),
    ("<https://x.test|x.test> <https://evil.test|the docs> <mailto:a@b.c|a@b.c>",
     "x.test the docs (https://evil.test) a@b.c"),
    ("{{ 7*7 }} {% raw %}", "{{ 7*7 }} {% raw %}"),
])
def test_plain_text_is_what_the_person_typed(sent: str, typed: str) -> None:
    from bot.mrkdwn import plain_text

    assert plain_text(sent) == typed


def test_leading_mention_takes_only_a_mention_at_the_start() -> None:
    from bot.mrkdwn import leading_mention

    assert leading_mention("<@U2|grace> thanks &amp; more") == ("U2", " thanks &amp; more")
    assert leading_mention("thanks <@U2>") == (None, "thanks <@U2>")
    assert leading_mention("<!channel> hi") == (None, "<!channel> hi")
