"""Settings: a person's (``/lead settings``), pauses (``/lead pause``, ``/lead resume``), the workspace's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum

from bot.coaching.schedule import Slot

# How a workspace celebrates streak milestones and finished goals: only gathered into the Friday
# team digest (the default, a quieter channel), or also posted as each happens.
DIGEST, LIVE = "digest", "live"
CELEBRATION_MODES = (DIGEST, LIVE)


@dataclass(frozen=True)
class JobSetting:
    """A job a person can move, as ``/lead settings`` shows it."""

    name: str
    label: str
    hint: str


@dataclass(frozen=True)
class PersonalSettings:
    """A person's settings as they are (slots already resolved to the ones in effect)."""

    jobs: tuple[JobSetting, ...]  # the jobs whose slots the person can move, in order
    slots: Mapping[str, Slot]  # job name -> slot
    slack_tz: str | None
    tz_override: str | None
    track: str | None
    focus: str | None  # the chosen foundation (None in auto)
    nudges_enabled: bool
    celebrate_publicly: bool
    role: str | None = None
    focus_mode: str = "auto"
    auto_focus: str | None = None  # what "let lead-bot choose" gives right now; None before any data
    progress_picture: bool = True  # the monthly progress picture
    holidays: str | None = None  # their own holiday calendar, e.g. "DE-BY"; None: the workspace's
    workspace_holidays: str | None = None  # the workspace's calendar, which applies without their own
    away_detection: bool = True  # a Slack status such as "Vacationing" makes them away

    @property
    def timezone(self) -> str:
        return self.tz_override or self.slack_tz or "UTC"


@dataclass(frozen=True)
class SettingsForm:
    """What the person submitted, validated."""

    slots: dict[str, Slot]
    tz_override: str | None  # None: follow Slack
    track: str | None
    focus: str | None  # the chosen foundation; None with focus_mode "auto"
    nudges_enabled: bool
    celebrate_publicly: bool
    role: str | None = None  # None: not chosen (left as it is)
    focus_mode: str = "auto"
    progress_picture: bool = True
    holidays: str | None = None  # a validated calendar code; None: follow the workspace's
    away_detection: bool | None = None  # None: not answered (left as it is)


# pauses ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PauseOutcome:
    start: date
    end: date
    today: date
    timezone: str
    replaced: bool  # an existing pause was moved rather than a new one created


class Resumed(Enum):
    NOT_PAUSED = "not_paused"
    CANCELLED = "cancelled"  # the pause had not begun, so it is gone
    ENDED = "ended"


@dataclass(frozen=True)
class ResumeOutcome:
    kind: Resumed
    start: date | None = None
    today: date | None = None


# the workspace --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkspaceConfig:
    channel: str | None
    nudge: Slot
    default_tz: str
    celebrations: str = DIGEST  # milestones and finished goals: DIGEST (gathered) or LIVE (posted too)
    holidays: str | None = None  # the workspace's public-holiday calendar, e.g. "DE"; None: none
    away_terms: str = ""  # the admin's additions to the away rules, as typed (normalised)


@dataclass(frozen=True)
class ConfigForm:
    channel: str
    nudge: Slot
    default_tz: str
    celebrations: str = DIGEST
    holidays: str | None = None
    away_terms: str = ""


class ChannelProblem(Enum):
    """Why the bot cannot post in the channel picked in ``/lead config``."""

    CANNOT_SEE = "cannot_see"
    CHECK_FAILED = "check_failed"
    DIRECT_MESSAGE = "direct_message"
    ARCHIVED = "archived"
    NOT_A_MEMBER = "not_a_member"
