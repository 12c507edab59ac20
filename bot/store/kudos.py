"""Kudos: thanks from one person to another, and the counts the team figures need."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from bot.store.db import affected, chunks
from bot.store.models import Kudos, Person
from bot.store.records import KudosRecord


def _kudos() -> Select[Kudos, str]:
    return select(Kudos, Person.user_id).join(Person, Person.id == Kudos.giver_id)


def _record(found: Any) -> KudosRecord:
    row, giver_user = found
    return KudosRecord(id=row.id, team_id=row.team_id, giver_user=giver_user, recipient_user=row.recipient_user,
                       text=row.text, shared=bool(row.shared), week=row.week, created_at=row.created_at,
                       channel=row.channel, message_ts=row.message_ts)


def add_kudos(session: Session, team_id: str, giver_id: int, recipient_user: str, text: str, *, shared: bool,
              week: str, created_at: datetime) -> KudosRecord:
    row = Kudos(team_id=team_id, giver_id=giver_id, recipient_user=recipient_user, text=text, shared=shared, week=week,
                created_at=created_at)
    session.add(row)
    session.flush()
    found = session.execute(_kudos().where(Kudos.id == row.id)).one()
    return _record(found)


def find_kudos(session: Session, kudos_id: int) -> KudosRecord | None:
    found = session.execute(_kudos().where(Kudos.id == kudos_id)).one_or_none()
    return None if found is None else _record(found)


def mark_shared(session: Session, kudos_id: int, channel: str | None = None, message_ts: str | None = None) -> None:
    row = session.get(Kudos, kudos_id)
    if row is not None:
        row.shared = True
        row.channel, row.message_ts = channel or row.channel, message_ts or row.message_ts


def received(session: Session, team_id: str, user_id: str, limit: int | None = None) -> list[KudosRecord]:
    """Kudos the person received, newest first (``limit`` of them, or all)."""
    query = _kudos().where(Kudos.team_id == team_id, Kudos.recipient_user == user_id).order_by(
        Kudos.created_at.desc(), Kudos.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_record(row) for row in session.execute(query)]


def of_person(session: Session, person_id: int, team_id: str, user_id: str) -> list[KudosRecord]:
    """Kudos the person gave or received, oldest first (the export splits them)."""
    query = _kudos().where(or_(Kudos.giver_id == person_id,
                               and_(Kudos.team_id == team_id, Kudos.recipient_user == user_id))).order_by(
        Kudos.created_at, Kudos.id)
    return [_record(row) for row in session.execute(query)]


def delete_received(session: Session, team_id: str, user_id: str) -> int:
    """Forget the kudos a person received (those they gave go with their person row)."""
    result = session.execute(delete(Kudos).where(Kudos.team_id == team_id, Kudos.recipient_user == user_id)
                             .execution_options(synchronize_session=False))
    return affected(result)


def shared_between(session: Session, team_id: str, start: datetime, end: datetime) -> list[KudosRecord]:
    """Kudos the giver chose to show the team, given in (start, end], oldest first: the digest's."""
    query = _kudos().where(Kudos.team_id == team_id, Kudos.shared.is_(True), Kudos.created_at > start,
                           Kudos.created_at <= end).order_by(Kudos.created_at, Kudos.id)
    return [_record(row) for row in session.execute(query)]


def per_week(session: Session, person_ids: Sequence[int], weeks: Sequence[str]) -> dict[str, int]:
    """How many kudos ``person_ids`` gave, per week (a count only: no names, no words)."""
    counts = dict.fromkeys(weeks, 0)
    for chunk in chunks(person_ids):
        rows = session.execute(select(Kudos.week, func.count()).where(
            Kudos.giver_id.in_(chunk), Kudos.week.in_(list(weeks))).group_by(Kudos.week))
        for week, count in rows:
            counts[week] += int(count)
    return counts
