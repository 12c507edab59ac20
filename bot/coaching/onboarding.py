"""The onboarding self-assessment: statements, the agreement scale, and what the answers suggest.

Everything here is pure. Each statement is rated on a 1–5 agreement scale and may speak to:
- a *signal* of appetite for leadership (docs/coaching.md names three: enjoying talking about new
  technology, enjoying explaining hard ideas, caring about product quality and about how other
  functions see the work);
- an *axis* used to suggest a track: ``technical`` (depth, hands-on work, technical direction) or
  ``people`` (explaining, coaching, delegating, resolving conflict, working with stakeholders);
- a *foundation*, used to pre-select the focus: the foundation whose statements score lowest.

The track rule, in one sentence: compare the average answer on the people axis with the average
on the technical axis; a gap of a whole point or more suggests ``management`` (people ahead) or
``technical`` (technical ahead), anything closer suggests ``hybrid`` and says it is close. The
rule depends only on that difference, so agreeing more with people statements can only move the
suggestion from technical toward hybrid and management, never back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from bot.coaching.foundations import FOUNDATIONS, TRACKS

SCALE: Final[dict[int, str]] = {
    1: "1 · Not like me at all",
    2: "2 · Rarely like me",
    3: "3 · Sometimes like me",
    4: "4 · Mostly like me",
    5: "5 · Very much like me",
}
NEUTRAL: Final[float] = 3.0

TECHNICAL, PEOPLE = "technical", "people"
SIGNALS: Final[dict[str, str]] = {
    "talk_tech": "enjoying talking about new technology",
    "explain": "enjoying explaining hard ideas",
    "product": "caring about product quality and how other teams see the work",
}

# A gap of at least this much between the two axes suggests a single-sided track.
DECISIVE_GAP: Final[float] = 1.0
# Below this gap a single-sided suggestion says hybrid would be a fair pick as well.
CLEAR_GAP: Final[float] = 1.5


@dataclass(frozen=True)
class Statement:
    id: str
    text: str  # what the person rates, in the first person
    short: str  # a few words for explanations ("explaining hard ideas")
    axis: str | None = None  # TECHNICAL, PEOPLE or None (matters on every path)
    foundation: str | None = None
    signal: str | None = None  # one of SIGNALS' keys


STATEMENTS: Final[tuple[Statement, ...]] = (
    Statement("talk_tech", "I enjoy talking about new technology with others: in reviews, at meetups, in team chats.",
              "talking about new technology", TECHNICAL, "upskilling", "talk_tech"),
    Statement("explain", "I like explaining a hard idea until it clicks for someone, even when it takes a few tries.",
              "explaining hard ideas", PEOPLE, "personality", "explain"),
    Statement("product", "I care about the quality of what we ship and about how product, design, support or sales "
                         "see our work.",
              "caring how the product and the work are seen", PEOPLE, "personality", "product"),
    Statement("hands_on", "Writing and reviewing code is the part of my week that gives me the most energy.",
              "getting energy from hands-on code", TECHNICAL),
    Statement("architecture", "I want to shape technical direction: architecture, standards, the big design calls.",
              "shaping technical direction", TECHNICAL),
    Statement("learning", "Most weeks I set time aside to learn a tool or technique I don't know yet.",
              "a weekly learning habit", None, "upskilling"),
    Statement("delegate", "I'm happy to hand over work I could do faster myself, and to coach the person who "
                          "takes it on.",
              "handing work over and coaching it", PEOPLE, "delegation"),
    Statement("unblock", "On a busy day I'd rather unblock two teammates than close my own ticket.",
              "unblocking others before your own ticket", PEOPLE, "delegation"),
    Statement("conflict", "When teammates disagree, I can help them reach a decision they can both live with.",
              "helping people through disagreements", PEOPLE, "personality"),
    Statement("planning", "I like planning work: breaking it down, putting it in order and spotting risks early.",
              "planning work", None, "progress"),
    Statement("goals", "I set measurable goals for myself and look back at them regularly.",
              "measurable goals you review", None, "progress"),
    Statement("stakeholders", "I'm at ease explaining technical trade-offs to people who don't write code.",
              "explaining trade-offs to non-engineers", PEOPLE, "personality"),
)
STATEMENT_IDS: Final[tuple[str, ...]] = tuple(s.id for s in STATEMENTS)
_BY_ID: Final[dict[str, Statement]] = {s.id: s for s in STATEMENTS}


def statement(statement_id: str) -> Statement:
    return _BY_ID[statement_id]


def clean_answers(answers: Mapping[str, object]) -> dict[str, int]:
    """Only the answers that are known statement ids rated 1–5 (anything else is dropped)."""
    cleaned: dict[str, int] = {}
    for key, value in answers.items():
        if key in _BY_ID and isinstance(value, int) and not isinstance(value, bool) and value in SCALE:
            cleaned[key] = value
    return cleaned


def is_complete(answers: Mapping[str, object]) -> bool:
    """True when every statement has a valid answer."""
    return len(clean_answers(answers)) == len(STATEMENTS)


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else NEUTRAL


def axis_score(answers: Mapping[str, object], axis: str) -> float:
    """The average answer on ``axis``; neutral (3) when none of its statements is answered."""
    cleaned = clean_answers(answers)
    return _mean([v for k, v in cleaned.items() if _BY_ID[k].axis == axis])


def foundation_scores(answers: Mapping[str, object]) -> dict[str, float]:
    """Each foundation's average answer; neutral (3) for a foundation with no answers."""
    cleaned = clean_answers(answers)
    return {f: _mean([v for k, v in cleaned.items() if _BY_ID[k].foundation == f]) for f in FOUNDATIONS}


def suggest_focus(answers: Mapping[str, object]) -> str:
    """The foundation to work on first: the one the answers rate lowest.

    Ties go to the foundation that comes first in the coaching model's order (personality,
    upskilling, delegation, progress), so the same answers always give the same focus.
    """
    scores = foundation_scores(answers)
    return min(FOUNDATIONS, key=lambda f: (scores[f], FOUNDATIONS.index(f)))


@dataclass(frozen=True)
class TrackSuggestion:
    track: str  # one of TRACKS
    reason: str  # a few honest sentences, mrkdwn-safe (no person-written text)
    technical: float  # average on the technical axis, 1–5
    people: float  # average on the people axis, 1–5
    close: bool  # the two sides are near enough that another track is a fair pick too


_LEADS_TO: Final[dict[str, str]] = {
    "technical": "This path leads toward architect and principal roles, where you lead through technical judgement "
                 "and the standards you set.",
    "management": "This path leads toward engineering manager, director and VP roles, where you lead through people, "
                  "planning and the room you make for others.",
    "hybrid": "Hybrid roles such as tech lead bridge the two, and teams value them for exactly that.",
}
_NEITHER_BETTER = ("Neither path is better than the other: pick the one that fits what you enjoy, what you are strong "
                   "at and what you want in five years. You can change it any time.")
_TALK_TO_PEOPLE = ("Before you settle, ask someone on each path what their real week looks like, or shadow them for "
                   "a day, and notice which parts give you energy.")


def suggest_track(answers: Mapping[str, object]) -> TrackSuggestion:
    """The track the answers point to, with a short explanation of why (see the module docstring)."""
    technical = axis_score(answers, TECHNICAL)
    people = axis_score(answers, PEOPLE)
    gap = people - technical
    if gap >= DECISIVE_GAP:
        track = "management"
    elif gap <= -DECISIVE_GAP:
        track = "technical"
    else:
        track = "hybrid"
    close = abs(gap) < CLEAR_GAP
    return TrackSuggestion(track=track, reason=_reason(answers, track, technical, people, close),
                           technical=round(technical, 2), people=round(people, 2), close=close)


def _reason(answers: Mapping[str, object], track: str, technical: float, people: float, close: bool) -> str:
    cleaned = clean_answers(answers)
    scores = f"people side {people:.1f}/5, technical side {technical:.1f}/5"
    sentences: list[str] = []
    if track == "hybrid":
        sentences.append(f"It's close ({scores}).")
        if technical >= 3.5 and people >= 3.5:
            sentences.append("You get energy from both sides, which is what hybrid roles are made of.")
        elif technical <= 2.5 and people <= 2.5:
            sentences.append("Neither side stands out yet, and that is a fine place to start: hybrid keeps both "
                             "doors open while you find out.")
        else:
            sentences.append("Hybrid keeps both doors open while you find out which side pulls harder.")
        sentences.append(_LEADS_TO[track])
        sentences.append(_TALK_TO_PEOPLE)
    else:
        winner, loser = (PEOPLE, TECHNICAL) if track == "management" else (TECHNICAL, PEOPLE)
        lean = "people leadership" if track == "management" else "technical work"
        sentences.append(f"Your answers lean toward {lean} ({scores}).")
        strong = _shorts(cleaned, winner, lambda v: v >= 4, high_first=True)
        weak = _shorts(cleaned, loser, lambda v: v <= 2, high_first=False)
        if strong:
            sentences.append(f"You agreed most with the statements on {_join(strong)}.")
        if weak:
            sentences.append(f"You agreed least with the ones on {_join(weak)}.")
        sentences.append(_LEADS_TO[track])
        if close:
            sentences.append("The gap is not large, so hybrid would be a fair pick too, and talking to people on "
                             "both paths will tell you more than this form can.")
    sentences.extend(_signals_note(cleaned))
    sentences.append(_NEITHER_BETTER)
    return " ".join(sentences)


def _signals_note(cleaned: Mapping[str, int]) -> list[str]:
    """What the three appetite-for-leadership signals say, when they say something clear."""
    rated = {_BY_ID[k].signal: v for k, v in cleaned.items() if _BY_ID[k].signal}
    strong = [SIGNALS[key] for key in SIGNALS if rated.get(key, 0) >= 4]
    if len(strong) == len(SIGNALS):
        return ["All three signs of an appetite for leadership (talking about new technology, explaining hard "
                "ideas, caring how the product is seen) are strong in your answers."]
    if strong:
        verb = "shows" if len(strong) == 1 else "show"
        return [f"Of the three usual signs of an appetite for leadership, {_join(strong)} {verb} clearly."]
    if rated and all(v <= 2 for v in rated.values()):
        return ["The usual signs of an appetite for leadership are quiet in your answers; deep technical roles "
                "lead too, in their own way."]
    return []


def _shorts(cleaned: Mapping[str, int], axis: str, keep: Callable[[int], bool], *, high_first: bool) -> list[str]:
    picked = [(v, STATEMENT_IDS.index(k), k) for k, v in cleaned.items() if _BY_ID[k].axis == axis and keep(v)]
    picked.sort(key=lambda item: (-item[0] if high_first else item[0], item[1]))
    return [_BY_ID[k].short for _, _, k in picked[:2]]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{items[0]} and {items[1]}"


# The first step ------------------------------------------------------------------------------
# One concrete thing to do this week, for the chosen focus, worded for the chosen track.
_FIRST_STEPS: Final[dict[str, dict[str, str]]] = {
    "personality": {
        "technical": "Write up one design decision from this week in five sentences for someone outside your team, "
                     "then ask them whether it made sense.",
        "management": "In your next meeting, ask for one opposing view before you give yours, and note what it "
                      "changed.",
        "hybrid": "Review one pull request with comments that explain the why, not only the what, and ask the author "
                  "what they would have done differently.",
    },
    "upskilling": {
        "technical": "Block 45 minutes to build something tiny with a tool you have been curious about, then post a "
                     "three-line summary for your team.",
        "management": "Spend 30 minutes learning how your team's newest tool works end to end, so your questions "
                      "about it get sharper.",
        "hybrid": "Set aside one hour for a new tool or technique, and share one thing you learned in your team "
                  "channel.",
    },
    "delegation": {
        "technical": "Pick one task you would normally grab yourself, hand it to a teammate with a short brief, and "
                     "stay available for questions instead of doing it.",
        "management": "List what you did this week that someone else could own, and hand one item over with clear "
                      "context and a date to check in.",
        "hybrid": "Hand a coding task you would enjoy to a teammate, and spend the time you save pairing with them "
                  "or clearing a blocker.",
    },
    "progress": {
        "technical": "Write one measurable technical goal for this month, such as build time or error rate, and note "
                     "today's number.",
        "management": "Pick one team signal (cycle time, review wait, escaped bugs), note this week's value and put a "
                      "reminder to look at it again next Friday.",
        "hybrid": "Set one goal for yourself and one for the team this month, each with a number, and book ten "
                  "minutes on Friday to review them.",
    },
}

GOAL_IDEAS: Final[dict[str, str]] = {
    "personality": "e.g. Present our design choices at the next demo",
    "upskilling": "e.g. Ship a small internal tool in a language new to me",
    "delegation": "e.g. Hand the release process over to a teammate by March",
    "progress": "e.g. Review my goals and one team metric every Friday",
}


def first_step(focus: str, track: str | None) -> str:
    """One concrete action for this week, for ``focus``, in the words of ``track`` (hybrid if none)."""
    steps = _FIRST_STEPS[focus]
    return steps[track if track in TRACKS else "hybrid"]
