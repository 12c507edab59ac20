"""The pure onboarding rules (statements, track suggestion, focus) and the pure view parsers."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.foundations import FOUNDATIONS, TRACKS
from bot.coaching.onboarding import (
    PEOPLE,
    SCALE,
    SIGNALS,
    STATEMENT_IDS,
    STATEMENTS,
    TECHNICAL,
    first_step,
    foundation_scores,
    statement,
    suggest_focus,
    suggest_track,
)
from bot.slack.commands.settings import parse_weeks
from bot.views.onboarding import (
    EXPIRED,
    build_assessment_modal,
    build_confirm_modal,
    parse_assessment,
    parse_confirm,
)
from bot.views.settings import normalize_zone
from tests.slack_driver import fill_state
from tests.slack_emulator import validate_view

RANK = {"technical": 0, "hybrid": 1, "management": 2}
PEOPLE_IDS = [s.id for s in STATEMENTS if s.axis == PEOPLE]
TECH_IDS = [s.id for s in STATEMENTS if s.axis == TECHNICAL]

levels = st.integers(min_value=1, max_value=5)
complete_answers = st.fixed_dictionaries({sid: levels for sid in STATEMENT_IDS})
# Partial, and with junk the rules must ignore: unknown ids, out-of-range and non-integer values.
messy_answers = st.dictionaries(
    st.sampled_from(STATEMENT_IDS + ("nope", "")),
    st.one_of(levels, st.integers(-3, 9), st.none(), st.booleans(), st.text(max_size=3)),
)


def all_at(level: int) -> dict[str, int]:
    return {sid: level for sid in STATEMENT_IDS}


# the statements ----------------------------------------------------------------------------------
def test_statements_cover_the_model() -> None:
    assert len(STATEMENTS) >= 8
    assert len(set(STATEMENT_IDS)) == len(STATEMENTS)
    assert {s.signal for s in STATEMENTS if s.signal} == set(SIGNALS) == {"talk_tech", "explain", "product"}
    # Our own topics: delegation, conflict, planning, technical depth, stakeholder work.
    assert {"delegate", "conflict", "planning", "hands_on", "stakeholders"} <= set(STATEMENT_IDS)
    for foundation in FOUNDATIONS:
        assert any(s.foundation == foundation for s in STATEMENTS), foundation
    assert PEOPLE_IDS and TECH_IDS
    for item in STATEMENTS:
        assert item.text and len(item.text) <= 150 and len(item.short) <= 60
        assert item.axis in (None, PEOPLE, TECHNICAL) and (item.foundation is None or item.foundation in FOUNDATIONS)
    assert statement("explain").signal == "explain"
    assert list(SCALE) == [1, 2, 3, 4, 5] and all(len(label) <= 75 for label in SCALE.values())


# the track suggestion ----------------------------------------------------------------------------
def test_clear_cases() -> None:
    people = {**all_at(2), **{sid: 5 for sid in PEOPLE_IDS}}
    tech = {**all_at(2), **{sid: 5 for sid in TECH_IDS}}
    assert suggest_track(people).track == "management"
    assert suggest_track(tech).track == "technical"
    even = suggest_track(all_at(4))
    assert even.track == "hybrid" and even.close and "close" in even.reason


def test_reason_is_honest_about_the_answers() -> None:
    answers = {**all_at(3), "hands_on": 5, "architecture": 5, "talk_tech": 4, "delegate": 1, "conflict": 2}
    result = suggest_track(answers)
    assert result.track == "technical"
    assert "getting energy from hands-on code" in result.reason and "shaping technical direction" in result.reason
    assert "handing work over" in result.reason
    assert "Neither path is better" in result.reason
    assert f"{result.technical:.1f}/5" in result.reason and f"{result.people:.1f}/5" in result.reason
    # A near miss says hybrid is a fair pick too and suggests talking to people on both paths.
    near = {**all_at(3), **{sid: 4 for sid in PEOPLE_IDS}, **{sid: 3 for sid in TECH_IDS}, "talk_tech": 2}
    near_result = suggest_track(near)
    assert near_result.track == "management" and near_result.close
    assert "hybrid would be a fair pick" in near_result.reason and "both paths" in near_result.reason


def test_signals_are_described_only_as_strong_as_they_are() -> None:
    mixed = {**all_at(2), **{sid: 5 for sid in PEOPLE_IDS}, "talk_tech": 1}
    reason = suggest_track(mixed).reason
    assert "All three signs" not in reason and "explaining hard ideas" in reason
    assert "All three signs" in suggest_track(all_at(5)).reason
    assert "quiet" in suggest_track(all_at(1)).reason


@settings(max_examples=200, deadline=None)
@given(messy_answers)
def test_always_a_valid_track_and_focus(answers: dict) -> None:
    result = suggest_track(answers)
    assert result.track in TRACKS
    assert result.reason and len(result.reason) < 2000
    assert 1 <= result.technical <= 5 and 1 <= result.people <= 5
    assert suggest_focus(answers) in FOUNDATIONS


@settings(max_examples=200, deadline=None)
@given(complete_answers, st.lists(st.sampled_from(PEOPLE_IDS), unique=True), st.integers(1, 4))
def test_more_people_leadership_never_moves_toward_technical(answers: dict, raised: list, by: int) -> None:
    before = suggest_track(answers).track
    higher = {**answers, **{sid: min(5, answers[sid] + by) for sid in raised}}
    after = suggest_track(higher).track
    assert RANK[after] >= RANK[before]
    if before == "management":
        assert after == "management"


@settings(max_examples=200, deadline=None)
@given(complete_answers, st.lists(st.sampled_from(TECH_IDS), unique=True), st.integers(1, 4))
def test_more_technical_appetite_never_moves_toward_management(answers: dict, raised: list, by: int) -> None:
    before = suggest_track(answers).track
    higher = {**answers, **{sid: min(5, answers[sid] + by) for sid in raised}}
    assert RANK[suggest_track(higher).track] <= RANK[before]


@settings(max_examples=100, deadline=None)
@given(complete_answers)
def test_raising_every_people_answer_to_the_top_never_gives_technical(answers: dict) -> None:
    top = {**answers, **{sid: 5 for sid in PEOPLE_IDS}}
    assert suggest_track(top).track != "technical"


# the focus ---------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(complete_answers)
def test_focus_is_the_weakest_foundation(answers: dict) -> None:
    focus = suggest_focus(answers)
    scores = foundation_scores(answers)
    assert scores[focus] == min(scores.values())


@settings(max_examples=200, deadline=None)
@given(complete_answers, st.sampled_from(FOUNDATIONS))
def test_lowering_a_foundation_to_the_floor_makes_it_the_focus(answers: dict, foundation: str) -> None:
    lowered = {sid: (1 if statement(sid).foundation == foundation else max(2, v)) for sid, v in answers.items()}
    assert suggest_focus(lowered) == foundation


def test_focus_ties_follow_the_model_order() -> None:
    assert suggest_focus(all_at(3)) == "personality"
    assert suggest_focus({}) == "personality"


def test_first_steps_exist_for_every_focus_and_track() -> None:
    for foundation in FOUNDATIONS:
        steps = {first_step(foundation, track) for track in TRACKS}
        assert len(steps) == 3 and all(len(s) > 40 for s in steps)
        assert first_step(foundation, None) == first_step(foundation, "hybrid")


# the view parsers (pure) ----------------------------------------------------------------------------
def test_assessment_modal_round_trip_and_prefill() -> None:
    answers = {sid: (i % 5) + 1 for i, sid in enumerate(STATEMENT_IDS)}
    fresh = build_assessment_modal()
    assert validate_view(fresh) == []
    assert not any("initial_option" in b.get("element", {}) for b in fresh["blocks"])
    values = fill_state(fresh, {f"s_{sid}": str(v) for sid, v in answers.items()})
    assert parse_assessment(values) == (answers, {})
    again = build_assessment_modal(answers)
    initial = {b["block_id"][2:]: int(b["element"]["initial_option"]["value"])
               for b in again["blocks"] if b.get("type") == "input"}
    assert initial == answers
    missing = fill_state(fresh, {f"s_{sid}": "4" for sid in STATEMENT_IDS[1:]})
    parsed, errors = parse_assessment(missing)
    assert parsed is None and set(errors) == {f"s_{STATEMENT_IDS[0]}"}


def test_confirm_modal_carries_the_answers_and_refuses_forged_metadata() -> None:
    answers = all_at(4)
    view = build_confirm_modal(answers, suggest_track(answers), "delegation")
    assert validate_view(view) == [] and len(view["private_metadata"]) <= 3000
    values = fill_state(view, {"track": "technical", "role": "engineer", "focus": "progress",
                               "goal_title": "  Run   the retro  "})
    choice, errors = parse_confirm(values, view["private_metadata"])
    assert errors == {} and choice is not None
    # No foundation picked for the goal: the service files it under the focus in effect.
    assert (choice.track, choice.role, choice.focus_mode, choice.focus, choice.goal_title, choice.goal_foundation) == (
        "technical", "engineer", "chosen", "progress", "Run the retro", None)
    assert choice.answers == answers
    auto = fill_state(view, {"track": "technical", "role": "manager", "focus": "auto"})
    choice, errors = parse_confirm(auto, view["private_metadata"])
    assert choice is not None and (choice.focus_mode, choice.focus, choice.goal_title) == ("auto", None, None)
    forged = json.dumps({"answers": {**answers, "explain": 9}})
    assert parse_confirm(values, forged) == (None, {"track": EXPIRED})
    assert parse_confirm(values, "not json")[1] == {"track": EXPIRED}


@pytest.mark.parametrize("text, weeks", [("", 1), ("1", 1), ("3", 3), ("12", 12), ("2 weeks", 2), ("4w", 4),
                                         ("0", None), ("13", None), ("-1", None), ("soon", None), ("1.5", None)])
def test_pause_argument(text: str, weeks: int | None) -> None:
    assert parse_weeks(text) == weeks


@pytest.mark.parametrize("text, zone", [("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"),
                                        (" America/New York ", "America/New_York"), ("UTC", "UTC"),
                                        ("Mars/Olympus", None), ("../../etc/passwd", None), ("", None)])
def test_zone_names(text: str, zone: str | None) -> None:
    assert normalize_zone(text) == zone
