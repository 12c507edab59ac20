"""growth you can see: the progress picture setting, quieter celebrations, "I did it" once

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23

- ``people.progress_picture``: the monthly progress picture, on unless the person turns it off.
- ``workspaces.celebrations``: ``digest`` (the default) gathers streak milestones and finished goals
  into the Friday digest; ``live`` also posts each as it happens.
- ``learning_logs``: one "I did it" per person, prompt and week. Logs the old code let a second
  click add are removed first (the earliest one stays), then a unique index keeps it that way.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs and an index, never batch mode's copy-and-drop: on SQLite (foreign keys on),
    # dropping the old ``people`` table would cascade and delete every check-in, goal and win.
    op.add_column("people", sa.Column("progress_picture", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("workspaces", sa.Column("celebrations", sa.String(length=16), nullable=False,
                                          server_default="digest"))
    op.execute(
        "DELETE FROM learning_logs WHERE prompt_id IS NOT NULL AND id NOT IN ("
        "SELECT MIN(id) FROM learning_logs WHERE prompt_id IS NOT NULL GROUP BY person_id, prompt_id, week)"
    )
    op.create_index("uq_learning_logs_person_prompt_week", "learning_logs", ["person_id", "prompt_id", "week"],
                    unique=True)


def downgrade() -> None:
    op.drop_index("uq_learning_logs_person_prompt_week", table_name="learning_logs")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("celebrations")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("progress_picture")
