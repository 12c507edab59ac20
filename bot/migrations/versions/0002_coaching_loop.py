"""coaching loop: role, focus mode, energy, every self-assessment, review marks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

- ``people.role`` (asked at onboarding; NULL until then) and ``people.focus_mode``: people who
  have a stored focus keep it as ``chosen`` (the focus review offers them a switch within four
  weeks); everybody else is ``auto``, the default.
- ``people.focus_review_week`` and ``people.growth_invite_week``: when the last focus review and
  growth-review invitation went to the person.
- ``checkins.energy``: the optional one-tap "what gave you energy this week?".
- ``assessments``: every self-assessment in its own row. The one kept in ``people.assessment``
  moves there with the time it was taken, and that column goes.

SQLite: columns are added and dropped with plain ``ALTER TABLE`` (SQLite 3.35+), never by batch
mode's copy-and-rename of ``people``: with foreign keys on, dropping the old ``people`` table
would cascade-delete every check-in, goal and win hanging off it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

FOUNDATIONS = ("personality", "upskilling", "delegation", "progress")

_people = sa.table(
    "people",
    sa.column("id", sa.Integer()),
    sa.column("track", sa.String()),
    sa.column("focus", sa.String()),
    sa.column("focus_mode", sa.String()),
    sa.column("assessment", sa.JSON()),
    sa.column("onboarded_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
_assessments = sa.table(
    "assessments",
    sa.column("id", sa.Integer()),
    sa.column("person_id", sa.Integer()),
    sa.column("taken_at", sa.DateTime(timezone=True)),
    sa.column("track", sa.String()),
    sa.column("answers", sa.JSON()),
)


def upgrade() -> None:
    op.add_column("people", sa.Column("role", sa.String(length=16), nullable=True))
    op.add_column("people", sa.Column("focus_mode", sa.String(length=8), nullable=False, server_default="auto"))
    op.add_column("people", sa.Column("focus_review_week", sa.String(length=8), nullable=True))
    op.add_column("people", sa.Column("growth_invite_week", sa.String(length=8), nullable=True))
    op.add_column("checkins", sa.Column("energy", sa.String(length=16), nullable=True))
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("track", sa.String(length=16), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_assessments_person_id", "assessments", ["person_id"], unique=False)

    bind = op.get_bind()
    bind.execute(_people.update().where(_people.c.focus.in_(FOUNDATIONS)).values(focus_mode="chosen"))
    # A focus that is no foundation (a renamed key) means nothing: auto takes over.
    bind.execute(_people.update().where(_people.c.focus.is_not(None), _people.c.focus.not_in(FOUNDATIONS))
                 .values(focus=None))

    rows = bind.execute(sa.select(_people.c.id, _people.c.track, _people.c.assessment, _people.c.onboarded_at,
                                  _people.c.created_at)).all()
    moved = []
    for person_id, track, stored, onboarded_at, created_at in rows:
        assessment = _as_dict(stored)
        answers = assessment.get("answers")
        if not isinstance(answers, dict) or not answers:
            continue
        taken_at = _parse_time(assessment.get("assessed_at")) or _aware(onboarded_at) or _aware(created_at)
        moved.append({"person_id": person_id, "taken_at": _for_column(bind, taken_at), "track": track,
                      "answers": answers})
    if moved:
        bind.execute(_assessments.insert(), moved)
    op.drop_column("people", "assessment")


def downgrade() -> None:
    op.add_column("people", sa.Column("assessment", sa.JSON(), nullable=False, server_default="{}"))
    bind = op.get_bind()
    latest: dict[int, tuple[Any, Any]] = {}
    for person_id, taken_at, answers in bind.execute(
            sa.select(_assessments.c.person_id, _assessments.c.taken_at, _assessments.c.answers)
            .order_by(_assessments.c.taken_at, _assessments.c.id)):
        latest[person_id] = (taken_at, answers)
    for person_id, (taken_at, answers) in latest.items():
        when = _aware(taken_at)
        bind.execute(_people.update().where(_people.c.id == person_id).values(assessment={
            "version": 1, "answers": _as_dict(answers), "assessed_at": when.isoformat() if when else None}))
    op.drop_index("ix_assessments_person_id", table_name="assessments")
    op.drop_table("assessments")
    op.drop_column("checkins", "energy")
    op.drop_column("people", "growth_invite_week")
    op.drop_column("people", "focus_review_week")
    op.drop_column("people", "focus_mode")
    op.drop_column("people", "role")


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def _aware(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse_time(value: Any) -> datetime | None:
    return _aware(value) if isinstance(value, str) else None


def _for_column(bind: Any, moment: datetime | None) -> datetime:
    moment = moment or datetime.now(UTC)
    # The bot stores naive UTC on SQLite (bot.store.models.UTCDateTime) and aware times elsewhere.
    return moment.replace(tzinfo=None) if bind.dialect.name == "sqlite" else moment
