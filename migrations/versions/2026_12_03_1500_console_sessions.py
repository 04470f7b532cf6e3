"""console sessions: the finance console's signed-in people, a session token's SHA-256 with the
key's digest, a CSRF token and a server-side expiry

Revision ID: 0014_console_sessions
Revises: 0013_idempotency_keys
Create Date: 2026-12-03 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.models.base import UTCDateTime

revision = "0014_console_sessions"
down_revision = "0013_idempotency_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("token_sha256", sa.LargeBinary(length=32), primary_key=True),
        sa.Column("key_sha256", sa.LargeBinary(length=32), nullable=False),
        sa.Column("key_name", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("signed_out_at", UTCDateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("console_sessions")
