"""time off: Slack status kept from user_change, away periods, holiday calendars

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-30

- ``people.status_text``/``status_emoji``/``status_expiration``/``status_updated``: the Slack
  status as the last ``user_change`` event said, so a sweep never asks Slack per person.
- ``people.away_detection``: status-based away detection, on unless the person turns it off.
- ``people.holidays`` and ``workspaces.holidays``: public-holiday calendars (``DE``, ``US-CA``).
- ``workspaces.away_terms``: the admin's additions to the built-in away terms and emoji.
- ``away_periods``: when a status said its owner was away, for streaks and the export.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs, never batch mode's copy-and-drop: on SQLite (foreign keys on) dropping the old
    # ``people`` table would cascade and delete everything hanging off it.
    op.add_column("people", sa.Column("status_text", sa.String(length=255), nullable=True))
    op.add_column("people", sa.Column("status_emoji", sa.String(length=100), nullable=True))
    op.add_column("people", sa.Column("status_expiration", sa.BigInteger(), nullable=True))
    op.add_column("people", sa.Column("status_updated", sa.BigInteger(), nullable=True))
    op.add_column("people", sa.Column("away_detection", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("people", sa.Column("holidays", sa.String(length=40), nullable=True))
    op.add_column("workspaces", sa.Column("holidays", sa.String(length=40), nullable=True))
    op.add_column("workspaces", sa.Column("away_terms", sa.Text(), nullable=True))
    op.create_table(
        "away_periods",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_away_periods_person_id", "away_periods", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_away_periods_person_id", table_name="away_periods")
    op.drop_table("away_periods")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("away_terms")
        batch_op.drop_column("holidays")
    with op.batch_alter_table("people", schema=None) as batch_op:
        for column in ("holidays", "away_detection", "status_updated", "status_expiration", "status_emoji",
                       "status_text"):
            batch_op.drop_column(column)
