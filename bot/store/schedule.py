"""Queries the scheduled sweeps need: who may get a nudge, what is already done, the week's news.

Every query here is a bulk one: a sweep asks once for everybody, not once per person, so a big
workspace costs a handful of queries per sweep rather than thousands.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Text, and_, case, cast, func, select, update
from sqlalchemy.orm import Session

from bot.store.db import chunks
from bot.store.ledger import DONE_STATUSES
from bot.store.models import Checkin, Delivery, Pause, Person, Win, Workspace
from bot.store.records import (
    PersonRecord,
    SharedWin,
    WorkspaceRecord,
    person_record,
    workspace_record,
)


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


# sweeps by the chunk ---------------------------------------------------------------------------
def _zone_of_person() -> Any:
    """The zone a person lives by, in SQL, as :attr:`PersonRecord.timezone` reads it."""
    return func.coalesce(func.nullif(Person.tz_override, ""), func.nullif(Person.slack_tz, ""), "UTC")


def _eligible() -> tuple[Any, ...]:
    """Who may get scheduled messages (the query joins Workspace): an uninstalled workspace's people never."""
    return (Person.active.is_(True), Person.nudges_enabled.is_(True), Workspace.uninstalled_at.is_(None))


@dataclass(frozen=True)
class SlotGroup:
    """People of one zone whose personal and workspace slot overrides read the same (as stored text)."""

    zone: str
    person_slots: str | None
    workspace_slots: str | None

    def slots(self) -> tuple[dict[str, str], dict[str, str]]:
        return _slots(self.person_slots), _slots(self.workspace_slots)


def _slots(raw: str | None) -> dict[str, str]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str)} if isinstance(value, dict) else {}


def slot_groups(session: Session) -> list[SlotGroup]:
    """Every distinct (zone, slot overrides) among people who may get nudges: one grouped query.

    Whatever the number of people, the answer is about as long as the list of zones in use, so a
    sweep that finds nobody due costs this one statement.
    """
    rows = session.execute(
        select(_zone_of_person().label("zone"), cast(Person.slots, Text).label("person_slots"),
               cast(Workspace.slots, Text).label("workspace_slots"))
        .join(Workspace, Workspace.team_id == Person.team_id).where(*_eligible()).distinct())
    return [SlotGroup(zone_name, person_slots, workspace_slots) for zone_name, person_slots, workspace_slots in rows]


@dataclass(frozen=True)
class DueSelection:
    """A group due now: the week due and the local date that decides pauses."""

    group: SlotGroup
    week: str
    today: date


@dataclass(frozen=True)
class DuePerson:
    id: int
    team_id: str
    user_id: str
    week: str


def people_id_range(session: Session) -> tuple[int, int]:
    """The smallest and largest person id (0, 0 with nobody): the span a sweep walks in windows."""
    low, high = session.execute(select(func.min(Person.id), func.max(Person.id))).one()
    return int(low or 0), int(high or 0)


def due_people(session: Session, item: str, selections: list[DueSelection], *, after_id: int,
               upto_id: int) -> list[DuePerson]:
    """The people with ids in (``after_id``, ``upto_id``] due for ``item``: in a due group, not
    paused on their local date, and without a finished delivery of that week. Only the columns a
    sender needs. A window of ids, not a LIMIT: however the database plans the conditions, it
    reads at most that window's people."""
    if not selections:
        return []
    finished = select(Delivery.id).where(Delivery.team_id == Person.team_id, Delivery.recipient == Person.user_id,
                                         Delivery.item == item, Delivery.status.in_(DONE_STATUSES))
    paused = select(Pause.id).where(Pause.person_id == Person.id)
    zone_name, person_slots, workspace_slots = _zone_of_person(), cast(Person.slots, Text), cast(Workspace.slots, Text)
    whens = []
    for index, due in enumerate(selections):
        whens.append((and_(zone_name == due.group.zone, _same(person_slots, due.group.person_slots),
                           _same(workspace_slots, due.group.workspace_slots),
                           ~finished.where(Delivery.week == due.week).exists(),
                           ~paused.where(Pause.start <= due.today, Pause.end >= due.today).exists()), index))
    which = case(*whens, else_=None)
    rows = session.execute(
        select(Person.id, Person.team_id, Person.user_id, which.label("due_group"))
        .join(Workspace, Workspace.team_id == Person.team_id)
        .where(*_eligible(), Person.id > after_id, Person.id <= upto_id, which.is_not(None))
        .order_by(Person.id))
    return [DuePerson(person_id, team_id, user_id, selections[index].week)
            for person_id, team_id, user_id, index in rows]


def _same(column: Any, value: str | None) -> Any:
    return column.is_(None) if value is None else column == value


def people_by_keys(session: Session, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], PersonRecord]:
    """The people (with their workspace's slots) for (team, user) keys, in one query per team and chunk.

    ``team_id = … AND user_id IN (…)`` rather than a row-value ``IN``: PostgreSQL plans the
    latter as a scan of every person, this one as lookups in the user id index.
    """
    users: dict[str, list[str]] = defaultdict(list)
    for team_id, user_id in keys:
        users[team_id].append(user_id)
    found: dict[tuple[str, str], PersonRecord] = {}
    for team_id, user_ids in users.items():
        for chunk in chunks(user_ids):
            rows = session.execute(select(Person, Workspace.slots).join(Workspace, Workspace.team_id == Person.team_id)
                                   .where(Person.team_id == team_id, Person.user_id.in_(chunk)))
            for person, workspace_slots in rows:
                found[(person.team_id, person.user_id)] = person_record(person, workspace_slots)
    return found


def mark_gone_many(session: Session, gone: dict[int, str]) -> None:
    """Several people Slack says are gone, in one statement per distinct reason."""
    by_reason: dict[str, list[int]] = defaultdict(list)
    for person_id, reason in gone.items():
        by_reason[reason[:64]].append(person_id)
    for reason, ids in by_reason.items():
        session.execute(update(Person).where(Person.id.in_(ids)).values(active=False, inactive_reason=reason)
                        .execution_options(synchronize_session=False))
