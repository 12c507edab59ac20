"""The growth review: before and after, track fit, and the energy split."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.foundations import ENERGY, TRACK_LABELS, TRACKS
from bot.coaching.growth import (
    DIFFERENT,
    NEAR,
    NO_TRACK,
    SAME,
    compare_assessments,
    energy_note,
    energy_split,
    side_average,
    track_fit,
)
from bot.coaching.onboarding import PEOPLE, STATEMENT_IDS, STATEMENTS, TECHNICAL, suggest_track

settings.register_profile("growth", max_examples=200, deadline=None)
settings.load_profile("growth")

PEOPLE_IDS = [s.id for s in STATEMENTS if s.axis == PEOPLE]
TECH_IDS = [s.id for s in STATEMENTS if s.axis == TECHNICAL]
answers = st.fixed_dictionaries({sid: st.integers(1, 5) for sid in STATEMENT_IDS})
partial_answers = st.dictionaries(st.sampled_from(STATEMENT_IDS), st.integers(1, 5))


def _answers(technical: int, people: int, other: int = 3) -> dict[str, int]:
    return {s.id: technical if s.axis == TECHNICAL else people if s.axis == PEOPLE else other for s in STATEMENTS}


# --- before and after ------------------------------------------------------------------------------


@given(partial_answers, partial_answers, st.sampled_from((*TRACKS, None)))
def test_before_and_after_per_statement_and_side(before: dict[str, int], after: dict[str, int],
                                                 track: str | None) -> None:
    comparison = compare_assessments(before, after, track)
    assert [c.statement for c in comparison.statements] == list(STATEMENT_IDS)
    for change in comparison.statements:
        assert change.before == before.get(change.statement) and change.after == after.get(change.statement)
        both = change.statement in before and change.statement in after
        assert change.change == (after[change.statement] - before[change.statement] if both else None)
    assert [s.side for s in comparison.sides] == [TECHNICAL, PEOPLE]
    for side in comparison.sides:
        ids = TECH_IDS if side.side == TECHNICAL else PEOPLE_IDS
        old = [before[i] for i in ids if i in before]
        new = [after[i] for i in ids if i in after]
        assert side.before == (pytest.approx(sum(old) / len(old)) if old else None)
        assert side.after == (pytest.approx(sum(new) / len(new)) if new else None)
        assert side.change == (pytest.approx(sum(new) / len(new) - sum(old) / len(old)) if old and new else None)


def test_side_average_ignores_junk_and_never_invents_a_neutral_answer() -> None:
    assert side_average({}, TECHNICAL) is None
    assert side_average({"hands_on": 5, "architecture": 2, "talk_tech": "5", "nonsense": 1}, TECHNICAL) == 3.5
    assert side_average({"hands_on": 9, "explain": True}, PEOPLE) is None


def test_growth_by_example() -> None:
    before, after = _answers(technical=4, people=2), _answers(technical=4, people=4)
    comparison = compare_assessments(before, after, "technical")
    sides = {s.side: s for s in comparison.sides}
    assert (sides[PEOPLE].before, sides[PEOPLE].after, sides[PEOPLE].change) == (2.0, 4.0, 2.0)
    assert (sides[TECHNICAL].before, sides[TECHNICAL].after, sides[TECHNICAL].change) == (4.0, 4.0, 0.0)
    fit = comparison.track_fit
    assert (fit.previous, fit.suggested, fit.fit, fit.fits) == ("technical", "hybrid", DIFFERENT, False)
    assert "At your previous assessment they pointed to Technical" in fit.reason


# --- track fit -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("technical", "people", "track", "fit"),
    [
        (5, 1, "technical", SAME),
        (1, 5, "management", SAME),
        (3, 3, "hybrid", SAME),
        (5, 1, "management", DIFFERENT),
        (5, 1, "hybrid", DIFFERENT),  # gap 4: far from close
        (3, 4, "hybrid", NEAR),  # suggestion management by a 1-point gap: close, hybrid still fits
        (4, 3, "technical", SAME),  # gap 1 is decisive already
        (3, 3, "technical", DIFFERENT),  # exactly even: the answers lean nowhere
        (3, 3, None, NO_TRACK),
    ],
)
def test_track_fit_by_example(technical: int, people: int, track: str | None, fit: str) -> None:
    result = track_fit(_answers(technical, people), track)
    assert result.fit == fit
    assert result.fits is (None if fit == NO_TRACK else fit in (SAME, NEAR))


def test_a_single_sided_track_near_a_hybrid_suggestion_leaning_its_way() -> None:
    # People average 3.43 (seven statements) against technical 3: hybrid, leaning to people.
    answers = _answers(technical=3, people=3)
    answers.update({"explain": 5, "product": 5, "delegate": 4})
    suggestion = suggest_track(answers)
    assert suggestion.track == "hybrid" and suggestion.people > suggestion.technical
    assert track_fit(answers, "management").fit == NEAR
    assert track_fit(answers, "technical").fit == DIFFERENT


@given(answers, st.sampled_from((*TRACKS, None)), st.none() | answers)
def test_track_fit_reuses_the_suggestion_and_says_so(after: dict[str, int], track: str | None,
                                                   before: dict[str, int] | None) -> None:
    fit = track_fit(after, track, before=before)
    suggestion = suggest_track(after)
    assert fit.suggested == suggestion.track and fit.suggestion == suggestion
    assert fit.previous == (None if before is None else suggest_track(before).track)
    assert fit.reason.endswith(suggestion.reason)
    assert TRACK_LABELS[fit.suggested] in fit.reason
    if track == fit.suggested:
        assert fit.fit == SAME
    elif track is None:
        assert fit.fit == NO_TRACK
    elif fit.fit == NEAR:
        assert "hybrid" in (track, fit.suggested) and suggestion.close
    assert "<" not in fit.reason and ">" not in fit.reason and not re.search(r"&(?!amp;|lt;|gt;)", fit.reason)


# --- energy ----------------------------------------------------------------------------------------


energies = st.lists(st.sampled_from((*ENERGY, None, "bored")), max_size=16)


@given(energies)
def test_energy_split_counts_and_shares(answers: list[str | None]) -> None:
    split = energy_split(answers)
    assert set(split.counts) == set(ENERGY)
    for value in ENERGY:
        assert split.counts[value] == answers.count(value)
    assert split.unanswered == sum(1 for a in answers if a not in ENERGY)
    assert split.answered + split.unanswered == len(answers)
    if split.answered:
        assert sum(split.shares.values()) == pytest.approx(1.0)
        assert all(split.shares[v] == pytest.approx(split.counts[v] / split.answered) for v in ENERGY)
    else:
        assert set(split.shares.values()) == {0.0}


@pytest.mark.parametrize(
    ("answers", "track", "fragments", "absent"),
    [
        ([], "hybrid", ["tells nothing"], ["supports"]),
        ([None] * 10, "hybrid", ["tells nothing"], ["supports"]),
        (["people", "people", "people"], "management", ["3 answered weeks", "too early"], ["supports"]),
        (["people", None], None, ["one answered week", "too early"], ["supports"]),
        (["people"] * 5 + ["technical"] + ["both"] * 2, "management",
         ["People work", "5 weeks against 1", "of 8 answered", "management or hybrid", "in line with your track"], []),
        (["people"] * 5 + ["technical"] + ["both"] * 2, "technical",
         ["management or hybrid", "Your track is Technical", "question to explore"], ["in line"]),
        (["technical"] * 6 + ["neither"] * 2, "hybrid", ["Technical work", "6 weeks against 0", "in line"], []),
        (["both"] * 4 + ["people", "technical"], "hybrid", ["Both kinds", "4 of 6", "hybrid roles", "in line"], []),
        (["neither"] * 3 + ["people", "technical"], "management", ["neither kind", "3 of 5"],
         ["supports", "in line", "Your track"]),
        (["technical", "people", "technical", "people", "both"], "technical", ["about equally", "in line"], []),
        (["technical"] * 3 + ["people"] * 2, "management", ["about equally"], ["supports"]),  # 1 apart: no lean
    ],
)
def test_energy_note_by_example(answers: list[str | None], track: str | None, fragments: list[str],
                                absent: list[str]) -> None:
    note = energy_note(energy_split(answers), track)
    for fragment in fragments:
        assert fragment in note, note
    for fragment in absent:
        assert fragment not in note, note


@given(energies, st.sampled_from((*TRACKS, None)))
def test_energy_note_never_claims_a_lean_the_counts_do_not_show(answers: list[str | None],
                                                                track: str | None) -> None:
    split = energy_split(answers)
    note = energy_note(split, track)
    assert note and "<" not in note and ">" not in note
    people, technical = split.counts["people"], split.counts["technical"]
    if "People work gave you energy more often" in note:
        assert people > technical and split.answered >= 4
    if "Technical work gave you energy more often" in note:
        assert technical > people and split.answered >= 4
    if split.answered < 4:
        assert "supports" not in note and "in line" not in note
    # Every number the note quotes is one of the split's counts.
    quoted = {int(n) for n in re.findall(r"\b(\d+)\b", note)}
    assert quoted <= {*split.counts.values(), split.answered}
