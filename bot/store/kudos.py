"""Kudos: thanks from one person to another, and the counts the team figures need."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from bot.store.db import chunks
from bot.store.models import Kudos, Person
from bot.store.records import KudosRecord


def _kudos() -> Select[tuple[Kudos, str, str]]:
    giver, recipient = aliased(Person), aliased(Person)
    return (select(Kudos, giver.user_id, recipient.user_id)
            .join(giver, giver.id == Kudos.giver_id).join(recipient, recipient.id == Kudos.recipient_id))


def _record(row: Kudos, giver_user: str, recipient_user: str) -> KudosRecord:
    return KudosRecord(id=row.id, team_id=row.team_id, giver_user=giver_user, recipient_user=recipient_user,
                       text=row.text, shared=bool(row.shared), week=row.week, created_at=row.created_at,
                       channel=row.channel, message_ts=row.message_ts)


def add_kudos(session: Session, team_id: str, giver_id: int, recipient_id: int, text: str, *, shared: bool,
              week: str, created_at: datetime) -> KudosRecord:
    row = Kudos(team_id=team_id, giver_id=giver_id, recipient_id=recipient_id, text=text, shared=shared, week=week,
                created_at=created_at)
    session.add(row)
    session.flush()
    found = session.execute(_kudos().where(Kudos.id == row.id)).one()
    return _record(*found)


def mark_posted(session: Session, kudos_id: int, channel: str, message_ts: str) -> None:
    row = session.get(Kudos, kudos_id)
    if row is not None:
        row.channel, row.message_ts = channel, message_ts


def received(session: Session, person_id: int, limit: int | None = None) -> list[KudosRecord]:
    """Kudos the person received, newest first (``limit`` of them, or all)."""
    query = _kudos().where(Kudos.recipient_id == person_id).order_by(Kudos.created_at.desc(), Kudos.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_record(*row) for row in session.execute(query)]


def of_person(session: Session, person_id: int) -> list[KudosRecord]:
    """Kudos the person gave or received, oldest first (the export splits them)."""
    query = _kudos().where(or_(Kudos.giver_id == person_id, Kudos.recipient_id == person_id)).order_by(
        Kudos.created_at, Kudos.id)
    return [_record(*row) for row in session.execute(query)]


def shared_between(session: Session, team_id: str, start: datetime, end: datetime) -> list[KudosRecord]:
    """Kudos the giver chose to show the team, given in (start, end], oldest first: the digest's."""
    query = _kudos().where(Kudos.team_id == team_id, Kudos.shared.is_(True), Kudos.created_at > start,
                           Kudos.created_at <= end).order_by(Kudos.created_at, Kudos.id)
    return [_record(*row) for row in session.execute(query)]


def per_week(session: Session, person_ids: Sequence[int], weeks: Sequence[str]) -> dict[str, int]:
    """How many kudos ``person_ids`` gave, per week (a count only: no names, no words)."""
    counts = dict.fromkeys(weeks, 0)
    for chunk in chunks(person_ids):
        rows = session.execute(select(Kudos.week, func.count()).where(
            Kudos.giver_id.in_(chunk), Kudos.week.in_(list(weeks))).group_by(Kudos.week))
        for week, count in rows:
            counts[week] += int(count)
    return counts
