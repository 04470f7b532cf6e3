"""outbox traceparent: each event keeps the trace context of the request that wrote it

Revision ID: 0016_outbox_traceparent
Revises: 0015_cash_forecasts
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_outbox_traceparent"
down_revision = "0015_cash_forecasts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: events written before it, and by requests that came without one, have none.
    op.add_column("outbox_events", sa.Column("traceparent", sa.String(length=55), nullable=True))


def downgrade() -> None:
    op.drop_column("outbox_events", "traceparent")
