"""audit request id: each audit row names the request (or CLI run) that made the change

Revision ID: 0007_audit_request_id
Revises: 0006_receivables_kpi_indexes
Create Date: 2026-11-23 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_audit_request_id"
down_revision = "0006_receivables_kpi_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new nullable column: rows already written keep their hashes (a null is not hashed).
    op.add_column("audit_events", sa.Column("request_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_events", "request_id")
