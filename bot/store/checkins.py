"""Queries about check-ins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Checkin
from bot.store.records import CheckinRecord, checkin_record


def _row(session: Session, person_id: int, week: str) -> Checkin | None:
    return session.scalars(select(Checkin).where(Checkin.person_id == person_id, Checkin.week == week)).one_or_none()


def find_checkin(session: Session, person_id: int, week: str) -> CheckinRecord | None:
    row = _row(session, person_id, week)
    return None if row is None else checkin_record(row)


def upsert_checkin(
    session: Session,
    person_id: int,
    week: str,
    *,
    ratings: Mapping[str, int],
    learning_minutes: int,
    practices: Sequence[str],
    reflection: str | None,
    submitted_at: datetime,
    energy: str | None = None,
) -> tuple[CheckinRecord, bool]:
    """Store the week's check-in; a second one in the same week replaces the first.

    Returns the row and whether it is new. The unique (person, week) key backs this up if two
    submissions race.
    """
    checkin = _row(session, person_id, week)
    created = checkin is None
    if checkin is None:
        checkin = Checkin(person_id=person_id, week=week)
        session.add(checkin)
    checkin.submitted_at = submitted_at
    checkin.personality = ratings["personality"]
    checkin.upskilling = ratings["upskilling"]
    checkin.delegation = ratings["delegation"]
    checkin.progress = ratings["progress"]
    checkin.learning_minutes = learning_minutes
    checkin.practices = list(practices)
    checkin.reflection = reflection
    checkin.energy = energy
    session.flush()
    return checkin_record(checkin), created


def checkin_weeks(session: Session, person_id: int) -> list[str]:
    return list(session.scalars(select(Checkin.week).where(Checkin.person_id == person_id).order_by(Checkin.week)))


def recent_checkins(session: Session, person_id: int, limit: int = 4) -> list[CheckinRecord]:
    """The latest ``limit`` check-ins, oldest first."""
    rows = session.scalars(
        select(Checkin).where(Checkin.person_id == person_id).order_by(Checkin.week.desc()).limit(limit)
    ).all()
    return [checkin_record(row) for row in reversed(rows)]
