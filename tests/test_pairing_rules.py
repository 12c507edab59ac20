"""The pairing rule (see bot/coaching/pairing.py's docstring), checked against independent restatements.

Eligibility, working hours and "recent" are recomputed here without the module's helpers, and
small cases are compared with an exhaustive search over every valid set of pairs.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache, cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.coaching.pairing import (
    NO_REPEAT_ROUNDS,
    PAIRING_KINDS,
    STARTERS,
    Candidate,
    PastPair,
    RoundPairing,
    conversation_starters,
    is_pairing_week,
    next_round,
    pair_round,
    round_tuesday,
    rounds_ago,
    working_hours_overlap,
)

settings.register_profile("pairing", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("pairing")

INTERVIEW, SHADOWING, MENTORING = PAIRING_KINDS
ZONES = [
    "UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "America/St_Johns",
    "America/Sao_Paulo", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Australia/Lord_Howe",
    "Pacific/Auckland", "Pacific/Chatham", "Pacific/Honolulu", "Pacific/Kiritimati",
]
# Even weeks around the DST changes (US before EU in spring, EU before US in autumn, Lord Howe's
# half hour, the southern hemisphere in April and October) and around a year with a week 53.
ROUNDS = ["2026-W10", "2026-W12", "2026-W14", "2026-W40", "2026-W42", "2026-W44", "2026-W50", "2026-W52",
          "2027-W02", "2025-W44"]


# --- independent restatements -----------------------------------------------------------------------


def oracle_overlap(tz_a: str, tz_b: str, day: date) -> timedelta:
    """Quarter-hours at which both are at work, counted per (day of A, day of B) with A or B on ``day``.

    Every zone's offset is a multiple of 15 minutes, so sampling quarter-hours is exact.
    """
    zone_a, zone_b = ZoneInfo(tz_a), ZoneInfo(tz_b)
    counts: Counter[tuple[date, date]] = Counter()
    moment = datetime.combine(day - timedelta(days=2), datetime.min.time(), UTC)
    while moment < datetime.combine(day + timedelta(days=3), datetime.min.time(), UTC):
        local_a, local_b = moment.astimezone(zone_a), moment.astimezone(zone_b)
        if 9 <= local_a.hour < 17 and 9 <= local_b.hour < 17:
            counts[(local_a.date(), local_b.date())] += 1
        moment += timedelta(minutes=15)
    allowed = [(a, b) for a, b in counts if (a == day and abs((b - day).days) <= 1) or
               (b == day and abs((a - day).days) <= 1)]
    return timedelta(minutes=15) * max((counts[key] for key in allowed), default=0)


@cache
def hours_fit(tz_a: str, tz_b: str, round_week: str) -> bool:
    return oracle_overlap(tz_a, tz_b, round_tuesday(round_week)) >= timedelta(hours=2)


def previous_rounds(round_week: str, count: int) -> list[str]:
    """The ``count`` even ISO weeks before ``round_week``, newest first, by walking back a week at a time."""
    found: list[str] = []
    monday = datetime.strptime(round_week + "-1", "%G-W%V-%u").date()
    while len(found) < count:
        monday -= timedelta(days=7)
        year, week, _ = monday.isocalendar()
        if week % 2 == 0:
            found.append(f"{year}-W{week:02d}")
    return found


@dataclass
class Case:
    round: str
    people: list[Candidate]
    history: list[PastPair] = field(default_factory=list)
    waiting: dict[str, int] = field(default_factory=dict)

    def run(self) -> RoundPairing:
        return pair_round(self.round, self.people, self.history, self.waiting)

    @cached_property  # people are fixed once a case is made: ``replace`` the case to change them
    def by_key(self) -> dict[str, Candidate]:
        return {person.key: person for person in self.people}

    def seekers(self) -> list[str]:
        return [p.key for p in self.people if set(p.seeks) & set(PAIRING_KINDS)]

    def wait(self, key: str) -> int:
        return self.waiting.get(key, 0)

    def eligible(self, seeker: str, offerer: str) -> bool:
        s, o = self.by_key[seeker], self.by_key[offerer]
        return (seeker != offerer and o.capacity >= 1 and bool(set(s.seeks) & set(o.offers) & set(PAIRING_KINDS))
                and hours_fit(s.tz, o.tz, self.round))

    def recent_pairs(self) -> set[frozenset[str]]:
        """Who was paired, either way round, in the last ``NO_REPEAT_ROUNDS`` rounds."""
        window = previous_rounds(self.round, NO_REPEAT_ROUNDS)
        return {frozenset((p.seeker, p.offerer)) for p in self.history if p.round in window}


def score(
    case: Case, matching: Mapping[str, str], recent: Collection[frozenset[str]]
) -> tuple[tuple[int, ...], int, int]:
    """Rules 5 and 6: (seekers not left out per wait level, most waited first; pairs; minus the repeats).

    Not left out: in a pair, as seeker or -- for one who also offers -- as offerer. ``recent`` is
    ``case.recent_pairs()``.
    """
    taking_part = set(matching) | set(matching.values())
    seekers = case.seekers()
    levels = sorted({case.wait(key) for key in seekers}, reverse=True)
    kept = tuple(sum(1 for key in seekers if key in taking_part and case.wait(key) == level) for level in levels)
    return kept, len(matching), -sum(frozenset(pair) in recent for pair in matching.items())


def check_rules(case: Case, result: RoundPairing) -> None:
    """Every hard rule, and every improvement the module's docstring says cannot be made."""
    people = case.by_key
    as_seeker = Counter(pair.seeker for pair in result.pairs)
    load = Counter(pair.offerer for pair in result.pairs)
    for pair in result.pairs:
        asking, giving = people[pair.seeker], people[pair.offerer]
        assert pair.seeker != pair.offerer
        assert pair.kind in asking.seeks and pair.kind in giving.offers and pair.kind in PAIRING_KINDS
        assert hours_fit(asking.tz, giving.tz, case.round)
    assert all(count == 1 for count in as_seeker.values())
    assert all(load[key] <= people[key].capacity for key in load)
    assert not set(as_seeker) & set(load), "someone both seeks and offers in one round"

    taking_part = set(as_seeker) | set(load)
    left_out = {left.person: left for left in result.unmatched}
    assert set(left_out) == {key for key in case.seekers() if key not in taking_part}
    for key, left in left_out.items():
        assert left.waited == case.wait(key) + 1
        assert set(left.kinds) == set(people[key].seeks) & set(PAIRING_KINDS)

    partner = {pair.seeker: pair.offerer for pair in result.pairs}
    recent = case.recent_pairs()
    found = score(case, partner, recent)

    def no_better(changed: dict[str, str], why: object) -> None:
        assert score(case, changed, recent) <= found, why

    with_room = [o for o in people if o not in as_seeker and load[o] < people[o].capacity]
    for key in left_out:
        # Nobody is left out while an offerer who fits them has room.
        for offerer in with_room:
            if case.eligible(key, offerer):
                no_better({**partner, key: offerer}, ("left out beside room", key, offerer))
        # Nor could they take the place of one who waited less, or of one as long in a repeat pair.
        for seeker, offerer in partner.items():
            if case.eligible(key, offerer):
                taken = {s: o for s, o in partner.items() if s != seeker} | {key: offerer}
                no_better(taken, ("could take the place", key, seeker))
    for seeker, offerer in partner.items():
        # No seeker is better moved to an offerer with room (out of a repeat, say) ...
        for other in with_room:
            if other != offerer and case.eligible(seeker, other):
                no_better({**partner, seeker: other}, ("move", seeker, other))
        # ... nor two seekers by swapping partners.
        for other, theirs in partner.items():
            if theirs != offerer and case.eligible(seeker, theirs) and case.eligible(other, offerer):
                no_better({**partner, seeker: theirs, other: offerer}, ("swap", seeker, other))


# --- generated cases --------------------------------------------------------------------------------

kind_sets = st.lists(st.sampled_from(PAIRING_KINDS), max_size=3, unique=True).map(tuple)


@st.composite
def cases(draw: st.DrawFn, max_people: int = 9, capacities: Sequence[int] = (1,),
          zones: Sequence[str] = tuple(ZONES)) -> Case:
    round_week = draw(st.sampled_from(ROUNDS))
    count = draw(st.integers(1, max_people))
    people = [
        Candidate(f"T1:U{n:03d}", draw(kind_sets), draw(kind_sets), draw(st.sampled_from(zones)),
                  draw(st.sampled_from(capacities)))
        for n in range(count)
    ]
    keys = [p.key for p in people]
    earlier = previous_rounds(round_week, NO_REPEAT_ROUNDS + 2)
    history = draw(st.lists(st.builds(PastPair, st.sampled_from(earlier), st.sampled_from(keys),
                                      st.sampled_from(keys), st.sampled_from(PAIRING_KINDS)), max_size=3 * count))
    waiting = draw(st.dictionaries(st.sampled_from(keys), st.integers(0, 3)))
    return Case(round_week, people, history, waiting)


# Zones that mostly overlap, so that people compete for the same offerers.
NEAR_ZONES = ("Europe/London", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "America/New_York")


@given(cases())
def test_every_rule_holds_with_default_capacity(case: Case) -> None:
    result = case.run()
    check_rules(case, result)
    everyone = Counter([pair.seeker for pair in result.pairs] + [pair.offerer for pair in result.pairs])
    assert all(count == 1 for count in everyone.values()), "nobody appears twice in a round"


@given(cases(max_people=12, capacities=(0, 1, 2, 3), zones=NEAR_ZONES))
def test_every_rule_holds_with_capacities_and_competition(case: Case) -> None:
    check_rules(case, case.run())


@given(cases(max_people=12, capacities=(1, 2)), st.randoms(use_true_random=False))
def test_same_inputs_same_pairs_in_any_order(case: Case, rng: random.Random) -> None:
    first = case.run()
    people, history = list(case.people), list(case.history)
    rng.shuffle(people)
    rng.shuffle(history)
    waiting = dict(sorted(case.waiting.items(), reverse=True))
    assert pair_round(case.round, people, history, waiting) == first
    assert case.run() == first


def sample_round() -> str:
    """A busy round, printed: run in processes with different hash seeds by the next test."""
    case = Case("2026-W50", simulated_team(random.Random(5)))
    case.history = [PastPair("2026-W48", p.seeker, p.offerer, p.kind) for p in case.run().pairs]
    return repr(case.run())


def test_the_same_pairs_in_every_process() -> None:
    root = Path(__file__).resolve().parents[1]
    script = "from tests.test_pairing_rules import sample_round; print(sample_round())"
    outputs = {
        subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONPATH": str(root), "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and "Pair(" in outputs.pop()


# --- exhaustive comparison on small cases ------------------------------------------------------------


def all_matchings(case: Case, seekers: list[str]) -> Iterator[dict[str, str]]:
    """Every valid assignment of seekers to offerers (hard rules only), each seeker possibly unserved."""
    people = case.by_key

    def extend(index: int, chosen: dict[str, str]) -> Iterator[dict[str, str]]:
        if index == len(seekers):
            yield dict(chosen)
            return
        seeker = seekers[index]
        yield from extend(index + 1, chosen)
        if seeker in chosen.values():
            return
        load = Counter(chosen.values())
        for offerer in people:
            if (case.eligible(seeker, offerer) and offerer not in chosen
                    and load[offerer] < people[offerer].capacity):
                chosen[seeker] = offerer
                yield from extend(index + 1, chosen)
                del chosen[seeker]

    for matching in extend(0, {}):
        if not set(matching) & set(matching.values()):
            yield matching


@given(cases(max_people=7, capacities=(1, 2), zones=NEAR_ZONES))
def test_best_possible_when_nobody_both_seeks_and_offers(case: Case) -> None:
    # Split every person into a seeker or an offerer: then the search is exact (a matroid greedy
    # with cheapest augmenting paths), and must equal the exhaustive optimum.
    case = replace(case, people=[replace(p, offers=()) if n % 2 else replace(p, seeks=())
                                 for n, p in enumerate(case.people)])
    result = case.run()
    found = {pair.seeker: pair.offerer for pair in result.pairs}
    recent = case.recent_pairs()
    best = max(score(case, matching, recent) for matching in all_matchings(case, case.seekers()))
    assert score(case, found, recent) == best


@given(cases(max_people=7, capacities=(1, 2), zones=NEAR_ZONES))
def test_best_possible_when_people_both_seek_and_offer(case: Case) -> None:
    # On teams this small every choice of roles is tried, so the outcome is the exhaustive optimum,
    # counting one who offered instead of seeking, and was paired, as not left out.
    result = case.run()
    found = {pair.seeker: pair.offerer for pair in result.pairs}
    recent = case.recent_pairs()
    best = max(score(case, matching, recent) for matching in all_matchings(case, case.seekers()))
    assert score(case, found, recent) == best


# --- examples of the documented rules -----------------------------------------------------------------

ROUND = "2026-W50"
LAST = "2026-W48"


def person(key: str, seeks: tuple[str, ...] = (), offers: tuple[str, ...] = (), tz: str = "Europe/Berlin",
           capacity: int = 1) -> Candidate:
    return Candidate(key, seeks, offers, tz, capacity)


def pairs_of(result: RoundPairing) -> set[tuple[str, str, str]]:
    return {(pair.seeker, pair.offerer, pair.kind) for pair in result.pairs}


def test_a_fresh_offerer_is_taken_over_a_recent_one() -> None:
    people = [person("S", (MENTORING,)), person("O1", offers=(MENTORING,)), person("O2", offers=(MENTORING,))]
    for met in ("O1", "O2"):
        history = [PastPair("2026-W44", "S", met, MENTORING)]  # three rounds ago, still recent
        fresh = "O2" if met == "O1" else "O1"
        assert pairs_of(pair_round(ROUND, people, history)) == {("S", fresh, MENTORING)}


def test_partners_are_swapped_to_avoid_repeats() -> None:
    people = [person("A", (SHADOWING,)), person("B", (SHADOWING,)),
              person("X", offers=(SHADOWING,)), person("Y", offers=(SHADOWING,))]
    history = [PastPair(LAST, "A", "X", SHADOWING), PastPair(LAST, "B", "Y", SHADOWING)]
    assert pairs_of(pair_round(ROUND, people, history)) == {("A", "Y", SHADOWING), ("B", "X", SHADOWING)}


def test_a_repeat_is_made_when_nothing_else_fits_and_the_oldest_first() -> None:
    people = [person("S", (MENTORING,)), person("O1", offers=(MENTORING,)), person("O2", offers=(MENTORING,))]
    history = [PastPair(LAST, "S", "O1", MENTORING), PastPair("2026-W44", "S", "O2", MENTORING)]
    assert pairs_of(pair_round(ROUND, people, history)) == {("S", "O2", MENTORING)}
    assert pairs_of(pair_round(ROUND, people[:2], history)) == {("S", "O1", MENTORING)}


def test_roles_do_not_matter_for_a_repeat_but_five_rounds_ago_is_fresh() -> None:
    people = [person("A", (INTERVIEW,)), person("B", offers=(INTERVIEW,)), person("C", offers=(INTERVIEW,))]
    reversed_roles = [PastPair(LAST, "B", "C", MENTORING), PastPair("2026-W40", "A", "B", INTERVIEW)]
    # A met B five rounds ago (fresh again), and C once in the other direction two weeks ago.
    assert pairs_of(pair_round(ROUND, people, [*reversed_roles, PastPair(LAST, "C", "A", SHADOWING)])) == {
        ("A", "B", INTERVIEW)}
    # Between a pair met five rounds ago and one never met, the never-met one.
    assert pairs_of(pair_round(ROUND, people, [PastPair("2026-W40", "A", "B", INTERVIEW)])) == {
        ("A", "C", INTERVIEW)}


def test_the_left_out_seeker_wins_the_only_offerer() -> None:
    people = [person("L", (INTERVIEW,)), person("F", (INTERVIEW,)), person("M", offers=(INTERVIEW,))]
    for left_out in ("L", "F"):
        other = "F" if left_out == "L" else "L"
        result = pair_round(ROUND, people, waiting={left_out: 1})
        assert pairs_of(result) == {(left_out, "M", INTERVIEW)}
        assert [(u.person, u.kinds, u.waited) for u in result.unmatched] == [(other, (INTERVIEW,), 1)]
    # Longer waits first.
    result = pair_round(ROUND, people, waiting={"L": 2, "F": 1})
    assert pairs_of(result) == {("L", "M", INTERVIEW)}
    assert result.unmatched[0].waited == 2


def test_the_left_out_seeker_wins_even_when_their_only_partner_is_a_repeat() -> None:
    people = [person("L", (INTERVIEW,)), person("F", (INTERVIEW,)), person("M", offers=(INTERVIEW,))]
    history = [PastPair("2026-W46", "L", "M", INTERVIEW)]
    assert pairs_of(pair_round(ROUND, people, history, {"L": 1})) == {("L", "M", INTERVIEW)}
    assert pairs_of(pair_round(ROUND, people, history)) == {("F", "M", INTERVIEW)}


def test_equal_waits_are_decided_by_the_round_not_the_input_order() -> None:
    people = [person("A", (MENTORING,)), person("B", (MENTORING,)), person("O", offers=(MENTORING,))]
    winners, week = set(), ROUND
    for _ in range(12):
        result = pair_round(week, people)
        assert result == pair_round(week, people[::-1])
        winners |= {pair.seeker for pair in result.pairs}
        week = next_round(week)
    assert winners == {"A", "B"}


def test_a_seeker_of_two_kinds_gets_the_one_paired_least_recently_else_their_first() -> None:
    people = [person("S", (SHADOWING, MENTORING)), person("O", offers=(MENTORING, SHADOWING))]
    assert pairs_of(pair_round(ROUND, people)) == {("S", "O", SHADOWING)}
    history = [PastPair("2026-W30", "S", "X", SHADOWING)]
    assert pairs_of(pair_round(ROUND, people, history)) == {("S", "O", MENTORING)}
    history.append(PastPair("2026-W32", "S", "X", MENTORING))
    assert pairs_of(pair_round(ROUND, people, history)) == {("S", "O", SHADOWING)}


def test_a_seeker_of_two_kinds_is_moved_so_that_both_seekers_are_served() -> None:
    offerers = [person("I", offers=(INTERVIEW,)), person("M", offers=(MENTORING,))]
    two_kinds, one_kind = person("S2", (INTERVIEW, MENTORING)), person("S1", (INTERVIEW,))
    for week in ROUNDS:  # whichever of the two comes first in the round's order
        result = pair_round(week, [two_kinds, one_kind, *offerers])
        assert pairs_of(result) == {("S2", "M", MENTORING), ("S1", "I", INTERVIEW)}
        result = pair_round(week, [two_kinds, one_kind, *offerers], waiting={"S2": 1})
        assert pairs_of(result) == {("S2", "M", MENTORING), ("S1", "I", INTERVIEW)}


def test_someone_who_seeks_and_offers_seeks_unless_their_offer_keeps_someone_in() -> None:
    people = [person("D", (INTERVIEW,), (MENTORING,)), person("MGR", offers=(INTERVIEW,)),
              person("J", (MENTORING,))]
    # Only D mentors J: D seeking would leave J out, D mentoring leaves nobody out.
    for waiting in ({}, {"J": 1}, {"D": 1}):
        result = pair_round(ROUND, people, waiting=waiting)
        assert pairs_of(result) == {("J", "D", MENTORING)}, waiting
        assert result.unmatched == ()  # D took part as a mentor: not left out
    # With another mentor for J, both can be served as they asked: two pairs beat one.
    result = pair_round(ROUND, [*people, person("M2", offers=(MENTORING,))])
    assert pairs_of(result) == {("D", "MGR", INTERVIEW), ("J", "M2", MENTORING)}
    # With nobody to serve D, D mentors J rather than idle.
    result = pair_round(ROUND, [people[0], people[2]])
    assert pairs_of(result) == {("J", "D", MENTORING)}


def test_one_who_waited_offers_when_that_leaves_nobody_out() -> None:
    # Found by hypothesis: D waited a round and both seeks and offers. Seeking, D takes the only other
    # offerer and three are left out; offering to two while O takes the third, nobody is.
    people = [person("S1", (INTERVIEW,)), person("S2", (INTERVIEW,)), person("O", offers=(INTERVIEW,)),
              person("D", (INTERVIEW,), (INTERVIEW,), capacity=2), person("S3", (INTERVIEW,)), person("IDLE")]
    for week in ROUNDS:
        result = pair_round(week, people, waiting={"S1": 0, "D": 1})
        pairs = pairs_of(result)
        assert result.unmatched == ()
        assert {seeker for seeker, _, _ in pairs} == {"S1", "S2", "S3"}
        assert Counter(offerer for _, offerer, _ in pairs) == {"D": 2, "O": 1}


def test_one_who_seeks_and_offers_offers_when_seeking_would_leave_someone_out() -> None:
    # O has one place: D seeking it leaves S out, D mentoring S leaves nobody out, whoever waited.
    people = [person("D", (MENTORING,), (MENTORING,)), person("O", offers=(MENTORING,)),
              person("S", (MENTORING,))]
    for waiting in ({}, {"D": 2}, {"S": 1}):
        result = pair_round(ROUND, people, waiting=waiting)
        assert result.unmatched == (), waiting
        assert pairs_of(result) == {("S", "D", MENTORING)}


def test_capacity_lets_one_offerer_take_several_and_nobody_else() -> None:
    people = [person(f"S{n}", (SHADOWING,)) for n in range(4)] + [person("O", offers=(SHADOWING,), capacity=3)]
    result = pair_round(ROUND, people)
    assert len(result.pairs) == 3 and {pair.offerer for pair in result.pairs} == {"O"}
    assert len(result.unmatched) == 1
    assert pair_round(ROUND, [*people[:4], replace(people[4], capacity=0)]).pairs == ()


def test_working_hours_decide_across_zones() -> None:
    def paired(tz_seeker: str, tz_offerer: str, week: str = ROUND) -> bool:
        people = [person("S", (MENTORING,), tz=tz_seeker), person("O", offers=(MENTORING,), tz=tz_offerer)]
        return bool(pair_round(week, people).pairs)

    assert paired("Pacific/Kiritimati", "Pacific/Honolulu")  # same clock, a calendar day apart
    assert paired("Australia/Sydney", "America/Los_Angeles")  # Sydney's Wednesday morning
    assert not paired("Asia/Kolkata", "America/St_Johns")  # 9 to 9.5 hours apart: no two shared hours
    assert paired("America/Denver", "Europe/London", "2026-W12")  # the US already on summer time: 2 h
    assert not paired("America/Denver", "Europe/London", "2026-W50")  # 1 h


@pytest.mark.parametrize(("tz_a", "tz_b", "day", "hours"), [
    ("America/New_York", "Europe/London", date(2026, 3, 17), 4),  # US on summer time, the UK not yet
    ("America/New_York", "Europe/London", date(2026, 4, 14), 3),
    ("America/New_York", "Europe/London", date(2026, 10, 27), 4),  # the UK back on winter time first
    ("Australia/Lord_Howe", "Asia/Kolkata", date(2026, 12, 8), 2.5),  # Lord Howe's half-hour DST
    ("Australia/Lord_Howe", "Asia/Kolkata", date(2026, 6, 9), 3),
    ("Pacific/Kiritimati", "Pacific/Honolulu", date(2026, 12, 8), 8),
    ("Australia/Sydney", "America/Los_Angeles", date(2026, 12, 8), 3),
    ("Asia/Kolkata", "America/St_Johns", date(2026, 6, 9), 0),
    ("Europe/Berlin", "Europe/Berlin", date(2026, 3, 31), 8),
])
def test_working_hours_overlap_examples(tz_a: str, tz_b: str, day: date, hours: float) -> None:
    assert working_hours_overlap(tz_a, tz_b, day) == timedelta(hours=hours)
    assert working_hours_overlap(tz_b, tz_a, day) == timedelta(hours=hours)


@settings(max_examples=150)
@given(st.sampled_from(ZONES), st.sampled_from(ZONES), st.dates(date(2025, 1, 1), date(2028, 12, 31)))
def test_working_hours_overlap_matches_quarter_hour_sampling(tz_a: str, tz_b: str, day: date) -> None:
    assert working_hours_overlap(tz_a, tz_b, day) == oracle_overlap(tz_a, tz_b, day)


def test_round_weeks_and_their_distance() -> None:
    assert is_pairing_week("2026-W50") and not is_pairing_week("2026-W53")
    assert next_round("2026-W50") == "2026-W52"
    assert next_round("2026-W52") == "2027-W02"  # 2026 has a week 53
    assert next_round("2026-W51") == "2026-W52"
    assert rounds_ago("2026-W52", "2027-W02") == 1
    assert rounds_ago("2026-W42", "2026-W50") == 4 and rounds_ago("2026-W40", "2026-W50") == 5
    assert rounds_ago("2026-W50", "2026-W50") == 0 and rounds_ago("2027-W02", "2026-W50") == 0
    assert round_tuesday("2026-W50") == date(2026, 12, 8)


def test_a_round_in_the_history_of_the_same_round_does_not_count() -> None:
    people = [person("S", (MENTORING,)), person("O1", offers=(MENTORING,)), person("O2", offers=(MENTORING,))]
    first = pair_round(ROUND, people)
    rerun = [PastPair(ROUND, p.seeker, p.offerer, p.kind) for p in first.pairs]
    assert pair_round(ROUND, people, rerun) == first


def test_bad_input() -> None:
    people = [person("S", (MENTORING, "pottery")), person("O", offers=("pottery", MENTORING), tz="Mars/Olympus")]
    result = pair_round(ROUND, people)  # unknown kinds ignored, an unknown zone read as UTC
    assert pairs_of(result) == {("S", "O", MENTORING)}
    assert pair_round(ROUND, [person("S", ("pottery",))]).unmatched == ()
    with pytest.raises(ValueError, match="twice"):
        pair_round(ROUND, [person("S"), person("S")])
    with pytest.raises(ValueError):
        pair_round("2026-50", people)


# --- conversation starters ----------------------------------------------------------------------------

QUESTIONS = [f"pairing.mentoring.{n:02d}" for n in range(1, 9)]


@given(st.lists(st.sampled_from(QUESTIONS), min_size=1, max_size=12), st.sampled_from(ROUNDS),
       st.lists(st.sampled_from(QUESTIONS), max_size=8), st.randoms(use_true_random=False))
def test_starters_are_distinct_stable_and_new_first(
    ids: list[str], round_week: str, asked: list[str], rng: random.Random
) -> None:
    chosen = conversation_starters(ids, round_week=round_week, seeker="T1:UA", offerer="T1:UB", asked_before=asked)
    assert len(chosen) == len(set(chosen)) == min(STARTERS, len(set(ids)))
    assert set(chosen) <= set(ids)
    fresh = set(ids) - set(asked)
    assert len(set(chosen) & fresh) == min(STARTERS, len(fresh))
    shuffled = list(ids)
    rng.shuffle(shuffled)
    assert conversation_starters(shuffled, round_week=round_week, seeker="T1:UB", offerer="T1:UA",
                                 asked_before=set(asked)) == chosen


def test_starters_change_with_the_round_and_the_pair() -> None:
    seen = {conversation_starters(QUESTIONS, round_week=week, seeker="T1:UA", offerer="T1:UB")
            for week in ROUNDS}
    seen |= {conversation_starters(QUESTIONS, round_week=ROUND, seeker="T1:UA", offerer=f"T1:U{n}")
             for n in range(10)}
    assert len(seen) > 5


# --- twenty rounds over thirty people -----------------------------------------------------------------


def simulated_team(rng: random.Random) -> list[Candidate]:
    zones = ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Kolkata",
             "Australia/Sydney", "America/St_Johns", "Australia/Lord_Howe"]
    people = []
    for n in range(30):
        role = rng.choice(["seeks", "offers", "both", "seeks", "seeks"])
        seeks = rng.sample(PAIRING_KINDS, rng.randint(1, 2)) if role != "offers" else []
        offers = rng.sample(PAIRING_KINDS, rng.randint(1, 2)) if role != "seeks" else []
        people.append(Candidate(f"T1:U{n:03d}", tuple(seeks), tuple(offers), rng.choice(zones),
                                rng.choice([1, 1, 1, 2])))
    return people


@settings(max_examples=5)
@given(st.randoms(use_true_random=False))
def test_twenty_rounds_keep_every_rule_and_bound_the_wait(rng: random.Random) -> None:
    people = simulated_team(rng)
    case = Case("2026-W36", people)
    longest: Counter[str] = Counter()
    # Who fits a pure offerer changes with the DST dates, so it is counted per round.
    pure_offerers = [p for p in people if p.offers and not p.seeks and p.capacity >= 1]
    fits_some_round: dict[str, set[str]] = {o.key: set() for o in pure_offerers}
    fits_every_round: dict[str, set[str]] = {o.key: set(case.seekers()) for o in pure_offerers}
    for _ in range(20):
        for offerer in pure_offerers:
            fits = {s for s in case.seekers() if case.eligible(s, offerer.key)}
            fits_some_round[offerer.key] |= fits
            fits_every_round[offerer.key] &= fits
        result = case.run()
        check_rules(case, result)
        case.history += [PastPair(case.round, p.seeker, p.offerer, p.kind) for p in result.pairs]
        case.waiting = {left.person: left.waited for left in result.unmatched}
        for key, waited in case.waiting.items():
            longest[key] = max(longest[key], waited)
        case.round = next_round(case.round)

    # The bound: take an offerer O who only offers, with capacity c, who fits a seeker S in every
    # round, and the n seekers O fits in some round. While S waits, O is full (nobody is left out
    # beside an offerer with room) and only with people who waited at least as long as S (S could
    # take the place of anyone who waited less). Those c people reset to 0, and nobody else can catch
    # up with S, so the number who waited at least as long as S drops by c each round: S waits at
    # most (n - 1) // c rounds.
    for seeker in case.seekers():
        bounds = [
            (len(fits_some_round[o.key]) - 1) // o.capacity
            for o in pure_offerers if seeker in fits_every_round[o.key]
        ]
        if bounds:
            assert longest[seeker] <= min(bounds), (seeker, longest[seeker], bounds)
