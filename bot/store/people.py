"""Queries about workspaces and people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import Pause, Person, Workspace


def get_or_create_workspace(session: Session, team_id: str, now: datetime) -> Workspace:
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        workspace = Workspace(team_id=team_id, created_at=now, slots={}, default_tz="UTC")
        session.add(workspace)
        session.flush()
    return workspace


def find_person(session: Session, team_id: str, user_id: str) -> Person | None:
    return session.scalars(select(Person).where(Person.team_id == team_id, Person.user_id == user_id)).one_or_none()


def find_person_anywhere(session: Session, user_id: str) -> Person | None:
    """The person with ``user_id`` in any workspace (user IDs are unique across Slack)."""
    return session.scalars(select(Person).where(Person.user_id == user_id).order_by(Person.id)).first()


def get_or_create_person(session: Session, team_id: str, user_id: str, now: datetime) -> Person:
    person = find_person(session, team_id, user_id)
    if person is None:
        get_or_create_workspace(session, team_id, now)
        person = Person(team_id=team_id, user_id=user_id, created_at=now, slots={}, assessment={},
                        nudges_enabled=True, celebrate_publicly=True, active=True)
        session.add(person)
        session.flush()
    return person


def pause_ranges(session: Session, person_id: int) -> list[tuple[date, date]]:
    rows = session.execute(select(Pause.start, Pause.end).where(Pause.person_id == person_id).order_by(Pause.start))
    return [(start, end) for start, end in rows]


def active_pause(session: Session, person_id: int, today: date) -> Pause | None:
    """The pause that covers ``today`` or starts later, if any (there is at most one)."""
    return session.scalars(
        select(Pause).where(Pause.person_id == person_id, Pause.end >= today).order_by(Pause.start)
    ).first()


def set_pause(session: Session, person_id: int, pause: Pause | None, start: date | None, end: date | None) -> None:
    """Create, move or drop a pause: ``start``/``end`` None drops ``pause``."""
    if start is None or end is None:
        if pause is not None:
            session.delete(pause)
        return
    if pause is None:
        session.add(Pause(person_id=person_id, start=start, end=end))
    else:
        pause.start, pause.end = start, end


def delete_person(session: Session, person: Person) -> None:
    """Delete the person and everything hanging off them (rows cascade in the database too)."""
    session.execute(delete(Person).where(Person.id == person.id))
