"""The four foundations, the tracks and the practices of the coaching model (COACHING.md)."""

from __future__ import annotations

from typing import Final

FOUNDATIONS: Final[tuple[str, ...]] = ("personality", "upskilling", "delegation", "progress")

FOUNDATION_LABELS: Final[dict[str, str]] = {
    "personality": "Personality development",
    "upskilling": "Continuous upskilling",
    "delegation": "Manage, don't handle",
    "progress": "Track progress",
}

FOUNDATION_SUMMARIES: Final[dict[str, str]] = {
    "personality": "Quality work, clear communication, openness to other people's ideas.",
    "upskilling": "Keeping up with the field and making weekly time to learn a new tool.",
    "delegation": "Enabling people and processes instead of doing every task yourself.",
    "progress": "Measurable goals, regular reviews of skills and team signals, celebrating wins.",
}

# What each rating means, per foundation, so a "3" says the same thing every week.
RATING_SCALE: Final[dict[str, dict[int, str]]] = {
    "personality": {
        1: "1 · Heads down, barely talked to anyone",
        2: "2 · Did my part, kept ideas to myself",
        3: "3 · Clear updates, listened when asked",
        4: "4 · Shaped a decision, took feedback well",
        5: "5 · Raised the bar for quality and talk",
    },
    "upskilling": {
        1: "1 · No learning time this week",
        2: "2 · Skimmed something, nothing stuck",
        3: "3 · Set time aside and learned a bit",
        4: "4 · Tried a new tool or idea hands-on",
        5: "5 · Learned it and shared it with others",
    },
    "delegation": {
        1: "1 · Did everything myself",
        2: "2 · Handed off one small thing",
        3: "3 · Delegated real work, checked often",
        4: "4 · Unblocked others more than I coded",
        5: "5 · Team moved without me in the loop",
    },
    "progress": {
        1: "1 · No goals, no look back",
        2: "2 · Goals exist, didn't look at them",
        3: "3 · Checked my goals once",
        4: "4 · Measured progress, adjusted a plan",
        5: "5 · Reviewed team signals, celebrated",
    },
}

TRACKS: Final[tuple[str, ...]] = ("technical", "management", "hybrid")

TRACK_LABELS: Final[dict[str, str]] = {
    "technical": "Technical (architect, principal)",
    "management": "Management (EM, director)",
    "hybrid": "Hybrid (tech lead, player-coach)",
}

PRACTICES: Final[dict[str, str]] = {
    "mentoring": "Mentored an intern or junior",
    "code_review": "Led a code review",
    "sprint_coordination": "Coordinated a sprint or planning",
    "informational_interview": "Talked with a manager about their job",
    "leadership_course": "Worked on a leadership course",
    "public_speaking": "Spoke in public (demo, talk, meetup)",
    "delegated_task": "Handed a task over and coached it",
    "learned_tool": "Learned a new tool hands-on",
}
