"""Queries about workspaces and people, and every change to them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from bot.store.db import insert_or_ignore, upsert
from bot.store.models import Checkin, Goal, LearningLog, Pause, Person, PromptFeedback, Reflection, Win, Workspace
from bot.store.records import (
    FeedbackRecord,
    LearningRecord,
    PauseRecord,
    PersonData,
    PersonRecord,
    ReflectionRecord,
    WorkspaceRecord,
    checkin_record,
    goal_record,
    pause_record,
    person_record,
    win_record,
    workspace_record,
)

# What may change after a row is created (ids, owners and creation times never do).
_WORKSPACE_FIELDS = frozenset({"name", "team_channel", "default_tz", "slots", "celebrations", "holidays",
                               "away_terms"})
_PERSON_FIELDS = frozenset({"display_name", "slack_tz", "tz_fetched_at", "tz_override", "track", "focus",
                            "nudges_enabled", "celebrate_publicly", "active", "inactive_reason", "slots",
                            "onboarded_at", "role", "focus_mode", "focus_review_week", "growth_invite_week",
                            "progress_picture", "away_detection", "holidays"})


# What a person's row starts with; a person not stored yet is shown as these (:func:`newcomer`).
_NEW_PERSON: dict[str, Any] = {"slots": {}, "nudges_enabled": True, "celebrate_publicly": True, "active": True,
                               "focus_mode": "auto", "progress_picture": True}
_NEW_WORKSPACE: dict[str, str] = {"default_tz": "UTC", "celebrations": "digest"}
# The one person id no row has: what a newcomer's record carries until their row exists.
NOT_STORED = 0


# workspaces ------------------------------------------------------------------------------------------
def _workspace_row(session: Session, team_id: str, now: datetime) -> Workspace:
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        # First contact from a workspace often comes as many requests at once: an upsert, so
        # every one of them succeeds and one row is created.
        _require_id(team_id, "team")
        session.execute(insert_or_ignore(session, Workspace, index_elements=["team_id"]).values(
            team_id=team_id, created_at=now, slots={}, **_NEW_WORKSPACE))
        workspace = session.get_one(Workspace, team_id)
    return workspace


def find_workspace(session: Session, team_id: str) -> WorkspaceRecord | None:
    """The workspace, or None before its first contact; never creates it (``lead-bot doctor`` only looks)."""
    workspace = session.get(Workspace, team_id)
    return workspace_record(workspace) if workspace is not None else None


def workspace_as_seen(session: Session, team_id: str, now: datetime) -> WorkspaceRecord:
    """The workspace as stored, or as it will start when its first row is written; read only."""
    return find_workspace(session, team_id) or WorkspaceRecord(
        team_id=team_id, name=None, team_channel=None, default_tz=_NEW_WORKSPACE["default_tz"], slots={},
        created_at=now, celebrations=_NEW_WORKSPACE["celebrations"])


def get_or_create_workspace(session: Session, team_id: str, now: datetime) -> WorkspaceRecord:
    return workspace_record(_workspace_row(session, team_id, now))


def update_workspace(session: Session, team_id: str, now: datetime, **changes: Any) -> WorkspaceRecord:
    """Change the named workspace columns (creating the workspace first if needed)."""
    workspace = _workspace_row(session, team_id, now)
    _apply(session, workspace, changes, _WORKSPACE_FIELDS)
    return workspace_record(workspace)


# people ---------------------------------------------------------------------------------------------
def _people() -> Select[tuple[Person, Any]]:
    """People with their workspace's slot overrides, which every person record carries."""
    return select(Person, Workspace.slots).outerjoin(Workspace, Workspace.team_id == Person.team_id)


def find_person(session: Session, team_id: str, user_id: str) -> PersonRecord | None:
    row = session.execute(_people().where(Person.team_id == team_id, Person.user_id == user_id)).one_or_none()
    return None if row is None else person_record(*row)


def find_person_anywhere(session: Session, user_id: str) -> PersonRecord | None:
    """The person with ``user_id`` in any workspace (user IDs are unique across Slack)."""
    row = session.execute(_people().where(Person.user_id == user_id).order_by(Person.id)).first()
    return None if row is None else person_record(*row)


def get_or_create_person(session: Session, team_id: str, user_id: str, now: datetime) -> PersonRecord:
    """The person, created on first contact; concurrent first requests create one row (an upsert)."""
    person = find_person(session, team_id, user_id)
    if person is not None:
        return person
    return upsert_person(session, team_id, user_id, now)


def upsert_person(session: Session, team_id: str, user_id: str, now: datetime, **known: Any) -> PersonRecord:
    """Create the person with ``known`` columns set, or set them on the row that is there: one upsert.

    Concurrent first requests from one person create one row; the last of them sets ``known``.
    """
    _require_id(user_id, "user")
    unknown = set(known) - _PERSON_FIELDS
    if unknown:
        raise ValueError(f"not person fields: {sorted(unknown)}")
    _workspace_row(session, team_id, now)
    values = {**_NEW_PERSON, **known, "team_id": team_id, "user_id": user_id, "created_at": now}
    session.execute(upsert(session, Person, index_elements=["team_id", "user_id"], values=values,
                           update=sorted(known)))
    stored = find_person(session, team_id, user_id)
    if stored is None:  # pragma: no cover - the insert or the row it conflicted with is there
        raise LookupError(f"person {user_id} of {team_id} was neither inserted nor found")
    return stored


def newcomer(session: Session, team_id: str, user_id: str, now: datetime) -> PersonRecord:
    """How a person with no row yet is shown: the defaults their row will start with, read only.

    Its id is :data:`NOT_STORED`, which matches no row, so whatever is looked up for it is empty.
    """
    slots = session.scalar(select(Workspace.slots).where(Workspace.team_id == team_id))
    defaults = {key: value for key, value in _NEW_PERSON.items() if key != "slots"}
    return PersonRecord(id=NOT_STORED, team_id=team_id, user_id=user_id, display_name=None, slack_tz=None,
                        tz_fetched_at=None, tz_override=None, track=None, focus=None, inactive_reason=None,
                        slots={}, onboarded_at=None, created_at=now, workspace_slots=dict(slots or {}), **defaults)


def _require_id(value: str, what: str) -> None:
    # The listeners refuse a request without a valid id; a store never invents an empty one.
    if not value:
        raise ValueError(f"a {what} id is required to create a row")


def update_person(session: Session, person_id: int, **changes: Any) -> PersonRecord:
    """Change the named columns of the person; the record returned shows them changed."""
    row = session.get(Person, person_id)
    if row is None:
        raise LookupError(f"no person {person_id}")
    _apply(session, row, changes, _PERSON_FIELDS)
    return person_record(row, session.scalar(select(Workspace.slots).where(Workspace.team_id == row.team_id)))


def delete_person(session: Session, person_id: int) -> None:
    """Delete the person and everything hanging off them (rows cascade in the database too)."""
    session.execute(delete(Person).where(Person.id == person_id))


def person_data(session: Session, person: PersonRecord) -> PersonData:
    """Everything stored about ``person``, each kind oldest first."""
    def rows(model: Any, *order: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.person_id == person.id).order_by(*order)))

    return PersonData(
        person=person,
        checkins=tuple(checkin_record(c) for c in rows(Checkin, Checkin.week)),
        goals=tuple(goal_record(g) for g in rows(Goal, Goal.id)),
        wins=tuple(win_record(w) for w in rows(Win, Win.id)),
        reflections=tuple(ReflectionRecord(r.week, r.prompt_id, r.text, r.created_at)
                          for r in rows(Reflection, Reflection.id)),
        learning=tuple(LearningRecord(log.week, log.prompt_id, log.minutes, log.created_at)
                       for log in rows(LearningLog, LearningLog.id)),
        feedback=tuple(FeedbackRecord(f.prompt_id, f.verdict, f.at) for f in rows(PromptFeedback, PromptFeedback.id)),
        pauses=tuple(pause_record(p) for p in rows(Pause, Pause.start)),
    )


# pauses ---------------------------------------------------------------------------------------------
def pause_ranges(session: Session, person_id: int) -> list[tuple[date, date]]:
    rows = session.execute(select(Pause.start, Pause.end).where(Pause.person_id == person_id).order_by(Pause.start))
    return [(start, end) for start, end in rows]


def active_pause(session: Session, person_id: int, today: date) -> PauseRecord | None:
    """The pause that covers ``today`` or starts later, if any (there is at most one)."""
    row = session.scalars(
        select(Pause).where(Pause.person_id == person_id, Pause.end >= today).order_by(Pause.start)
    ).first()
    return None if row is None else pause_record(row)


def set_pause(session: Session, person_id: int, pause: PauseRecord | None, start: date | None,
              end: date | None, *, resumed_at: datetime | None = None) -> None:
    """Create, move or drop a pause: ``start``/``end`` None drops ``pause``.

    ``resumed_at`` marks a pause ended by ``/lead resume``; any other change leaves it unmarked.
    """
    row = session.get(Pause, pause.id) if pause is not None else None
    if start is None or end is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(Pause(person_id=person_id, start=start, end=end, resumed_at=resumed_at))
    else:
        row.start, row.end, row.resumed_at = start, end, resumed_at


def _apply(session: Session, row: Any, changes: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)} of a {type(row).__name__}")
    for name, value in changes.items():
        setattr(row, name, value)
    session.flush()
