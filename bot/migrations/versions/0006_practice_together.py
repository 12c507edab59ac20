"""practice together: pairing preferences, practice pairs, the left-out, kudos

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

New tables only, so nothing existing is rebuilt (SQLite batch mode would copy ``people``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = '0007'
branch_labels = None
depends_on = None


def _person(column: str) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "pairing_preferences",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("seeks", sa.JSON(), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "practice_pairs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("round", sa.String(length=8), nullable=False),
        _person("seeker_id"),
        _person("offerer_id"),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seeker_answer", sa.String(length=16), nullable=True),
        sa.Column("seeker_met_week", sa.String(length=8), nullable=True),
        sa.Column("seeker_self_note", sa.Text(), nullable=True),
        sa.Column("offerer_answer", sa.String(length=16), nullable=True),
        sa.Column("offerer_met_week", sa.String(length=8), nullable=True),
        sa.Column("offerer_self_note", sa.Text(), nullable=True),
        sa.UniqueConstraint("team_id", "round", "seeker_id", name="uq_practice_pairs_round_seeker"),
    )
    op.create_index("ix_practice_pairs_team_round", "practice_pairs", ["team_id", "round"])
    op.create_index("ix_practice_pairs_seeker_id", "practice_pairs", ["seeker_id"])
    op.create_index("ix_practice_pairs_offerer_id", "practice_pairs", ["offerer_id"])
    op.create_table(
        "pairing_left_out",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("round", sa.String(length=8), nullable=False),
        _person("person_id"),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("waited", sa.Integer(), nullable=False),
        sa.UniqueConstraint("team_id", "round", "person_id", name="uq_pairing_left_out_round_person"),
    )
    op.create_index("ix_pairing_left_out_person_id", "pairing_left_out", ["person_id"])
    op.create_table(
        "kudos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        _person("giver_id"),
        sa.Column("recipient_user", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
    )
    op.create_index("ix_kudos_team_created", "kudos", ["team_id", "created_at"])
    op.create_index("ix_kudos_giver_id", "kudos", ["giver_id"])
    op.create_index("ix_kudos_team_recipient", "kudos", ["team_id", "recipient_user"])


def downgrade() -> None:
    op.drop_table("kudos")
    op.drop_table("pairing_left_out")
    op.drop_table("practice_pairs")
    op.drop_table("pairing_preferences")
