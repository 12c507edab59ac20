"""The weekly focus and the prompt choice rule (see bot/coaching/choice.py's docstring)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.coaching.choice import Feedback, choose_prompt, weakest_foundation, weekly_focus
from bot.coaching.foundations import FOUNDATIONS, TRACKS
from bot.coaching.library import KINDS, Prompt, load_library
from bot.coaching.weeks import shift_week, weeks_between

settings.register_profile("choice", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("choice")

BASE_WEEK = "2026-W50"  # near a year end with a week 53, so shifts cross the boundary


@pytest.fixture(scope="module")
def real_prompts() -> tuple[Prompt, ...]:
    return load_library().prompts


# --- generated libraries and histories ----------------------------------------------------------


@dataclass(frozen=True)
class Case:
    prompts: list[Prompt]
    kind: str
    track: str | None
    focus: str
    week: str
    sent: dict[str, str]
    rejected: frozenset[str]
    feedback: dict[str, Feedback]
    person_key: str

    def choose(self, prompts: Sequence[Prompt] | None = None, **changes: object) -> Prompt | None:
        arguments: dict[str, object] = {
            "kind": self.kind,
            "track": self.track,
            "focus": self.focus,
            "week": self.week,
            "sent": self.sent,
            "rejected": self.rejected,
            "feedback": self.feedback,
            "person_key": self.person_key,
        }
        arguments.update(changes)
        return choose_prompt(self.prompts if prompts is None else prompts, **arguments)  # type: ignore[arg-type]

    def eligible(self) -> list[Prompt]:
        """Eligibility restated from the rule, independently of the implementation."""
        return [
            p
            for p in self.prompts
            if p.kind == self.kind
            and (self.track is None or self.track in p.tracks)
            and p.id not in self.rejected
            and (p.id not in self.sent or weeks_between(self.sent[p.id], self.week) >= 8)
        ]


# The seven non-empty track subsets, drawn in one step (cheaper than building a set).
TRACK_SETS = [frozenset(t for i, t in enumerate(TRACKS) if mask >> i & 1) for mask in range(1, 2 ** len(TRACKS))]
track_sets = st.sampled_from(TRACK_SETS)
feedbacks = st.builds(Feedback, helpful=st.integers(0, 6), not_for_me=st.integers(0, 6))



@dataclass(frozen=True)
class Row:
    """One generated prompt with this person's history of it and the team's votes."""

    kind: str
    foundation: str
    tracks: frozenset[str]
    weeks_ago: int | None  # None: never sent to this person
    rejected: bool
    feedback: Feedback | None


rows = st.builds(
    Row,
    kind=st.sampled_from(KINDS),
    foundation=st.sampled_from(FOUNDATIONS),
    tracks=track_sets,
    weeks_ago=st.none() | st.integers(0, 12),
    rejected=st.booleans(),
    feedback=st.none() | feedbacks,
)


def _prompt(number: int, kind: str, foundation: str, tracks: frozenset[str]) -> Prompt:
    return Prompt(
        id=f"{kind}.{foundation}.{number:02d}",
        kind=kind,
        foundation=foundation,
        tracks=tracks,
        title=f"Prompt {number}",
        body="Body.",
        action="Act.",
        minutes=20 if kind == "upskilling" else None,
    )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    drawn = draw(st.lists(rows, max_size=14))
    week = shift_week(BASE_WEEK, draw(st.integers(-3, 6)))
    pairs = [(_prompt(n, row.kind, row.foundation, row.tracks), row) for n, row in enumerate(drawn, 1)]
    return Case(
        prompts=[prompt for prompt, _ in pairs],
        kind=draw(st.sampled_from(KINDS)),
        track=draw(st.sampled_from((*TRACKS, None))),
        focus=draw(st.sampled_from(FOUNDATIONS)),
        week=week,
        sent={p.id: shift_week(week, -row.weeks_ago) for p, row in pairs if row.weeks_ago is not None},
        rejected=frozenset(p.id for p, row in pairs if row.rejected),
        feedback={p.id: row.feedback for p, row in pairs if row.feedback is not None},
        person_key=draw(st.sampled_from(("T1:U1", "T1:U2", "T2:U1"))),
    )


# --- properties ----------------------------------------------------------------------------------


@given(cases())
def test_never_returns_a_prompt_sent_within_the_last_8_weeks(case: Case) -> None:
    chosen = case.choose()
    if chosen is not None and chosen.id in case.sent:
        assert weeks_between(case.sent[chosen.id], case.week) >= 8


@given(cases())
def test_never_returns_a_rejected_prompt(case: Case) -> None:
    chosen = case.choose()
    assert chosen is None or chosen.id not in case.rejected


@given(cases())
def test_always_suits_the_track_and_kind(case: Case) -> None:
    chosen = case.choose()
    assert chosen is None or (chosen.suits(case.track) and chosen.kind == case.kind)


@given(cases())
def test_returns_a_focus_prompt_whenever_one_is_eligible(case: Case) -> None:
    chosen = case.choose()
    focus_eligible = [p for p in case.eligible() if p.foundation == case.focus]
    if focus_eligible:
        assert chosen is not None and chosen.foundation == case.focus


@given(cases())
def test_falls_back_to_the_first_foundation_in_order_with_a_candidate(case: Case) -> None:
    # Reject every focus prompt, so the fallback is exercised on every example.
    focus_ids = {p.id for p in case.prompts if p.foundation == case.focus}
    case = dataclasses.replace(case, rejected=case.rejected | focus_ids)
    eligible = case.eligible()
    chosen = case.choose()
    if not eligible:
        assert chosen is None
        return
    expected = next(f for f in FOUNDATIONS if any(p.foundation == f for p in eligible))
    assert chosen is not None and chosen.foundation == expected


@given(cases())
def test_returns_none_only_when_nothing_is_eligible(case: Case) -> None:
    assert (case.choose() is None) == (not case.eligible())


@given(cases(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_input_order(case: Case, rng: random.Random) -> None:
    first = case.choose()
    assert case.choose() == first
    shuffled = list(case.prompts)
    rng.shuffle(shuffled)
    assert case.choose(shuffled) == first


@given(cases())
def test_chosen_prompt_has_the_best_score_in_its_foundation(case: Case) -> None:
    chosen = case.choose()
    if chosen is None:
        return
    same_foundation = [p for p in case.eligible() if p.foundation == chosen.foundation]
    best = max(case.feedback.get(p.id, Feedback()).score for p in same_foundation)
    assert case.feedback.get(chosen.id, Feedback()).score == best


@given(
    track_sets,
    st.sampled_from(KINDS),
    st.sampled_from(FOUNDATIONS),
    feedbacks,
    feedbacks,
    st.text(min_size=1, max_size=8),
    st.integers(-10, 10),
)
def test_higher_score_wins_among_otherwise_equal_candidates(
    tracks: frozenset[str], kind: str, foundation: str, a: Feedback, b: Feedback, person: str, offset: int
) -> None:
    assume(a.score != b.score)
    twins = [_prompt(n, kind, foundation, tracks) for n in (1, 2)]
    feedback = {twins[0].id: a, twins[1].id: b}
    chosen = choose_prompt(
        twins,
        kind=kind,
        track=next(iter(sorted(tracks))),
        focus=foundation,
        week=shift_week(BASE_WEEK, offset),
        sent={},
        rejected=(),
        feedback=feedback,
        person_key=person,
    )
    winner = twins[0] if a.score > b.score else twins[1]
    assert chosen == winner


@pytest.mark.parametrize(
    ("sent_week", "week", "eligible"),
    [
        ("2026-W40", "2026-W48", True),  # exactly 8 weeks: eligible again
        ("2026-W41", "2026-W48", False),  # 7 weeks: too soon
        ("2026-W50", "2027-W05", True),  # across a year with a week 53: W50 + 8 = 2027-W05
        ("2026-W50", "2027-W04", False),
        ("2026-W48", "2026-W48", False),  # sent this very week
    ],
)
def test_a_prompt_returns_exactly_8_weeks_after_it_was_sent(sent_week: str, week: str, eligible: bool) -> None:
    only = Prompt("reflection.progress.01", "reflection", "progress", frozenset(TRACKS), "T", "B", "A", None)
    chosen = choose_prompt(
        [only],
        kind="reflection",
        track="hybrid",
        focus="progress",
        week=week,
        sent={only.id: sent_week},
        rejected=(),
        feedback={},
        person_key="T1:U1",
    )
    assert (chosen == only) is eligible


# --- scores and tie-breaks -----------------------------------------------------------------------


def test_score_is_laplace_smoothed_share_of_helpful() -> None:
    assert Feedback().score == Fraction(1, 2)
    assert Feedback(helpful=3, not_for_me=1).score == Fraction(4, 6)
    assert Feedback(helpful=0, not_for_me=8).score == Fraction(1, 10)


def test_ties_spread_people_across_prompts(real_prompts: tuple[Prompt, ...]) -> None:
    people = [f"T1:U{n}" for n in range(30)]
    chosen = {
        choose_prompt(
            real_prompts,
            kind="upskilling",
            track="hybrid",
            focus="delegation",
            week="2026-W48",
            sent={},
            rejected=(),
            feedback={},
            person_key=person,
        )
        for person in people
    }
    assert len(chosen) >= 4
    assert None not in chosen


# --- weakest foundation and weekly focus ---------------------------------------------------------


def test_weakest_foundation_none_without_ratings() -> None:
    assert weakest_foundation([]) is None
    assert weakest_foundation([{}, {}]) is None


def test_weakest_foundation_uses_averages() -> None:
    ratings = [
        {"personality": 4, "upskilling": 1, "delegation": 3, "progress": 4},
        {"personality": 4, "upskilling": 5, "delegation": 3, "progress": 4},
    ]
    # upskilling averages 3, delegation 3: tie, and upskilling comes first in FOUNDATIONS.
    assert weakest_foundation(ratings) == "upskilling"
    ratings.append({"personality": 4, "upskilling": 5, "delegation": 3, "progress": 4})
    assert weakest_foundation(ratings) == "delegation"


def test_weakest_foundation_ties_follow_foundations_order() -> None:
    assert weakest_foundation([{f: 3 for f in FOUNDATIONS}]) == FOUNDATIONS[0]
    assert weakest_foundation([{"progress": 2, "delegation": 2, "upskilling": 4}]) == "delegation"


def test_weakest_foundation_averages_only_the_ratings_given() -> None:
    # A skipped rating is not a zero: progress averages 2 over its one rating.
    ratings: list[Mapping[str, int]] = [{"personality": 3, "progress": 2}, {"personality": 1}]
    assert weakest_foundation(ratings) == "personality"  # personality averages exactly 2: tie, listed first
    assert weakest_foundation([{"personality": 3, "progress": 2}, {"personality": 2}]) == "progress"


def test_weekly_focus_prefers_the_chosen_focus() -> None:
    assert weekly_focus("progress", [{"delegation": 1, "progress": 5}]) == "progress"


def test_weekly_focus_falls_back_to_the_weakest() -> None:
    assert weekly_focus(None, [{"personality": 2, "upskilling": 4, "delegation": 3, "progress": 5}]) == "personality"


def test_weekly_focus_ignores_an_unknown_chosen_value() -> None:
    assert weekly_focus("charisma", [{"progress": 1, "delegation": 2}]) == "progress"


def test_weekly_focus_for_a_newcomer_is_delegation() -> None:
    assert weekly_focus(None, []) == "delegation"


# --- twenty weeks over the real library ----------------------------------------------------------




@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("track", (*TRACKS, None))
@pytest.mark.parametrize("focus", FOUNDATIONS)
def test_twenty_weeks_without_repeats_inside_8_weeks(
    real_prompts: tuple[Prompt, ...], kind: str, track: str | None, focus: str
) -> None:
    sent: dict[str, str] = {}
    history: list[tuple[str, str]] = []
    week = "2026-W40"
    for _ in range(20):
        chosen = choose_prompt(
            real_prompts,
            kind=kind,
            track=track,
            focus=focus,
            week=week,
            sent=sent,
            rejected=(),
            feedback={},
            person_key="T1:U42",
        )
        assert chosen is not None, week
        assert chosen.kind == kind and chosen.suits(track)
        # Each (kind, foundation, track) holds more than 8 prompts, so the focus never runs dry.
        assert chosen.foundation == focus
        sent[chosen.id] = week
        history.append((week, chosen.id))
        week = shift_week(week, 1)
    for index, (week_a, prompt_a) in enumerate(history):
        for week_b, prompt_b in history[index + 1 :]:
            if prompt_a == prompt_b:
                assert weeks_between(week_a, week_b) >= 8
