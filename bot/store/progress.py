"""Queries behind "growth you can see": a person's history, learning logs, the picture's audience, the digest.

Reads are bounded by the weeks a view shows (plus a few newest items), so a person with years of
history costs the same handful of small queries as one with a month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.coaching.weeks import week_monday
from bot.store import goals as goal_store
from bot.store.db import chunks
from bot.store.models import Checkin, Delivery, Goal, LearningLog, Pause, Person, PromptSend, Reflection, Win
from bot.store.records import (
    LearningRecord,
    ProgressHistory,
    ReflectionRecord,
    SharedWin,
    checkin_record,
    win_record,
)

MILESTONE_ITEM_PREFIX = "milestone-"  # the ledger item of a streak milestone: milestone-<weeks>
GATHERED = "digest"  # ledger status of a milestone gathered for the digest instead of posted
_LISTED = ("sent", GATHERED)


# a person's history ------------------------------------------------------------------------------
def progress_history(session: Session, person_id: int, since: str, *, latest_wins: int = 5,
                     latest_reflections: int = 3) -> ProgressHistory:
    """The person's check-ins, logged minutes and wins from week ``since`` on, plus their newest words."""
    first = session.scalars(select(Checkin).where(Checkin.person_id == person_id).order_by(Checkin.week)
                            .limit(1)).first()
    latest = session.scalars(select(Checkin).where(Checkin.person_id == person_id).order_by(Checkin.week.desc())
                             .limit(1)).first()
    checkins = session.scalars(select(Checkin).where(Checkin.person_id == person_id, Checkin.week >= since)
                               .order_by(Checkin.week)).all()
    total = session.scalar(select(func.count()).select_from(Checkin).where(Checkin.person_id == person_id)) or 0
    logged = dict(session.execute(
        select(LearningLog.week, func.sum(LearningLog.minutes))
        .where(LearningLog.person_id == person_id, LearningLog.week >= since).group_by(LearningLog.week)).all())
    wins = session.scalars(select(Win).where(Win.person_id == person_id, Win.week >= since)
                           .order_by(Win.created_at, Win.id)).all()
    newest_wins = session.scalars(select(Win).where(Win.person_id == person_id)
                                  .order_by(Win.created_at.desc(), Win.id.desc()).limit(latest_wins)).all()
    total_wins = session.scalar(select(func.count()).select_from(Win).where(Win.person_id == person_id)) or 0
    answers = session.scalars(select(Reflection).where(Reflection.person_id == person_id)
                              .order_by(Reflection.created_at.desc(), Reflection.id.desc())
                              .limit(latest_reflections)).all()
    reflected = session.scalars(select(Checkin).where(Checkin.person_id == person_id,
                                                      Checkin.reflection.is_not(None), Checkin.reflection != "")
                                .order_by(Checkin.week.desc()).limit(latest_reflections)).all()
    return ProgressHistory(
        first=checkin_record(first) if first is not None else None,
        latest=checkin_record(latest) if latest is not None else None,
        checkins=tuple(checkin_record(c) for c in checkins), total_checkins=total,
        logged={week: int(minutes or 0) for week, minutes in logged.items()},
        wins=tuple(win_record(w) for w in wins), latest_wins=tuple(win_record(w) for w in newest_wins),
        total_wins=total_wins,
        answers=tuple(ReflectionRecord(r.week, r.prompt_id, r.text, r.created_at) for r in answers),
        latest_reflections=tuple(checkin_record(c) for c in reflected),
        goals=tuple(goal_store.active_goals(session, person_id)))


def checkin_weeks_between(session: Session, person_ids: Collection[int], first: str, last: str
                          ) -> dict[int, set[str]]:
    """person id -> the weeks from ``first`` to ``last`` (inclusive) in which they checked in."""
    found: dict[int, set[str]] = defaultdict(set)
    for chunk in chunks(person_ids):
        rows = session.execute(select(Checkin.person_id, Checkin.week).where(
            Checkin.person_id.in_(chunk), Checkin.week >= first, Checkin.week <= last))
        for person_id, week in rows:
            found[person_id].add(week)
    return dict(found)


def picture_off(session: Session, person_ids: Collection[int]) -> set[int]:
    """The people among ``person_ids`` who turned the monthly progress picture off."""
    off: set[int] = set()
    for chunk in chunks(person_ids):
        off.update(session.scalars(select(Person.id).where(Person.id.in_(chunk), Person.progress_picture.is_(False))))
    return off


# "I did it" --------------------------------------------------------------------------------------
def send_week(session: Session, person_id: int, prompt_id: str) -> str | None:
    """The latest week ``prompt_id`` was sent to the person: the week its "I did it" counts in."""
    return session.scalar(select(func.max(PromptSend.week)).where(
        PromptSend.person_id == person_id, PromptSend.prompt_id == prompt_id))


def logged_step(session: Session, person_id: int, prompt_id: str, week: str) -> LearningRecord | None:
    """What the person logged for ``prompt_id`` in ``week``, if anything."""
    row = session.scalars(select(LearningLog).where(
        LearningLog.person_id == person_id, LearningLog.prompt_id == prompt_id, LearningLog.week == week)).first()
    return None if row is None else LearningRecord(row.week, row.prompt_id, row.minutes, row.created_at)


def log_step(session: Session, person_id: int, prompt_id: str, week: str, minutes: int, at: datetime
             ) -> tuple[LearningRecord, bool]:
    """Log ``minutes`` for the step; (the log, True) when this call stored it.

    Only one log per person, prompt and week: the unique key decides between racing clicks, so
    the loser gets (the winner's log, False) and nothing changes.
    """
    try:
        with session.begin_nested():
            session.add(LearningLog(person_id=person_id, week=week, prompt_id=prompt_id, minutes=minutes,
                                    created_at=at))
            session.flush()
        return LearningRecord(week, prompt_id, minutes, at), True
    except IntegrityError:
        existing = logged_step(session, person_id, prompt_id, week)
        if existing is None:  # pragma: no cover - the row that won the race cannot vanish in between
            raise
        return existing, False


def logged_minutes(session: Session, person_id: int, week: str) -> int:
    """Minutes the person logged with "I did it" in ``week``."""
    return int(session.scalar(select(func.coalesce(func.sum(LearningLog.minutes), 0)).where(
        LearningLog.person_id == person_id, LearningLog.week == week)) or 0)


def checkin_minutes(session: Session, person_id: int, week: str) -> int | None:
    """The minutes of the person's check-in for ``week``; None when there is no check-in."""
    return session.scalar(select(Checkin.learning_minutes).where(Checkin.person_id == person_id,
                                                                 Checkin.week == week))


# the team digest --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Participation:
    checked_in: int
    people: int  # active people, less those paused that week who did not check in anyway
    paused: int  # the people left out


def participation(session: Session, team_id: str, week: str) -> Participation:
    """Who checked in for ``week`` among the workspace's active people who were not paused.

    A person counts as paused when a pause touches the week (the streak rule's paused week) and
    they did not check in anyway: they were asked not to be nudged, so they are not missing.
    """
    people = session.scalars(select(Person.id).where(Person.team_id == team_id, Person.active.is_(True))).all()
    if not people:
        return Participation(0, 0, 0)
    monday = week_monday(week)
    sunday = monday + timedelta(days=6)
    done: set[int] = set()
    paused: set[int] = set()
    for chunk in chunks(people):
        done.update(session.scalars(select(Checkin.person_id).where(Checkin.person_id.in_(chunk),
                                                                    Checkin.week == week)))
        paused.update(session.scalars(select(Pause.person_id).where(Pause.person_id.in_(chunk),
                                                                    Pause.start <= sunday, Pause.end >= monday)))
    left_out = len(paused - done)
    return Participation(checked_in=len(done), people=len(people) - left_out, paused=left_out)


def shared_wins_between(session: Session, team_id: str, start: datetime, end: datetime) -> list[SharedWin]:
    """The wins people of ``team_id`` shared in ``start < created_at <= end``, oldest first."""
    rows = session.execute(
        select(Person.user_id, Win.text).join(Person, Person.id == Win.person_id)
        .where(Person.team_id == team_id, Win.shared.is_(True), Win.created_at > start, Win.created_at <= end)
        .order_by(Win.created_at, Win.id))
    return [SharedWin(user_id, text) for user_id, text in rows]


def goals_done_between(session: Session, team_id: str, start: datetime, end: datetime) -> list[tuple[str, str]]:
    """(user id, title) of goals finished in ``start < done_at <= end`` by people who celebrate publicly."""
    rows = session.execute(
        select(Person.user_id, Goal.title).join(Person, Person.id == Goal.person_id)
        .where(Person.team_id == team_id, Person.active.is_(True), Person.celebrate_publicly.is_(True),
               Goal.status == goal_store.DONE, Goal.done_at > start, Goal.done_at <= end)
        .order_by(Goal.done_at, Goal.id))
    return [(user_id, title) for user_id, title in rows]


def milestones_between(session: Session, team_id: str, start: datetime, end: datetime) -> list[tuple[str, int]]:
    """(user id, weeks) of streak milestones reached in ``start < at <= end``, posted or gathered.

    A milestone is claimed in the delivery ledger when it is reached (``celebrations.py``); that
    claim is the record read here, so each one is listed once whichever way it was celebrated.
    """
    rows = session.execute(
        select(Delivery.recipient, Delivery.item).join(
            Person, (Person.team_id == Delivery.team_id) & (Person.user_id == Delivery.recipient))
        .where(Delivery.team_id == team_id, Delivery.item.like(f"{MILESTONE_ITEM_PREFIX}%"),
               Delivery.status.in_(_LISTED), Delivery.claimed_at > start, Delivery.claimed_at <= end,
               Person.active.is_(True), Person.celebrate_publicly.is_(True))
        .order_by(Delivery.claimed_at, Delivery.id))
    found = []
    for user_id, item in rows:
        weeks = item[len(MILESTONE_ITEM_PREFIX):]
        if weeks.isdigit():
            found.append((user_id, int(weeks)))
    return found
