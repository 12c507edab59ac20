"""Who practises with whom this round: the pairing rule, and the questions a pair starts with.

Pure functions, no I/O: the caller loads the people who opted in, the earlier rounds and who waited,
and stores what comes back.

A round (``pair_round``)
    Rounds run on even ISO weeks (``is_pairing_week``); the round is named by its week, e.g.
    ``2026-W50``. Each candidate says which kinds they seek and which they offer
    (``PAIRING_KINDS``), how many people they can take as an offerer this round (``capacity``,
    default 1) and their IANA time zone. Kinds outside ``PAIRING_KINDS`` are ignored rather than
    trusted, an unknown zone counts as UTC (``bot.coaching.schedule.zone``), a capacity below 1
    offers nothing.

    Hard rules -- a pair that breaks one is never made:
      1. Nobody is paired with themselves.
      2. The kinds match: the pair's kind is one the seeker seeks and the offerer offers.
      3. A person takes part as a seeker in at most one pair, as an offerer in at most ``capacity``
         pairs, and never in both roles in one round. With the default capacity of 1 nobody
         appears twice in a round; capacity is the offerer's own choice to give more time, so it
         is the only way to appear more than once.
      4. Working hours overlap by at least ``MIN_OVERLAP`` (``working_hours_overlap``).

    Soft rules, in this order of precedence:
      5. Those who waited go first: a seeker left out of more rounds in a row (``waiting``) is never
         left out so that one who waited fewer rounds can take part. Among equal waits, as few
         seekers as possible are left out. Someone who both seeks and offers, and is paired as an
         offerer, took part (see "Left out" below), so they offer instead of seeking when that
         leaves fewer out. Then as many pairs as possible: of two outcomes that leave out as many
         at each wait, the one with more pairs (D seeks from M and J from another mentor, rather
         than D mentoring J while M stays idle).
      6. No pair that met -- or was paired, met or not -- in the last ``NO_REPEAT_ROUNDS`` rounds
         when another is possible: among the matchings rule 5 allows, the one with the fewest such
         repeats. Pairs are unordered for this rule (A sought from B, later B seeks from A: a
         repeat), whatever the kind.
      7. Then the freshest partners: repeats as long ago as possible, and people who have never
         been paired before ahead of those paired more than four rounds ago.
      8. Remaining ties are broken by SHA-256 hashes of the round and the person keys, so the same
         inputs give the same pairs in every process and in any input order (the built-in
         ``hash()`` is salted per process), while a different round reshuffles.

    Issue 11 lists "no repeat when another is possible" before "the left-out go first". Both hold
    here; where they meet, "possible" is read per person: the repeat rule decides whom someone
    meets, never whether they are served. A seeker left out last round whose only partner is
    someone they met recently gets that partner rather than waiting again; among seekers who
    waited equally, a fresh pair wins over a repeat.

    How: one min-cost flow. Keeping a seeker in earns a bonus that outweighs everything at lower wait
    levels: serving them, or, for one who offers this round, pairing the first seeker with them.
    Each pair earns a smaller bonus that outweighs all repeats, and costs by rules 6 and 7, a repeat
    outweighing all freshness costs together. Successive cheapest augmenting paths (from any
    unserved seeker, through moves of matched seekers, to an offerer with room) keep the matching
    the cheapest of its size at every step, so the last one is optimal for rules 5 to 7 exactly --
    for a fixed choice of roles. Someone who both seeks and offers is what a bipartite matching
    cannot express (rule 3: one person, one role a round), so roles are searched: with up to eight
    people who could take either role, every choice is solved and the best outcome is exact (on a
    tie, the fewest offer instead of seeking). With more, a local search: from everyone seeking and
    from everyone offering, single role switches and exchanges between neighbours are tried until
    none improves the outcome (a few moves to an equally good choice allowed), and the better end
    wins; that is not proven to find the best outcome. Whatever the roles, the outcome cannot be
    improved by

      * adding an unmatched seeker to an offerer with room (nobody is left out needlessly);
      * giving an unmatched seeker the place of one who waited fewer rounds;
      * giving an unmatched seeker who would be a fresh pair the place of a seeker in a repeat
        pair who waited as long;
      * moving a seeker to another offerer with room (out of a repeat pair, say, unless that
        leaves out the offerer they leave), or swapping partners between pairs to drop a repeat.

    A round takes under a tenth of a second for 30 people of whom eight could take either role
    (256 choices solved), a fraction of a second for 100, seconds for 300
    (``python bench/pairing_simulation.py --scale``).

    Which kind: capacity is per person, not per kind, so the kind never decides whether someone is
    served; the search matches people, then labels each pair with the shared kind the seeker was
    paired for least recently (never first), ties in the order the seeker listed their kinds. A
    seeker of two kinds thus alternates when both are offered.

    Left out: every seeker who is in no pair is reported with their kinds and ``waited``, the
    number of rounds in a row they have now been left out; the caller passes that back as
    ``waiting`` next round. A person who offered instead of seeking, and was paired with a seeker,
    took part, so they are not left out; one whom nobody was paired with is.

Working hours (``working_hours_overlap``)
    09:00--17:00 local time, resolved through zoneinfo on the actual dates, so DST and half-hour
    zones (Asia/Kolkata, America/St_Johns, Australia/Lord_Howe's 30-minute DST) are exact. The
    round's Tuesday in one person's zone is compared with the same or the neighbouring local day
    in the other's: across the date line, Sydney's Wednesday morning is Los Angeles' Tuesday
    afternoon, and those two can meet although their Tuesdays never overlap.

Conversation starters (``conversation_starters``)
    Three distinct question ids from the kind's list: ones the two people have not been given
    before first, then a SHA-256 hash of the round, the pair (in either order) and the id.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import combinations
from typing import Final
from zoneinfo import ZoneInfo

from bot.coaching.schedule import resolve_local, zone
from bot.coaching.weeks import iso_week, week_monday

PAIRING_KINDS: Final[tuple[str, ...]] = ("informational_interview", "shadowing", "mentoring")
NO_REPEAT_ROUNDS: Final = 4
MIN_OVERLAP: Final = timedelta(hours=2)
WORK_START: Final = time(9)
WORK_END: Final = time(17)
STARTERS: Final = 3

_ROUND_WEEKDAY: Final = 1  # Tuesday, the day the pairing job runs (docs/interface.md)
# (this person's day, the other person's day) offsets from the round's Tuesday.
_DAY_PAIRS: Final = ((0, 0), (0, -1), (0, 1), (-1, 0), (1, 0))
# Up to this many people with a choice of role, every choice is solved (2**8 = 256 matchings).
_EVERY_ROLE_UP_TO: Final = 8
# Moves to an equally good choice of roles a local search may make, per person with a choice.
_SIDEWAYS_PER_PERSON: Final = 3


@dataclass(frozen=True)
class Candidate:
    """One person who opted in to this round."""

    key: str
    seeks: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    tz: str = "UTC"
    capacity: int = 1


@dataclass(frozen=True)
class PastPair:
    """A pair made in an earlier round, whether or not they met."""

    round: str
    seeker: str
    offerer: str
    kind: str


@dataclass(frozen=True)
class Pair:
    """One pair of this round: ``seeker`` practises ``kind`` with ``offerer``."""

    seeker: str
    offerer: str
    kind: str


@dataclass(frozen=True)
class Unmatched:
    """A seeker in no pair this round; ``waited`` counts this round too."""

    person: str
    kinds: tuple[str, ...]
    waited: int


@dataclass(frozen=True)
class RoundPairing:
    """A round's outcome: pairs sorted by seeker, the left-out sorted by person."""

    round: str
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]


def is_pairing_week(week: str) -> bool:
    """Whether a round runs in ISO ``week`` (the even weeks); raises ``ValueError`` on a bad week."""
    return week_monday(week).isocalendar().week % 2 == 0


def next_round(week: str) -> str:
    """The first pairing week after ``week`` (two weeks on, or three across a week 53)."""
    monday = week_monday(week) + timedelta(weeks=1)
    while monday.isocalendar().week % 2:
        monday += timedelta(weeks=1)
    return iso_week(monday)


def round_tuesday(week: str) -> date:
    """The Tuesday of ``week``, the day whose working hours decide who can meet."""
    return week_monday(week) + timedelta(days=_ROUND_WEEKDAY)


def working_hours_overlap(tz_a: str, tz_b: str, day: date) -> timedelta:
    """How long both people are at work at once, around ``day`` (see the module docstring).

    The longest overlap of one person's 09:00-17:00 on their local ``day`` with the other's on
    their local ``day`` or the day before or after. Symmetric in the two zones.
    """
    zone_a, zone_b = zone(tz_a), zone(tz_b)
    best = timedelta(0)
    for shift_a, shift_b in _DAY_PAIRS:
        start_a, end_a = _working_hours(zone_a, day + timedelta(days=shift_a))
        start_b, end_b = _working_hours(zone_b, day + timedelta(days=shift_b))
        best = max(best, min(end_a, end_b) - max(start_a, start_b))
    return best


def rounds_ago(past_round: str, current_round: str) -> int:
    """How many rounds ``current_round`` comes after ``past_round``: even weeks in (past, current].

    Counting even weeks rather than dividing by two keeps a year with a week 53 right (W52 to the
    next W02 is one round). 0 for the same or a later round.
    """
    start, monday = week_monday(past_round), week_monday(current_round)
    count = 0
    while monday > start:
        count += monday.isocalendar().week % 2 == 0
        monday -= timedelta(weeks=1)
    return count


def conversation_starters(
    question_ids: Sequence[str],
    *,
    round_week: str,
    seeker: str,
    offerer: str,
    asked_before: Collection[str] = (),
) -> tuple[str, ...]:
    """``STARTERS`` distinct ids for this pair, fewer only when the kind has fewer.

    ``asked_before`` holds the ids these two people were given in earlier rounds; those come last.
    """
    people = "\x1f".join(sorted((seeker, offerer)))
    unique = dict.fromkeys(question_ids)
    ranked = sorted(unique, key=lambda qid: (qid in asked_before, _digest(round_week, people, qid)))
    return tuple(ranked[:STARTERS])


def pair_round(
    round_week: str,
    candidates: Iterable[Candidate],
    history: Iterable[PastPair] = (),
    waiting: Mapping[str, int] | None = None,
) -> RoundPairing:
    """This round's pairs and the seekers left out, by the rule in the module docstring.

    ``history`` needs at least the last ``NO_REPEAT_ROUNDS`` rounds; older ones refine rule 7 and
    the choice of kind. ``waiting`` maps a person key to the rounds in a row they were left out up
    to the last round (the ``waited`` of last round's ``Unmatched``); absent means 0. Raises
    ``ValueError`` on a malformed round or two candidates with the same key.
    """
    tuesday = round_tuesday(round_week)
    people: dict[str, Candidate] = {}
    for candidate in candidates:
        if candidate.key in people:
            raise ValueError(f"candidate listed twice: {candidate.key!r}")
        people[candidate.key] = candidate
    waits = {key: max(0, (waiting or {}).get(key, 0)) for key in people}
    seeks = {key: _valid_kinds(person.seeks) for key, person in people.items()}
    offers = {key: frozenset(_valid_kinds(p.offers) if p.capacity > 0 else ()) for key, p in people.items()}
    past = _PastIndex(round_week, history)

    overlaps: dict[tuple[str, str], bool] = {}

    def hours_fit(a: Candidate, b: Candidate) -> bool:
        zones = (a.tz, b.tz) if a.tz <= b.tz else (b.tz, a.tz)
        if zones not in overlaps:
            overlaps[zones] = working_hours_overlap(*zones, tuesday) >= MIN_OVERLAP
        return overlaps[zones]

    priority = sorted((key for key in people if seeks[key]), key=lambda key: (-waits[key], _digest(round_week, key)))
    edges: dict[str, list[str]] = {}
    for seeker in priority:
        fits = [
            offerer
            for offerer in people
            if offerer != seeker and offers[offerer].intersection(seeks[seeker])
            and hours_fit(people[seeker], people[offerer])
        ]
        edges[seeker] = sorted(fits, key=lambda offerer: _digest(round_week, seeker, offerer))
    can_offer = {key for fits in edges.values() for key in fits}
    # Offerers in a per-round hashed order: it breaks ties between equally good offerers.
    capacity = {key: people[key].capacity for key in sorted(can_offer, key=lambda key: _digest(round_week, key))}

    # Only people who can both be served and serve someone have a role to choose.
    flexible = [key for key in priority if edges[key] and key in can_offer]
    offering = {key for key in can_offer if key not in flexible}
    problem = _Problem(priority, edges, capacity, waits, past)
    best = _search_roles(flexible, frozenset(offering), _neighbours(flexible, edges), problem.solve)

    pairs = tuple(
        Pair(seeker, offerer, past.kind_for(seeker, seeks[seeker], offers[offerer]))
        for seeker, offerer in sorted(best.match.items())
    )
    taking_part = {pair.seeker for pair in pairs} | {pair.offerer for pair in pairs}
    unmatched = tuple(
        Unmatched(key, seeks[key], waits[key] + 1) for key in sorted(priority) if key not in taking_part
    )
    return RoundPairing(round_week, pairs, unmatched)


# --- the search ------------------------------------------------------------------------------------


class _PastIndex:
    """What earlier rounds say about a pair's cost and a seeker's next kind."""

    def __init__(self, round_week: str, history: Iterable[PastPair]) -> None:
        self._latest_meeting: dict[frozenset[str], int] = {}  # rounds ago, the most recent
        self._latest_kind: dict[tuple[str, str], date] = {}
        current = week_monday(round_week)
        for pair in history:
            when = week_monday(pair.round)
            if when >= current:  # the same round re-run, or bad data from the future: not history
                continue
            people = frozenset((pair.seeker, pair.offerer))
            # Beyond ten weeks lie at least five even weeks, so counting them is not worth it.
            far = (current - when).days > 7 * (2 * NO_REPEAT_ROUNDS + 2)
            ago = NO_REPEAT_ROUNDS + 1 if far else rounds_ago(pair.round, round_week)
            self._latest_meeting[people] = min(ago, self._latest_meeting.get(people, ago))
            kind_key = (pair.seeker, pair.kind)
            self._latest_kind[kind_key] = max(when, self._latest_kind.get(kind_key, when))

    def cost(self, a: str, b: str) -> tuple[int, int]:
        """(1 for a repeat within ``NO_REPEAT_ROUNDS`` rounds else 0, freshness cost 0..4; lower is better)."""
        ago = self._latest_meeting.get(frozenset((a, b)))
        if ago is None:
            return (0, 0)
        if ago > NO_REPEAT_ROUNDS:
            return (0, 1)
        return (1, NO_REPEAT_ROUNDS + 1 - max(ago, 1))

    def kind_for(self, seeker: str, seeks: Sequence[str], offered: Collection[str]) -> str:
        shared = [kind for kind in seeks if kind in offered]
        return min(shared, key=lambda kind: (self._latest_kind.get((seeker, kind), date.min), shared.index(kind)))


def _search_roles(
    flexible: Sequence[str],
    fixed: frozenset[str],
    neighbours: Mapping[str, Collection[str]],
    solve: Callable[[frozenset[str]], _Outcome],
) -> _Outcome:
    """The best outcome over roles: ``fixed`` offer, ``flexible`` (in priority order) may.

    Up to ``_EVERY_ROLE_UP_TO`` flexible people every choice is solved; on a tie the fewest offer,
    the lowest in priority first (they lose least by not seeking). Beyond, a local search: from two
    starts -- every flexible person seeking, every one offering -- it tries moves in turn until a
    whole round of them brings no improvement: a single person switches role (the lowest in
    priority first), or two neighbours -- people who could be paired, or who compete for the same
    offerer -- exchange roles. A few moves to an equally good choice not seen before are allowed,
    since more pairs can lie a plateau away (three people switching at once). The better end wins,
    the all-seeking start on a tie.
    """
    order = list(reversed(flexible))
    if len(flexible) <= _EVERY_ROLE_UP_TO:
        choices = (fixed.union(chosen) for size in range(len(order) + 1) for chosen in combinations(order, size))
        return max((solve(roles) for roles in choices), key=lambda outcome: outcome.score)

    def moves(offering: frozenset[str]) -> list[frozenset[str]]:
        singles = [frozenset((key,)) for key in order]
        return singles + [frozenset((a, b)) for a in order if a in offering
                          for b in order if b not in offering and b in neighbours[a]]

    solved: dict[frozenset[str], _Outcome] = {}

    def tried(roles: frozenset[str]) -> _Outcome:
        if roles not in solved:
            solved[roles] = solve(roles)
        return solved[roles]

    ends = []
    for start in (fixed, fixed | frozenset(flexible)):
        offering, best, seen = start, tried(start), {start}
        sideways = _SIDEWAYS_PER_PERSON * len(flexible)
        tries, index, unchanged = moves(offering), 0, 0
        while unchanged < len(tries):
            roles = offering ^ tries[index % len(tries)]
            index += 1
            trial = tried(roles)
            level = trial.score == best.score and roles not in seen and sideways > 0
            if trial.score > best.score or level:
                sideways -= 1 if level else 0
                offering, best, unchanged = roles, trial, 0
                seen.add(roles)
                tries = moves(offering)
            else:
                unchanged += 1
        ends.append(best)
    return max(ends, key=lambda outcome: outcome.score)


@dataclass(frozen=True)
class _Outcome:
    match: dict[str, str]  # seeker -> offerer
    score: tuple[object, ...]


class _Problem:
    """One round's matching, weighed once and solved for any choice of roles."""

    def __init__(
        self,
        priority: Sequence[str],
        edges: Mapping[str, Sequence[str]],
        capacity: Mapping[str, int],
        waits: Mapping[str, int],
        past: _PastIndex,
    ) -> None:
        # One integer objective to minimise, ordered like the rules: a person kept in at a wait level
        # (not left out) outweighs everything at lower levels and every extra pair; a pair outweighs
        # all repeats; a repeat outweighs all freshness costs (at most ``NO_REPEAT_ROUNDS`` a pair)
        # together. The weights count on every seeker seeking, so they hold for any roles. One who
        # seeks but offers this round is kept in once somebody is paired with them, so their first
        # place earns their level's bonus.
        count = len(priority)
        repeat_weight = NO_REPEAT_ROUNDS * count + 1
        pair_bonus = (repeat_weight + NO_REPEAT_ROUNDS) * count + 1
        bonus, level_bonus = {}, pair_bonus * (count + 1)
        for level in sorted({waits[key] for key in priority}):
            bonus[level] = level_bonus
            level_bonus *= count + 1
        self.priority, self.capacity, self.waits = priority, capacity, waits
        self.served_bonus = {key: bonus[waits[key]] + pair_bonus for key in priority}
        self.first = {key: bonus[waits[key]] if key in self.served_bonus else 0 for key in capacity}
        self.levels = sorted(bonus, reverse=True)
        self.pair_cost = {(seeker, offerer): past.cost(seeker, offerer)
                          for seeker in priority for offerer in edges[seeker]}
        self.rows = {
            seeker: [(offerer, repeat * repeat_weight + fresh) for offerer in edges[seeker]
                     for repeat, fresh in [self.pair_cost[(seeker, offerer)]]]
            for seeker in priority
        }

    def solve(self, offering: Collection[str]) -> _Outcome:
        """The matching for one choice of roles: ``offering`` offer, every other seeker seeks."""
        seekers = [key for key in self.priority if key not in offering]
        costs = {seeker: [(o, cost) for o, cost in self.rows[seeker] if o in offering] for seeker in seekers}
        capacities = {key: room for key, room in self.capacity.items() if key in offering}  # the round's order
        match = _Matcher(costs, capacities, self.first).run({key: self.served_bonus[key] for key in seekers})

        taking_part = set(match) | set(match.values())
        kept = tuple(
            sum(1 for key in self.priority if key in taking_part and self.waits[key] == level) for level in self.levels
        )
        repeats = freshness = 0
        for pair in match.items():
            repeat, fresh = self.pair_cost[pair]
            repeats, freshness = repeats + repeat, freshness + fresh
        return _Outcome(match, (kept, len(match), -repeats, -freshness))


class _Matcher:
    """A min-cost flow for a bipartite matching with offerer capacities and a bonus per seeker served.

    An offerer's first place may carry a bonus of its own (``first``): that of an offerer who also
    seeks, who is not left out once someone is paired with them. Later places cost nothing, so an
    offerer's places cost more the more are taken, as min-cost flow needs.

    Successive cheapest augmenting paths: each step serves one more seeker by the path of least
    (pair costs - bonus) from any unserved seeker to an offerer with room, moving matched seekers
    along the way but never dropping one. After each step the matching is the cheapest of its size,
    so the residual graph has no negative cycle and a queue-based Bellman-Ford finds the path.
    """

    def __init__(
        self, costs: Mapping[str, Sequence[tuple[str, int]]], capacity: Mapping[str, int], first: Mapping[str, int]
    ) -> None:
        self.costs = costs
        self.cost_of = {(seeker, offerer): cost for seeker, row in costs.items() for offerer, cost in row}
        self.room = dict(capacity)
        self.first = first
        self.match: dict[str, str] = {}
        self.members: dict[str, list[str]] = {offerer: [] for offerer in capacity}

    def run(self, bonus: Mapping[str, int]) -> dict[str, str]:
        """Serve seekers while it pays; ``bonus`` lists them in priority order, which breaks ties."""
        # Per offerer, who could enter it from outside, cheapest first: the start of every search
        # then costs one look per offerer instead of a pass over every unserved seeker's options.
        entries: dict[str, list[tuple[int, int, str]]] = {offerer: [] for offerer in self.room}
        for rank, seeker in enumerate(bonus):
            for offerer, cost in self.costs[seeker]:
                entries[offerer].append((cost - bonus[seeker], rank, seeker))
        for row in entries.values():
            row.sort(reverse=True)  # the cheapest last, where served seekers are popped off
        unserved = {seeker for seeker in bonus if self.costs[seeker]}
        while unserved and self._augment(unserved, entries):
            pass
        return self.match

    def _augment(self, unserved: set[str], entries: dict[str, list[tuple[int, int, str]]]) -> bool:
        """Apply the cheapest improving path, if any; removes the newly served seeker from ``unserved``.

        Nodes are offerers, in the order of ``self.room``. ``entered[o] = (from, seeker)``: on the
        cheapest path found to ``o``, ``seeker`` moves into ``o`` from offerer ``from`` (None: a
        seeker not yet served).
        """
        dist: dict[str, int] = {}
        entered: dict[str, tuple[str | None, str]] = {}
        for offerer, row in entries.items():
            while row and row[-1][2] not in unserved:
                row.pop()
            if row:
                dist[offerer], entered[offerer] = row[-1][0], (None, row[-1][2])
        room, members, costs, cost_of, first = self.room, self.members, self.costs, self.cost_of, self.first

        def expanded(offerer: str) -> bool:
            # Passing through an offerer with room (one seeker arrives, one moves on) pays only if
            # moving that one on alone would have paid, which the cheapest matching of its size
            # rules out -- unless they were its only member and it has a first-place bonus, which
            # moving them on alone would have lost and the arrival keeps.
            return not room[offerer] or (len(members[offerer]) == 1 and first[offerer] > 0)

        def end_cost(offerer: str) -> int:
            return dist[offerer] - (0 if members[offerer] else first[offerer])

        queue = deque(offerer for offerer in dist if expanded(offerer))
        queued = set(queue)
        while queue:
            offerer = queue.popleft()
            queued.discard(offerer)
            for moved in members[offerer]:
                base = dist[offerer] - cost_of[(moved, offerer)]
                for target, cost in costs[moved]:
                    candidate = base + cost
                    if target != offerer and (target not in dist or candidate < dist[target]):
                        dist[target], entered[target] = candidate, (offerer, moved)
                        if expanded(target) and target not in queued:
                            queue.append(target)
                            queued.add(target)
        ends = [offerer for offerer in dist if room[offerer] and end_cost(offerer) < 0]
        if not ends:
            return False
        end = min(ends, key=end_cost)  # ties: discovery order, stable
        room[end] -= 1
        node: str | None = end
        while node is not None:
            source, seeker = entered[node]
            if source is not None:
                members[source].remove(seeker)
            members[node].append(seeker)
            self.match[seeker] = node
            node = source
        unserved.discard(seeker)
        return True


# --- small helpers ---------------------------------------------------------------------------------


def _neighbours(flexible: Sequence[str], edges: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """For each flexible person, the flexible people they could be paired with or compete with."""
    served_by: dict[str, set[str]] = {key: set() for key in flexible}
    for seeker, offerers in edges.items():
        for offerer in offerers:
            if offerer in served_by:
                served_by[offerer].add(seeker)
    fits = {key: set(edges[key]) for key in flexible}
    return {
        a: {b for b in flexible if b != a and (b in fits[a] or b in served_by[a] or not fits[a].isdisjoint(fits[b]))}
        for a in flexible
    }


def _valid_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """Known kinds, first mention kept, in the person's order."""
    return tuple(kind for kind in dict.fromkeys(kinds) if kind in PAIRING_KINDS)


def _working_hours(tz: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """09:00 and 17:00 on ``day`` in ``tz`` as UTC instants (aware datetimes sharing a tzinfo
    subtract as wall clocks, which would ignore a DST change)."""
    return resolve_local(day, WORK_START, tz), resolve_local(day, WORK_END, tz)


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode()).digest()
