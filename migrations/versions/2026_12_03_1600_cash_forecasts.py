"""cash forecasts: the forecast made each night, week by week per currency, kept to compare
with what was then paid

Revision ID: 0015_cash_forecasts
Revises: 0014_console_sessions
Create Date: 2026-12-03 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.models.base import UTCDateTime

revision = "0015_cash_forecasts"
down_revision = "0014_console_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cash_forecast_weeks",
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("expected", sa.BigInteger(), nullable=False),
        sa.Column("open_receivables", sa.BigInteger(), nullable=False),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("made_on", "currency", "week", name=op.f("pk_cash_forecast_weeks")),
    )


def downgrade() -> None:
    op.drop_table("cash_forecast_weeks")
