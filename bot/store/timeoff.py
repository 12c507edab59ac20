"""Time off: each person's Slack status as events report it, and the stretches it said "away".

The status is written only from ``user_change`` events; sweeps read it in bulk and never ask
Slack. ``status_updated`` (Slack's ``updated`` epoch) makes an older event arriving after a newer
one a no-op, whatever order Slack delivers them in.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot import limits
from bot.store.db import affected, chunks
from bot.store.models import AwayPeriod, Person, Workspace
from bot.store.records import AwayPeriodRecord, PersonRecord, person_record


def record_status(session: Session, person_id: int, *, text: str | None, emoji: str | None,
                  expiration: int | None, updated: int | None) -> bool:
    """Store the person's status; False (nothing written) when a newer event was stored already."""
    statement = update(Person).where(Person.id == person_id)
    if updated is not None:
        statement = statement.where(or_(Person.status_updated.is_(None), Person.status_updated <= updated))
    result = session.execute(
        statement
        .values(status_text=(text or None) and text[:limits.STATUS_TEXT],
                status_emoji=(emoji or None) and emoji[:limits.STATUS_EMOJI],
                status_expiration=expiration or None, status_updated=updated)
        .execution_options(synchronize_session=False))
    return affected(result) == 1


def _open_period(session: Session, person_id: int, now: datetime) -> AwayPeriod | None:
    return session.scalars(select(AwayPeriod).where(
        AwayPeriod.person_id == person_id, AwayPeriod.started_at <= now,
        or_(AwayPeriod.ended_at.is_(None), AwayPeriod.ended_at > now)
    ).order_by(AwayPeriod.started_at.desc()).limit(1)).first()


def set_away(session: Session, person_id: int, now: datetime, until: datetime | None) -> None:
    """The person is away from ``now`` until ``until`` (None: until a later event says otherwise).

    An away stretch already running is extended or shortened rather than a second one opened.
    """
    row = _open_period(session, person_id, now)
    if row is None:
        session.add(AwayPeriod(person_id=person_id, started_at=now, ended_at=until))
    else:
        row.ended_at = until
    session.flush()


def end_away(session: Session, person_id: int, now: datetime) -> None:
    """The person is back at ``now``: the stretch running then, if any, ends."""
    row = _open_period(session, person_id, now)
    if row is not None:
        row.ended_at = now
        session.flush()


def away_periods(session: Session, person_id: int) -> list[AwayPeriodRecord]:
    """Every away stretch of the person, oldest first."""
    rows = session.execute(select(AwayPeriod.started_at, AwayPeriod.ended_at)
                           .where(AwayPeriod.person_id == person_id).order_by(AwayPeriod.started_at))
    return [AwayPeriodRecord(started_at, ended_at) for started_at, ended_at in rows]


def away_periods_of(session: Session, person_ids: Collection[int]) -> dict[int, list[AwayPeriodRecord]]:
    """The away stretches of many people at once (``/lead team``), oldest first."""
    found: dict[int, list[AwayPeriodRecord]] = {}
    for chunk in chunks(person_ids):
        for person_id, started_at, ended_at in session.execute(
                select(AwayPeriod.person_id, AwayPeriod.started_at, AwayPeriod.ended_at)
                .where(AwayPeriod.person_id.in_(chunk)).order_by(AwayPeriod.started_at)):
            found.setdefault(person_id, []).append(AwayPeriodRecord(started_at, ended_at))
    return found


def workspace_rules(session: Session, team_ids: Collection[str]) -> dict[str, tuple[str | None, str | None]]:
    """team id -> (holiday calendar, admin's away terms) for the given workspaces: one query per sweep."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for chunk in chunks(team_ids):
        for team_id, holidays, terms in session.execute(
                select(Workspace.team_id, Workspace.holidays, Workspace.away_terms)
                .where(Workspace.team_id.in_(chunk))):
            found[team_id] = (holidays, terms)
    return found


def people_by_id(session: Session, person_ids: Collection[int]) -> list[PersonRecord]:
    """The records of the given people (without their workspace's slots, which time off never needs)."""
    found: list[PersonRecord] = []
    for chunk in chunks(person_ids):
        found += [person_record(row, None) for row in session.scalars(select(Person).where(Person.id.in_(chunk)))]
    return found
