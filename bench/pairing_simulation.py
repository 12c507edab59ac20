"""Twenty pairing rounds over thirty people: how many are served, how long anyone waits, repeats.

A fixed, seeded team: managers who offer informational interviews (some mentoring too), senior
engineers who offer shadowing and mentoring and seek interviews, engineers on the hybrid track who
seek interviews or shadowing (some also mentor), engineers and juniors who seek shadowing or
mentoring; spread over Europe, the Americas, India and Australia. Rounds run on even ISO weeks from
``2026-W36``, through the autumn DST changes and the year end with a week 53, feeding each round's
pairs and waits into the next exactly as the service will.

Prints, per round and overall: the share of seekers served (paired as seeker) and the share taking
part in some pair, how many seekers could be served at all (someone offers their kind in
overlapping hours), the longest wait in rounds, the repeat pairs within four rounds, per-kind
figures, and the time one round takes. tests/test_pairing_rules.py checks on its own teams that
every repeat was the only option.

With ``--scale``, also times one round for 100 and 300 people drawn from the same profiles.

Run: ``python bench/pairing_simulation.py [--seed N] [--rounds N] [--scale]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.coaching.pairing import (  # noqa: E402
    MIN_OVERLAP,
    NO_REPEAT_ROUNDS,
    PAIRING_KINDS,
    Candidate,
    PastPair,
    RoundPairing,
    next_round,
    pair_round,
    round_tuesday,
    rounds_ago,
    working_hours_overlap,
)

INTERVIEW, SHADOWING, MENTORING = PAIRING_KINDS
FIRST_ROUND = "2026-W36"
ZONES = (
    ("Europe/Berlin", 6), ("Europe/London", 4), ("America/New_York", 5), ("America/Los_Angeles", 4),
    ("Asia/Kolkata", 5), ("Australia/Sydney", 3), ("America/Sao_Paulo", 2), ("Asia/Singapore", 1),
)
# (how many, what they seek, what they offer, capacity); a list of options is drawn from per person.
PROFILES = (
    (5, [()], [(INTERVIEW,), (INTERVIEW, MENTORING)], [1, 2]),  # managers
    (5, [(INTERVIEW,)], [(SHADOWING, MENTORING)], [1]),  # senior engineers
    (8, [(INTERVIEW,), (INTERVIEW, SHADOWING), (SHADOWING,)], [(), (), (MENTORING,)], [1]),  # hybrid track
    (7, [(SHADOWING,), (MENTORING,), (SHADOWING, MENTORING)], [()], [1]),  # engineers
    (5, [(MENTORING,)], [()], [1]),  # juniors and interns
)


def team(seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    zones = [name for name, weight in ZONES for _ in range(weight)]
    people: list[Candidate] = []
    for count, seeks, offers, capacities in PROFILES:
        for _ in range(count):
            key = f"T1:U{len(people) + 1:03d}"
            people.append(Candidate(key, rng.choice(seeks), rng.choice(offers), rng.choice(zones),
                                    rng.choice(capacities)))
    return people


def simulate(people: list[Candidate], rounds: int) -> tuple[list[RoundPairing], list[float]]:
    history: list[PastPair] = []
    waiting: dict[str, int] = {}
    results, timings = [], []
    week = FIRST_ROUND
    for _ in range(rounds):
        started = time.perf_counter()
        result = pair_round(week, people, history, waiting)
        timings.append(time.perf_counter() - started)
        results.append(result)
        history.extend(PastPair(week, pair.seeker, pair.offerer, pair.kind) for pair in result.pairs)
        waiting = {left.person: left.waited for left in result.unmatched}
        week = next_round(week)
    return results, timings


def recent_repeats(results: list[RoundPairing]) -> int:
    repeats = 0
    for index, result in enumerate(results):
        for pair in result.pairs:
            people = {pair.seeker, pair.offerer}
            repeats += any(
                {old.seeker, old.offerer} == people and 1 <= rounds_ago(earlier.round, result.round) <= NO_REPEAT_ROUNDS
                for earlier in results[:index]
                for old in earlier.pairs
            )
    return repeats


def scale(seed: int) -> None:
    rng = random.Random(seed)
    profiles = team(seed)
    for count in (100, 300):
        people = [replace(rng.choice(profiles), key=f"T1:U{n:04d}") for n in range(count)]
        started = time.perf_counter()
        result = pair_round(FIRST_ROUND, people)
        print(f"{count} people: one round in {time.perf_counter() - started:.2f} s, {len(result.pairs)} pairs, "
              f"{len(result.unmatched)} left out")


def main(seed: int, rounds: int) -> None:
    people = team(seed)
    seekers = [person for person in people if person.seeks]
    results, timings = simulate(people, rounds)
    zones = Counter(person.tz for person in people)
    offer_slots = Counter(kind for person in people for kind in person.offers for _ in range(person.capacity))
    print(f"{len(people)} people, {len(seekers)} seekers, "
          f"{sum(1 for p in people if p.seeks and p.offers)} who both seek and offer; seed {seed}")
    reachable = sum(
        1 for s in seekers
        if any(o.key != s.key and set(s.seeks) & set(o.offers) and o.capacity > 0
               and working_hours_overlap(s.tz, o.tz, round_tuesday(FIRST_ROUND)) >= MIN_OVERLAP for o in people)
    )
    capacity = sum(p.capacity for p in people if p.offers)
    print(f"offer capacity: {capacity} pairs a round at most (each offerer's capacity, over all their kinds)")
    print(f"{reachable} seekers have someone offering their kind in overlapping hours (in {FIRST_ROUND})")
    print("zones: " + ", ".join(f"{name} {count}" for name, count in zones.most_common()))
    for kind in PAIRING_KINDS:
        print(f"  {kind}: {sum(kind in p.seeks for p in people)} seek, {offer_slots[kind]} offer slots "
              f"(one person's capacity counts once per kind offered)")
    print()
    print("round      served  took part  left out  longest wait now  ms")
    served_total = part_total = 0
    per_kind_pairs: Counter[str] = Counter()
    per_kind_left: Counter[str] = Counter()
    longest = 0
    for result, seconds in zip(results, timings, strict=True):
        served = len({pair.seeker for pair in result.pairs})
        part = served + sum(1 for p in seekers if p.key in {pair.offerer for pair in result.pairs})
        served_total, part_total = served_total + served, part_total + part
        per_kind_pairs.update(pair.kind for pair in result.pairs)
        per_kind_left.update(kind for left in result.unmatched for kind in left.kinds)
        now = max((left.waited for left in result.unmatched), default=0)
        longest = max(longest, now)
        print(f"{result.round}  {served / len(seekers):6.0%}  {part / len(seekers):9.0%}  {len(result.unmatched):8d}"
              f"  {now:16d}  {seconds * 1000:4.0f}")
    total = len(seekers) * len(results)
    print()
    print(f"overall: {served_total / total:.1%} of seeker-rounds served as seeker, "
          f"{part_total / total:.1%} took part in a pair")
    print(f"longest wait: {longest} round(s) in a row")
    print(f"repeat pairs within {NO_REPEAT_ROUNDS} rounds: {recent_repeats(results)} "
          f"of {sum(len(r.pairs) for r in results)} pairs")
    print(f"time per round: median {sorted(timings)[len(timings) // 2] * 1000:.0f} ms, "
          f"max {max(timings) * 1000:.0f} ms")
    print()
    print("per kind: pairs made / left-out seeker-rounds naming it / distinct partners per seeker (mean)")
    partners: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for result in results:
        for pair in result.pairs:
            partners[(pair.kind, pair.seeker)].add(pair.offerer)
    for kind in PAIRING_KINDS:
        spread = [len(offerers) for (k, _), offerers in partners.items() if k == kind]
        mean = sum(spread) / len(spread) if spread else 0.0
        print(f"  {kind:24s} {per_kind_pairs[kind]:4d} / {per_kind_left[kind]:4d} / {mean:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--scale", action="store_true", help="also time one round for 100 and 300 people")
    arguments = parser.parse_args()
    main(arguments.seed, arguments.rounds)
    if arguments.scale:
        print()
        scale(arguments.seed)
