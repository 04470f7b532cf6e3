"""key owners: each API key names the person it acts for, and a term exception the owner of
the key that requested it, so four-eyes rules compare people, not keys

Revision ID: 0010_key_owners
Revises: 0009_history_import_reading
Create Date: 2026-12-03 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_key_owners"
down_revision = "0009_history_import_reading"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A key made before owners existed acts for a person of its own name, as four-eyes read it.
    op.add_column("api_keys", sa.Column("owner", sa.String(length=64), nullable=True))
    op.execute("UPDATE api_keys SET owner = name")
    with op.batch_alter_table("api_keys") as batch:
        batch.alter_column("owner", existing_type=sa.String(length=64), nullable=False)
    op.add_column(
        "term_exceptions", sa.Column("requested_owner", sa.String(length=64), nullable=True)
    )
    op.execute("UPDATE term_exceptions SET requested_owner = requested_by")


def downgrade() -> None:
    op.drop_column("term_exceptions", "requested_owner")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("owner")
