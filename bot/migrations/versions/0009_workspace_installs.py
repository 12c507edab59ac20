"""workspaces remember their Enterprise Grid org and an uninstall

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-30

``enterprise_id``: the Enterprise Grid org a workspace belongs to (null outside Grid), which the
scheduler needs to find the workspace's bot token the way Bolt's installation store keys it.
``enterprise_install``: the app was installed for the whole org, so the token is the org's.
``uninstalled_at``: when Slack said the app was uninstalled or its bot token revoked; nothing is
sent to the workspace from then on, and its data is deleted after the grace period.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workspaces') as batch:
        batch.add_column(sa.Column('enterprise_id', sa.String(32), nullable=True))
        batch.add_column(sa.Column('enterprise_install', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('uninstalled_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workspaces') as batch:
        batch.drop_column('uninstalled_at')
        batch.drop_column('enterprise_install')
        batch.drop_column('enterprise_id')
