"""scale-out: queued deliveries, their indexes, per-workspace send pacing

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-30

The leader queues due deliveries in the ledger and any process sends them (``queued_at``); the
indexes serve every ledger lookup a sweep makes and the pruning job; ``send_pacing`` holds one
token bucket per workspace. APScheduler's own table is no longer used (jobs live in memory) and
is dropped when present.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries') as batch:
        batch.add_column(sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_deliveries_status_claimed', 'deliveries', ['status', 'claimed_at'])
    op.create_index('ix_deliveries_status_queued', 'deliveries', ['status', 'queued_at'])
    op.create_index('ix_processed_events_received_at', 'processed_events', ['received_at'])
    op.create_table(
        'send_pacing',
        sa.Column('team_id', sa.String(32), primary_key=True),
        sa.Column('tokens', sa.Float(), nullable=False),
        sa.Column('updated_at', sa.Float(), nullable=False),
        sa.Column('paused_until', sa.Float(), nullable=False),
    )
    op.execute('DROP TABLE IF EXISTS apscheduler_jobs')


def downgrade() -> None:
    op.drop_table('send_pacing')
    op.drop_index('ix_processed_events_received_at', 'processed_events')
    op.drop_index('ix_deliveries_status_queued', 'deliveries')
    op.drop_index('ix_deliveries_status_claimed', 'deliveries')
    with op.batch_alter_table('deliveries') as batch:
        batch.drop_column('queued_at')
