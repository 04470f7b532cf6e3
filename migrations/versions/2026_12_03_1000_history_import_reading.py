"""history import reading: how a file was read (--column, --set, --date-format) is part of
what makes two imports the same

Revision ID: 0009_history_import_reading
Revises: 0008_decisions_by_customer
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_history_import_reading"
down_revision = "0008_decisions_by_customer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: every import before it read its file as it is, which NULL says.
    op.add_column("history_imports", sa.Column("reading", sa.String(length=2000), nullable=True))


def downgrade() -> None:
    op.drop_column("history_imports", "reading")
