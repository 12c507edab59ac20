"""Queries about goals.

Every query that reads or changes one goal takes the owner's ``person_id`` and filters on it,
so a goal id taken from a button (which anyone could replay) never reaches another person's goal.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.db import affected
from bot.store.models import Goal
from bot.store.records import GoalRecord, goal_record

ACTIVE, DONE, ARCHIVED = "active", "done", "archived"


def add_goal(session: Session, person_id: int, *, title: str, foundation: str, measure: str | None,
             target: int | None, due: date | None, created_at: datetime) -> GoalRecord:
    goal = Goal(person_id=person_id, title=title, foundation=foundation, measure=measure, target=target, current=0,
                progress=0, status=ACTIVE, due=due, created_at=created_at)
    session.add(goal)
    session.flush()
    return goal_record(goal)


def active_goals(session: Session, person_id: int) -> list[GoalRecord]:
    """The person's active goals: the ones due soonest first, undated ones last, then oldest first."""
    rows = session.scalars(select(Goal).where(Goal.person_id == person_id, Goal.status == ACTIVE).order_by(Goal.id))
    return sorted((goal_record(row) for row in rows), key=lambda g: (g.due is None, g.due or date.max, g.id))


def _owned_row(session: Session, person_id: int, goal_id: int) -> Goal | None:
    return session.scalars(select(Goal).where(Goal.id == goal_id, Goal.person_id == person_id)).one_or_none()


def owned_goal(session: Session, person_id: int, goal_id: int) -> GoalRecord | None:
    """Goal ``goal_id`` when it belongs to ``person_id``; None otherwise (even when it exists)."""
    row = _owned_row(session, person_id, goal_id)
    return None if row is None else goal_record(row)


def goal_exists(session: Session, goal_id: int) -> bool:
    return session.scalar(select(Goal.id).where(Goal.id == goal_id)) is not None


def set_progress(session: Session, person_id: int, goal_id: int, *, progress: int, current: int
                 ) -> GoalRecord | None:
    """Record progress on an active goal of ``person_id``; None when there is no such goal."""
    goal = _owned_row(session, person_id, goal_id)
    if goal is None or goal.status != ACTIVE:
        return None
    goal.progress, goal.current = progress, current
    session.flush()
    return goal_record(goal)


def finish(session: Session, person_id: int, goal_id: int, now: datetime) -> bool:
    """Mark an active goal done; True only for the one caller that made the change.

    A compare-and-set on the status, so two clicks racing each other cannot both see "just
    finished" (and both celebrate).
    """
    goal = owned_goal(session, person_id, goal_id)
    values: dict[str, object] = {"status": DONE, "progress": 100, "done_at": now}
    if goal is not None and goal.target:
        values["current"] = max(goal.current, goal.target)
    result = session.execute(
        update(Goal).where(Goal.id == goal_id, Goal.person_id == person_id, Goal.status == ACTIVE)
        .values(**values))
    return affected(result) == 1


def archive(session: Session, person_id: int, goal_id: int) -> bool:
    """Archive an active goal; True only when this call changed it."""
    result = session.execute(
        update(Goal).where(Goal.id == goal_id, Goal.person_id == person_id, Goal.status == ACTIVE)
        .values(status=ARCHIVED))
    return affected(result) == 1
