"""Queries the reviews need: every self-assessment, and what the focus and growth reviews read in bulk.

A self-assessment is never changed once stored: ``/lead start`` and ``/lead review`` each add one,
so the growth review can always compare with the one before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.db import chunks
from bot.store.models import Assessment, Checkin, Person
from bot.store.records import AssessmentRecord, assessment_record


# self-assessments -----------------------------------------------------------------------------------
def add_assessment(session: Session, person_id: int, *, answers: Mapping[str, Any], track: str | None,
                   taken_at: datetime) -> AssessmentRecord:
    row = Assessment(person_id=person_id, answers=dict(answers), track=track, taken_at=taken_at)
    session.add(row)
    session.flush()
    return assessment_record(row)


def assessments(session: Session, person_id: int) -> list[AssessmentRecord]:
    """Every assessment of the person, oldest first."""
    rows = session.scalars(select(Assessment).where(Assessment.person_id == person_id)
                           .order_by(Assessment.taken_at, Assessment.id))
    return [assessment_record(row) for row in rows]


def latest_assessment(session: Session, person_id: int) -> AssessmentRecord | None:
    row = session.scalars(select(Assessment).where(Assessment.person_id == person_id)
                          .order_by(Assessment.taken_at.desc(), Assessment.id.desc()).limit(1)).first()
    return None if row is None else assessment_record(row)


def latest_assessment_times(session: Session, person_ids: Collection[int]) -> dict[int, datetime]:
    """person id -> when their latest assessment was taken (people without one are absent)."""
    found: dict[int, datetime] = {}
    for chunk in chunks(person_ids):
        rows = session.execute(select(Assessment.person_id, func.max(Assessment.taken_at))
                               .where(Assessment.person_id.in_(chunk)).group_by(Assessment.person_id))
        found.update({person_id: taken_at for person_id, taken_at in rows if taken_at is not None})
    return found


# what the reviews read ----------------------------------------------------------------------------
def checkin_weeks_among(session: Session, person_ids: Collection[int], weeks: Collection[str]
                        ) -> dict[int, set[str]]:
    """person id -> the weeks among ``weeks`` in which they checked in."""
    found: dict[int, set[str]] = defaultdict(set)
    if not weeks:
        return {}
    for chunk in chunks(person_ids):
        rows = session.execute(select(Checkin.person_id, Checkin.week).where(
            Checkin.person_id.in_(chunk), Checkin.week.in_(list(weeks))))
        for person_id, week in rows:
            found[person_id].add(week)
    return dict(found)


def review_marks(session: Session, person_ids: Collection[int]) -> dict[int, tuple[str | None, str | None]]:
    """person id -> (week of the last focus review, week of the last growth-review invitation)."""
    found: dict[int, tuple[str | None, str | None]] = {}
    for chunk in chunks(person_ids):
        rows = session.execute(select(Person.id, Person.focus_review_week, Person.growth_invite_week)
                               .where(Person.id.in_(chunk)))
        found.update({person_id: (focus, growth) for person_id, focus, growth in rows})
    return found


def zones_of(session: Session, person_ids: Collection[int]) -> dict[int, str]:
    """person id -> the time zone they live by (their override, else Slack's, else UTC)."""
    found: dict[int, str] = {}
    for chunk in chunks(person_ids):
        rows = session.execute(select(Person.id, Person.tz_override, Person.slack_tz).where(Person.id.in_(chunk)))
        found.update({person_id: override or slack or "UTC" for person_id, override, slack in rows})
    return found


def ratings_by_week(session: Session, person_id: int, weeks: Collection[str]) -> dict[str, dict[str, int]]:
    """week -> the ratings of the person's check-in that week, for the weeks among ``weeks``."""
    rows = session.scalars(select(Checkin).where(Checkin.person_id == person_id, Checkin.week.in_(list(weeks))))
    return {row.week: row.ratings for row in rows}


def energy_since(session: Session, person_id: int, first_week: str) -> dict[str, str | None]:
    """week -> the energy answer of each check-in from ``first_week`` on (None where it was skipped)."""
    rows = session.execute(select(Checkin.week, Checkin.energy).where(
        Checkin.person_id == person_id, Checkin.week >= first_week))
    return {week: energy for week, energy in rows}


def latest_answers_of(session: Session, person_ids: Collection[int]) -> dict[int, dict[str, Any]]:
    """person id -> the answers of their latest self-assessment (people without one are absent)."""
    found: dict[int, dict[str, Any]] = {}
    for chunk in chunks(person_ids):
        rows = session.execute(select(Assessment.person_id, Assessment.answers).where(Assessment.person_id.in_(chunk))
                               .order_by(Assessment.person_id, Assessment.taken_at, Assessment.id))
        found.update({person_id: dict(answers or {}) for person_id, answers in rows})
    return found
