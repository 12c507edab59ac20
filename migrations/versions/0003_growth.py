"""growth you can see: the progress picture setting, quieter celebrations, "I did it" once

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23

- ``people.progress_picture``: the monthly progress picture, on unless the person turns it off.
- ``workspaces.celebrations``: ``digest`` (the default) gathers streak milestones and finished goals
  into the Friday digest; ``live`` also posts each as it happens.
- ``learning_logs``: one "I did it" per person, prompt and week. Logs the old code let a second
  click add are removed first (the earliest one stays), then the unique key keeps it that way.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress_picture", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("celebrations", sa.String(length=16), nullable=False,
                                      server_default="digest"))
    op.execute(
        "DELETE FROM learning_logs WHERE prompt_id IS NOT NULL AND id NOT IN ("
        "SELECT MIN(id) FROM learning_logs WHERE prompt_id IS NOT NULL GROUP BY person_id, prompt_id, week)"
    )
    with op.batch_alter_table("learning_logs", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_learning_logs_person_prompt_week", ["person_id", "prompt_id", "week"])


def downgrade() -> None:
    with op.batch_alter_table("learning_logs", schema=None) as batch_op:
        batch_op.drop_constraint("uq_learning_logs_person_prompt_week", type_="unique")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("celebrations")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("progress_picture")
