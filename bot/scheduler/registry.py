"""The job registry: every scheduled job, once, in the order ``lead-bot jobs list`` shows them.

A job is one :class:`Job` entry: its name (the ledger's item, the CLI's argument, the in-memory
scheduler job's id), whom it goes to (:class:`Audience`), its default slot, how ``/lead settings`` labels and
explains it, which ISO weeks it runs in, whom among the people due it wants, and the service
function that builds its message. Everything that lists jobs derives from :data:`JOBS`: the
sweeps, ``jobs list`` and ``jobs run``, the settings modal, the workspace's default nudge. Adding
a job is adding an entry (with its builder in a service and its message in a view).

The table is plain data: importing it starts nothing (no APScheduler, no Slack), so services
that need the jobs' facts (the settings, the workspace's nudge slot) read it too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from enum import Enum
from typing import Any, Final

from bot.coaching.pairing import is_pairing_week
from bot.coaching.schedule import Slot, effective_slot
from bot.coaching.weeks import week_monday
from bot.services import checkins, nudges, pairing, progress, review
from bot.services.context import BotContext


class Audience(Enum):
    PERSON = "person"  # a DM to each person, at their own local time
    TEAM = "team"  # a post in the team channel, at the workspace's time zone
    ROUND = "round"  # a DM to each person a workspace's round names, at the workspace's time zone


def every_week(_week: str) -> bool:
    return True


def first_monday_of_month(week: str) -> bool:
    """True for the ISO week that holds its month's first Monday (that Monday is day 1 to 7)."""
    return week_monday(week).day <= 7


def between_rounds(week: str) -> bool:
    """The odd ISO weeks: a week after each pairing round, when the pairs are asked whether they met."""
    return not is_pairing_week(week)


@dataclass(frozen=True)
class Job:
    name: str
    audience: Audience
    default_slot: Slot
    label: str  # how /lead settings names it
    # What it builds, from the service that knows: (ctx, person record, week, team data) for a
    # person, (ctx, team id, week) for a team; None means nothing to send this time.
    build: Callable[..., Any]
    hint: str | None = None  # what /lead settings says it sends (jobs people can move)
    # Which ISO weeks (``YYYY-Www``) it runs in: every week, even weeks, a month's first Monday, ...
    runs_in: Callable[[str], bool] = every_week
    # Who among the people due (person id, week) actually gets it, decided in bulk; None: all.
    wanted: Callable[[BotContext, Collection[tuple[int, str]]], set[int]] | None = None
    # Read once per sweep for every team with someone due, and handed to each person's build.
    team_data: Callable[[BotContext, Collection[str]], Mapping[str, Any]] | None = None
    prompt_kind: str | None = None  # the library prompt kind it sends, recorded once sent
    # A round job's people: (ctx, team id, week) -> [(person id, user id)]; its build then takes
    # (ctx, team id, week, person id).
    recipients: Callable[[BotContext, str, str], list[tuple[int, str]]] | None = None
    # Read once per chunk of people and handed to each person's build after the team data:
    # what would otherwise be a few queries per person (the check-in nudge's streak and focus).
    chunk_data: Callable[[BotContext, Collection[Any]], Mapping[int, Any]] | None = None

    def slot(self, person_slots: Mapping[str, str] | None, workspace_slots: Mapping[str, str] | None) -> Slot:
        """The slot in effect: the person's own, else the workspace's, else this job's default."""
        return effective_slot(self.name, person_slots, workspace_slots, self.default_slot)


CHECKIN_NUDGE: Final = Job(
    name="checkin-nudge", audience=Audience.PERSON, default_slot=Slot("mon", time(10, 0)),
    label="Check-in nudge", hint="A DM with a button to do your weekly check-in.",
    build=nudges.checkin_nudge, chunk_data=nudges.checkin_histories)
UPSKILLING_PROMPT: Final = Job(
    name="upskilling-prompt", audience=Audience.PERSON, default_slot=Slot("wed", time(10, 0)),
    label="Learning step", hint="One learning step for your focus.",
    build=nudges.upskilling_prompt, team_data=nudges.team_facts, prompt_kind=nudges.UPSKILLING)
CHECKIN_REMINDER: Final = Job(
    name="checkin-reminder", audience=Audience.PERSON, default_slot=Slot("thu", time(15, 0)),
    label="Check-in reminder", hint="Sent only when you haven't checked in yet that week.",
    build=nudges.checkin_reminder, wanted=checkins.without_checkin)
REFLECTION_PROMPT: Final = Job(
    name="reflection-prompt", audience=Audience.PERSON, default_slot=Slot("fri", time(15, 0)),
    label="Reflection question", hint="A question to look back on your week.",
    build=nudges.reflection_prompt, team_data=nudges.team_facts, prompt_kind=nudges.REFLECTION)
TEAM_DIGEST: Final = Job(
    name="team-digest", audience=Audience.TEAM, default_slot=Slot("fri", time(16, 0)),
    label="Team digest", build=nudges.team_digest)
PROGRESS_PICTURE: Final = Job(
    name="progress-picture", audience=Audience.PERSON, default_slot=Slot("mon", time(10, 0)),
    label="Monthly progress picture", hint="A picture of your last 12 weeks, in the week of each month's first "
                                           "Monday. The checkbox below turns it off.",
    build=progress.progress_picture, runs_in=first_monday_of_month, wanted=progress.picture_wanted)

FOCUS_REVIEW: Final = Job(
    name="focus-review", audience=Audience.PERSON, default_slot=Slot("mon", time(10, 30)),
    label="Focus review",
    hint="Every four weeks, once you have two check-ins in the last four: how each foundation moved, "
         "and a focus suggestion.",
    build=review.focus_review, wanted=review.focus_review_wanted)
GROWTH_REVIEW: Final = Job(
    name="growth-review", audience=Audience.PERSON, default_slot=Slot("tue", time(10, 0)),
    label="Growth review invitation",
    hint="Once your last self-assessment is 12 weeks old; repeated at most every four weeks until you take it.",
    build=review.growth_invite, wanted=review.growth_review_wanted)

PAIRING: Final = Job(
    name="pairing", audience=Audience.ROUND, default_slot=Slot("tue", time(11, 0)),
    label="Practice pairing", build=pairing.pairing_message, runs_in=is_pairing_week,
    recipients=pairing.round_members)
PAIRING_FOLLOWUP: Final = Job(
    name="pairing-followup", audience=Audience.ROUND, default_slot=Slot("tue", time(11, 0)),
    label="Practice pairing follow-up", build=pairing.followup_message,
    runs_in=between_rounds, recipients=pairing.followup_members)

JOBS: Final[tuple[Job, ...]] = (CHECKIN_NUDGE, UPSKILLING_PROMPT, CHECKIN_REMINDER, REFLECTION_PROMPT, TEAM_DIGEST,
                                FOCUS_REVIEW, PROGRESS_PICTURE, GROWTH_REVIEW, PAIRING, PAIRING_FOLLOWUP)
JOB_NAMES: Final[tuple[str, ...]] = tuple(job.name for job in JOBS)
PERSONAL_JOBS: Final[tuple[Job, ...]] = tuple(job for job in JOBS if job.audience is Audience.PERSON)
DEFAULT_SLOTS: Final[dict[str, Slot]] = {job.name: job.default_slot for job in JOBS}
_BY_NAME: Final[dict[str, Job]] = {job.name: job for job in JOBS}


@dataclass(frozen=True)
class MaintenanceJob:
    """A job that sends nothing: it keeps the database bounded (run by the leading process)."""

    name: str
    every: timedelta
    label: str


# Deletes processed request keys older than a week and finished deliveries older than five weeks,
# in chunks, and workspaces uninstalled longer ago than their grace period (bot/scheduler/runner.py: prune).
PRUNE: Final = MaintenanceJob(name="prune", every=timedelta(hours=1),
                              label="Prune old request keys, deliveries and uninstalled workspaces")
MAINTENANCE_JOBS: Final[tuple[MaintenanceJob, ...]] = (PRUNE,)


def job_named(name: str) -> Job:
    """The job called ``name``; ValueError naming the real ones otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"{name!r} is not a job; choose one of {', '.join(JOB_NAMES)}") from None
