"""Queries the scheduled sweeps need: who may get a nudge, what is already done, the week's news.

Every query here is a bulk one: a sweep asks once for everybody, not once per person, so a big
workspace costs a handful of queries per sweep rather than thousands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.store.db import chunks
from bot.store.models import Checkin, Delivery, Pause, Person, Win, Workspace
from bot.store.records import (
    PersonRecord,
    SharedWin,
    StreakHistory,
    WorkspaceRecord,
    person_record,
    workspace_record,
)

DONE_STATUSES = ("sent", "skipped")


def eligible_people(session: Session) -> list[PersonRecord]:
    """Everybody who may receive personal nudges: known, active, nudges on, in a workspace that has
    not uninstalled the app (pauses checked later).

    Pauses depend on each person's local date at the sweep's moment, so they are filtered by the
    caller with :func:`pauses_of`.
    """
    rows = session.execute(
        select(Person, Workspace.slots)
        .join(Workspace, Workspace.team_id == Person.team_id)
        .where(Person.active.is_(True), Person.nudges_enabled.is_(True), Workspace.uninstalled_at.is_(None))
        .order_by(Person.id)
    )
    return [person_record(person, workspace_slots) for person, workspace_slots in rows]


def pauses_of(session: Session, person_ids: Collection[int]) -> dict[int, list[tuple[date, date]]]:
    """Every pause of the given people, as inclusive (start, end) local dates."""
    if not person_ids:
        return {}
    found: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for chunk in chunks(person_ids):
        for person_id, start, end in session.execute(
                select(Pause.person_id, Pause.start, Pause.end).where(Pause.person_id.in_(chunk))):
            found[person_id].append((start, end))
    return dict(found)


def finished_keys(session: Session, item: str, weeks: Collection[str]) -> set[tuple[str, str, str]]:
    """(team, recipient, week) of ``item`` deliveries already sent or skipped in ``weeks``.

    Lets a sweep leave finished people alone without a claim attempt each: the claim stays the
    real guard, this only saves work.
    """
    if not weeks:
        return set()
    rows = session.execute(select(Delivery.team_id, Delivery.recipient, Delivery.week).where(
        Delivery.item == item, Delivery.week.in_(list(weeks)), Delivery.status.in_(DONE_STATUSES)))
    return {(team_id, recipient_id, week) for team_id, recipient_id, week in rows}


def checked_in(session: Session, wanted: Iterable[tuple[int, str]]) -> set[int]:
    """The people among ``wanted`` (person id, week) who have a check-in for that week."""
    pairs = set(wanted)
    if not pairs:
        return set()
    ids = {person_id for person_id, _ in pairs}
    weeks = {week for _, week in pairs}
    found: set[int] = set()
    for chunk in chunks(ids):
        rows = session.execute(select(Checkin.person_id, Checkin.week).where(
            Checkin.person_id.in_(chunk), Checkin.week.in_(list(weeks))))
        found.update(person_id for person_id, week in rows if (person_id, week) in pairs)
    return found


def mark_gone(session: Session, person_id: int, reason: str) -> None:
    """Slack says the person cannot be reached any more: stop sweeping them."""
    session.execute(update(Person).where(Person.id == person_id)
                    .values(active=False, inactive_reason=reason[:64])
                    .execution_options(synchronize_session=False))


# the team digest -------------------------------------------------------------------------------
def teams(session: Session) -> list[WorkspaceRecord]:
    """Every installed workspace with at least one active person (a digest for nobody is noise)."""
    active = select(Person.team_id).where(Person.active.is_(True)).distinct()
    rows = session.scalars(select(Workspace).where(Workspace.team_id.in_(active), Workspace.uninstalled_at.is_(None))
                           .order_by(Workspace.team_id))
    return [workspace_record(w) for w in rows]


def any_team(session: Session) -> list[WorkspaceRecord]:
    """The oldest workspace, even with nobody active yet: its time zone shapes the defaults."""
    workspace = session.scalars(select(Workspace).order_by(Workspace.created_at).limit(1)).first()
    return [workspace_record(workspace)] if workspace else []


def shared_wins(session: Session, team_id: str, week: str) -> list[SharedWin]:
    """The wins people of ``team_id`` chose to share, filed under ``week``, oldest first."""
    rows = session.execute(
        select(Person.user_id, Win.text).join(Person, Person.id == Win.person_id)
        .where(Person.team_id == team_id, Win.week == week, Win.shared.is_(True))
        .order_by(Win.created_at, Win.id))
    return [SharedWin(user_id, text) for user_id, text in rows]


def people_count(session: Session, team_id: str) -> int:
    """How many active people the bot knows in the workspace."""
    return session.scalar(select(func.count()).select_from(Person).where(
        Person.team_id == team_id, Person.active.is_(True))) or 0


def checked_in_count(session: Session, team_id: str, week: str) -> int:
    """How many active people of the workspace have a check-in for ``week``."""
    return session.scalar(
        select(func.count(func.distinct(Checkin.person_id))).join(Person, Person.id == Checkin.person_id)
        .where(Person.team_id == team_id, Person.active.is_(True), Checkin.week == week)) or 0


def public_streak_histories(session: Session, team_id: str, week: str) -> list[StreakHistory]:
    """Check-in weeks and pauses of the people who checked in in ``week`` and celebrate publicly."""
    people = session.execute(
        select(Person.id, Person.user_id).join(Checkin, Checkin.person_id == Person.id)
        .where(Person.team_id == team_id, Person.active.is_(True), Person.celebrate_publicly.is_(True),
               Checkin.week == week).order_by(Person.user_id)).all()
    ids = [person_id for person_id, _ in people]
    weeks: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids):
        for person_id, checkin_week in session.execute(
                select(Checkin.person_id, Checkin.week).where(Checkin.person_id.in_(chunk)).order_by(Checkin.week)):
            weeks[person_id].append(checkin_week)
    pauses = pauses_of(session, ids)
    return [StreakHistory(user_id, weeks[person_id], pauses.get(person_id, [])) for person_id, user_id in people]

