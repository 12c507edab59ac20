"""Queries about check-ins."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.db import chunks, insert_or_ignore
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

    Returns the row and whether it is new. Race-free: the insert gives way to a row another
    submission (a double click on Save) inserted first, and this one then updates that row.
    """
    values = {"submitted_at": submitted_at, "personality": ratings["personality"],
              "upskilling": ratings["upskilling"], "delegation": ratings["delegation"],
              "progress": ratings["progress"], "learning_minutes": learning_minutes,
              "practices": list(practices), "reflection": reflection, "energy": energy}
    inserted = session.execute(insert_or_ignore(session, Checkin, index_elements=["person_id", "week"]).values(
        person_id=person_id, week=week, **values).returning(Checkin.id))
    created = inserted.first() is not None
    if not created:
        session.execute(update(Checkin).where(Checkin.person_id == person_id, Checkin.week == week).values(**values)
                        .execution_options(synchronize_session=False))
    row = _row(session, person_id, week)
    if row is None:  # pragma: no cover - inserted or updated just now
        raise LookupError(f"check-in {week} of person {person_id} was neither inserted nor found")
    session.refresh(row)
    return checkin_record(row), created


def checkin_weeks(session: Session, person_id: int) -> list[str]:
    return list(session.scalars(select(Checkin.week).where(Checkin.person_id == person_id).order_by(Checkin.week)))


def recent_checkins(session: Session, person_id: int, limit: int = 4) -> list[CheckinRecord]:
    """The latest ``limit`` check-ins, oldest first."""
    rows = session.scalars(
        select(Checkin).where(Checkin.person_id == person_id).order_by(Checkin.week.desc()).limit(limit)
    ).all()
    return [checkin_record(row) for row in reversed(rows)]


def histories_of(session: Session, person_ids: Collection[int]) -> dict[int, list[tuple[str, dict[str, int]]]]:
    """(week, ratings) of every check-in of the given people, oldest first: one query per chunk of ids."""
    found: dict[int, list[tuple[str, dict[str, int]]]] = {person_id: [] for person_id in person_ids}
    for chunk in chunks(person_ids):
        rows = session.execute(select(Checkin.person_id, Checkin.week, Checkin.personality, Checkin.upskilling,
                                      Checkin.delegation, Checkin.progress)
                               .where(Checkin.person_id.in_(chunk)).order_by(Checkin.person_id, Checkin.week))
        for person_id, week, personality, upskilling, delegation, progress in rows:
            found[person_id].append((week, {"personality": personality, "upskilling": upskilling,
                                            "delegation": delegation, "progress": progress}))
    return found
