"""The growth review's content: before and after, the energy split, and whether the track still fits.

Pure functions. The answers are the self-assessment's (``bot/coaching/onboarding.py``'s
``STATEMENTS``, each rated 1 to 5); anything else in them is ignored, as onboarding does.

Before and after (``compare_assessments``)
    Per statement: the two answers and the change (None where a side did not answer). Per side
    (``technical``, ``people``): the average answer over that side's statements, None when the
    assessment answered none of them (onboarding's neutral 3 would invent data here).

Track fit (``track_fit``)
    ``onboarding.suggest_track`` on the new answers gives the suggested track and its reason. The
    fit is:
    - ``same``: the suggestion is the person's track;
    - ``near``: the person is on ``hybrid`` and the suggestion is a single-sided track with a
      small gap (``suggestion.close``), or the person is on a single-sided track and the
      suggestion is ``hybrid`` with the answers leaning toward that person's side;
    - ``different``: any other mismatch;
    - ``no_track``: the person has not picked one.
    ``fits`` is True for ``same`` and ``near``, False for ``different``, None without a track.

Energy (``energy_split``, ``energy_note``)
    Each week of the period contributes its check-in's energy answer (``technical``, ``people``,
    ``both``, ``neither``) or None (no check-in, or the question skipped); unanswered weeks are
    counted apart and shares are over answered weeks only. The note reads the split:
    - no answers, or fewer than ``MIN_ENERGY_WEEKS``: it says so and draws nothing;
    - ``neither`` in more than half the answered weeks: it points at the weeks, not the track;
    - ``both`` in at least half: what hybrid roles draw on;
    - ``people`` ahead of ``technical`` by at least ``max(2, answered / 4)`` weeks: supports a
      management or hybrid track; ``technical`` ahead by as much: technical or hybrid;
    - otherwise about even: hybrid, or either side.
    A second sentence compares that with the person's track, and calls a mismatch a question to
    explore, never a verdict: energy is one signal among several.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from bot.coaching.foundations import ENERGY, TRACK_LABELS, TRACKS
from bot.coaching.onboarding import PEOPLE, STATEMENTS, TECHNICAL, TrackSuggestion, clean_answers, suggest_track

SIDES: Final[tuple[str, ...]] = (TECHNICAL, PEOPLE)
MIN_ENERGY_WEEKS: Final = 4

SAME, NEAR, DIFFERENT, NO_TRACK = "same", "near", "different", "no_track"


@dataclass(frozen=True)
class StatementChange:
    statement: str  # a STATEMENTS id
    before: int | None
    after: int | None
    change: int | None


@dataclass(frozen=True)
class SideChange:
    side: str  # technical or people
    before: float | None
    after: float | None
    change: float | None


@dataclass(frozen=True)
class TrackFit:
    track: str | None  # the person's track
    suggested: str  # what the new answers suggest
    previous: str | None  # what the earlier answers suggested, when given
    fit: str  # same, near, different or no_track
    reason: str  # a few honest sentences, mrkdwn-safe (no person-written text)
    suggestion: TrackSuggestion

    @property
    def fits(self) -> bool | None:
        return None if self.fit == NO_TRACK else self.fit in (SAME, NEAR)


@dataclass(frozen=True)
class GrowthComparison:
    statements: tuple[StatementChange, ...]  # STATEMENTS order
    sides: tuple[SideChange, ...]  # technical, then people
    track_fit: TrackFit


def side_average(answers: Mapping[str, object], side: str) -> float | None:
    """The average answer over ``side``'s statements, None when none of them is answered."""
    cleaned = clean_answers(answers)
    values = [cleaned[s.id] for s in STATEMENTS if s.axis == side and s.id in cleaned]
    return sum(values) / len(values) if values else None


def _difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def compare_assessments(
    before: Mapping[str, object], after: Mapping[str, object], track: str | None
) -> GrowthComparison:
    """Before and after per statement and per side, and whether ``track`` still fits the new answers."""
    old, new = clean_answers(before), clean_answers(after)
    statements = tuple(
        StatementChange(
            statement=s.id,
            before=old.get(s.id),
            after=new.get(s.id),
            change=new[s.id] - old[s.id] if s.id in old and s.id in new else None,
        )
        for s in STATEMENTS
    )
    sides = []
    for side in SIDES:
        side_before, side_after = side_average(old, side), side_average(new, side)
        sides.append(SideChange(side, side_before, side_after, _difference(side_before, side_after)))
    return GrowthComparison(statements, tuple(sides), track_fit(after, track, before=before))


def track_fit(
    answers: Mapping[str, object], track: str | None, *, before: Mapping[str, object] | None = None
) -> TrackFit:
    """Whether ``track`` fits what ``answers`` suggest (see the module docstring), with the reason."""
    suggestion = suggest_track(answers)
    suggested = suggestion.track
    previous = suggest_track(before).track if before is not None and clean_answers(before) else None
    label = TRACK_LABELS[suggested]
    if track not in TRACKS:
        fit = NO_TRACK
        opening = f"You have not picked a track yet; your answers point to {label}."
    elif track == suggested:
        fit = SAME
        opening = f"Your answers point to your track, {label}, so it still fits."
    elif track == "hybrid" and suggestion.close:
        fit = NEAR
        opening = (f"Your answers now lean toward {label}, but only a little, so your track, "
                   f"{TRACK_LABELS['hybrid']}, still fits.")
    elif suggested == "hybrid" and _leaning_side(suggestion) == track:
        fit = NEAR
        opening = (f"Your answers point to {label}, leaning toward the {_side_words(track)} side, so your "
                   f"track, {TRACK_LABELS[track]}, still fits; hybrid would too.")
    else:
        fit = DIFFERENT
        opening = (f"Your answers now point to {label} rather than your track, {TRACK_LABELS[track]}. "
                   "That is worth a look, not an order.")
    sentences = [opening]
    if previous is not None:
        if previous != suggested:
            sentences.append(f"At your previous assessment they pointed to {TRACK_LABELS[previous]}.")
        else:
            sentences.append("They pointed the same way at your previous assessment.")
    sentences.append(suggestion.reason)
    return TrackFit(track if track in TRACKS else None, suggested, previous, fit, " ".join(sentences), suggestion)


def _leaning_side(suggestion: TrackSuggestion) -> str | None:
    """The single-sided track the scores lean toward, None when they are exactly even."""
    if suggestion.people > suggestion.technical:
        return "management"
    if suggestion.technical > suggestion.people:
        return "technical"
    return None


def _side_words(track: str) -> str:
    return "people" if track == "management" else "technical"


# --- energy --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnergySplit:
    counts: Mapping[str, int]  # every ENERGY value, zeros included
    unanswered: int  # weeks without an answer (no check-in, or the question skipped)

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    @property
    def shares(self) -> dict[str, float]:
        """Each value's share of the answered weeks; all 0.0 when none was answered."""
        total = self.answered
        return {value: (self.counts[value] / total if total else 0.0) for value in ENERGY}


def energy_split(answers: Sequence[str | None]) -> EnergySplit:
    """Count one energy answer per week of the period; None or an unknown value is unanswered."""
    counts = {value: 0 for value in ENERGY}
    unanswered = 0
    for answer in answers:
        if answer in counts:
            counts[answer] += 1
        else:
            unanswered += 1
    return EnergySplit(counts=counts, unanswered=unanswered)


def energy_note(split: EnergySplit, track: str | None) -> str:
    """One or two honest sentences on what the energy split suggests about the track."""
    answered = split.answered
    technical, people = split.counts["technical"], split.counts["people"]
    both, neither = split.counts["both"], split.counts["neither"]
    if answered == 0:
        return "No check-in in this period says what gave you energy, so it tells nothing about your track yet."
    if answered < MIN_ENERGY_WEEKS:
        weeks = "one answered week" if answered == 1 else f"{answered} answered weeks"
        return (f"With {weeks}, it is too early to read anything about your track from energy; "
                "a few more one-tap answers will say more.")
    if neither * 2 > answered:
        return (f"In {neither} of {answered} answered weeks neither kind of work gave you energy. That says more "
                "about those weeks than about a track, and may be worth talking over with someone you trust.")
    margin = max(2, answered / 4)
    if both * 2 >= answered:
        supported: tuple[str, ...] = ("hybrid",)
        reading = (f"Both kinds of work gave you energy in {both} of {answered} answered weeks, which is what "
                   "hybrid roles draw on.")
    elif people - technical >= margin:
        supported = ("management", "hybrid")
        reading = (f"People work gave you energy more often than technical work ({people} weeks against "
                   f"{technical}, of {answered} answered), which supports a management or hybrid track.")
    elif technical - people >= margin:
        supported = ("technical", "hybrid")
        reading = (f"Technical work gave you energy more often than people work ({technical} weeks against "
                   f"{people}, of {answered} answered), which supports a technical or hybrid track.")
    else:
        supported = TRACKS
        reading = (f"Technical and people work gave you energy about equally often ({technical} and {people} "
                   f"weeks, of {answered} answered), which fits hybrid as well as either side.")
    if track not in TRACKS:
        return reading
    if track in supported:
        return f"{reading} That is in line with your track, {TRACK_LABELS[track]}."
    return (f"{reading} Your track is {TRACK_LABELS[track]}; energy is one signal among several, so take this "
            "as a question to explore rather than a reason to switch.")
