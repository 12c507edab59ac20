"""Weekly slots: when each scheduled item is due, in a person's local time.

A slot is a weekday and a local time of day, written ``"mon 10:00"``. The defaults come from
CONTRACT.md; a workspace may move its defaults (``/lead config``) and a person their own
(``/lead settings``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Final

DAYS: Final[tuple[str, ...]] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS: Final[dict[str, str]] = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
    "sat": "Saturday", "sun": "Sunday",
}

# The jobs each person receives at their own local time, and the team digest (workspace time zone).
PERSONAL_JOBS: Final[tuple[str, ...]] = ("checkin-nudge", "upskilling-prompt", "checkin-reminder", "reflection-prompt")
TEAM_JOBS: Final[tuple[str, ...]] = ("team-digest",)
JOB_NAMES: Final[tuple[str, ...]] = PERSONAL_JOBS + TEAM_JOBS

JOB_LABELS: Final[dict[str, str]] = {
    "checkin-nudge": "Check-in nudge",
    "upskilling-prompt": "Learning step",
    "checkin-reminder": "Check-in reminder",
    "reflection-prompt": "Reflection question",
    "team-digest": "Team digest",
}

_SLOT = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)\s+([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Slot:
    day: str  # one of DAYS
    at: time  # local time of day

    @property
    def weekday(self) -> int:
        """ISO weekday, Monday = 1."""
        return DAYS.index(self.day) + 1

    def __str__(self) -> str:
        return f"{self.day} {self.at:%H:%M}"

    def label(self) -> str:
        return f"{DAY_LABELS[self.day]} {self.at:%H:%M}"


DEFAULT_SLOTS: Final[dict[str, Slot]] = {
    "checkin-nudge": Slot("mon", time(10, 0)),
    "upskilling-prompt": Slot("wed", time(10, 0)),
    "checkin-reminder": Slot("thu", time(15, 0)),
    "reflection-prompt": Slot("fri", time(15, 0)),
    "team-digest": Slot("fri", time(16, 0)),
}


def parse_slot(text: str) -> Slot:
    """``"wed 9:30"`` → Slot; raises ValueError with a readable message otherwise."""
    match = _SLOT.match(text.strip().lower())
    if not match:
        raise ValueError(f"not a slot like 'mon 10:00': {text!r}")
    return Slot(match.group(1), time(int(match.group(2)), int(match.group(3))))


def effective_slot(job: str, person_slots: dict[str, str] | None, workspace_slots: dict[str, str] | None) -> Slot:
    """The person's own slot for ``job``, else the workspace's, else the default.

    A stored value that no longer parses is ignored rather than breaking the schedule.
    """
    for overrides in (person_slots or {}, workspace_slots or {}):
        raw = overrides.get(job)
        if isinstance(raw, str):
            try:
                return parse_slot(raw)
            except ValueError:
                continue
    return DEFAULT_SLOTS[job]
