"""pauses remember a /lead resume

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-23

After ``/lead resume`` a pause ends today, so the week stays bridged for the streak, but the
person is no longer paused: ``resumed_at`` tells the two apart (the export's ``paused_until`` is
null once it is set).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pauses') as batch:
        batch.add_column(sa.Column('resumed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pauses') as batch:
        batch.drop_column('resumed_at')
