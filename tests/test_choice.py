"""The prompt choice rule: eligibility, the mix, widening, repeats (see bot/coaching/choice.py's docstring)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.coaching.choice import (
    REASONS,
    REPEAT,
    WIDENED_FOUNDATION,
    WIDENED_TRACK,
    Choice,
    Feedback,
    PersonFacts,
    choose_prompt,
)
from bot.coaching.focus import AUTO, CHOSEN, FOCUS, MIX, Focus, effective_focus, week_target
from bot.coaching.foundations import FOUNDATIONS, REQUIREMENTS, ROLES, TRACKS
from bot.coaching.library import KINDS, Prompt, load_library
from bot.coaching.weeks import shift_week, weeks_between

settings.register_profile("choice", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("choice")

BASE_WEEK = "2026-W50"  # near a year end with a week 53, so shifts cross the boundary


@pytest.fixture(scope="module")
def real_prompts() -> tuple[Prompt, ...]:
    return load_library().prompts


def _subsets(names: Sequence[str], *, empty: bool) -> list[frozenset[str]]:
    start = 0 if empty else 1
    return [frozenset(n for i, n in enumerate(names) if mask >> i & 1) for mask in range(start, 2 ** len(names))]


# Subsets drawn in one step (cheaper than building sets).
track_sets = st.sampled_from(_subsets(TRACKS, empty=False))
role_sets = st.sampled_from(_subsets(ROLES, empty=False))
requirement_sets = st.sampled_from(_subsets(REQUIREMENTS, empty=True))
feedbacks = st.builds(Feedback, helpful=st.integers(0, 6), not_for_me=st.integers(0, 6))
ratings = st.dictionaries(st.sampled_from(FOUNDATIONS), st.integers(1, 5))
people = st.builds(
    PersonFacts,
    role=st.sampled_from((*ROLES, None)),
    track=st.sampled_from((*TRACKS, None)),
    has_active_goal=st.booleans(),
    has_team_channel=st.booleans(),
)


def _lacks(person: PersonFacts, prompt: Prompt) -> bool:
    """Restated from the docstring, independently of PersonFacts: role None is engineer, only managers have reports."""
    role = person.role or "engineer"
    held = {"direct_reports": role == "manager", "active_goal": person.has_active_goal,
            "team_channel": person.has_team_channel}
    return role not in prompt.roles or any(not held[need] for need in prompt.requires)


@dataclass(frozen=True)
class Row:
    """One generated prompt with this person's history of it and the team's votes."""

    kind: str
    foundation: str
    tracks: frozenset[str]
    roles: frozenset[str]
    requires: frozenset[str]
    weeks_ago: int | None  # None: never sent to this person
    rejected: bool
    feedback: Feedback | None


rows = st.builds(
    Row,
    kind=st.sampled_from(KINDS),
    foundation=st.sampled_from(FOUNDATIONS),
    tracks=track_sets,
    roles=role_sets,
    requires=st.one_of(st.just(frozenset()), st.just(frozenset()), requirement_sets),
    weeks_ago=st.none() | st.integers(0, 12),
    rejected=st.booleans(),
    feedback=st.none() | feedbacks,
)


def _prompt(number: int, kind: str, foundation: str, tracks: frozenset[str] = frozenset(TRACKS),
            roles: frozenset[str] = frozenset(ROLES), requires: frozenset[str] = frozenset()) -> Prompt:
    return Prompt(
        id=f"{kind}.{foundation}.{number:02d}",
        kind=kind,
        foundation=foundation,
        tracks=tracks,
        title=f"Prompt {number}",
        body="Body.",
        action="Act.",
        minutes=20 if kind == "upskilling" else None,
        roles=roles,
        requires=requires,
    )


@dataclass(frozen=True)
class Case:
    prompts: list[Prompt]
    kind: str
    person: PersonFacts
    focus: Focus
    week: str
    sent: dict[str, str]
    rejected: frozenset[str]
    feedback: dict[str, Feedback]
    person_key: str

    def choose(self, prompts: Sequence[Prompt] | None = None, **changes: object) -> Choice | None:
        arguments: dict[str, Any] = {
            "kind": self.kind,
            "person": self.person,
            "focus": self.focus,
            "week": self.week,
            "sent": self.sent,
            "rejected": self.rejected,
            "feedback": self.feedback,
            "person_key": self.person_key,
        }
        arguments.update(changes)
        return choose_prompt(self.prompts if prompts is None else prompts, **arguments)

    def recent(self, prompt: Prompt) -> bool:
        return prompt.id in self.sent and weeks_between(self.sent[prompt.id], self.week) < 8

    def fitting(self) -> list[Prompt]:
        """Kind, role and requirements fit, not rejected: anything the rule may ever return."""
        return [p for p in self.prompts
                if p.kind == self.kind and not _lacks(self.person, p) and p.id not in self.rejected]

    def fresh(self) -> list[Prompt]:
        return [p for p in self.fitting() if not self.recent(p)]

    def eligible(self) -> list[Prompt]:
        """Without widening: the person's track too (any track when they have none)."""
        return [p for p in self.fresh() if self.person.track is None or self.person.track in p.tracks]

    def target(self) -> str:
        return week_target(self.focus, kind=self.kind, person_key=self.person_key, week=self.week).foundation


@st.composite
def cases(draw: st.DrawFn) -> Case:
    drawn = draw(st.lists(rows, min_size=6, max_size=24))
    week = shift_week(BASE_WEEK, draw(st.integers(-3, 6)))
    pairs = [(_prompt(n, r.kind, r.foundation, r.tracks, r.roles, r.requires), r) for n, r in enumerate(drawn, 1)]
    focus = effective_focus(
        draw(st.sampled_from((AUTO, CHOSEN))),
        draw(st.sampled_from((*FOUNDATIONS, *FOUNDATIONS, None))),  # a missing chosen value now and then
        draw(st.lists(ratings, max_size=4)),
        draw(st.sampled_from((*FOUNDATIONS, None))),
    )
    return Case(
        prompts=[prompt for prompt, _ in pairs],
        kind=draw(st.sampled_from(KINDS)),
        person=draw(people),
        focus=focus,
        week=week,
        sent={p.id: shift_week(week, -row.weeks_ago) for p, row in pairs if row.weeks_ago is not None},
        rejected=frozenset(p.id for p, row in pairs if row.rejected),
        feedback={p.id: row.feedback for p, row in pairs if row.feedback is not None},
        person_key=draw(st.sampled_from(("T1:U1", "T1:U2", "T2:U1", "T2:U7"))),
    )


# --- what may never happen -----------------------------------------------------------------------


@given(cases())
def test_never_a_prompt_the_person_lacks_the_requirements_or_role_for(case: Case) -> None:
    chosen = case.choose()
    if chosen is not None:
        assert not _lacks(case.person, chosen.prompt)
        assert chosen.prompt.requires <= case.person.met


@given(cases())
def test_never_returns_a_rejected_prompt(case: Case) -> None:
    chosen = case.choose()
    assert chosen is None or chosen.prompt.id not in case.rejected


@given(cases())
def test_always_of_the_requested_kind_with_a_known_reason(case: Case) -> None:
    chosen = case.choose()
    assert chosen is None or (chosen.prompt.kind == case.kind and chosen.reason in REASONS)


@given(cases())
def test_never_repeats_within_8_weeks_while_any_fitting_prompt_is_fresh(case: Case) -> None:
    chosen = case.choose()
    if case.fresh():
        assert chosen is not None and chosen.reason != REPEAT and not case.recent(chosen.prompt)
    elif chosen is not None:
        assert chosen.reason == REPEAT


@given(cases())
def test_other_tracks_only_when_the_own_track_has_nothing_fresh(case: Case) -> None:
    chosen = case.choose()
    if chosen is None or chosen.reason in (WIDENED_TRACK, REPEAT):
        assert not case.eligible()
    else:
        assert chosen.prompt.suits(case.person.track)


@given(cases())
def test_returns_none_only_when_nothing_fits_at_all(case: Case) -> None:
    assert (case.choose() is None) == (not case.fitting())


# --- which prompt ---------------------------------------------------------------------------------


@given(cases())
def test_aims_at_the_weeks_target_whenever_it_has_an_eligible_prompt(case: Case) -> None:
    chosen = case.choose()
    target = case.target()
    if any(p.foundation == target for p in case.eligible()):
        assert chosen is not None and chosen.prompt.foundation == target
        assert chosen.reason == (FOCUS if target == case.focus.for_prompts else MIX)
        assert chosen.target == target and chosen.focus == case.focus.for_prompts


@given(cases())
def test_widens_to_the_first_foundation_in_order_with_a_candidate(case: Case) -> None:
    # Reject every target prompt, so the widening is exercised on every example.
    target = case.target()
    case = dataclasses.replace(case, rejected=case.rejected | {p.id for p in case.prompts if p.foundation == target})
    eligible = case.eligible()
    chosen = case.choose()
    if not eligible:
        assert chosen is None or chosen.reason in (WIDENED_TRACK, REPEAT)
        return
    focus = case.focus.for_prompts
    # The order restated: the focus first, then the rest by average rating, unrated last.
    averages = {f: Fraction(sum(r[f] for r in case.focus.ratings if f in r),
                            sum(1 for r in case.focus.ratings if f in r))
                for f in FOUNDATIONS if any(f in r for r in case.focus.ratings)}
    rest = sorted((f for f in FOUNDATIONS if f != focus),
                  key=lambda f: (f not in averages, averages.get(f, Fraction(0)), FOUNDATIONS.index(f)))
    expected = next(f for f in (focus, *rest) if any(p.foundation == f for p in eligible))
    assert chosen is not None and chosen.reason == WIDENED_FOUNDATION and chosen.prompt.foundation == expected


@given(cases())
def test_a_repeat_is_the_fitting_prompt_sent_longest_ago(case: Case) -> None:
    chosen = case.choose()
    if chosen is None or chosen.reason != REPEAT:
        return
    oldest = max(weeks_between(case.sent[p.id], case.week) for p in case.fitting())
    assert weeks_between(case.sent[chosen.prompt.id], case.week) == oldest
    assert chosen.last_sent == case.sent[chosen.prompt.id]


@given(cases(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_input_order(case: Case, rng: random.Random) -> None:
    first = case.choose()
    assert case.choose() == first
    shuffled = list(case.prompts)
    rng.shuffle(shuffled)
    assert case.choose(shuffled) == first


def _peers(case: Case, chosen: Choice) -> list[Prompt]:
    pool = case.eligible() if chosen.reason != WIDENED_TRACK else case.fresh()
    return [p for p in pool if p.foundation == chosen.prompt.foundation]


@given(cases())
def test_a_prompt_comes_back_only_when_its_peers_were_all_sent_before(case: Case) -> None:
    chosen = case.choose()
    if chosen is None or chosen.reason == REPEAT or chosen.prompt.id not in case.sent:
        return
    assert all(p.id in case.sent for p in _peers(case, chosen))


@given(cases())
def test_chosen_prompt_has_the_best_score_among_equally_new_peers(case: Case) -> None:
    chosen = case.choose()
    if chosen is None or chosen.reason == REPEAT:
        return
    peers = [p for p in _peers(case, chosen) if (p.id in case.sent) == (chosen.prompt.id in case.sent)]
    best = max(case.feedback.get(p.id, Feedback()).score for p in peers)
    assert case.feedback.get(chosen.prompt.id, Feedback()).score == best


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
        person=PersonFacts(track=next(iter(sorted(tracks)))),
        focus=effective_focus(CHOSEN, foundation, []),
        week=shift_week(BASE_WEEK, offset),
        sent={},
        rejected=(),
        feedback=feedback,
        person_key=person,
    )
    winner = twins[0] if a.score > b.score else twins[1]
    assert chosen is not None and chosen.prompt == winner


# --- edges, by example ---------------------------------------------------------------------------


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
    only = _prompt(1, "reflection", "progress")
    chosen = choose_prompt(
        [only],
        kind="reflection",
        person=PersonFacts(track="hybrid"),
        focus=effective_focus(AUTO, None, [{"progress": 1}]),
        week=week,
        sent={only.id: sent_week},
        rejected=(),
        feedback={},
        person_key="T1:U1",
    )
    assert chosen is not None and chosen.prompt == only
    assert chosen.reason == (FOCUS if eligible else REPEAT)


def _one_of_each() -> list[Prompt]:
    everyone, nothing = frozenset(ROLES), frozenset[str]()
    variants = [
        (frozenset({"manager"}), frozenset({"direct_reports"})),
        (everyone, frozenset({"active_goal"})),
        (everyone, frozenset({"team_channel"})),
        (frozenset({"tech_lead", "manager"}), nothing),
        (frozenset({"engineer"}), nothing),
    ]
    return [_prompt(n, "reflection", "delegation", frozenset(TRACKS), roles, requires)
            for n, (roles, requires) in enumerate(variants, 1)]


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (PersonFacts(), {"reflection.delegation.05"}),  # unasked: like an engineer without anything
        (PersonFacts(role="engineer", has_active_goal=True), {"reflection.delegation.02", "reflection.delegation.05"}),
        (PersonFacts(role="tech_lead", has_team_channel=True),
         {"reflection.delegation.03", "reflection.delegation.04"}),
        (PersonFacts(role="manager"), {"reflection.delegation.01", "reflection.delegation.04"}),
        (PersonFacts(role="manager", has_active_goal=True, has_team_channel=True),
         {"reflection.delegation.01", "reflection.delegation.02", "reflection.delegation.03",
          "reflection.delegation.04"}),
    ],
)
def test_role_and_requirements_by_example(person: PersonFacts, expected: set[str]) -> None:
    prompts = _one_of_each()
    received = set()
    sent: dict[str, str] = {}
    week = BASE_WEEK
    for _ in range(len(prompts)):
        chosen = choose_prompt(prompts, kind="reflection", person=person, focus=effective_focus(AUTO, None, []),
                               week=week, sent=sent, rejected=(), feedback={}, person_key="T1:U1")
        assert chosen is not None
        if chosen.reason != REPEAT:
            received.add(chosen.prompt.id)
        sent[chosen.prompt.id] = week
        week = shift_week(week, 1)
    assert received == expected


def test_a_manager_has_direct_reports_and_nobody_else_does() -> None:
    assert PersonFacts(role="manager").met == {"direct_reports"}
    for role in ("engineer", "tech_lead", None, "astronaut"):
        assert "direct_reports" not in PersonFacts(role=role, has_active_goal=True, has_team_channel=True).met
    assert PersonFacts(role="astronaut").prompt_role == "engineer"


def test_widening_goes_to_other_tracks_before_repeating() -> None:
    own = _prompt(1, "upskilling", "progress", frozenset({"technical"}))
    other = _prompt(2, "upskilling", "personality", frozenset({"management"}))
    foreign_role = _prompt(3, "upskilling", "progress", frozenset({"technical"}), roles=frozenset({"manager"}))
    arguments: dict[str, Any] = {"kind": "upskilling", "person": PersonFacts(role="engineer", track="technical"),
                 "focus": effective_focus(CHOSEN, "progress", []), "rejected": (), "feedback": {},
                 "person_key": "T1:U1"}
    first = choose_prompt([own, other, foreign_role], week="2026-W10", sent={}, **arguments)
    assert first is not None and first.prompt == own and first.reason in (FOCUS, MIX, WIDENED_FOUNDATION)
    second = choose_prompt([own, other, foreign_role], week="2026-W11", sent={own.id: "2026-W10"},
                           **arguments)
    assert second is not None and second.prompt == other and second.reason == WIDENED_TRACK
    third = choose_prompt([own, other, foreign_role], week="2026-W12",
                          sent={own.id: "2026-W10", other.id: "2026-W11"}, **arguments)
    assert third is not None and third.prompt == own and third.reason == REPEAT and third.last_sent == "2026-W10"


def test_score_is_laplace_smoothed_share_of_helpful() -> None:
    assert Feedback().score == Fraction(1, 2)
    assert Feedback(helpful=3, not_for_me=1).score == Fraction(4, 6)
    assert Feedback(helpful=0, not_for_me=8).score == Fraction(1, 10)


def test_ties_spread_people_across_prompts(real_prompts: tuple[Prompt, ...]) -> None:
    chosen = {
        choose_prompt(
            real_prompts,
            kind="upskilling",
            person=PersonFacts(role="tech_lead", track="hybrid"),
            focus=effective_focus(CHOSEN, "delegation", []),
            week="2026-W48",
            sent={},
            rejected=(),
            feedback={},
            person_key=f"T1:U{n}",
        )
        for n in range(30)
    }
    assert None not in chosen
    assert len({c.prompt.id for c in chosen if c is not None}) >= 4


# --- 26 weeks over the real library ---------------------------------------------------------------


def _ratings_for(focus: str) -> dict[str, int]:
    """Ratings where ``focus`` is weakest and the next foundation (cyclically) second weakest."""
    start = FOUNDATIONS.index(focus)
    return {FOUNDATIONS[(start + i) % 4]: i + 1 for i in range(4)}


SIMULATED_WEEKS = 26


@pytest.mark.parametrize("requirements", ["none", "all"])
@pytest.mark.parametrize("mode", [AUTO, CHOSEN])
@pytest.mark.parametrize("focus", FOUNDATIONS)
@pytest.mark.parametrize("track", (*TRACKS, None))
@pytest.mark.parametrize("role", (*ROLES, None))
def test_26_weeks_without_a_repeat_inside_8_weeks(
    real_prompts: tuple[Prompt, ...], role: str | None, track: str | None, focus: str, mode: str, requirements: str
) -> None:
    everything = requirements == "all"
    person = PersonFacts(role=role, track=track, has_active_goal=everything, has_team_channel=everything)
    # In auto the focus comes from the ratings; in chosen the ratings only pick the mix foundation.
    state = effective_focus(mode, focus, [_ratings_for(focus)] * 4)
    assert state.foundation == focus
    mix = FOUNDATIONS[(FOUNDATIONS.index(focus) + 1) % 4]
    for kind in KINDS:
        sent: dict[str, str] = {}
        history: list[tuple[str, Choice]] = []
        week = "2026-W40"
        for _ in range(SIMULATED_WEEKS):
            chosen = choose_prompt(real_prompts, kind=kind, person=person, focus=state, week=week, sent=sent,
                                   rejected=(), feedback={}, person_key="T1:U42")
            assert chosen is not None, (kind, week)
            assert not _lacks(person, chosen.prompt) and chosen.prompt.suits(track)
            # Twelve fitting prompts per foundation are more than 8 weeks ever need: no widening at all.
            assert chosen.reason in (FOCUS, MIX), (kind, week, chosen.reason)
            assert chosen.prompt.foundation == (focus if chosen.reason == FOCUS else mix)
            if chosen.prompt.id in sent:  # back after 8 weeks or more: only once its foundation is used up
                assert all(p.id in sent for p in real_prompts if p.kind == kind and not _lacks(person, p)
                           and p.suits(track) and p.foundation == chosen.prompt.foundation)
            sent[chosen.prompt.id] = week
            history.append((week, chosen))
            week = shift_week(week, 1)
        for index, (week_a, a) in enumerate(history):
            for week_b, b in history[index + 1:]:
                if a.prompt.id == b.prompt.id:
                    assert weeks_between(week_a, week_b) >= 8, (kind, a.prompt.id)
        off_focus = [c.prompt.foundation != focus for _, c in history]
        for start in range(SIMULATED_WEEKS - 11):
            window = sum(off_focus[start:start + 12])
            assert (window == 0) if mode == AUTO else (3 <= window <= 5), (kind, start, window)


def test_auto_prompts_follow_the_weakest_foundation_within_a_week(real_prompts: tuple[Prompt, ...]) -> None:
    """Ratings move from one weakest foundation to another; the next prompt follows."""
    person = PersonFacts(role="engineer", track="hybrid")
    checkins: list[Mapping[str, int]] = []
    sent: dict[str, str] = {}
    week = "2026-W40"
    for n in range(12):
        weakest = "upskilling" if n < 6 else "progress"
        checkins.append({f: (1 if f == weakest else 4) for f in FOUNDATIONS})
        state = effective_focus(AUTO, None, checkins[-4:])
        chosen = choose_prompt(real_prompts, kind="upskilling", person=person, focus=state, week=week, sent=sent,
                               rejected=(), feedback={}, person_key="T1:U9")
        assert chosen is not None
        # The focus moves once progress's average over the last four check-ins drops below upskilling's.
        window = checkins[-4:]
        means = {f: Fraction(sum(c[f] for c in window), len(window)) for f in FOUNDATIONS}
        expected = min(FOUNDATIONS, key=lambda f: (means[f], FOUNDATIONS.index(f)))
        assert chosen.prompt.foundation == expected == state.foundation
        sent[chosen.prompt.id] = week
        week = shift_week(week, 1)
    assert state.foundation == "progress"
