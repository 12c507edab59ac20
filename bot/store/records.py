"""What the store hands out: frozen records, never ORM objects.

A record is a snapshot taken inside a unit of work; it stays valid after the session is gone and
cannot be changed by accident. Every change goes through a store function instead. The
``*_record`` functions at the end are the one way a row becomes a record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.store.models import Assessment, Checkin, Goal, Pause, Person, Win, Workspace


@dataclass(frozen=True)
class WorkspaceRecord:
    team_id: str
    name: str | None
    team_channel: str | None  # the workspace's own; LEAD_TEAM_CHANNEL applies when it is None
    default_tz: str
    slots: Mapping[str, str]  # job name -> "mon 10:00"; the jobs' defaults fill the rest
    created_at: datetime
    celebrations: str = "digest"  # milestones and finished goals: "digest" only, or "live" as well
    holidays: str | None = None  # the public-holiday calendar, e.g. "DE-BY"; None: none
    away_terms: str | None = None  # the admin's additions to the away rules, as typed in /lead config


@dataclass(frozen=True)
class PersonRecord:
    id: int
    team_id: str
    user_id: str
    display_name: str | None
    slack_tz: str | None
    tz_fetched_at: datetime | None
    tz_override: str | None
    track: str | None
    focus: str | None  # the chosen foundation (meaningful when focus_mode is "chosen")
    nudges_enabled: bool
    celebrate_publicly: bool
    active: bool
    inactive_reason: str | None
    slots: Mapping[str, str]  # the person's own slot overrides, job name -> "wed 09:30"
    onboarded_at: datetime | None
    created_at: datetime
    # The slot overrides of the person's workspace, read with the person so one record is enough
    # to work out when each of their jobs is due.
    workspace_slots: Mapping[str, str] = field(default_factory=dict)
    role: str | None = None  # engineer, tech_lead or manager; None until asked
    focus_mode: str = "auto"  # auto or chosen (bot/coaching/focus.py)
    focus_review_week: str | None = None  # ISO week of the last focus review built for them
    growth_invite_week: str | None = None  # ISO week of the last growth-review invitation
    progress_picture: bool = True  # the monthly progress picture
    # Time off: the Slack status from the last user_change event, whether it may make them away,
    # and their own holiday calendar (None: the workspace's).
    status_text: str | None = None
    status_emoji: str | None = None
    status_expiration: int | None = None  # epoch seconds; 0 or None: never expires
    away_detection: bool = True
    holidays: str | None = None

    @property
    def timezone(self) -> str:
        """The zone the person lives by: their own override, else Slack's, else UTC."""
        return self.tz_override or self.slack_tz or "UTC"


@dataclass(frozen=True)
class PauseRecord:
    id: int
    person_id: int
    start: date  # both inclusive, in the person's local calendar
    end: date
    resumed: bool = False  # ended early by /lead resume: over, though it still covers today


@dataclass(frozen=True)
class CheckinRecord:
    id: int
    person_id: int
    week: str
    submitted_at: datetime
    ratings: Mapping[str, int]  # foundation -> 1..5
    learning_minutes: int
    practices: tuple[str, ...]
    reflection: str | None
    energy: str | None = None  # technical, people, both or neither; None when skipped


@dataclass(frozen=True)
class AssessmentRecord:
    """One self-assessment: the answers (statement id -> 1..5) and the track the person had then."""

    id: int
    person_id: int
    taken_at: datetime
    track: str | None
    answers: Mapping[str, Any]


@dataclass(frozen=True)
class GoalRecord:
    id: int
    person_id: int
    title: str
    foundation: str
    measure: str | None
    target: int | None
    current: int
    progress: int
    status: str  # active, done or archived
    due: date | None
    created_at: datetime
    done_at: datetime | None


@dataclass(frozen=True)
class WinRecord:
    id: int
    person_id: int
    text: str
    shared: bool
    foundation: str | None
    week: str
    created_at: datetime
    channel: str | None  # where it was celebrated, once it was
    message_ts: str | None


@dataclass(frozen=True)
class ReflectionRecord:
    week: str
    prompt_id: str | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class LearningRecord:
    week: str
    prompt_id: str | None
    minutes: int
    created_at: datetime


@dataclass(frozen=True)
class PromptSendRecord:
    prompt_id: str
    kind: str
    week: str
    sent_at: datetime


@dataclass(frozen=True)
class FeedbackRecord:
    prompt_id: str
    verdict: str
    at: datetime


@dataclass(frozen=True)
class PersonData:
    """Everything stored about one person, each list oldest first (the export reads this)."""

    person: PersonRecord
    checkins: tuple[CheckinRecord, ...]
    goals: tuple[GoalRecord, ...]
    wins: tuple[WinRecord, ...]
    reflections: tuple[ReflectionRecord, ...]
    learning: tuple[LearningRecord, ...]
    feedback: tuple[FeedbackRecord, ...]
    pauses: tuple[PauseRecord, ...]


@dataclass(frozen=True)
class ProgressHistory:
    """What the dashboard, ``/lead stats`` and the progress picture read about one person."""

    first: CheckinRecord | None  # the person's first check-in ever: "since you started"
    latest: CheckinRecord | None  # their latest check-in
    checkins: tuple[CheckinRecord, ...]  # the check-ins of the weeks asked for, oldest first
    total_checkins: int
    logged: Mapping[str, int]  # week -> minutes logged with "I did it", for the weeks asked for
    wins: tuple[WinRecord, ...]  # the wins of the weeks asked for, oldest first
    latest_wins: tuple[WinRecord, ...]  # the newest wins, newest first
    total_wins: int
    answers: tuple[ReflectionRecord, ...]  # the newest answers to reflection prompts, newest first
    latest_reflections: tuple[CheckinRecord, ...]  # the newest check-ins with a reflection, newest first
    goals: tuple[GoalRecord, ...]  # active goals, due soonest first


# team-level figures -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SharedWin:
    user_id: str
    text: str


@dataclass(frozen=True)
class StreakHistory:
    """What the streak rule needs about one person who checked in this week."""

    user_id: str
    checkin_weeks: list[str]
    pauses: list[tuple[date, date]]


@dataclass(frozen=True)
class AwayPeriodRecord:
    """When a person's status said they were away; ``ended_at`` None while it still does."""

    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class RatingSummary:
    people: int  # distinct people behind the averages
    checkins: int
    averages: dict[str, float]  # foundation -> mean rating; empty when there are no check-ins


# rows to records ----------------------------------------------------------------------------------
def workspace_record(row: Workspace) -> WorkspaceRecord:
    return WorkspaceRecord(team_id=row.team_id, name=row.name, team_channel=row.team_channel,
                           default_tz=row.default_tz or "UTC", slots=dict(row.slots or {}), created_at=row.created_at,
                           celebrations=row.celebrations or "digest", holidays=row.holidays,
                           away_terms=row.away_terms)


def person_record(row: Person, workspace_slots: Mapping[str, str] | None) -> PersonRecord:
    return PersonRecord(
        id=row.id, team_id=row.team_id, user_id=row.user_id, display_name=row.display_name, slack_tz=row.slack_tz,
        tz_fetched_at=row.tz_fetched_at, tz_override=row.tz_override, track=row.track, focus=row.focus,
        nudges_enabled=bool(row.nudges_enabled), celebrate_publicly=bool(row.celebrate_publicly),
        active=bool(row.active), inactive_reason=row.inactive_reason, slots=dict(row.slots or {}),
        onboarded_at=row.onboarded_at, created_at=row.created_at, workspace_slots=dict(workspace_slots or {}),
        role=row.role, focus_mode=row.focus_mode or "auto", focus_review_week=row.focus_review_week,
        growth_invite_week=row.growth_invite_week, progress_picture=bool(row.progress_picture),
        status_text=row.status_text, status_emoji=row.status_emoji, status_expiration=row.status_expiration,
        away_detection=row.away_detection is not False, holidays=row.holidays)


def pause_record(row: Pause) -> PauseRecord:
    return PauseRecord(id=row.id, person_id=row.person_id, start=row.start, end=row.end,
                       resumed=row.resumed_at is not None)


def checkin_record(row: Checkin) -> CheckinRecord:
    return CheckinRecord(id=row.id, person_id=row.person_id, week=row.week, submitted_at=row.submitted_at,
                         ratings=row.ratings, learning_minutes=row.learning_minutes,
                         practices=tuple(row.practices or ()), reflection=row.reflection, energy=row.energy)


def assessment_record(row: Assessment) -> AssessmentRecord:
    return AssessmentRecord(id=row.id, person_id=row.person_id, taken_at=row.taken_at, track=row.track,
                            answers=dict(row.answers or {}))


def goal_record(row: Goal) -> GoalRecord:
    return GoalRecord(id=row.id, person_id=row.person_id, title=row.title, foundation=row.foundation,
                      measure=row.measure, target=row.target, current=row.current, progress=row.progress,
                      status=row.status, due=row.due, created_at=row.created_at, done_at=row.done_at)


def win_record(row: Win) -> WinRecord:
    return WinRecord(id=row.id, person_id=row.person_id, text=row.text, shared=bool(row.shared),
                     foundation=row.foundation, week=row.week, created_at=row.created_at, channel=row.channel,
                     message_ts=row.message_ts)


# practice together ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PairingPrefsRecord:
    person_id: int
    seeks: tuple[str, ...]  # pairing kinds, in the person's order
    offers: tuple[str, ...]
    note: str | None
    enabled: bool
    updated_at: datetime


@dataclass(frozen=True)
class PracticePairRecord:
    """One pair of a round, with both people's Slack ids and what each answered to "did you meet?"."""

    id: int
    team_id: str
    round: str
    seeker_id: int
    offerer_id: int
    seeker_user: str
    offerer_user: str
    kind: str
    note: str | None
    questions: tuple[str, ...]
    seeker_answer: str | None = None
    seeker_met_week: str | None = None
    seeker_self_note: str | None = None
    offerer_answer: str | None = None
    offerer_met_week: str | None = None
    offerer_self_note: str | None = None

    def side(self, person_id: int) -> str | None:
        """``seeker`` or ``offerer`` for a member of the pair, None for anyone else."""
        if person_id == self.seeker_id:
            return "seeker"
        return "offerer" if person_id == self.offerer_id else None

    def answer_of(self, person_id: int) -> str | None:
        return self.seeker_answer if self.side(person_id) == "seeker" else self.offerer_answer


@dataclass(frozen=True)
class LeftOutRecord:
    person_id: int
    user_id: str
    kinds: tuple[str, ...]
    waited: int


@dataclass(frozen=True)
class KudosRecord:
    id: int
    team_id: str
    giver_user: str
    recipient_user: str
    text: str
    shared: bool
    week: str
    created_at: datetime
    channel: str | None = None
    message_ts: str | None = None
