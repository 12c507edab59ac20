"""The four foundations, the tracks and the practices of the coaching model (docs/coaching.md)."""

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
    "shadowing": "Shadowed someone on another track",
    "leadership_course": "Worked on a leadership course",
    "public_speaking": "Spoke in public (demo, talk, meetup)",
    "delegated_task": "Handed a task over and coached it",
    "learned_tool": "Learned a new tool hands-on",
}

# Who a person is at work, asked at onboarding and in settings. Prompts declare which roles they suit.
ROLE_LABELS: Final[dict[str, str]] = {
    "engineer": "Engineer",
    "tech_lead": "Tech lead",
    "manager": "Engineering manager",
}
ROLES: Final[tuple[str, ...]] = tuple(ROLE_LABELS)

# What a prompt may assume the person has. Nobody gets a prompt whose requirements they lack.
REQUIREMENT_LABELS: Final[dict[str, str]] = {
    "direct_reports": "people who report to you",
    "active_goal": "an active goal in lead-bot",
    "team_channel": "a team channel lead-bot posts to",
}
REQUIREMENTS: Final[tuple[str, ...]] = tuple(REQUIREMENT_LABELS)

# "What gave you energy this week?" in the check-in: one tap, optional.
ENERGY_LABELS: Final[dict[str, str]] = {
    "technical": "Technical work",
    "people": "People work",
    "both": "Both",
    "neither": "Neither",
}
ENERGY: Final[tuple[str, ...]] = tuple(ENERGY_LABELS)

# Practices that need a second person; /lead pair matches seekers with offerers of one kind.
PAIRING_KIND_LABELS: Final[dict[str, str]] = {
    "informational_interview": "Informational interview",
    "shadowing": "Shadowing for a day",
    "mentoring": "Mentoring",
}
PAIRING_KINDS: Final[tuple[str, ...]] = tuple(PAIRING_KIND_LABELS)

# A practice pair that met counts as this practice for the week (each kind is also a practice).
PAIRING_PRACTICE: Final[dict[str, str]] = {kind: kind for kind in PAIRING_KINDS}

# How the focus is set: "auto" follows the weakest foundation; "chosen" keeps the person's pick.
FOCUS_MODES: Final[tuple[str, ...]] = ("auto", "chosen")

FOCUS_MODE_LABELS: Final[dict[str, str]] = {
    "auto": "Let lead-bot choose: my weakest foundation",
    "chosen": "I choose my focus",
}
